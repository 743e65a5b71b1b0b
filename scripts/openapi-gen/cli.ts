import path from 'node:path';
import { GenError } from './gen-error.ts';
import { generateAll, OUTPUT_DIR } from './generate.ts';
import { checkGenerated, writeGenerated } from './write-or-check.ts';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'usage: openapi-gen [--check] [--root <repository folder>]';

/** `npm run gen` and `npm run gen:check`; returns the exit code. */
export async function runCli(args: readonly string[], cwd: string, io: CliIo): Promise<number> {
  let check = false;
  let root = cwd;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--check') check = true;
    else if (arg === '--root' && args[i + 1] !== undefined) root = path.resolve(cwd, args[++i]!);
    else {
      io.err(`openapi-gen: unknown argument '${arg}'\n${USAGE}`);
      return 2;
    }
  }
  const outDir = path.join(root, OUTPUT_DIR);
  try {
    const files = await generateAll(root);
    if (check) {
      const problems = await checkGenerated(outDir, files);
      for (const problem of problems) {
        io.err(`${OUTPUT_DIR}/${problem.path}: ${problem.kind} (run npm run gen)`);
      }
      if (problems.length > 0) return 1;
      io.out(`${OUTPUT_DIR}/ is up to date (${files.length} files)`);
      return 0;
    }
    const { written, removed } = await writeGenerated(outDir, files);
    for (const file of written) io.out(`wrote ${OUTPUT_DIR}/${file}`);
    for (const file of removed) io.out(`removed ${OUTPUT_DIR}/${file}`);
    if (written.length === 0 && removed.length === 0)
      io.out(`${OUTPUT_DIR}/ is up to date (${files.length} files)`);
    return 0;
  } catch (error) {
    if (error instanceof GenError) {
      io.err(`openapi-gen: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
