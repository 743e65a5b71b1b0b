// A container runtime (or a terminal) sends SIGTERM to the process it started: for `npm start`
// that is npm. The signal must reach the service, which shuts down within SHUTDOWN_TIMEOUT, and
// nothing may be left running. (`npm run start:prod` gets the same proof in CI's production smoke.)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { isLive } from './support/process-table.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 3_000;
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-signals-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The process and all its descendants, from /proc's parent links. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

it('SIGTERM to `npm start` ends the service within the shutdown bound, leaving no process', async () => {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`,
      OTEL_SDK_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = once(npm, 'exit');
  let output = '';
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const listening = new Promise<void>((resolve) => {
    npm.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Server listening at')) resolve();
    });
  });
  await Promise.race([listening, exit.then(() => Promise.reject(new Error(`npm start exited:\n${output}`)))]);

  const tree = descendantsOf(npm.pid!);
  expect(tree.length).toBeGreaterThan(0);
  const sentAt = Date.now();
  npm.kill('SIGTERM');
  const [code] = await exit;
  expect(Date.now() - sentAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
  expect(code).toBe(0);
  expect(output).toContain('shutting down');
  // Give the kernel a moment to reap, then nothing of the tree may still run.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(tree.filter(isLive)).toEqual([]);
}, 90_000);
