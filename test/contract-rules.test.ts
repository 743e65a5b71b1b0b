// Rules every OpenAPI document in oapi/ must follow, so a new operation cannot slip in without
// security, with an ad-hoc error shape, or undocumented.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;
const OAPI_DIR = new URL('../oapi/', import.meta.url);
// Formats whose values have a fixed or small length; any other string needs a maxLength.
const SELF_BOUNDED_FORMATS = new Set(['uuid', 'date', 'date-time']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const documents = readdirSync(OAPI_DIR)
  .filter((file) => /\.ya?ml$/.test(file) && file !== 'codegen.yaml')
  .map((file) => ({ file, doc: parse(readFileSync(new URL(file, OAPI_DIR), 'utf8')) as Json }));

function resolve(doc: Json, node: unknown): Json {
  let current = node as Json;
  while (current && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce<unknown>((value, key) => (value as Json)[key], doc) as Json;
  }
  return current;
}

function operationsOf(doc: Json) {
  const result: { where: string; operation: Json }[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      if (item[method])
        result.push({ where: `${method.toUpperCase()} ${path}`, operation: item[method] as Json });
    }
  }
  return result;
}

/** Every schema property in the document, with where it sits, for the description rule. */
function propertiesOf(doc: Json): { where: string; schema: Json }[] {
  const found: { where: string; schema: Json }[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const schema = node as Json;
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      found.push({ where: `${where}.${name}`, schema: property });
    }
    for (const [key, value] of Object.entries(schema)) visit(value, `${where}.${key}`);
  };
  visit(doc.components, 'components');
  visit(doc.paths, 'paths');
  return found;
}

describe.each(documents)('oapi/$file', ({ doc }) => {
  it('has at least one operation', () => {
    expect(operationsOf(doc).length).toBeGreaterThan(0);
  });

  it('gives every operation an operationId', () => {
    const missing = operationsOf(doc).filter(({ operation }) => typeof operation.operationId !== 'string');
    expect(missing.map(({ where }) => where)).toEqual([]);
  });

  it('gives every operation security with scopes from its schemes (its own or the document default)', () => {
    const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Record<string, Json>;
    const problems: string[] = [];
    for (const { where, operation } of operationsOf(doc)) {
      // An operation's own `security: []` is a deliberate decision to leave it open; anything else
      // must name a requirement (its own or the document's).
      if (Array.isArray(operation.security) && operation.security.length === 0) continue;
      const security = (operation.security ?? doc.security) as Record<string, string[]>[] | undefined;
      if (!security || security.length === 0) {
        problems.push(`${where}: no security requirement`);
        continue;
      }
      const responses = (operation.responses ?? {}) as Json;
      for (const status of ['401', '403']) {
        if (!(status in responses)) problems.push(`${where}: secured but declares no ${status} response`);
      }
      for (const requirement of security) {
        for (const [name, scopes] of Object.entries(requirement)) {
          const scheme = schemes[name];
          if (!scheme) problems.push(`${where}: unknown security scheme ${name}`);
          if (scopes.length === 0) problems.push(`${where}: ${name} requires no scope`);
          const declared = Object.values((scheme?.flows ?? {}) as Record<string, Json>).flatMap((flow) =>
            Object.keys((flow.scopes ?? {}) as Json),
          );
          for (const scope of scopes)
            if (!declared.includes(scope)) problems.push(`${where}: undeclared scope ${scope}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers every 4xx and 5xx with an application/problem+json Problem', () => {
    const problems: string[] = [];
    for (const { where, operation } of operationsOf(doc)) {
      for (const [status, response] of Object.entries(
        (operation.responses ?? {}) as Record<string, unknown>,
      )) {
        if (!/^[45]/.test(status) && status !== 'default') continue;
        const content = (resolve(doc, response).content ?? {}) as Record<string, Json>;
        const types = Object.keys(content);
        if (types.length !== 1 || types[0] !== 'application/problem+json') {
          problems.push(`${where} ${status}: content is ${types.join(', ') || 'empty'}`);
          continue;
        }
        const schema = content['application/problem+json']!.schema as Json;
        if (schema.$ref !== '#/components/schemas/Problem')
          problems.push(`${where} ${status}: not the Problem schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes every property', () => {
    const undescribed = propertiesOf(doc)
      .filter(({ schema }) => typeof resolve(doc, schema).description !== 'string')
      .map(({ where }) => where);
    expect(undescribed).toEqual([]);
  });

  it('bounds every string, array and number a client sends (page sizes included)', () => {
    const unbounded: string[] = [];
    const seen = new Set<unknown>();
    const visit = (node: unknown, where: string, inResponse: boolean): void => {
      if (!node || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      const schema = resolve(doc, node);
      // Only what clients send needs a bound: responses are ours.
      if (
        !inResponse &&
        schema.type === 'string' &&
        schema.maxLength === undefined &&
        !schema.enum &&
        !SELF_BOUNDED_FORMATS.has(schema.format as string)
      ) {
        unbounded.push(where);
      }
      if (!inResponse && schema.type === 'array' && schema.maxItems === undefined) unbounded.push(where);
      if (
        !inResponse &&
        (schema.type === 'integer' || schema.type === 'number') &&
        (schema.maximum === undefined || schema.minimum === undefined)
      ) {
        unbounded.push(`${where} (minimum and maximum)`);
      }
      for (const [key, value] of Object.entries(schema)) {
        visit(value, `${where}.${key}`, inResponse || key === 'responses');
      }
    };
    for (const { where, operation } of operationsOf(doc)) {
      for (const parameter of (operation.parameters ?? []) as unknown[])
        visit(resolve(doc, parameter), where, false);
      const body = operation.requestBody ? resolve(doc, operation.requestBody) : undefined;
      for (const media of Object.values((body?.content ?? {}) as Record<string, Json>)) {
        visit(resolve(doc, media.schema), `${where} body`, false);
      }
    }
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      for (const parameter of (item.parameters ?? []) as unknown[])
        visit(resolve(doc, parameter), path, false);
    }
    expect(unbounded).toEqual([]);
  });
});
