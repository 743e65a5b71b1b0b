import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A node process started for a test; `stop` ends it (by its pid) and waits for it to exit. */
export interface TestProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Runs a TypeScript file in a new node process and resolves once it prints `readyLine`. */
export async function startTypeScriptProcess(
  file: string,
  args: string[],
  readyLine: string,
): Promise<TestProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const handle = wrap(child);
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(readyLine)) {
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    });
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** The pid of a process that has already exited. */
export async function pidOfFinishedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  if (child.pid === undefined) {
    throw new Error('the process did not start');
  }
  return child.pid;
}

/** A process that only sleeps, to stand for some other live program. */
export function startSleepingProcess(): TestProcess {
  return wrap(spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' }));
}

function wrap(child: ChildProcess): TestProcess {
  if (child.pid === undefined) {
    throw new Error('the process did not start');
  }
  const { pid } = child;
  return {
    pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        process.kill(pid, 'SIGTERM');
        await exited;
      }
    },
  };
}
