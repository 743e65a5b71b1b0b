import path from 'node:path';
import { GenError } from './gen-error.ts';
import { CLIENTS_DIR, generateAll, generateClients, OUTPUT_DIR, type GeneratedFile } from './generate.ts';
import { checkGenerated, type Ignored, writeGenerated } from './write-or-check.ts';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'usage: openapi-gen [--check] [--root <repository folder>]';

/** A client package's build, installed dependencies and packed tarballs are not generated. */
const CLIENT_BUILD_OUTPUTS: Ignored = (relative, isDirectory) => {
  const [, second] = relative.split('/');
  return (isDirectory && (second === 'dist' || second === 'node_modules')) || relative.endsWith('.tgz');
};

interface Output {
  /** The folder, relative to the repository. */
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
  readonly ignored?: Ignored;
}

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
  try {
    // Both computed before anything is written: a bad spec leaves every output as it was.
    const outputs: Output[] = [
      { dir: OUTPUT_DIR, files: await generateAll(root) },
      { dir: CLIENTS_DIR, files: await generateClients(root), ignored: CLIENT_BUILD_OUTPUTS },
    ];
    if (check) {
      let stale = false;
      for (const { dir, files, ignored } of outputs) {
        const problems = await checkGenerated(path.join(root, dir), files, ignored);
        for (const problem of problems) io.err(`${dir}/${problem.path}: ${problem.kind} (run npm run gen)`);
        if (problems.length > 0) stale = true;
        else if (files.length > 0 || dir === OUTPUT_DIR)
          io.out(`${dir}/ is up to date (${files.length} files)`);
      }
      return stale ? 1 : 0;
    }
    for (const { dir, files, ignored } of outputs) {
      const { written, removed } = await writeGenerated(path.join(root, dir), files, ignored);
      for (const file of written) io.out(`wrote ${dir}/${file}`);
      for (const file of removed) io.out(`removed ${dir}/${file}`);
      if (written.length === 0 && removed.length === 0 && (files.length > 0 || dir === OUTPUT_DIR))
        io.out(`${dir}/ is up to date (${files.length} files)`);
    }
    return 0;
  } catch (error) {
    if (error instanceof GenError) {
      io.err(`openapi-gen: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
