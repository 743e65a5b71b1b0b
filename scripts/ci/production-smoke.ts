// The production smoke: the runtime image's file list and command, reproduced outside a container.
// Builds, lays the runtime stage's copies into a fresh directory with `npm install --omit=dev` (so a
// runtime dependency or file that is missing fails here), migrates a new database on the CI
// PostgreSQL with `npm run db:migrate`, creates a client with `npm run clients`, starts the compiled
// service with NODE_ENV=production, waits for /readyz, gets a token, creates and reads a profile, and
// requires a clean exit 0 on SIGTERM: once for the image's command (node as the process itself) and
// once for `npm run start:prod` (signal to npm, no process left behind).
//
//   tsx scripts/ci/production-smoke.ts    (PostgreSQL from SMOKE_DATABASE_URL, default the local one)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { runtimeStage } from './dockerfile-rules.ts';

const ADMIN_URL = process.env.SMOKE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SHUTDOWN_TIMEOUT_MS = 10_000;
const READY_TIMEOUT_MS = 60_000;
/** The build stage's WORKDIR: where COPY --from=build finds the build's files. */
const STAGE_ROOT = '/app/';

function step(message: string): void {
  process.stdout.write(`production smoke: ${message}\n`);
}

function fail(message: string): never {
  throw new Error(`production smoke: ${message}`);
}

/** The runtime stage's file list: production dependencies installed, the rest copied. */
function layRuntime(dir: string): string[] {
  const { copies, command } = runtimeStage(readFileSync('Dockerfile', 'utf8'));
  for (const copy of copies) {
    if (copy.from === 'production-dependencies') continue;
    for (const source of copy.sources) {
      let from: string;
      if (copy.from === undefined) from = source;
      else if (copy.from === 'build' && source.startsWith(STAGE_ROOT)) from = source.slice(STAGE_ROOT.length);
      else fail(`cannot reproduce COPY --from=${copy.from} ${source}`);
      const target = copy.destination.endsWith('/')
        ? join(dir, copy.destination, from.split('/').at(-1)!)
        : join(dir, copy.destination);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(from, target, { recursive: true });
    }
  }
  if (copies.some((copy) => copy.from === 'production-dependencies')) {
    // As that stage installs them, in the fresh directory (no dev dependency can be there).
    step('npm install --omit=dev');
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  }
  return command;
}

function run(dir: string, env: NodeJS.ProcessEnv, args: string[]): string {
  return execFileSync('npm', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

interface Started {
  child: ChildProcess;
  baseUrl: Promise<string>;
  exit: Promise<number | null>;
}

/** Every service started, so a failure part-way still stops them. */
const running: ChildProcess[] = [];

function start(dir: string, env: NodeJS.ProcessEnv, command: string[]): Started {
  const [program = '', ...args] = command;
  const child = spawn(program, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  running.push(child);
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const baseUrl = new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffered += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (match) resolve(match[1]!);
    });
    void exit.then((code) => reject(new Error(`the service exited (${code}) before listening`)));
  });
  return { child, baseUrl, exit };
}

async function waitReady(baseUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
    if (response?.status === 200) return;
    await sleep(100);
  }
  fail(`/readyz not 200 within ${READY_TIMEOUT_MS} ms`);
}

async function json(response: Response, expected: number, what: string): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== expected) fail(`${what}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function exercise(baseUrl: string, client: { id: string; secret: string }): Promise<void> {
  const token = await json(
    await fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
    200,
    'token',
  );
  const auth = { authorization: `Bearer ${String(token.access_token)}` };
  const body = { name: 'Smoke Test', email: `${randomUUID()}@example.org`, age: 30 };
  const create = await fetch(`${baseUrl}/v1/profiles`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await json(create, 201, 'create profile');
  const location = create.headers.get('location') ?? fail('create profile: no Location');
  const read = await json(await fetch(`${baseUrl}${location}`, { headers: auth }), 200, 'read profile');
  const data = read.data as Record<string, unknown> | undefined;
  if (data?.email !== body.email) fail(`read profile: got ${JSON.stringify(read)}`);
  step(`token, create and read ${location}: ok`);
  const charge = {
    calendario: { expiracao: 3600 },
    valor: { original: '12.34' },
    chave: '7d9f0335-8dcc-4054-9bf9-0dbd61d36906',
  };
  const created = await json(
    await fetch(`${baseUrl}/v2/cob`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(charge),
    }),
    201,
    'create charge',
  );
  const txid = typeof created.txid === 'string' ? created.txid : fail('create charge: no txid');
  const readCharge = await json(
    await fetch(`${baseUrl}/v2/cob/${txid}`, { headers: auth }),
    200,
    'read charge',
  );
  const value = readCharge.valor as Record<string, unknown> | undefined;
  if (readCharge.status !== 'ATIVA' || value?.original !== charge.valor.original) {
    fail(`read charge: got ${JSON.stringify(readCharge)}`);
  }
  step(`create and read charge ${txid}: ok`);
}

async function stop(started: Started, signalTo: number): Promise<void> {
  const before = Date.now();
  process.kill(signalTo, 'SIGTERM');
  const code = await Promise.race([started.exit, sleep(SHUTDOWN_TIMEOUT_MS + 5_000).then(() => 'timeout')]);
  if (code === 'timeout') {
    started.child.kill('SIGKILL');
    fail('still running after SIGTERM and the shutdown bound');
  }
  if (code !== 0) fail(`exit code ${String(code)} after SIGTERM`);
  step(`SIGTERM: exit 0 after ${Date.now() - before} ms`);
}

/** Processes whose working directory is `dir`: what a signal must not leave behind. */
function processesIn(dir: string): number[] {
  return execFileSync('ps', ['-e', '-o', 'pid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => {
      if (!pid) return false;
      try {
        return execFileSync('readlink', [`/proc/${pid}/cwd`], { encoding: 'utf8' }).trim() === dir;
      } catch {
        return false;
      }
    });
}

async function main(): Promise<void> {
  step('npm run build');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'production-smoke-'));
  const database = `smoke_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const command = layRuntime(dir);
    const url = new URL(ADMIN_URL);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      POSTGRES_PRIMARY_HOST: url.hostname,
      POSTGRES_PRIMARY_PORT: url.port || '5432',
      POSTGRES_PRIMARY_USER: decodeURIComponent(url.username),
      POSTGRES_PRIMARY_PASSWORD: decodeURIComponent(url.password),
      POSTGRES_PRIMARY_DATABASE: database,
      HMAC_SECRET: randomBytes(48).toString('base64url'),
      AUTH_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      PIX_PAYLOAD_SIGNING_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      PIX_WEBHOOK_SIGNING_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
    };
    step(`npm run db:migrate (database ${database})`);
    run(dir, env, ['run', 'db:migrate']);
    const created = run(dir, env, [
      'run',
      '--silent',
      'clients',
      '--',
      'create',
      '--name',
      'smoke',
      '--scopes',
      'profile.read profile.write cob.read cob.write',
    ]);
    const client = {
      id: /client_id:\s+(\S+)/.exec(created)?.[1] ?? fail(`no client id in ${created}`),
      secret: /client_secret:\s+(\S+)/.exec(created)?.[1] ?? fail('no client secret'),
    };

    step(`the image's command: ${command.join(' ')}`);
    const startedAt = performance.now();
    const service = start(dir, env, command);
    const baseUrl = await service.baseUrl;
    await waitReady(baseUrl);
    step(`start-up to /readyz 200: ${Math.round(performance.now() - startedAt)} ms`);
    await exercise(baseUrl, client);
    await stop(service, service.child.pid!);

    step('npm run start:prod, SIGTERM to npm');
    const viaNpm = start(dir, env, ['npm', 'run', 'start:prod']);
    await waitReady(await viaNpm.baseUrl);
    await stop(viaNpm, viaNpm.child.pid!);
    const left = processesIn(dir);
    if (left.length > 0) fail(`processes left running in ${dir}: ${left.join(', ')}`);
    step('no process left behind');
  } finally {
    for (const pid of [...running.map((child) => child.pid), ...processesIn(dir)]) {
      try {
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
