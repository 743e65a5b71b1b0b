import openapiTS, { astToString } from 'openapi-typescript';
import { GenError } from './gen-error.ts';
import { generatedHeader } from './generated-header.ts';
import type { LoadedDocument } from './load-document.ts';
import { identifierProblem, pascalCase } from './naming.ts';

/**
 * schema.gen.ts: openapi-typescript's `paths`, `components` and `operations` types, plus one named
 * alias per component schema (`export type Profile = components['schemas']['Profile'];`).
 */
export async function emitSchemaTypes(loaded: LoadedDocument): Promise<string> {
  let body: string;
  try {
    // openapi-typescript may annotate what it is given; it gets a copy.
    const ast = await openapiTS(structuredClone(loaded.document), { silent: true });
    body = astToString(ast);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new GenError(loaded.file, undefined, `openapi-typescript rejected the document: ${reason}`);
  }
  return `${generatedHeader(loaded.file)}\n\n${body}\n${aliases(loaded).join('\n')}\n`;
}

function aliases(loaded: LoadedDocument): string[] {
  const schemas = loaded.document.components?.schemas ?? {};
  const seen = new Map<string, string>();
  return Object.keys(schemas).map((name) => {
    const at = ['components', 'schemas', name];
    const problem = identifierProblem(name);
    if (problem !== undefined)
      throw new GenError(loaded.file, at, `schema name cannot become a type name: ${problem}`);
    const alias = pascalCase(name);
    const other = seen.get(alias);
    if (other !== undefined) {
      throw new GenError(
        loaded.file,
        at,
        `schema name '${name}' and '${other}' both become the type name '${alias}'`,
      );
    }
    seen.set(alias, name);
    return `export type ${alias} = components['schemas'][${JSON.stringify(name)}];`;
  });
}
