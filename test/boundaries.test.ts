// Proves each import rule of .dependency-cruiser.cjs fails on a deliberate violation (the fixture
// tree), and that the allowed arrows stay allowed. `npm run lint` proves the real tree obeys them.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('fixtures/boundaries/', import.meta.url));

interface Violation {
  rule: string;
  from: string;
  to: string;
}

async function depcruise(...extra: string[]): Promise<{ stdout: string; exitCode: number }> {
  const args = ['src', 'api', 'clients', '--config', `${ROOT}.dependency-cruiser.cjs`, ...extra];
  try {
    const { stdout } = await run(`${ROOT}node_modules/.bin/depcruise`, args, {
      cwd: FIXTURE,
      maxBuffer: 16 << 20,
    });
    return { stdout, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout, exitCode: failed.code };
  }
}

/** The JSON report names each violation; the default report is what `npm run lint` runs and exits on. */
async function cruiseFixture(): Promise<{ violations: Violation[]; exitCode: number }> {
  const [json, lint] = await Promise.all([depcruise('--output-type', 'json'), depcruise()]);
  const result = JSON.parse(json.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return {
    exitCode: lint.exitCode,
    violations: result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
  };
}

let cruise: { violations: Violation[]; exitCode: number };
beforeAll(async () => {
  cruise = await cruiseFixture();
});

function violationsOf(rule: string): string[] {
  return cruise.violations.filter((violation) => violation.rule === rule).map((violation) => violation.from);
}

describe('import boundaries', () => {
  it('fail the lint step (non-zero exit) when violated', () => {
    expect(cruise.exitCode).not.toBe(0);
  });

  it.each([
    ['domain-is-pure', 'src/profile/domain/imports-npm.ts'],
    ['domain-is-pure', 'src/profile/domain/imports-adapter.ts'],
    ['http-adapter-arrows', 'src/profile/http/imports-db.ts'],
    ['persistence-adapter-arrows', 'src/profile/persistence/imports-api.ts'],
    ['no-cross-module', 'src/payment/domain/imports-other-module.ts'],
    ['module-reaches-server-only-for-its-shape', 'src/profile/imports-server.ts'],
    ['db-adapters-only-from-main', 'src/db/imports-adapter.ts'],
    ['api-only-from-http-and-server', 'src/profile/persistence/imports-api.ts'],
    ['platform-is-domain-free', 'src/platform/imports-server.ts'],
    ['server-knows-no-module', 'src/server/imports-module.ts'],
    ['db-ports-know-no-adapter', 'src/db/imports-adapter.ts'],
    ['no-circular', 'src/cycle-a.ts'],
    ['not-to-unresolvable', 'src/unresolvable.ts'],
    ['not-to-dev-dep', 'src/uses-dev-dependency.ts'],
    ['telemetry-only-from-composition-root', 'src/profile/http/imports-telemetry.ts'],
    ['clients-stand-alone', 'clients/profile/src/imports-service.ts'],
    ['clients-stand-alone', 'clients/profile/src/imports-other-client.ts'],
  ])('%s catches %s', (rule, file) => {
    expect(violationsOf(rule)).toContain(file);
  });

  it('allows what the architecture allows: an HTTP adapter using its domain and contract, a module factory returning the ServiceModule shape, main choosing an adapter', () => {
    const offenders = cruise.violations.map((violation) => violation.from);
    expect(offenders).not.toContain('src/profile/http/allowed.ts');
    expect(offenders).not.toContain('src/main.ts');
    expect(offenders).not.toContain('src/profile/profile-module.ts');
    expect(offenders).not.toContain('clients/profile/src/index.gen.ts');
  });

  it('covers every rule the configuration defines', () => {
    const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as {
      forbidden: { name: string }[];
    };
    const proven = new Set(cruise.violations.map((violation) => violation.rule));
    expect(config.forbidden.map((rule) => rule.name).filter((name) => !proven.has(name))).toEqual([]);
  });
});
