// Signs the JSON payload a dynamic QR code's location serves, as the Pix API requires: a compact JWS,
// RS256 (the algorithm of the API document's example), whose protected header names the key (kid)
// and where payers fetch it (jku, this service's published key set on the payload host).
import { calculateJwkThumbprint, CompactSign, type JWK } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readRsaPrivateKey } from '../../platform/rsa-private-key.ts';

export const PAYLOAD_SIGNING_ALGORITHM = 'RS256';
/** Where the payload host publishes the public key set: beside the locations (`/qr/v2/<id>`). */
export const PAYLOAD_JWKS_PATH = '/qr/v2/jwks.json';

export interface PayloadSigner {
  readonly keyId: string;
  /** The jku every header carries. */
  readonly jwksUrl: string;
  /** The compact JWS of the payload (a CobPayload object, serialised as JSON). */
  sign(payload: object): Promise<string>;
  /** The public key set to serve at jwksUrl. */
  jwks(): { keys: JWK[] };
}

export interface PayloadSignerOptions {
  /** RSA private key, PEM, at least 2048 bits. */
  privateKeyPem: string;
  jwksUrl: string;
}

/** The jku: https://<payloadHost>/qr/v2/jwks.json (http only in a loopback sandbox; see the config). */
export function payloadJwksUrl(payment: { payloadScheme: 'https' | 'http'; payloadHost: string }): string {
  return `${payment.payloadScheme}://${payment.payloadHost}${PAYLOAD_JWKS_PATH}`;
}

/** Throws RsaPrivateKeyError (no key material in its message) for anything but a usable RSA key. */
export async function createPayloadSigner(options: PayloadSignerOptions): Promise<PayloadSigner> {
  const privateKey: KeyObject = readRsaPrivateKey(options.privateKeyPem);
  const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const publicJwk: JWK = { kty: exported.kty, n: exported.n, e: exported.e };
  // RFC 7638 thumbprint: stable for the key, so a restart or another replica names it alike.
  const keyId = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid: keyId, alg: PAYLOAD_SIGNING_ALGORITHM, use: 'sig' };
  const { jwksUrl } = options;
  const encoder = new TextEncoder();
  return {
    keyId,
    jwksUrl,
    sign: (payload) =>
      new CompactSign(encoder.encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: PAYLOAD_SIGNING_ALGORITHM, typ: 'JWS', kid: keyId, jku: jwksUrl })
        .sign(privateKey),
    jwks: () => ({ keys: [{ ...published }] }),
  };
}
