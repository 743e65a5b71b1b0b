// `npm run bench`: runs the benchmarks (every bench/<name>.ts) one after another, each in its own
// process, and says which failed. `npm run bench -- http-throughput` runs the named ones only.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

const available = (await readdir(BENCH_DIR))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of requested.length > 0 ? requested : available) {
  process.stdout.write(`\n== ${name}\n`);
  const code = await new Promise<number | null>((resolve) => {
    // `--conditions=source`: the typed clients of clients/ run from their sources (docs/extending.md).
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', `bench/${name}.ts`], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      stdio: 'inherit',
    });
    child.on('exit', resolve);
  });
  if (code !== 0) failed.push(`${name} (exit ${code})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
