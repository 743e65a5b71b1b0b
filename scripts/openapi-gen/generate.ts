import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCodegenConfig, type ApiConfig } from './codegen-config.ts';
import { clientScope, emitClient, type ClientPackageSettings } from './emit-client.ts';
import { collectOperations } from './collect-operations.ts';
import { collectSecuritySchemes } from './collect-security-schemes.ts';
import { DOCUMENTS_INDEX_FILE, emitDocument, emitDocumentsIndex } from './emit-document.ts';
import { emitOperationRoute, OPERATION_ROUTE_FILE } from './emit-operation-route.ts';
import { emitSchemaTypes } from './emit-schema-types.ts';
import { emitServer } from './emit-server.ts';
import { collectSharedSchemas } from './shared-schemas.ts';
import { formatCode } from './format-code.ts';
import { GenError } from './gen-error.ts';
import { loadDocument, type LoadedDocument } from './load-document.ts';

export const CONFIG_FILE = 'oapi/codegen.yaml';
export const OUTPUT_DIR = 'api';
export const CLIENTS_DIR = 'clients';
const PACKAGE_FILE = 'package.json';

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

/**
 * Everything `npm run gen` writes under clients/: one package per API that has server code (not the
 * documentation-only ones), named after the repository's package.json.
 */
export async function generateClients(repoRoot: string): Promise<GeneratedFile[]> {
  const config = await loadCodegenConfig(path.join(repoRoot, CONFIG_FILE), CONFIG_FILE);
  const apis = config.apis.filter((api) => !api.documentationOnly);
  if (apis.length === 0) return [];
  const settings = await clientPackageSettings(repoRoot);
  const files: GeneratedFile[] = [];
  for (const api of apis) {
    const specName = path.posix.join('oapi', api.spec);
    const loaded = await loadDocument(path.join(repoRoot, 'oapi', api.spec), specName);
    for (const file of emitClient(loaded, api, await emitSchemaTypes(loaded), settings)) {
      files.push({ path: `${api.name}/${file.path}`, content: await formatCode(file.content, file.parser) });
    }
  }
  return files;
}

/** The clients' scope and openapi-fetch version, from the repository's package.json. */
async function clientPackageSettings(repoRoot: string): Promise<ClientPackageSettings> {
  let manifest: {
    name?: unknown;
    dependencies?: Record<string, unknown>;
    devDependencies?: Record<string, unknown>;
  };
  try {
    manifest = JSON.parse(await readFile(path.join(repoRoot, PACKAGE_FILE), 'utf8')) as typeof manifest;
  } catch {
    throw new GenError(
      PACKAGE_FILE,
      undefined,
      'cannot read the repository package (it names the client packages)',
    );
  }
  if (typeof manifest.name !== 'string' || manifest.name === '') {
    throw new GenError(PACKAGE_FILE, ['name'], 'the client packages are named after it: it must be set');
  }
  const range = manifest.dependencies?.['openapi-fetch'] ?? manifest.devDependencies?.['openapi-fetch'];
  if (typeof range !== 'string') {
    throw new GenError(
      PACKAGE_FILE,
      ['devDependencies'],
      'openapi-fetch must be a dependency: the clients use it',
    );
  }
  return { scope: clientScope(manifest.name), openapiFetchRange: range };
}
