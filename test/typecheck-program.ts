import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

export interface Diagnostic {
  readonly file: string;
  readonly code: number;
  readonly message: string;
}

/**
 * Type-checks the .ts files under `dir` with the project's compiler options (as `npm run typecheck`
 * would), so generated code is judged by the same rules as ours. `dir` gets a package.json that makes
 * it an ES module package, as the repository is.
 */
export async function typecheckFolder(dir: string, rootNames: readonly string[]): Promise<Diagnostic[]> {
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const configFile = ts.readConfigFile(path.resolve(import.meta.dirname, '../tsconfig.json'), (file) =>
    ts.sys.readFile(file),
  );
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const program = ts.createProgram(
    rootNames.map((name) => path.join(dir, name)),
    { ...options, types: [], noEmit: true },
  );
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
    file: diagnostic.file === undefined ? '' : path.relative(dir, diagnostic.file.fileName),
    code: diagnostic.code,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
}
