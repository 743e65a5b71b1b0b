// One JSON body parser for application/json and the structured-syntax JSON media types the contracts
// use (RFC 7396 merge patch and any other `+json`). It decodes UTF-8 strictly (RFC 8259 8.1): a
// lenient decoder would store U+FFFD in place of the bytes the client sent. Keys that could
// poison prototypes (`__proto__`, `constructor.prototype`) are refused by name, as what they are:
// valid JSON this service will not take.
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

/** A body error the error handler turns into a 400 problem; `code` tells which. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
  readonly code: 'BODY_EMPTY' | 'BODY_NOT_UTF8' | 'BODY_NOT_JSON' | 'BODY_FORBIDDEN_KEY';

  constructor(code: JsonBodyError['code'], message: string) {
    super(message);
    this.name = 'JsonBodyError';
    this.code = code;
  }
}

const STRUCTURED_JSON_MEDIA_TYPES = /^application\/[a-z0-9.+-]+\+json\s*(;|$)/i;
/** Only a body naming one of these words, or a \u escape that could spell one, needs the scan. */
const MAY_NAME_A_PROTOTYPE = /__proto__|constructor|\\u/;

export function registerJsonParsers(app: FastifyInstance): void {
  const parser = (
    _request: unknown,
    body: string | Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
  app.addContentTypeParser(STRUCTURED_JSON_MEDIA_TYPES, { parseAs: 'buffer' }, parser);
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new JsonBodyError('BODY_EMPTY', 'The request body is empty.');
  let text: string;
  try {
    // fatal: invalid sequences throw; the default (ignoreBOM false) drops a leading BOM.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new JsonBodyError('BODY_NOT_UTF8', 'The request body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonBodyError('BODY_NOT_JSON', 'The request body is not valid JSON.');
  }
  if (value !== null && typeof value === 'object' && MAY_NAME_A_PROTOTYPE.test(text)) {
    try {
      secureJson.scan(value, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      throw new JsonBodyError(
        'BODY_FORBIDDEN_KEY',
        'The request body is valid JSON but uses a key this service refuses: "__proto__", or ' +
          '"constructor" holding "prototype".',
      );
    }
  }
  return value;
}
