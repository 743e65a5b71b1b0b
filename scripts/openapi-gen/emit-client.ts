import type { ApiConfig } from './codegen-config.ts';
import { generatedHeader } from './generated-header.ts';
import type { LoadedDocument } from './load-document.ts';
import { camelCase, pascalCase } from './naming.ts';

/**
 * The export condition under which a client package resolves to its TypeScript sources instead of its
 * build: set by the repository's own tools (tsconfig.json `customConditions`, vitest.config.ts, tsx's
 * `--conditions`), so the test suite uses the clients without building them. Consumers of the packed
 * package never set it and get `dist/`.
 */
export const SOURCE_CONDITION = 'source';

/** What a client package is named and depends on, from the repository's package.json. */
export interface ClientPackageSettings {
  /** The npm scope of the client packages: `@node-backend-template`. */
  readonly scope: string;
  /** The version range of openapi-fetch, as the repository's package.json declares it. */
  readonly openapiFetchRange: string;
}

export interface ClientFile {
  /** Relative to clients/<name>/. */
  readonly path: string;
  readonly content: string;
  readonly parser: 'typescript' | 'json' | 'markdown';
}

/** The scope for client packages: the repository package's own scope, or its name made one. */
export function clientScope(repositoryPackageName: string): string {
  return repositoryPackageName.startsWith('@')
    ? repositoryPackageName.split('/')[0]!
    : `@${repositoryPackageName}`;
}

export function clientPackageName(settings: ClientPackageSettings, apiName: string): string {
  return `${settings.scope}/${apiName}-client`;
}

/** The component schema the document's errors use: its `x-problem-dialect`, else the shared `Problem`. */
function problemSchemaName(loaded: LoadedDocument): string | undefined {
  const document = loaded.document as unknown as Record<string, unknown>;
  const dialect = document['x-problem-dialect'];
  if (typeof dialect === 'string') return dialect;
  return loaded.document.components?.schemas?.['Problem'] !== undefined ? 'Problem' : undefined;
}

/**
 * clients/<name>/: a typed client of one API, an npm workspace package (`npm pack` builds it). Its
 * `schema.gen.ts` is the same as api/<name>/schema.gen.ts, generated apart so the package is
 * self-contained. Unformatted: the caller formats each file with its parser.
 */
export function emitClient(
  loaded: LoadedDocument,
  api: ApiConfig,
  schemaTypes: string,
  settings: ClientPackageSettings,
): ClientFile[] {
  return [
    { path: 'package.json', content: packageJson(loaded, api, settings), parser: 'json' },
    { path: 'tsconfig.json', content: tsconfigJson(loaded), parser: 'json' },
    { path: 'README.md', content: readme(loaded, api, settings), parser: 'markdown' },
    { path: 'src/schema.gen.ts', content: schemaTypes, parser: 'typescript' },
    { path: 'src/index.gen.ts', content: clientModule(loaded, api), parser: 'typescript' },
  ];
}

function title(loaded: LoadedDocument): string {
  return loaded.document.info?.title ?? loaded.file;
}

function packageJson(loaded: LoadedDocument, api: ApiConfig, settings: ClientPackageSettings): string {
  const manifest = {
    '//': generatedHeader(loaded.file).replace(/^\/\/ /, ''),
    name: clientPackageName(settings, api.name),
    version: loaded.document.info?.version ?? '0.0.0',
    description: `Typed client of the ${title(loaded)} (${loaded.file}): openapi-fetch over openapi-typescript types.`,
    type: 'module',
    exports: {
      '.': {
        [SOURCE_CONDITION]: './src/index.gen.ts',
        types: './dist/index.gen.d.ts',
        default: './dist/index.gen.js',
      },
    },
    files: ['dist'],
    sideEffects: false,
    scripts: { build: 'tsc -p tsconfig.json', prepack: 'npm run build' },
    dependencies: { 'openapi-fetch': settings.openapiFetchRange },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function tsconfigJson(loaded: LoadedDocument): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: [],
      strict: true,
      declaration: true,
      rootDir: 'src',
      outDir: 'dist',
      verbatimModuleSyntax: true,
      skipLibCheck: true,
    },
    include: ['src'],
  };
  return `${generatedHeader(loaded.file)}\n// Builds dist/ for npm pack (prepack).\n${JSON.stringify(config, null, 2)}\n`;
}

function clientModule(loaded: LoadedDocument, api: ApiConfig): string {
  const typeName = pascalCase(api.name);
  const problem = problemSchemaName(loaded);
  const problemAlias =
    problem === undefined
      ? ''
      : `
/** The problem document of every error the ${title(loaded)} answers: the \`error\` of a failed call. */
export type ${typeName}Problem = components['schemas'][${JSON.stringify(problem)}];
`;
  return `${generatedHeader(loaded.file)}
// The ${title(loaded)}'s typed client: openapi-fetch over the types of schema.gen.ts.
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
// '.js': the name of the built file, which the published declarations must name too.
import type { ${problem === undefined ? '' : 'components, '}paths } from './schema.gen.js';

export type * from './schema.gen.js';
${problemAlias}
/**
 * Calls by method and path template, checked against the contract:
 * \`const { data, error, response } = await client.GET(path, { params: { path, query, header } })\`.
 * \`data\` is the success body, \`error\` the body of a declared error response; one of them is set.
 */
export type ${typeName}Client = Client<paths>;

/** A bearer token, or a function giving the current one (called before each request). */
export type AccessToken = string | (() => string | Promise<string>);

export interface ${typeName}ClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Sent as \`Authorization: Bearer <token>\` unless a request sets its own \`Authorization\`. */
  readonly token?: AccessToken;
}

/**
 * A client of the ${title(loaded)} at \`baseUrl\` (the service's origin, \`http://127.0.0.1:8080\`).
 * Every other option (\`headers\`, \`fetch\`, serializers, RequestInit fields) is openapi-fetch's.
 */
export function create${typeName}Client(baseUrl: string, options: ${typeName}ClientOptions = {}): ${typeName}Client {
  const { token, ...clientOptions } = options;
  const client = createClient<paths>({ ...clientOptions, baseUrl });
  if (token !== undefined) client.use(bearerToken(token));
  return client;
}

function bearerToken(token: AccessToken): Middleware {
  return {
    async onRequest({ request }) {
      if (!request.headers.has('Authorization')) {
        request.headers.set('Authorization', \`Bearer \${typeof token === 'string' ? token : await token()}\`);
      }
      return request;
    },
  };
}
`;
}

/** A call of the document's first GET (or first operation), for the README. */
function exampleCall(loaded: LoadedDocument): string {
  const entries = Object.entries(loaded.document.paths ?? {}) as [string, Record<string, unknown>][];
  const withGet = entries.find(([, item]) => item['get'] !== undefined);
  const [path, item] = withGet ?? entries[0] ?? ['/', {}];
  const method = ['get', 'post', 'put', 'patch', 'delete'].find((name) => item[name] !== undefined) ?? 'get';
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const params =
    names.length === 0 ? '' : `, { params: { path: { ${names.map((name) => `${name}: '…'`).join(', ')} } } }`;
  return `${method.toUpperCase()}('${path}'${params})`;
}

function readme(loaded: LoadedDocument, api: ApiConfig, settings: ClientPackageSettings): string {
  const typeName = pascalCase(api.name);
  const factory = `create${typeName}Client`;
  const variable = camelCase(api.name);
  return `<!-- ${generatedHeader(loaded.file).replace(/^\/\/ /, '')} -->

# ${clientPackageName(settings, api.name)}

Typed client of the ${title(loaded)}, generated from \`${loaded.file}\`:
[openapi-fetch](https://openapi-ts.dev/openapi-fetch/) over the
[openapi-typescript](https://openapi-ts.dev/) types of the contract.

\`\`\`ts
import { ${factory} } from '${clientPackageName(settings, api.name)}';

const ${variable} = ${factory}('http://127.0.0.1:8080', { token: process.env.ACCESS_TOKEN });
const { data, error, response } = await ${variable}.${exampleCall(loaded)};
\`\`\`

\`data\` is typed by the success response, \`error\` by the error responses (${
    problemSchemaName(loaded) === undefined
      ? 'as the contract declares them'
      : `\`${typeName}Problem\`, the contract's \`${problemSchemaName(loaded)}\``
  }).
Options: \`token\` (a string, or a function called before each request), and openapi-fetch's own
(\`headers\`, \`fetch\`, …).

Build: \`npm pack\` (runs \`tsc\` into \`dist/\`). Do not edit: \`npm run gen\` rewrites this folder.
`;
}
