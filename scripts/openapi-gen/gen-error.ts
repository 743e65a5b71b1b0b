/**
 * An error in a spec or in the codegen config: the CLI prints its message alone (no stack trace) and
 * exits 1, so the message names the file and the offending place in it.
 */
export class GenError extends Error {
  readonly file: string;
  readonly location: string | undefined;

  constructor(file: string, location: readonly (string | number)[] | undefined, reason: string) {
    const where = location === undefined || location.length === 0 ? '' : ` at ${formatLocation(location)}`;
    super(`${file}${where}: ${reason}`);
    this.name = 'GenError';
    this.file = file;
    this.location = location === undefined ? undefined : formatLocation(location);
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `paths['/v1/profiles/{id}'].get.parameters[0].in`: readable, and unambiguous for any key. */
export function formatLocation(location: readonly (string | number)[]): string {
  let text = '';
  for (const segment of location) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment).replaceAll('"', "'")}]`;
  }
  return text;
}
