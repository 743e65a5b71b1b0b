import { readFile } from 'node:fs/promises';
import type { OpenAPI3 } from 'openapi-typescript';
import { parseDocument } from 'yaml';
import { bundleSpec } from './bundle-document.ts';
import { GenError } from './gen-error.ts';
import { resolvePointer } from './resolve-refs.ts';

export type OpenApiVersion = '3.0' | '3.1';

export interface LoadedDocument {
  /** How the file is named in messages and in the generated header: `oapi/profile.yaml`. */
  readonly file: string;
  readonly version: OpenApiVersion;
  readonly document: OpenAPI3;
}

/**
 * A spec file with its `$ref`s to other files (shared components in `oapi/common/`) bundled in, so
 * every later stage sees one document with local refs only.
 */
export async function loadDocument(specFile: string, displayName: string): Promise<LoadedDocument> {
  let text: string;
  try {
    text = await readFile(specFile, 'utf8');
  } catch {
    throw new GenError(displayName, undefined, 'cannot read the spec file');
  }
  // The spec itself is checked first, so its own YAML and version errors name it plainly.
  const { version } = readOpenApiDocument(text, displayName);
  const bundled = await bundleSpec(specFile, displayName);
  checkRefs(bundled, bundled, [], displayName);
  return { file: displayName, version, document: bundled as OpenAPI3 };
}

/** One document from text: its refs must all be local (`#/...`). */
export function parseOpenApiDocument(text: string, file: string): LoadedDocument {
  const { raw, version } = readOpenApiDocument(text, file);
  checkRefs(raw, raw, [], file);
  return { file, version, document: raw as OpenAPI3 };
}

function readOpenApiDocument(text: string, file: string): { raw: object; version: OpenApiVersion } {
  const parsed = parseDocument(text, { prettyErrors: false });
  if (parsed.errors.length > 0) {
    throw new GenError(file, undefined, `invalid YAML: ${parsed.errors[0]!.message.split('\n')[0]!}`);
  }
  const raw: unknown = parsed.toJS({ maxAliasCount: -1 });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GenError(file, undefined, 'not an OpenAPI document (expected a mapping at the top)');
  }
  const openapi = (raw as Record<string, unknown>)['openapi'];
  const version = typeof openapi === 'string' ? /^3\.([01])\.\d+$/.exec(openapi) : null;
  if (version === null) {
    throw new GenError(
      file,
      ['openapi'],
      `unsupported OpenAPI version ${JSON.stringify(openapi)} (3.0.x or 3.1.x)`,
    );
  }
  return { raw, version: version[1] === '0' ? '3.0' : '3.1' };
}

// Values under these keys are instance data, not spec objects: a `$ref` key there is just data.
const DATA_KEYS = new Set(['example', 'default', 'enum', 'const']);

function isDataKey(key: string, location: readonly (string | number)[]): boolean {
  const parent = location.at(-1);
  if (parent === 'properties' || parent === 'patternProperties') return false;
  return DATA_KEYS.has(key) || (key === 'value' && location.at(-2) === 'examples');
}

/**
 * Every `$ref` must be local and must resolve, so later stages can follow refs without checks (refs to
 * other files were bundled in by then).
 */
function checkRefs(root: unknown, value: unknown, location: (string | number)[], file: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkRefs(root, item, [...location, index], file));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const ref = (value as Record<string, unknown>)['$ref'];
  if (ref !== undefined) {
    const at = [...location, '$ref'];
    if (typeof ref !== 'string') throw new GenError(file, at, '$ref must be a string');
    if (!ref.startsWith('#')) {
      throw new GenError(file, at, `external $ref '${ref}' is not supported (only local '#/...' refs)`);
    }
    if (resolvePointer(root, ref) === undefined)
      throw new GenError(file, at, `$ref '${ref}' does not resolve`);
  }
  for (const [key, child] of Object.entries(value)) {
    if (!isDataKey(key, location)) checkRefs(root, child, [...location, key], file);
  }
}
