import path from 'node:path';
import { loadCodegenConfig, type ApiConfig } from './codegen-config.ts';
import { collectOperations } from './collect-operations.ts';
import { collectSecuritySchemes } from './collect-security-schemes.ts';
import { DOCUMENTS_INDEX_FILE, emitDocument, emitDocumentsIndex } from './emit-document.ts';
import { emitOperationRoute, OPERATION_ROUTE_FILE } from './emit-operation-route.ts';
import { emitSchemaTypes } from './emit-schema-types.ts';
import { emitServer } from './emit-server.ts';
import { collectSharedSchemas } from './shared-schemas.ts';
import { formatCode } from './format-code.ts';
import { loadDocument, type LoadedDocument } from './load-document.ts';

export const CONFIG_FILE = 'oapi/codegen.yaml';
export const OUTPUT_DIR = 'api';

/** A generated file: its path relative to the output folder (posix separators) and its content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Everything `npm run gen` writes under api/, computed in memory. */
export async function generateAll(repoRoot: string): Promise<GeneratedFile[]> {
  const config = await loadCodegenConfig(path.join(repoRoot, CONFIG_FILE), CONFIG_FILE);
  const files: GeneratedFile[] = [];
  files.push({ path: OPERATION_ROUTE_FILE, content: await formatCode(emitOperationRoute(CONFIG_FILE)) });
  for (const api of config.apis) {
    const specName = path.posix.join('oapi', api.spec);
    const loaded = await loadDocument(path.join(repoRoot, 'oapi', api.spec), specName);
    for (const file of await generateApi(loaded, api)) {
      files.push({ path: `${api.name}/${file.path}`, content: await formatCode(file.content) });
    }
  }
  const index = emitDocumentsIndex(
    CONFIG_FILE,
    config.apis.map((api) => api.name),
  );
  files.push({ path: DOCUMENTS_INDEX_FILE, content: await formatCode(index) });
  return files;
}

/** The unformatted files of one API, relative to its folder api/<name>/. */
export async function generateApi(loaded: LoadedDocument, api: ApiConfig): Promise<GeneratedFile[]> {
  const document = { path: 'document.gen.ts', content: emitDocument(loaded, api.name) };
  if (api.documentationOnly) return [document];
  const operations = collectOperations(loaded, { deriveOperationIds: api.deriveOperationIds });
  const securitySchemes = collectSecuritySchemes(loaded);
  return [
    { path: 'schema.gen.ts', content: await emitSchemaTypes(loaded) },
    {
      path: 'server.gen.ts',
      content: emitServer({
        source: loaded.file,
        apiName: api.name,
        operations,
        securitySchemes,
        sharedSchemas: collectSharedSchemas(loaded),
      }),
    },
    document,
  ];
}
