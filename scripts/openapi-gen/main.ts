// The `npm run gen` / `npm run gen:check` entry point: OpenAPI specs in oapi/ -> TypeScript in api/.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), process.cwd(), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
