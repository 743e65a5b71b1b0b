import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { GenError } from './gen-error.ts';

export interface ApiConfig {
  /** Lower-case kebab name: the folder under api/ and the prefix of the generated identifiers. */
  readonly name: string;
  /** The spec file, relative to the config's folder (oapi/). */
  readonly spec: string;
  /**
   * Derive a missing operationId from the method and path instead of failing. For reference documents
   * we do not own (the Pix spec has none); our own specs always name their operations.
   */
  readonly deriveOperationIds: boolean;
  /**
   * Described for GET /docs only: a hand-registered endpoint (the OAuth token endpoint), whose
   * document is emitted but no server code or client.
   */
  readonly documentationOnly?: boolean;
}

export interface CodegenConfig {
  readonly apis: readonly ApiConfig[];
}

const API_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TOP_KEYS = new Set(['apis']);
const API_KEYS = new Set(['name', 'spec', 'deriveOperationIds', 'documentationOnly']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function loadCodegenConfig(configFile: string, displayName: string): Promise<CodegenConfig> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch {
    throw new GenError(displayName, undefined, 'cannot read the codegen config');
  }
  return parseCodegenConfig(text, displayName);
}

export function parseCodegenConfig(text: string, file: string): CodegenConfig {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    throw new GenError(file, undefined, `invalid YAML: ${document.errors[0]!.message.split('\n')[0]!}`);
  }
  const raw: unknown = document.toJS();
  if (raw === null || raw === undefined) return { apis: [] };
  if (!isRecord(raw)) throw new GenError(file, undefined, 'the config must be a mapping with an `apis` list');
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key)) throw new GenError(file, [key], `unknown config key (known: apis)`);
  }
  const apis = raw['apis'] ?? [];
  if (!Array.isArray(apis)) throw new GenError(file, ['apis'], 'must be a list');
  const seen = new Set<string>();
  const result = apis.map((entry: unknown, index): ApiConfig => {
    const at = ['apis', index];
    if (!isRecord(entry)) throw new GenError(file, at, 'must be a mapping with `name` and `spec`');
    for (const key of Object.keys(entry)) {
      if (!API_KEYS.has(key)) {
        throw new GenError(file, [...at, key], `unknown config key (known: ${[...API_KEYS].join(', ')})`);
      }
    }
    const { name, spec, deriveOperationIds = false, documentationOnly = false } = entry;
    if (typeof name !== 'string' || !API_NAME.test(name)) {
      throw new GenError(file, [...at, 'name'], 'must be a lower-case kebab-case name such as `profile`');
    }
    if (seen.has(name)) throw new GenError(file, [...at, 'name'], `duplicate API name '${name}'`);
    seen.add(name);
    if (
      typeof spec !== 'string' ||
      spec === '' ||
      path.isAbsolute(spec) ||
      spec.split(/[\\/]/).includes('..')
    ) {
      throw new GenError(file, [...at, 'spec'], 'must be a file path relative to the config folder');
    }
    if (typeof deriveOperationIds !== 'boolean') {
      throw new GenError(file, [...at, 'deriveOperationIds'], 'must be true or false');
    }
    if (typeof documentationOnly !== 'boolean') {
      throw new GenError(file, [...at, 'documentationOnly'], 'must be true or false');
    }
    return { name, spec, deriveOperationIds, ...(documentationOnly ? { documentationOnly } : {}) };
  });
  return { apis: result };
}
