// What the process table says about a directory's servers, read from /proc: tests use it to prove
// that a PostgreSQL started for them is gone, and that nothing else was stopped.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Every process whose working directory lies in `dir`: PostgreSQL servers run inside their data dir. */
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or a zombie: neither holds the directory
    }
  }
  return found;
}

/** Running, that is: neither gone nor a zombie waiting to be reaped. */
export function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
