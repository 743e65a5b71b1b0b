// Rules every API listed in oapi/codegen.yaml must follow, so a new operation cannot slip in without
// security, with an ad-hoc error shape, or undocumented. Each document is checked as the generator
// sees it: with its refs to oapi/common/ bundled in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCodegenConfig } from '../scripts/openapi-gen/codegen-config.ts';
import { loadDocument } from '../scripts/openapi-gen/load-document.ts';

type Json = Record<string, unknown>;
const OAPI_DIR = new URL('../oapi/', import.meta.url);
// Formats whose values have a fixed or small length; any other string needs a maxLength.
const SELF_BOUNDED_FORMATS = new Set(['uuid', 'date', 'date-time']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const config = await loadCodegenConfig(fileURLToPath(new URL('codegen.yaml', OAPI_DIR)), 'oapi/codegen.yaml');
const documents = await Promise.all(
  config.apis
    .filter((api) => !api.documentationOnly)
    .map(async ({ spec }) => {
      const loaded = await loadDocument(fileURLToPath(new URL(spec, OAPI_DIR)), `oapi/${spec}`);
      return { file: spec, doc: loaded.document as unknown as Json };
    }),
);
// The shared RFC 9457 Problem, which every API answers errors with unless it declares its own dialect.
const SHARED_PROBLEM = (
  parse(readFileSync(new URL('common/problem.yaml', OAPI_DIR), 'utf8')) as {
    components: { schemas: { Problem: Json } };
  }
).components.schemas.Problem;

/**
 * The component schema a document's errors use: `Problem` (oapi/common/problem.yaml's), or the one named
 * by the document's `x-problem-dialect` (an API that must speak another problem shape, such as RFC 7807
 * with `violacoes`, declares it so).
 */
function problemSchemaName(doc: Json): string {
  const dialect = doc['x-problem-dialect'];
  return typeof dialect === 'string' ? dialect : 'Problem';
}

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

/** Each 4xx, 5xx and default response that is not `application/problem+json` of the document's problem schema. */
function problemResponseViolations(doc: Json): string[] {
  const expected = `#/components/schemas/${problemSchemaName(doc)}`;
  const problems: string[] = [];
  for (const { where, operation } of operationsOf(doc)) {
    for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>)) {
      if (!/^[45]/.test(status) && status !== 'default') continue;
      const content = (resolve(doc, response).content ?? {}) as Record<string, Json>;
      const types = Object.keys(content);
      if (types.length !== 1 || types[0] !== 'application/problem+json') {
        problems.push(`${where} ${status}: content is ${types.join(', ') || 'empty'}`);
        continue;
      }
      const schema = content['application/problem+json']!.schema as Json;
      if (schema.$ref !== expected) problems.push(`${where} ${status}: not ${expected}`);
    }
  }
  return problems;
}

describe('the problem response rule', () => {
  const problemJson = (schema: string) => ({
    description: 'e',
    content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  });
  const doc = (extra: Json, responses: Json): Json => ({
    ...extra,
    paths: { '/a': { get: { responses } } },
  });

  it('wants the shared Problem by default, and flags other shapes and media types', () => {
    expect(problemResponseViolations(doc({}, { '400': problemJson('Problem') }))).toEqual([]);
    expect(
      problemResponseViolations(
        doc(
          {},
          {
            '404': problemJson('PixProblem'),
            '500': { description: 'e', content: { 'application/json': {} } },
          },
        ),
      ),
    ).toEqual(['GET /a 404: not #/components/schemas/Problem', 'GET /a 500: content is application/json']);
  });

  it('wants the dialect a document declares with x-problem-dialect, and only it', () => {
    const dialect = { 'x-problem-dialect': 'PixProblem' };
    expect(problemResponseViolations(doc(dialect, { default: problemJson('PixProblem') }))).toEqual([]);
    expect(problemResponseViolations(doc(dialect, { '400': problemJson('Problem') }))).toEqual([
      'GET /a 400: not #/components/schemas/PixProblem',
    ]);
  });
});

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

  it('declares its problem schema: the shared Problem, or the existing dialect x-problem-dialect names', () => {
    const name = problemSchemaName(doc);
    const schema = ((doc.components as Json | undefined)?.schemas as Json | undefined)?.[name];
    if (name === 'Problem') expect(schema).toEqual(SHARED_PROBLEM);
    else expect(schema, `x-problem-dialect names components.schemas.${name}`).toBeTypeOf('object');
  });

  it('answers every 4xx and 5xx with an application/problem+json of its problem schema', () => {
    expect(problemResponseViolations(doc)).toEqual([]);
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
