import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';

const FIXTURE_REPO = path.join(import.meta.dirname, 'fixtures/repo');
const MAIN = path.join(import.meta.dirname, 'main.ts');

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'openapi-gen-cli-'));
  await cp(FIXTURE_REPO, root, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--root', root], process.cwd(), {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

describe('gen:check', () => {
  it('passes when api/ and clients/ are fresh, whatever a client package has built or packed', async () => {
    await mkdir(path.join(root, 'clients/pets/dist'), { recursive: true });
    await writeFile(path.join(root, 'clients/pets/dist/index.gen.js'), 'export {};\n');
    await writeFile(path.join(root, 'clients/pets/fixture-repo-pets-client-1.0.0.tgz'), '');
    expect(await run('--check')).toEqual({
      code: 0,
      out: ['api/ is up to date (8 files)', 'clients/ is up to date (10 files)'],
      err: [],
    });
  });

  it('names every stale, missing and extra file, with a hint, and exits 1', async () => {
    await writeFile(path.join(root, 'api/fixture/server.gen.ts'), '// edited by hand\n');
    await rm(path.join(root, 'api/pets/schema.gen.ts'));
    await writeFile(path.join(root, 'api/fixture/left-over.gen.ts'), 'export {};\n');
    const result = await run('--check');
    expect(result.code).toBe(1);
    expect(result.err.sort()).toEqual([
      'api/fixture/left-over.gen.ts: extra (run npm run gen)',
      'api/fixture/server.gen.ts: stale (run npm run gen)',
      'api/pets/schema.gen.ts: missing (run npm run gen)',
    ]);
  });

  it('fails on a hand-edited, missing or extra client file', async () => {
    const client = path.join(root, 'clients/pets/src/index.gen.ts');
    await writeFile(client, (await readFile(client, 'utf8')).replace('Bearer', 'Token'));
    await rm(path.join(root, 'clients/fixture/package.json'));
    await writeFile(path.join(root, 'clients/pets/src/helpers.ts'), 'export {};\n');
    const result = await run('--check');
    expect(result.code).toBe(1);
    expect(result.err.sort()).toEqual([
      'clients/fixture/package.json: missing (run npm run gen)',
      'clients/pets/src/helpers.ts: extra (run npm run gen)',
      'clients/pets/src/index.gen.ts: stale (run npm run gen)',
    ]);
  });

  it('sees a spec change as stale output', async () => {
    const spec = path.join(root, 'oapi/pets.yaml');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace('operationId: getPet', 'operationId: fetchPet'),
    );
    const result = await run('--check');
    expect(result.code).toBe(1);
    expect(result.err.sort()).toEqual([
      'api/pets/document.gen.ts: stale (run npm run gen)',
      'api/pets/schema.gen.ts: stale (run npm run gen)',
      'api/pets/server.gen.ts: stale (run npm run gen)',
      'clients/pets/src/schema.gen.ts: stale (run npm run gen)',
    ]);
  });
});

describe('gen', () => {
  it('rewrites stale and missing files and removes files no longer produced', async () => {
    await writeFile(path.join(root, 'api/fixture/server.gen.ts'), '// edited by hand\n');
    await rm(path.join(root, 'api/pets/schema.gen.ts'));
    await writeFile(path.join(root, 'api/server.gen.ts'), 'export {};\n');
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'wrote api/fixture/server.gen.ts',
      'wrote api/pets/schema.gen.ts',
      'removed api/server.gen.ts',
      'clients/ is up to date (10 files)',
    ]);
    expect((await run('--check')).code).toBe(0);
  });

  it('with no API configured, writes only the shared route types and succeeds', async () => {
    await writeFile(path.join(root, 'oapi/codegen.yaml'), 'apis: []\n');
    await mkdir(path.join(root, 'clients/pets/dist'), { recursive: true });
    await writeFile(path.join(root, 'clients/pets/dist/index.gen.js'), 'export {};\n');
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'wrote api/documents.gen.ts',
      'removed api/fixture/document.gen.ts',
      'removed api/fixture/schema.gen.ts',
      'removed api/fixture/server.gen.ts',
      'removed api/pets/document.gen.ts',
      'removed api/pets/schema.gen.ts',
      'removed api/pets/server.gen.ts',
      ...['fixture', 'pets'].flatMap((name) =>
        ['README.md', 'package.json', 'src/index.gen.ts', 'src/schema.gen.ts', 'tsconfig.json'].map(
          (file) => `removed clients/${name}/${file}`,
        ),
      ),
    ]);
    // A build is not the generator's to delete.
    expect(await readFile(path.join(root, 'clients/pets/dist/index.gen.js'), 'utf8')).toBe('export {};\n');
    expect((await run('--check')).out).toEqual(['api/ is up to date (2 files)']);
  });
});

describe('bad specs and configs', () => {
  async function writeSpec(text: string) {
    await writeFile(path.join(root, 'oapi/pets.yaml'), text);
  }
  const info = "openapi: 3.0.3\ninfo: { title: t, version: '1' }\n";
  const ok = "responses: { '200': { description: ok } }";

  it.each([
    ['unparsable YAML', 'openapi: [3.0', /^openapi-gen: oapi\/pets\.yaml: invalid YAML: /],
    [
      'a missing operationId',
      `${info}paths:\n  /a:\n    get: { ${ok} }\n`,
      "openapi-gen: oapi/pets.yaml at paths['/a'].get: missing operationId",
    ],
    [
      'a duplicate operationId',
      `${info}paths:\n  /a:\n    get: { operationId: x, ${ok} }\n    put: { operationId: x, ${ok} }\n`,
      "openapi-gen: oapi/pets.yaml at paths['/a'].put.operationId: duplicate operationId 'x' (also used by GET /a)",
    ],
    [
      'a cookie parameter',
      `${info}paths:\n  /a:\n    get: { operationId: x, parameters: [{ name: s, in: cookie, schema: { type: string } }], ${ok} }\n`,
      `openapi-gen: oapi/pets.yaml at paths['/a'].get.parameters[0].in: unsupported parameter location "cookie" for 's' (supported: path, query, header)`,
    ],
    [
      'a $ref to a file that does not exist',
      `${info}paths:\n  /a:\n    get: { operationId: x, responses: { '200': { $ref: 'common/none.yaml#/Ok' } } }\n`,
      "openapi-gen: oapi/pets.yaml at paths['/a'].get.responses['200']: Can't resolve $ref: ENOENT: no such file or directory 'common/none.yaml'",
    ],
    [
      'a $ref to a component another file does not have',
      `${info}paths:\n  /a:\n    get: { operationId: x, responses: { '404': { $ref: 'common/errors.yaml#/components/responses/Gone' } } }\n`,
      "openapi-gen: oapi/pets.yaml at paths['/a'].get.responses['404']: Can't resolve $ref",
    ],
    [
      'a bad $ref inside a shared file, named by that file',
      `${info}paths:\n  /a:\n    get: { operationId: x, responses: { '404': { $ref: 'common/bad.yaml#/components/responses/Bad' } } }\n`,
      "openapi-gen: oapi/common/bad.yaml at components.responses.Bad.content['application/problem+json'].schema: Can't resolve $ref",
    ],
  ])('%s: one clear line naming file and place, exit 1', async (_name, spec, message) => {
    await writeFile(
      path.join(root, 'oapi/common/bad.yaml'),
      "components:\n  responses:\n    Bad:\n      description: b\n      content:\n        application/problem+json:\n          schema: { $ref: '#/components/schemas/Missing' }\n",
    );
    await writeSpec(spec);
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(message);
  });

  it('an unknown config key', async () => {
    await writeFile(path.join(root, 'oapi/codegen.yaml'), 'apis: []\nout: api\n');
    expect(await run()).toEqual({
      code: 1,
      out: [],
      err: ['openapi-gen: oapi/codegen.yaml at out: unknown config key (known: apis)'],
    });
  });

  it('a missing spec file', async () => {
    await rm(path.join(root, 'oapi/pets.yaml'));
    expect((await run()).err).toEqual(['openapi-gen: oapi/pets.yaml: cannot read the spec file']);
  });

  it.each([
    [
      'no package.json',
      undefined,
      'openapi-gen: package.json: cannot read the repository package (it names the client packages)',
    ],
    [
      'no name',
      '{ "devDependencies": { "openapi-fetch": "^0.17.0" } }',
      'openapi-gen: package.json at name: the client packages are named after it: it must be set',
    ],
    [
      'no openapi-fetch',
      '{ "name": "x" }',
      'openapi-gen: package.json at devDependencies: openapi-fetch must be a dependency: the clients use it',
    ],
  ])(
    'a repository package the clients cannot be made from (%s): one line, nothing written',
    async (_name, manifest, message) => {
      if (manifest === undefined) await rm(path.join(root, 'package.json'));
      else await writeFile(path.join(root, 'package.json'), manifest);
      await writeFile(path.join(root, 'api/pets/server.gen.ts'), '// stale\n');
      expect(await run()).toEqual({ code: 1, out: [], err: [message] });
      expect(await readFile(path.join(root, 'api/pets/server.gen.ts'), 'utf8')).toBe('// stale\n');
    },
  );

  it('an unknown argument exits 2 with usage', async () => {
    const result = await run('--chek');
    expect(result.code).toBe(2);
    expect(result.err[0]).toContain("unknown argument '--chek'");
  });

  it('as a real process: message on stderr, no stack trace, exit code 1, nothing written', async () => {
    await writeSpec(`${info}paths:\n  /a:\n    get: { ${ok} }\n`);
    const before = await readFile(path.join(root, 'api/pets/server.gen.ts'), 'utf8');
    const child = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--root', root], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe("openapi-gen: oapi/pets.yaml at paths['/a'].get: missing operationId\n");
    expect(await readFile(path.join(root, 'api/pets/server.gen.ts'), 'utf8')).toBe(before);
  });
});
