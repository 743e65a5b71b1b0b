// The names a new module is made of, derived from the two the user gives (`inventory`, `item`), and
// the rules they must follow: lower-case identifiers that become file names, TypeScript identifiers,
// a table, a URL path and OAuth scopes, so they must be plain and must not clash with anything there.

/** Lower-case letter first, then lower-case letters and digits; short enough that every generated line fits. */
const IDENTIFIER = /^[a-z][a-z0-9]{1,19}$/;

/**
 * Words a name may not be: JavaScript's reserved words (they would make odd identifiers), the
 * service's own folders and routes, and names whose TypeScript types would shadow a global or a
 * type every module's contract already declares (`Cursor`, `ResponseMeta`).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  // JavaScript and TypeScript
  ...['await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete'],
  ...['do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import'],
  ...['in', 'instanceof', 'let', 'new', 'null', 'return', 'static', 'super', 'switch', 'this', 'throw'],
  ...['true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'implements', 'interface'],
  ...['package', 'private', 'protected', 'public', 'any', 'unknown', 'never', 'undefined', 'type'],
  // The service's folders, routes and infrastructure
  ...['api', 'app', 'auth', 'config', 'db', 'docs', 'healthz', 'readyz', 'metrics', 'oauth', 'platform'],
  ...['server', 'telemetry', 'test', 'tests', 'common', 'reference', 'main', 'lambda', 'scripts', 'src'],
  ...['module', 'modules', 'service', 'catalog', 'migrations', 'node', 'dist', 'clients', 'client'],
  // Type names of globals and of every module's contract
  ...['array', 'boolean', 'buffer', 'date', 'error', 'function', 'json', 'map', 'number', 'object'],
  ...['promise', 'record', 'set', 'string', 'symbol', 'url', 'request', 'response', 'problem', 'cursor'],
  ...['responsemeta', 'expectedversion'],
]);

export interface ModuleNames {
  /** `inventory`: folder, file prefix, API name in codegen.yaml, scope prefix. */
  module: string;
  /** `item`: the resource, singular. */
  resource: string;
  /** `items`: the collection's path segment and the table. */
  resources: string;
}

/** Every spelling a template uses, by placeholder (`__Module__` -> `Inventory`). */
export type Placeholders = Readonly<Record<string, string>>;

/** Why a name is refused, for the user; undefined when it is fine. */
export function nameProblem(kind: 'module' | 'resource' | 'plural', name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return (
      `${kind} name '${name}' must be 2 to 20 characters: a lower-case letter, then lower-case ` +
      'letters and digits (no hyphens, underscores or capitals)'
    );
  }
  if (RESERVED_NAMES.has(name)) return `${kind} name '${name}' is a reserved word`;
  return undefined;
}

/** `inventories` -> `inventory`, `notes` -> `note`, `inventory` -> `inventory`. */
export function defaultResourceName(module: string): string {
  if (module.endsWith('ies') && module.length > 4) return `${module.slice(0, -3)}y`;
  if (module.endsWith('s') && !module.endsWith('ss') && module.length > 3) return module.slice(0, -1);
  return module;
}

/** English plural by the common rules: `item` -> `items`, `box` -> `boxes`, `category` -> `categories`. */
export function pluralOf(singular: string): string {
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`;
  return `${singular}s`;
}

function capitalized(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function withArticle(noun: string, word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${noun}`;
}

export function placeholdersFor(names: ModuleNames, timestamp: string): Placeholders {
  const { module, resource, resources } = names;
  const Module = capitalized(module);
  return {
    __module__: module,
    __Module__: Module,
    __MODULE__: module.toUpperCase(),
    __resource__: resource,
    __Resource__: capitalized(resource),
    __RESOURCE__: resource.toUpperCase(),
    __resources__: resources,
    __Resources__: capitalized(resources),
    __RESOURCES__: resources.toUpperCase(),
    __a_resource__: withArticle(resource, resource),
    __A_resource__: capitalized(withArticle(resource, resource)),
    __a_Module__: withArticle(Module, module),
    __timestamp__: timestamp,
  };
}

/** dbmate's version: the UTC time as YYYYMMDDHHMMSS. */
export function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
