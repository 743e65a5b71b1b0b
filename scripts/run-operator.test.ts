// The operator launcher behind `npm run clients` and `npm run db:migrate`. Its compiled path (no tsx,
// dist/ present) runs in CI's production smoke; here the other outcomes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'scripts', 'run-operator.js');
const bare = mkdtempSync(join(tmpdir(), 'run-operator-'));
afterAll(() => rmSync(bare, { recursive: true, force: true }));

function run(launcher: string, args: string[], cwd = ROOT) {
  return spawnSync(process.execPath, [launcher, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: join(bare, 'data') },
  });
}

describe('run-operator', () => {
  it('names the commands on an unknown one, exit 2', () => {
    const result = run(LAUNCHER, ['drop-everything']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: node scripts/run-operator.js <clients|db-migrate|webhooks>');
  });

  it('runs the command from the sources in a development checkout, passing its arguments', () => {
    const result = run(LAUNCHER, ['clients', 'frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('clients: unknown command "frobnicate"');
  });

  it('asks for a build when neither the sources nor dist/ are there', () => {
    mkdirSync(join(bare, 'scripts'));
    copyFileSync(LAUNCHER, join(bare, 'scripts', 'run-operator.js'));
    const result = run(join(bare, 'scripts', 'run-operator.js'), ['db-migrate'], bare);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /db-migrate: .*dist\/scripts\/db-migrate\.js is missing; run npm run build first/,
    );
  });
});
