// Each client package of clients/ as a consumer gets it: `npm pack` (which builds it), the tarball
// installed in a fresh project, imported and used from TypeScript that must type-check (and must not,
// where a call breaks the contract), then run against a fetch that answers like the service.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENTS = ['profile', 'payment', 'payment-sandbox'];

const scratch = mkdtempSync(join(tmpdir(), 'client-packages-'));
const consumer = join(scratch, 'consumer');
const tarballs: Record<string, string> = {};
const packedFiles: Record<string, string[]> = {};

// What a consumer writes. Every call is checked against the contract; each @ts-expect-error line
// must fail to compile, or tsc reports the directive as unused.
const USE_TS = `
import { createProfileClient, type Profile, type ProfileProblem } from '@node-backend-template/profile-client';
import { createPaymentClient, type PaymentProblem } from '@node-backend-template/payment-client';
import { createPaymentSandboxClient } from '@node-backend-template/payment-sandbox-client';

export async function use(baseUrl: string, token: string): Promise<void> {
  const profiles = createProfileClient(baseUrl, { token, headers: { 'x-request-id': 'consumer' } });
  const { data, error } = await profiles.GET('/v1/profiles/{id}', { params: { path: { id: 'x' } } });
  if (data) {
    const profile: Profile = data.data;
    const email: string = profile.email;
    void email;
  }
  if (error) {
    const problem: ProfileProblem = error;
    const status: number = problem.status;
    void status;
  }
  await profiles.POST('/v1/profiles', { body: { name: 'Ada Lovelace', email: 'ada@example.com' } });
  // @ts-expect-error a path the contract does not have
  await profiles.GET('/v1/nothing');
  // @ts-expect-error the path parameter is required
  await profiles.GET('/v1/profiles/{id}', { params: { path: {} } });
  // @ts-expect-error the body misses the required email
  await profiles.POST('/v1/profiles', { body: { name: 'Ada Lovelace' } });

  const payments = createPaymentClient(baseUrl, { token: async () => token });
  const charge = await payments.GET('/v2/cob/{txid}', { params: { path: { txid: 'a'.repeat(26) } } });
  if (charge.error) {
    const problem: PaymentProblem = charge.error;
    const violations = problem.violacoes?.map((violation) => violation.propriedade);
    void violations;
  }
  // @ts-expect-error a Pix problem has no invalidParams (that is the Profile API's problem)
  void charge.error?.invalidParams;

  const sandbox = createPaymentSandboxClient(baseUrl, { token });
  await sandbox.POST('/v2/sandbox/cob/{txid}/pagamento', { params: { path: { txid: 'a'.repeat(26) } }, body: {} });
}
`;

// The built packages at run time: a fetch that answers like the service shows the token, the
// headers and the typed problem reaching the caller.
const RUN_MJS = `
import { createProfileClient } from '@node-backend-template/profile-client';
import { createPaymentClient } from '@node-backend-template/payment-client';
import { createPaymentSandboxClient } from '@node-backend-template/payment-sandbox-client';

const seen = [];
const fetch = async (request) => {
  seen.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization') });
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }), {
    status: 404,
    headers: { 'content-type': 'application/problem+json' },
  });
};
const profiles = createProfileClient('http://127.0.0.1:8080', { token: 't1', fetch });
const missing = await profiles.GET('/v1/profiles/{id}', { params: { path: { id: 'abc' } } });
const payments = createPaymentClient('http://127.0.0.1:8080', { token: async () => 't2', fetch });
await payments.GET('/v2/cob/{txid}', { params: { path: { txid: 'T'.repeat(26) } } });
const sandbox = createPaymentSandboxClient('http://127.0.0.1:8080', { fetch });
await sandbox.POST('/v2/sandbox/cob/{txid}/pagamento', { params: { path: { txid: 'T'.repeat(26) } } });
console.log(JSON.stringify({ seen, data: missing.data ?? null, error: missing.error, status: missing.response.status }));
`;

beforeAll(async () => {
  for (const name of CLIENTS) {
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--workspace', `clients/${name}`, '--pack-destination', scratch],
      { cwd: ROOT, maxBuffer: 16 << 20 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarballs[name] = join(scratch, packed!.filename);
    packedFiles[name] = packed!.files.map((file) => file.path).sort();
  }
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The tarballs' only dependency, openapi-fetch, is in npm's cache after the repository's install.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...Object.values(tarballs)], {
    cwd: consumer,
  });
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: [],
        strict: true,
        noEmit: true,
      },
      include: ['use.ts'],
    }),
  );
  writeFileSync(join(consumer, 'use.ts'), USE_TS);
  writeFileSync(join(consumer, 'run.mjs'), RUN_MJS);
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the client packages', () => {
  it.each(CLIENTS)('%s packs its build and manifest only (no sources, no tests)', (name) => {
    expect(packedFiles[name]).toEqual([
      'README.md',
      'dist/index.gen.d.ts',
      'dist/index.gen.js',
      'dist/schema.gen.d.ts',
      'dist/schema.gen.js',
      'package.json',
    ]);
  });

  it('installs from the tarballs with openapi-fetch as their one dependency', () => {
    expect(readdirSync(join(consumer, 'node_modules/@node-backend-template')).sort()).toEqual(
      CLIENTS.map((name) => `${name}-client`).sort(),
    );
    expect(readdirSync(join(consumer, 'node_modules'))).toContain('openapi-fetch');
  });

  it("type-checks a consumer's use, and refuses calls the contracts do not allow", async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], {
      cwd: consumer,
    }).catch((error: { stdout: string; code: number }) => error);
    expect(result.stdout).toBe('');
  }, 180_000);

  it('runs: sends the token (a string or a function) and gives the problem as the typed error', async () => {
    const { stdout } = await run(process.execPath, ['run.mjs'], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({
      seen: [
        { method: 'GET', url: 'http://127.0.0.1:8080/v1/profiles/abc', authorization: 'Bearer t1' },
        { method: 'GET', url: `http://127.0.0.1:8080/v2/cob/${'T'.repeat(26)}`, authorization: 'Bearer t2' },
        {
          method: 'POST',
          url: `http://127.0.0.1:8080/v2/sandbox/cob/${'T'.repeat(26)}/pagamento`,
          authorization: null,
        },
      ],
      data: null,
      error: { type: 'about:blank', title: 'Not Found', status: 404 },
      status: 404,
    });
  });
});
