// The real service (src/main.ts through the telemetry preload, as `npm start` runs it) in a child
// process, for tests of what only a whole process shows: instrumentation, exporters, logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicAuthorization, TEST_AUTH_ENV, TEST_CLIENT } from '../support/test-auth.ts';
import { TEST_PAYMENT_ENV } from '../support/test-payment.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PRELOAD = join(REPO_ROOT, 'src/telemetry/register.ts');

/** A module specifier resolved from the repository, so a child in another directory finds it. */
function resolved(specifier: string): string {
  return specifier.startsWith('.') || specifier.startsWith('/') ? specifier : import.meta.resolve(specifier);
}

function nodeArgs(options: ServiceOptions): string[] {
  return [
    '--import',
    resolved('tsx'),
    ...(options.imports ?? []).flatMap((each) => ['--import', resolved(each)]),
    ...(options.withoutPreload ? [] : ['--import', PRELOAD]),
    options.script ?? join(REPO_ROOT, 'src/main.ts'),
    ...(options.args ?? []),
  ];
}

export interface ServiceOptions {
  env?: Record<string, string>;
  /** `--import` flags before the service's own preload (an agent, for instance). */
  imports?: string[];
  /** Leave out the service's preload. */
  withoutPreload?: boolean;
  /** The script to run; src/main.ts by default. */
  script?: string;
  /** Arguments for the script. */
  args?: string[];
  /** Printed when ready; the server's listening line by default. */
  readyLine?: string;
}

export interface ServiceProcess {
  readonly url: string;
  readonly port: number;
  /** Every stdout line so far, parsed when it is JSON. */
  logLines(): Record<string, unknown>[];
  output(): string;
  stop(): Promise<number | null>;
  /** Ends it with SIGKILL: no shutdown at all, as a crash or the OOM killer would. */
  kill(): Promise<void>;
  /** `Bearer <token>` of the test client (TEST_AUTH_ENV), for the Profile API's secured operations. */
  authorization(): Promise<string>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a child process: this one's, less anything that configures telemetry. */
export function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('OTEL_') || name.startsWith('TELEMETRY_')) continue;
    if (name.startsWith('POSTGRES_') || name.startsWith('AUTH_') || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return env;
}

export async function startService(options: ServiceOptions = {}): Promise<ServiceProcess> {
  const port = await freePort();
  // Its own working directory: no developer's .env is read, and the embedded database lands here.
  const workDir = mkdtempSync(join(tmpdir(), 'service-process-'));
  const child = spawn(process.execPath, nodeArgs(options), {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...cleanEnvironment(),
      HOST: '127.0.0.1',
      PORT: String(port),
      MIGRATIONS_DIR: join(REPO_ROOT, 'migrations'),
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      // A start-up on a busy machine can block the event loop past the shedding bound, and these
      // tests are about telemetry, not overload: a shed token request would fail them for nothing.
      LOAD_SHEDDING_ENABLED: 'false',
      ...TEST_AUTH_ENV,
      ...TEST_PAYMENT_ENV,
      ...options.env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const service: ServiceProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => stop(child, workDir),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(workDir, { recursive: true, force: true });
    },
    authorization: async () => {
      const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(TEST_CLIENT),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      if (response.status !== 200) throw new Error(`token request failed: ${await response.text()}`);
      return `Bearer ${((await response.json()) as { access_token: string }).access_token}`;
    },
  };
  const readyLine = options.readyLine ?? 'Server listening at';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready within 60 s:\n${output}`)), 60_000);
      const check = (): void => {
        if (!output.includes(readyLine)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop(child, workDir);
    throw error;
  }
  return service;
}

/** Runs a process to its end (for starts that must fail). */
export async function runToExit(options: ServiceOptions): Promise<{ code: number | null; output: string }> {
  const workDir = mkdtempSync(join(tmpdir(), 'service-process-'));
  const child = spawn(process.execPath, nodeArgs(options), {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...cleanEnvironment(), ...options.env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  rmSync(workDir, { recursive: true, force: true });
  return { code, output };
}

async function stop(child: ChildProcess, workDir: string): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(workDir, { recursive: true, force: true });
  return child.exitCode;
}
