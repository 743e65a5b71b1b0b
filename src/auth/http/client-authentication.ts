// RFC 6749 2.3.1: the client authenticates with HTTP Basic (id and secret form-urlencoded, then
// base64) or with client_id and client_secret in the body; never both.
import { TokenRequestError } from '../domain/client-errors.ts';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Basic was used: a failure must answer 401 with a Basic challenge. */
  viaBasic: boolean;
}

export function readClientCredentials(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): ClientCredentials {
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (authorization !== undefined && /^basic(\s|$)/i.test(authorization)) {
    if (inBody) {
      throw new TokenRequestError(
        'invalid_request',
        'use one client authentication method, not Basic and the body both',
      );
    }
    return { ...decodeBasic(authorization), viaBasic: true };
  }
  if (!inBody) throw new TokenRequestError('invalid_client', 'no client authentication');
  if (!body.client_id || !body.client_secret) {
    throw new TokenRequestError('invalid_request', 'client_id and client_secret go together');
  }
  return { clientId: body.client_id, clientSecret: body.client_secret, viaBasic: false };
}

function decodeBasic(authorization: string): { clientId: string; clientSecret: string } {
  const encoded = /^basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization)?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new TokenRequestError('invalid_request', 'malformed Basic credentials');
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw new TokenRequestError('invalid_request', 'malformed Basic credentials');
  }
}

/** application/x-www-form-urlencoded decoding: `+` is a space, then percent-decoding. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
