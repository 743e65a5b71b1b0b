// How names in a spec become TypeScript identifiers. Kept in one place so the docs can state the rules once.

const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `getProfile`, `get-profile`, `get_profile` -> `GetProfile`; `listHTTPLogs` -> `ListHTTPLogs`. */
export function pascalCase(text: string): string {
  return words(text).map(capitalize).join('');
}

/** `GetProfile`, `get-profile` -> `getProfile`. */
export function camelCase(text: string): string {
  const pascal = pascalCase(text);
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|[0-9]|$)/.exec(pascal)?.[0];
  if (leadingCaps !== undefined && leadingCaps.length > 1) {
    return leadingCaps.toLowerCase() + pascal.slice(leadingCaps.length);
  }
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** A name that can start a TypeScript identifier after case conversion, or a reason why not. */
export function identifierProblem(text: string): string | undefined {
  const pascal = pascalCase(text);
  if (pascal === '') return 'it has no letters or digits';
  if (/^[0-9]/.test(pascal)) return 'it starts with a digit';
  return undefined;
}

/**
 * An operationId made from the method and the path, for documents that carry none (third-party
 * references): `PUT /cob/{txid}` -> `putCobByTxid`.
 */
export function deriveOperationId(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param === null ? pascalCase(segment) : `By${pascalCase(param[1]!)}`;
    });
  return method.toLowerCase() + parts.join('');
}
