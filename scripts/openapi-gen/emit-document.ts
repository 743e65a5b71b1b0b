// The bundled contract as data, for what serves it at run time (GET /docs): the server cannot read
// oapi/ (a build ships without it) nor bundle (the bundler is a development dependency).
import type { LoadedDocument } from './load-document.ts';
import { generatedHeader } from './generated-header.ts';
import { camelCase } from './naming.ts';

export const DOCUMENTS_INDEX_FILE = 'documents.gen.ts';

export function documentExportName(apiName: string): string {
  return `${camelCase(apiName)}Document`;
}

/** api/<name>/document.gen.ts: the document with every ref to oapi/common/ bundled in. */
export function emitDocument(loaded: LoadedDocument, apiName: string): string {
  return `${generatedHeader(loaded.file)}

/** The bundled OpenAPI document of ${loaded.file}. */
export const ${documentExportName(apiName)}: Readonly<Record<string, unknown>> = ${JSON.stringify(loaded.document)};
`;
}

/** api/documents.gen.ts: every configured document by API name (registrations are named alike). */
export function emitDocumentsIndex(configFile: string, apiNames: readonly string[]): string {
  const imports = apiNames.map(
    (name) => `import { ${documentExportName(name)} } from './${name}/document.gen.ts';`,
  );
  const entries = apiNames.map((name) => `  '${name}': ${documentExportName(name)},`);
  return `${generatedHeader(configFile)}
${imports.join('\n')}

/** The bundled OpenAPI document of every API in ${configFile}, by its name there. */
export const apiDocuments: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
${entries.join('\n')}
};
`;
}
