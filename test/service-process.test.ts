// The service as a real process, the way `npm start` runs it: configuration errors, start on the
// embedded database, and graceful shutdown with a request in flight.
import { createProfileClient } from '@node-backend-template/profile-client';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'service-process-'));
// Its own directory, so the first start there is the one that makes the development client.
const embeddedDir = mkdtempSync(join(tmpdir(), 'service-process-embedded-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

interface Service {
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** The first line whose message contains `message` (and whose JSON contains `detail`, if given). */
  waitForLog(message: string, detail?: string): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

function spawnService(env: Record<string, string>): ChildProcess {
  // As `npm start` runs it: tsx, the telemetry preload, then the service.
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './src/telemetry/register.ts', 'src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

const started: ChildProcess[] = [];
// A test that fails mid-way leaves its service running, holding the embedded database's lock.
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
});

async function startService(env: Record<string, string> = {}): Promise<Service> {
  const child = spawnService({ DATA_DIR: embeddedDir, PORT: '0', LOG_LEVEL: 'info', ...env });
  started.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    matches: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  let stderr = '';
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const text of complete) {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.matches(line))) waiter.resolve(line);
    }
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLog = (message: string, detail = '') =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const matches = (line: Record<string, unknown>) =>
        String(line.msg).includes(message) && JSON.stringify(line).includes(detail);
      const seen = lines.find(matches);
      if (seen) return resolve(seen);
      waiters.push({ matches, resolve });
      void exit.then((code) => reject(new Error(`exited (${code}) before logging "${message}": ${stderr}`)));
    });
  const listening = await waitForLog('Server listening at');
  const port = Number(/:(\d+)$/.exec(String(listening.msg))![1]);
  return { child, port, lines, stderr: () => stderr, waitForLog, exit };
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The error of the first refused connection within about two seconds, or the last socket opened. */
async function refusedSoon(port: number): Promise<unknown> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      (await openSocket(port)).destroy();
    } catch (error) {
      // A connection queued just before the listener closed is reset rather than refused.
      if ((error as { code?: string }).code !== 'ECONNRESET') return error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return openSocket(port);
}

function readAll(socket: Socket): Promise<string> {
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  return once(socket, 'close').then(() => data);
}

describe('configuration errors', () => {
  it('exit 1 with one message naming every bad variable, and no stack trace', async () => {
    const child = spawnService({
      PORT: 'eighty',
      HTTP_REQUEST_TIMEOUT: 'soon',
      POSTGRES_REPLICA_1_HOST: 'r',
    });
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration (3 problems)');
    expect(stderr).toContain('PORT: must be an integer');
    expect(stderr).toContain('HTTP_REQUEST_TIMEOUT: must be a duration');
    expect(stderr).toContain('POSTGRES_REPLICA_1_HOST: replicas need a primary');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('names a malformed AUTH_SIGNING_KEY in the same message as the rest, without the key or a stack', async () => {
    const child = spawnService({
      PORT: 'eighty',
      POSTGRES_PRIMARY_HOST: '127.0.0.1',
      HMAC_SECRET: 'x'.repeat(48),
      AUTH_SIGNING_KEY: 'not-a-key-at-all',
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration (2 problems)');
    expect(stderr).toContain('PORT: must be an integer');
    expect(stderr).toContain('AUTH_SIGNING_KEY: is neither a PKCS#8 PEM private key nor a private JWK');
    expect(stderr).not.toContain('not-a-key-at-all');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('start failures', () => {
  it('exit 1 with a fatal log line when the port is taken, releasing the database', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    try {
      const child = spawnService({ DATA_DIR: dataDir, PORT: String(port) });
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      const fatal = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { code?: string } })
        .find((line) => line.level === 60);
      expect(fatal).toMatchObject({ msg: 'failed to start', err: { code: 'EADDRINUSE' } });
    } finally {
      blocker.close();
    }
  });
});

/**
 * The development client's credentials as printed on stderr, each `export` a line of its own with
 * nothing around it (so the whole line pastes into a shell); undefined when there is none.
 */
function printedClient(stderr: string): { id: string; secret: string } | undefined {
  const id = /^export CLIENT_ID=([A-Za-z0-9._~-]+)$/m.exec(stderr)?.[1];
  const secret = /^export CLIENT_SECRET=([A-Za-z0-9._~-]+)$/m.exec(stderr)?.[1];
  return id && secret ? { id, secret } : undefined;
}

async function tokenFrom(port: number, client: { id: string; secret: string }): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('embedded start and graceful shutdown', () => {
  let token = '';

  it('makes a development client on the first start only, and prints its secret that once', async () => {
    const first = await startService();
    const client = printedClient(first.stderr());
    expect(client, first.stderr()).toBeDefined();
    expect(JSON.stringify(first.lines)).not.toContain(client!.secret);
    const profiles = createProfileClient(`http://127.0.0.1:${first.port}`, {
      token: await tokenFrom(first.port, client!),
    });
    const created = await profiles.POST('/v1/profiles', {
      body: { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com` },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const read = await profiles.GET('/v1/profiles/{id}', { params: { path: { id: created.data!.data.id } } });
    expect(read.data?.data.name).toBe('Ada Lovelace');
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = await startService();
    expect(printedClient(second.stderr())).toBeUndefined();
    token = await tokenFrom(second.port, client!);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    // Two starts of the embedded database, each migrating it: slow on a busy machine.
  }, 120_000);

  it('serves on the embedded database, then finishes an in-flight request on SIGTERM and exits 0', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT: '20s', LOG_LEVEL: 'debug' });
    const health = await fetch(`http://127.0.0.1:${service.port}/healthz`);
    expect(health.status).toBe(200);

    // A request whose body is still arriving when the signal comes: it is in flight.
    const body = JSON.stringify({ name: 'Grace Hopper', email: `grace-${Date.now()}@example.com` });
    const socket = await openSocket(service.port);
    const response = readAll(socket);
    socket.write(
      `POST /v1/profiles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer ${token}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Signal only once the server has taken the request in; before that it is not yet in flight.
    await service.waitForLog('incoming request', '"method":"POST"');
    service.child.kill('SIGTERM');
    await service.waitForLog('shutting down');

    // New connections are refused once shutdown has begun. The log line is written just before the
    // listener closes, so a connection racing it may still be accepted by the kernel: retry briefly.
    await expect(refusedSoon(service.port)).resolves.toMatchObject({ code: 'ECONNREFUSED' });

    socket.end(body.slice(10));
    // readAll resolves when the server closes the connection after answering.
    const raw = await response;
    expect(raw, raw).toMatch(/^HTTP\/1\.1 201 Created/);
    expect(await service.exit).toBe(0);
  });

  it('exits anyway, non-zero, when a request outlives SHUTDOWN_TIMEOUT', async () => {
    const service = await startService({ SHUTDOWN_TIMEOUT: '1s', LOG_LEVEL: 'debug' });
    const socket = await openSocket(service.port);
    socket.on('error', () => {});
    socket.write(
      'POST /v1/profiles HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${token}\r\nContent-Length: 100\r\n\r\n{`,
    );
    await service.waitForLog('incoming request', '"method":"POST"');
    service.child.kill('SIGTERM');
    const code = await service.exit;
    socket.destroy();
    expect(code).not.toBe(0);
    expect(service.stderr() + JSON.stringify(service.lines)).toMatch(/timeout|timed out/i);
  });
});
