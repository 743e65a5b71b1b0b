// The `npm run new:module` entry point; see cli.ts and docs/extending.md.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), process.cwd(), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
