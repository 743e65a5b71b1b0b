import { GenError } from './gen-error.ts';
import type { LoadedDocument } from './load-document.ts';
import { followRef } from './resolve-refs.ts';

type Json = Record<string, unknown>;

/** The plain-data view of a security scheme the server needs to enforce it (descriptions left out). */
export interface SecuritySchemeModel {
  readonly type: string;
  readonly scheme?: string;
  readonly bearerFormat?: string;
  readonly name?: string;
  readonly in?: string;
  readonly openIdConnectUrl?: string;
  readonly flows?: Record<string, FlowModel>;
}

interface FlowModel {
  readonly authorizationUrl?: string;
  readonly tokenUrl?: string;
  readonly refreshUrl?: string;
  readonly scopes: Record<string, string>;
}

const TYPES = new Set(['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickStrings(source: Json, keys: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of keys) {
    if (typeof source[key] === 'string') result[key] = source[key];
  }
  return result;
}

export function collectSecuritySchemes(loaded: LoadedDocument): Record<string, SecuritySchemeModel> {
  const { file } = loaded;
  const schemes: unknown = loaded.document.components?.securitySchemes ?? {};
  if (!isRecord(schemes)) throw new GenError(file, ['components', 'securitySchemes'], 'must be a mapping');
  const result: Record<string, SecuritySchemeModel> = {};
  for (const [name, raw] of Object.entries(schemes)) {
    const { value: scheme, location } = followRef<Json>(
      loaded.document,
      raw,
      ['components', 'securitySchemes', name],
      file,
    );
    const type = scheme['type'];
    if (typeof type !== 'string' || !TYPES.has(type)) {
      throw new GenError(file, [...location, 'type'], `unknown security scheme type ${JSON.stringify(type)}`);
    }
    const model: { -readonly [K in keyof SecuritySchemeModel]: SecuritySchemeModel[K] } = {
      type,
      ...pickStrings(scheme, ['scheme', 'bearerFormat', 'name', 'in', 'openIdConnectUrl']),
    };
    const flows = scheme['flows'];
    if (isRecord(flows)) {
      model.flows = {};
      for (const [flowName, flow] of Object.entries(flows)) {
        if (!isRecord(flow)) continue;
        const scopes = isRecord(flow['scopes']) ? flow['scopes'] : {};
        model.flows[flowName] = {
          ...pickStrings(flow, ['authorizationUrl', 'tokenUrl', 'refreshUrl']),
          scopes: pickStrings(scopes, Object.keys(scopes)),
        };
      }
    }
    result[name] = model;
  }
  return result;
}
