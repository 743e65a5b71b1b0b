// The arrows of docs/architecture.md, enforced by `npm run lint`.
// Paths are relative to the directory depcruise runs in, so the same rules can be proven on test fixtures.
// Infrastructure folders; every other folder under src/ is a module (a bounded context).
const INFRASTRUCTURE = '(?:server|platform|db|config|telemetry)';
const MODULE = `^src/(?!${INFRASTRUCTURE}/)([^/]+)/`;
const TESTS = '(\\.test\\.ts$|\\.test-d\\.ts$|^test/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make modules impossible to reason about (and to load) one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment:
        'A domain imports only its own domain, platform/ and the db ports; no npm package, no adapter.',
      severity: 'error',
      from: { path: `${MODULE}domain/`, pathNot: TESTS },
      to: { pathNot: ['^src/$1/domain/', '^src/platform/', '^src/db/[^/]+\\.ts$'] },
    },
    {
      name: 'http-adapter-arrows',
      comment:
        'A driving HTTP adapter imports its own domain, its own generated api/ (api/<module>/ and api/<module>-<part>/) and platform/.',
      severity: 'error',
      from: { path: `${MODULE}http/`, pathNot: TESTS },
      to: {
        dependencyTypes: ['local', 'localmodule', 'aliased', 'unknown', 'undetermined'],
        pathNot: [
          '^src/$1/(domain|http)/',
          '^api/$1/',
          '^api/$1-[a-z0-9-]+/',
          '^api/[^/]+\\.gen\\.ts$',
          '^src/platform/',
        ],
      },
    },
    {
      name: 'persistence-adapter-arrows',
      comment: 'A driven persistence adapter imports its own domain, the db ports and platform/.',
      severity: 'error',
      from: { path: `${MODULE}persistence/`, pathNot: TESTS },
      to: {
        dependencyTypes: ['local', 'localmodule', 'aliased', 'unknown', 'undetermined'],
        pathNot: ['^src/$1/(domain|persistence)/', '^src/db/[^/]+\\.ts$', '^src/platform/'],
      },
    },
    {
      name: 'no-cross-module',
      comment: 'Modules never import each other: the consumer declares a port and main.ts wires an adapter.',
      severity: 'error',
      from: { path: MODULE, pathNot: TESTS },
      to: { path: `^src/(?!${INFRASTRUCTURE}/)[^/]+/`, pathNot: '^src/$1/' },
    },
    {
      name: 'module-reaches-server-only-for-its-shape',
      comment:
        "A module's factory returns the ServiceModule shape (src/server/service-module.ts); the rest of the server is the composition root's to wire.",
      severity: 'error',
      from: { path: MODULE, pathNot: TESTS },
      to: { path: '^src/server/', pathNot: '^src/server/service-module\\.ts$' },
    },
    {
      name: 'db-adapters-only-from-main',
      comment:
        'Only the composition root (main.ts, and database-from-config.ts that it shares with tests) and tests choose a database adapter.',
      severity: 'error',
      from: {
        pathNot: [TESTS, '^src/(main|database-from-config)\\.ts$', '^src/db/(postgres|pglite)/', '^scripts/'],
      },
      to: { path: '^src/db/(postgres|pglite)/' },
    },
    {
      name: 'api-only-from-http-and-server',
      comment: 'Generated contract code is the business of the HTTP adapters and the server assembly.',
      severity: 'error',
      from: { pathNot: [TESTS, `${MODULE}http/`, '^src/server/', '^api/'] },
      to: { path: '^api/' },
    },
    {
      name: 'platform-is-domain-free',
      comment: 'platform/ holds small building blocks; it knows no module, adapter, server or contract.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: TESTS },
      to: { path: ['^src/(?!platform/)', '^api/'] },
    },
    {
      name: 'server-knows-no-module',
      comment: 'The server assembles what main.ts hands it; it never reaches into a module.',
      severity: 'error',
      from: { path: '^src/server/', pathNot: TESTS },
      to: { path: MODULE },
    },
    {
      name: 'db-ports-know-no-adapter',
      comment: 'The db ports are interfaces and error types; adapters depend on them, never the reverse.',
      severity: 'error',
      from: { path: '^src/db/[^/]+\\.ts$', pathNot: TESTS },
      to: { path: ['^src/db/(postgres|pglite)/', MODULE, '^src/server/', '^api/'] },
    },
    {
      name: 'telemetry-only-from-composition-root',
      comment:
        'Code records through platform ports (Tracer, Counter, ProtectionMetrics); only the composition roots (main.ts, lambda.ts) and app.ts wire OpenTelemetry.',
      severity: 'error',
      from: { pathNot: [TESTS, '^src/(main|lambda|app)\\.ts$', '^src/telemetry/'] },
      to: { path: '^src/telemetry/' },
    },
    {
      name: 'clients-stand-alone',
      comment:
        'A client package of clients/ is published on its own: it imports its own files and npm packages, never the service (src/, api/, scripts/) or another client.',
      severity: 'error',
      from: { path: '^clients/([^/]+)/' },
      to: { pathNot: ['^clients/$1/', 'node_modules/'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Production code must not need a devDependency at run time.',
      severity: 'error',
      from: { path: '^(src|api)/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^test/fixtures/', '^dist/', '^clients/[^/]+/dist/', '^\\.data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
