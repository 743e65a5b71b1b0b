// Content negotiation from the contract, before anything reads the body: 415 for a body of a media
// type the operation does not accept (a charset other than UTF-8 included, RFC 8259 8.1), 415 with
// Accept-Encoding for a content coding the service does not decode (RFC 9110 15.5.16), 400 for a
// required body that is missing, 406 when the client accepts none of the media types the operation
// produces.
import accepts from 'accepts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationRoute } from '../../api/operation-route.gen.ts';
import { problemFor, sendProblem } from './problem-reply.ts';

export function mediaTypeGuard(operation: OperationRoute) {
  const produces = successMediaTypes(operation);
  const consumes = operation.requestContentTypes;

  return async function guardMediaTypes(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (consumes.length > 0) {
      if (!hasBody(request)) {
        if (operation.requestBodyRequired) {
          await sendProblem(
            reply,
            problemFor(request, { status: 400, detail: 'This operation requires a request body.' }),
          );
          return;
        }
      } else {
        const coding = contentCodingOf(request.headers['content-encoding']);
        if (coding !== undefined) {
          reply.header('Accept-Encoding', 'identity');
          await sendProblem(
            reply,
            problemFor(request, {
              status: 415,
              detail: `Send the body without a content coding, not ${shown(coding)}.`,
            }),
          );
          return;
        }
        const charset = charsetOf(request.headers['content-type']);
        if (charset !== undefined && charset !== 'utf-8') {
          await sendProblem(
            reply,
            problemFor(request, {
              status: 415,
              detail: `Send the body in UTF-8 (charset=utf-8 or no charset), not charset=${shown(charset)}.`,
            }),
          );
          return;
        }
        const mediaType = mediaTypeOf(request.headers['content-type']);
        if (!consumes.includes(mediaType)) {
          if (operation.method === 'PATCH') reply.header('Accept-Patch', consumes.join(', '));
          if (operation.method === 'POST') reply.header('Accept-Post', consumes.join(', '));
          await sendProblem(
            reply,
            problemFor(request, {
              status: 415,
              detail: `Send the body as ${consumes.join(' or ')}${mediaType ? `, not ${mediaType}` : ''}.`,
            }),
          );
          return;
        }
      }
    }
    if (produces.length > 0 && request.headers.accept !== undefined) {
      if (accepts(request.raw).type(produces) === false) {
        await sendProblem(
          reply,
          problemFor(request, {
            status: 406,
            detail: `This operation produces ${produces.join(', ')}.`,
          }),
        );
      }
    }
  };
}

function successMediaTypes(operation: OperationRoute): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(operation.responses)) {
    if (status.startsWith('2')) for (const type of response.contentTypes) types.add(type);
  }
  return [...types];
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The parameter's value, lowercased and unquoted; undefined without one. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  if (!match) return undefined;
  const charset = (match[1] ?? match[2] ?? '').toLowerCase();
  return charset === 'utf8' ? 'utf-8' : charset;
}

/** The codings applied to the body, other than `identity`; undefined when there are none. */
function contentCodingOf(contentEncoding: string | undefined): string | undefined {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  return codings.length > 0 ? codings.join(', ') : undefined;
}

/** A header token as it may appear in a problem: short and plain, or not at all. */
function shown(token: string): string {
  return /^[a-z0-9._:+, -]{1,40}$/i.test(token) ? token : 'the one sent';
}
