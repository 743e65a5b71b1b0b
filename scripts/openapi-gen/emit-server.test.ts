import { describe, expect, it } from 'vitest';
import { collectOperations } from './collect-operations.ts';
import { emitServer } from './emit-server.ts';
import { parseOpenApiDocument } from './load-document.ts';

function server(responses: string): string {
  const loaded = parseOpenApiDocument(
    `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /a:
    get:
      operationId: getA
      responses:
${responses}`,
    'oapi/a.yaml',
  );
  return emitServer({
    source: loaded.file,
    apiName: 'a-api',
    operations: collectOperations(loaded, { deriveOperationIds: false }),
    securitySchemes: {},
  });
}

describe('emitServer response statuses', () => {
  it('turns a range into its registered codes minus those declared on their own', () => {
    const code = server(
      `        '200': { description: ok }\n        '404': { description: gone }\n        4XX: { description: bad }`,
    );
    expect(code).toContain('status: Exclude<ClientErrorStatusCode, 404>;');
    expect(code).toContain(
      `import type { ClientErrorStatusCode, OperationRoute, SecurityScheme } from '../operation-route.gen.ts';`,
    );
  });

  it('turns default into every registered code not declared explicitly or by a range', () => {
    const code = server(
      `        '200': { description: ok }\n        5XX: { description: down }\n        default: { description: other }`,
    );
    const match = /status: Exclude<HttpStatusCode, ([\d |]+)>;/.exec(code);
    const excluded = match![1]!.split(' | ').map(Number);
    expect(excluded).toContain(200);
    expect(excluded).toContain(503);
    expect(excluded).not.toContain(404);
    expect(excluded).toHaveLength(1 + 11);
  });

  it('names the API types after the config name', () => {
    const code = server(`        '204': { description: ok }`);
    expect(code).toContain('export interface AApiHandlers<Context> {');
    expect(code).toContain('export const aApiOperations = [');
    expect(code).toContain('export const aApiSecuritySchemes = {}');
    expect(code).not.toContain('HttpStatusCode');
  });
});
