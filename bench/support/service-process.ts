// Starts a server process: the compiled service as it is deployed (`node --import
// ./dist/src/telemetry/register.js dist/src/main.js`, as `npm run start:prod`), a variant of it or
// the baseline; times it from spawn to the first /readyz 200, and reads its resident set size from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceProcess {
  name: string;
  baseUrl: string;
  pid: number;
  /** From spawn to the first /readyz 200. */
  startupMs: number;
  /** Resident set size now, in bytes (VmRSS). */
  rssBytes(): number;
  /** SIGTERM, as a platform stops it, and the exit awaited. */
  stop(): Promise<void>;
}

export interface ServiceStart {
  name: string;
  /** node's arguments: options, then the script (deployed: TELEMETRY_PRELOAD and dist/src/main.js). */
  nodeArgs: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr go here (the service's JSON logs). */
  logFile: string;
  readyTimeoutMs?: number;
}

/** How `npm run start:prod` runs the compiled service. */
export const DEPLOYED_NODE_ARGS = [
  '--max-semi-space-size=16',
  '--max-old-space-size=256',
  '--import',
  './dist/src/telemetry/register.js',
  'dist/src/main.js',
];

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export async function startService(start: ServiceStart): Promise<ServiceProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = openSync(start.logFile, 'a');
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, start.nodeArgs, {
    cwd: start.cwd,
    env: { ...start.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      resolve();
    }),
  );

  const deadline = began + (start.readyTimeoutMs ?? 180_000);
  let startupMs: number | undefined;
  while (startupMs === undefined) {
    if (exited !== undefined) {
      throw new Error(`${start.name} exited (${exited}) before it was ready; its log: ${start.logFile}`);
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${start.name} was not ready in time; its log: ${start.logFile}`);
    }
    const status = await fetch(`${baseUrl}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) startupMs = performance.now() - began;
    else await sleep(5);
  }

  const pid = child.pid!;
  return {
    name: start.name,
    baseUrl,
    pid,
    startupMs,
    rssBytes: () => residentSetBytes(pid),
    stop: async () => {
      if (exited === undefined) child.kill('SIGTERM');
      await exit;
    },
  };
}

function residentSetBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kilobytes === undefined ? Number.NaN : Number(kilobytes) * 1024;
}

/** A client-credentials token from the service's own POST /oauth/token. */
export async function fetchToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`POST /oauth/token answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
