// The official `{webhookUrl}/pix` callback body (WebhookPixBody of the Pix API document), as a
// validator the webhook tests check every notification against.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parseOpenApiDocument } from '../../scripts/openapi-gen/load-document.ts';
import { derefSchema } from '../../scripts/openapi-gen/resolve-refs.ts';
import { toJsonSchema } from '../../scripts/openapi-gen/to-json-schema.ts';
import { strictAjv } from '../strict-ajv.ts';
import { PIX_DOCUMENT } from './pix-conformance.ts';

let validator: ValidateFunction | undefined;

/** Throws naming what is wrong unless `body` is a callback body the document allows. */
export function expectValidPixCallback(body: string): void {
  validator ??= compile();
  const parsed: unknown = JSON.parse(body);
  if (!validator(parsed)) {
    const reasons = (validator.errors ?? []).map(
      (error) => `${error.instancePath || '(root)'} ${error.message}`,
    );
    throw new Error(`not a WebhookPixBody of ${PIX_DOCUMENT}: ${reasons.join('; ')}\n${body}`);
  }
}

function compile(): ValidateFunction {
  const text = readFileSync(path.resolve(import.meta.dirname, '../..', PIX_DOCUMENT), 'utf8');
  const loaded = parseOpenApiDocument(text, PIX_DOCUMENT);
  const at = ['components', 'requestBodies', 'WebhookPixBody', 'content', 'application/json', 'schema'];
  const schema = at.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded.document);
  const ajv = strictAjv({
    allErrors: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictRequired: false,
  });
  return ajv.compile(
    toJsonSchema(derefSchema(loaded.document, schema, at, loaded.file), 'request', loaded.version),
  );
}
