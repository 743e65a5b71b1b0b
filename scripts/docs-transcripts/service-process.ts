// The service as `npm start` runs it (tsx, the telemetry preload, src/main.ts), on the embedded
// database in a throwaway directory and a free loopback port, with a bootstrap client whose
// credentials the transcripts use.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningService {
  /** http://127.0.0.1:<port> */
  url: string;
  client: { id: string; secret: string };
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export async function startService(root: string): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'docs-transcripts-'));
  const client = { id: 'docs-walkthrough', secret: randomBytes(32).toString('base64url') };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './src/telemetry/register.ts', 'src/main.ts'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        AUTH_BOOTSTRAP_CLIENT_ID: client.id,
        AUTH_BOOTSTRAP_CLIENT_SECRET: client.secret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const url = await listeningUrl(child);
    return { url, client, stop: () => stop(child).finally(cleanUp) };
  } catch (error) {
    await stop(child).finally(cleanUp);
    throw error;
  }
}

/** The address from the service's "Server listening at" log line. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the service did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${String(code)}) before listening:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
