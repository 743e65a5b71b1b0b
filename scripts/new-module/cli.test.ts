// The command on a copy of the repository's files it reads and edits: what it writes and prints,
// its refusals (nothing written, exit 1), its usage errors (exit 2), and that deleting what it made
// and its registration lines gives back the repository as it was.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli as runCodegen } from '../openapi-gen/cli.ts';
import { runCli } from './cli.ts';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const COPIED = [
  'oapi',
  'api',
  'clients',
  'package.json',
  'migrations',
  'src/app.ts',
  'src/service-catalog.ts',
  '.prettierrc.json',
];
const NOW = new Date('2030-01-02T03:04:05Z');
// Names no repository is likely to hold already: the CI scaffold check runs this test in a copy
// that has just made an `inventory` module.

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'new-module-'));
  for (const entry of COPIED)
    await cp(path.join(REPOSITORY, entry), path.join(root, entry), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, '--root', root],
    REPOSITORY,
    {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    },
    { now: NOW },
  );
  return { code, out, err };
}

/** Every file under root, with its content. */
async function tree(dir = root): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, file), await readFile(file, 'utf8'));
  }
  return files;
}

describe('npm run new:module', () => {
  it('writes the module, registers it in three files and generates its API', async () => {
    const { code, out, err } = await run('scaffoldtest', '--resource', 'gizmo');
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const files = await tree();
    for (const file of [
      'oapi/scaffoldtest.yaml',
      'migrations/20300102030405_create_gizmos.sql',
      'src/scaffoldtest/scaffoldtest-module.ts',
      'src/scaffoldtest/domain/gizmo-service.ts',
      'src/scaffoldtest/http/scaffoldtest-handlers.ts',
      'src/scaffoldtest/persistence/sql-gizmo-store.ts',
      'src/scaffoldtest/http/scaffoldtest-access.test.ts',
      'src/scaffoldtest/http/scaffoldtest-fuzz.test.ts',
      'test/support/scaffoldtest-client.ts',
      'docs/scaffoldtest-api.md',
      'api/scaffoldtest/server.gen.ts',
    ]) {
      expect(files.has(file), file).toBe(true);
    }
    const created = out.filter((line) => line.startsWith('  created ')).map((line) => line.slice(9).trim());
    expect(created).toHaveLength(22);
    for (const file of created) expect(files.get(file), file).not.toMatch(/__[A-Za-z][A-Za-z_]*?__/);
    expect(files.get('oapi/scaffoldtest.yaml')).toContain('/v1/gizmos/{id}:');
    expect(files.get('oapi/scaffoldtest.yaml')).toContain(
      'scaffoldtest.write: Create, replace and delete gizmos.',
    );
    expect(files.get('oapi/codegen.yaml')).toContain('  - { name: scaffoldtest, spec: scaffoldtest.yaml }');
    expect(files.get('src/app.ts')).toContain('    createScaffoldtestModule(moduleSettings, moduleDeps),');
    expect(files.get('src/service-catalog.ts')).toContain(
      "import { scaffoldtestModuleCatalog } from './scaffoldtest/scaffoldtest-catalog.ts';",
    );
    expect(out).toContain('  registered src/service-catalog.ts: scaffoldtestModuleCatalog,');
    expect(out).toContain('  wrote api/scaffoldtest/server.gen.ts');
  });

  it('dates its migration after every existing one', async () => {
    const { code } = await run('scaffoldtest', '--resource', 'gizmo');
    expect(code).toBe(0);
    expect((await run('scaffoldtwo', '--resource', 'gadget')).code).toBe(0);
    const migrations = (await readdir(path.join(root, 'migrations'))).sort();
    expect(migrations.slice(-2)).toEqual([
      '20300102030405_create_gizmos.sql',
      '20300102030406_create_gadgets.sql',
    ]);
  });

  it('is undone by deleting what it made and its registration lines', async () => {
    const before = await tree();
    const { code, out } = await run('scaffoldtest', '--resource', 'gizmo');
    expect(code).toBe(0);
    for (const line of out.filter((each) => each.startsWith('  created '))) {
      await rm(path.join(root, line.replace('  created ', '').trim()));
    }
    await rm(path.join(root, 'api/scaffoldtest'), { recursive: true });
    await rm(path.join(root, 'clients/scaffoldtest'), { recursive: true, force: true });
    for (const line of out.filter((each) => each.startsWith('  registered '))) {
      const [, file, added] = /^ {2}registered (\S+): (.*)$/.exec(line)!;
      const text = await readFile(path.join(root, file!), 'utf8');
      await writeFile(
        path.join(root, file!),
        text
          .split('\n')
          .filter((each) => each.trim() !== added)
          .join('\n'),
      );
    }
    // api/documents.gen.ts, the index of every API's document, is generated: npm run gen puts it back.
    await runCodegen(['--root', root], REPOSITORY, { out: () => {}, err: () => {} });
    const after = await tree();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, content] of before) expect(after.get(file), file).toBe(content);
  });

  it.each([
    [['profile'], "oapi/codegen.yaml already lists an API named 'profile'"],
    [['people', '--resource', 'profile'], 'already has the path /v1/profiles'],
    [['cob'], 'already uses the scopes cob.read/cob.write'],
    [['server'], "module name 'server' is a reserved word"],
    [['Stock-Items'], 'must be 2 to 20 characters'],
    [['scaffoldtest', '--resource', 'date'], "resource name 'date' is a reserved word"],
  ])('refuses %j with exit 1, writing nothing', async (args, reason) => {
    const before = await tree();
    const { code, err } = await run(...args);
    expect(code).toBe(1);
    expect(err.join('\n')).toContain(reason);
    expect(err.at(-1)).toBe('new:module: nothing was written');
    expect(await tree()).toEqual(before);
  });

  it('refuses to overwrite a file that exists, writing nothing', async () => {
    await writeFile(path.join(root, 'oapi/scaffoldtest.yaml'), 'mine\n');
    const before = await tree();
    const { code, err } = await run('scaffoldtest', '--resource', 'gizmo');
    expect(code).toBe(1);
    expect(err).toContain('new:module: refusing to overwrite: oapi/scaffoldtest.yaml already exists');
    expect(await tree()).toEqual(before);
  });

  it('refuses when a registration marker is gone, naming it', async () => {
    const app = path.join(root, 'src/app.ts');
    await writeFile(app, (await readFile(app, 'utf8')).replace(/^.*adds one factory call.*$/m, ''));
    const { code, err } = await run('scaffoldtest');
    expect(code).toBe(1);
    expect(err.join('\n')).toContain("src/app.ts has no line '// npm run new:module adds one factory call");
    expect((await tree()).has('oapi/scaffoldtest.yaml')).toBe(false);
  });

  it.each([[[]], [['scaffoldtest', '--resource']], [['scaffoldtest', '--colour', 'red']], [['a1', 'b1']]])(
    'answers usage errors %j with exit 2 and the usage',
    async (args) => {
      const { code, err } = await run(...args);
      expect(code).toBe(2);
      expect(err.join('\n')).toContain('usage: npm run new:module -- <name>');
    },
  );
});
