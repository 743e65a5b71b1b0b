// `npm run bench`: the full-stack benchmark (bench/full-stack.ts), which rewrites docs/benchmarks.md;
// `npm run bench -- --quick` runs it as a smoke test. `npm run bench -- <name> [...]` runs the named
// benchmarks of bench/ instead, one after another, each in its own process, and says which failed.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT = 'full-stack';

const available = (await readdir(BENCH_DIR))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const args = process.argv.slice(2);
const flags = args.filter((arg) => arg.startsWith('--'));
const requested = args.filter((arg) => !arg.startsWith('--'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of requested.length > 0 ? requested : [DEFAULT]) {
  process.stdout.write(`\n== ${name}\n`);
  const code = await new Promise<number | null>((resolve) => {
    // `--conditions=source`: the typed clients of clients/ run from their sources (docs/extending.md).
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', `bench/${name}.ts`, ...flags],
      {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        stdio: 'inherit',
      },
    );
    child.on('exit', resolve);
  });
  if (code !== 0) failed.push(`${name} (exit ${code})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
