// POST /oauth/token (RFC 6749 4.4, client credentials) and GET /.well-known/jwks.json. Registered
// by hand rather than generated: the codegen handles JSON bodies only, and RFC 6749 fixes both the
// form-encoded request and its own error shape (5.2), which is not a problem document.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenRequestError, type TokenErrorCode } from '../domain/client-errors.ts';
import { parseScopeList } from '../domain/oauth-client.ts';
import type { TokenIssuer } from '../domain/token-issuer.ts';
import { readClientCredentials } from './client-authentication.ts';

export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** A token request is a few short parameters. */
const TOKEN_BODY_LIMIT_BYTES = 8 * 1024;
const KNOWN_PARAMETERS = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;

type TokenParameters = Partial<Record<(typeof KNOWN_PARAMETERS)[number], string>>;

export interface AuthRoutesDeps {
  /** Absent in external identity provider mode: tokens come from that provider. */
  issuer?: TokenIssuer;
  /** The published public keys; absent with an external provider. */
  jwks?: { keys: readonly object[] };
}

export interface AuthRoutes {
  routes: readonly { method: string; url: string }[];
  register: (app: FastifyInstance) => Promise<void>;
}

export function createAuthRoutes(deps: AuthRoutesDeps): AuthRoutes {
  const { issuer, jwks } = deps;
  return {
    routes: [
      ...(issuer ? [{ method: 'POST', url: TOKEN_PATH }] : []),
      ...(jwks ? [{ method: 'GET', url: JWKS_PATH }] : []),
    ],
    async register(app) {
      if (jwks) {
        app.get(JWKS_PATH, async (_request, reply) =>
          reply.header('cache-control', 'public, max-age=300').send({ keys: jwks.keys }),
        );
      }
      if (issuer) await app.register(tokenEndpoint(issuer));
    },
  };
}

/** Its own encapsulated context, so the form parser exists for this route only. */
function tokenEndpoint(issuer: TokenIssuer) {
  return async (app: FastifyInstance) => {
    await app.register(formbody, { bodyLimit: TOKEN_BODY_LIMIT_BYTES });
    // Any other media type reaches the handler as text, to be refused in RFC 6749's own error shape.
    app.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    app.post(TOKEN_PATH, { bodyLimit: TOKEN_BODY_LIMIT_BYTES }, async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      let viaBasic = false;
      try {
        const parameters = readParameters(request);
        if (parameters.grant_type === undefined) {
          throw new TokenRequestError('invalid_request', 'grant_type is required');
        }
        if (parameters.grant_type !== 'client_credentials') {
          throw new TokenRequestError('unsupported_grant_type', 'only client_credentials is supported');
        }
        const credentials = readClientCredentials(request.headers.authorization, parameters);
        viaBasic = credentials.viaBasic;
        const requestedScopes = parameters.scope === undefined ? undefined : parseScopeList(parameters.scope);
        if (parameters.scope !== undefined && requestedScopes === undefined) {
          throw new TokenRequestError('invalid_scope', 'the scope is malformed');
        }
        const granted = await issuer.issue({
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          requestedScopes,
        });
        return reply.code(200).send({
          access_token: granted.token,
          token_type: 'Bearer',
          expires_in: granted.expiresInSeconds,
          scope: granted.scopes.join(' '),
        });
      } catch (error) {
        if (!(error instanceof TokenRequestError)) throw error;
        return sendTokenError(reply, error, viaBasic || isBasic(request));
      }
    });
  };
}

function readParameters(request: FastifyRequest): TokenParameters {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== FORM_CONTENT_TYPE) {
    throw new TokenRequestError('invalid_request', `the body must be ${FORM_CONTENT_TYPE}`);
  }
  const body = request.body as Record<string, unknown>;
  const parameters: TokenParameters = {};
  for (const name of KNOWN_PARAMETERS) {
    const value = body[name];
    if (value === undefined) continue;
    // RFC 6749 3.2: parameters must not be repeated.
    if (typeof value !== 'string') throw new TokenRequestError('invalid_request', `${name} is repeated`);
    parameters[name] = value;
  }
  return parameters;
}

function isBasic(request: FastifyRequest): boolean {
  return /^basic(\s|$)/i.test(request.headers.authorization ?? '');
}

/** RFC 6749 5.2: 400, except a failed client authentication: 401 with a Basic challenge when Basic was tried. */
function sendTokenError(reply: FastifyReply, error: TokenRequestError, viaBasic: boolean) {
  const status = statusOf(error.code, viaBasic);
  if (status === 401) reply.header('www-authenticate', 'Basic realm="oauth", charset="UTF-8"');
  return reply.code(status).send({ error: error.code, error_description: error.description });
}

function statusOf(code: TokenErrorCode, viaBasic: boolean): number {
  if (code !== 'invalid_client') return 400;
  return viaBasic ? 401 : 400;
}
