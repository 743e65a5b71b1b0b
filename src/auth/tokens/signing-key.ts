// The token signing key: a PKCS#8 PEM or a private JWK, Ed25519 (EdDSA) or P-256 (ES256). Its
// public half is what /.well-known/jwks.json publishes; its `kid` names it in every token header.
import { calculateJwkThumbprint, type JWK } from 'jose';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

export type SigningAlgorithm = 'EdDSA' | 'ES256';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: SigningAlgorithm;
  keyId: string;
  /** The public JWK as published (kid, alg and use set). */
  publicJwk: JWK;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Reads the key; without `keyId` the kid is the public key's RFC 7638 thumbprint. */
export async function readSigningKey(material: string, keyId?: string): Promise<SigningKey> {
  const { privateKey, algorithm } = parseSigningKey(material);
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = keyId ?? (await calculateJwkThumbprint(exported));
  return {
    privateKey,
    publicKey,
    algorithm,
    keyId: kid,
    publicJwk: { ...exported, kid, alg: algorithm, use: 'sig' },
  };
}

/**
 * The private key and its algorithm, or a SigningKeyError saying what is wrong with the material
 * (worded to follow the variable's name). Synchronous, so configuration checks it with the rest.
 */
export function parseSigningKey(material: string): { privateKey: KeyObject; algorithm: SigningAlgorithm } {
  const privateKey = parsePrivateKey(material.trim());
  return { privateKey, algorithm: algorithmOf(privateKey) };
}

/** A new Ed25519 key as PKCS#8 PEM, for embedded mode's generated key. */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function parsePrivateKey(material: string): KeyObject {
  try {
    if (material.startsWith('{')) {
      return createPrivateKey({
        key: JSON.parse(material) as JsonWebKey,
        format: 'jwk',
      });
    }
    return createPrivateKey({ key: material, format: 'pem' });
  } catch {
    throw new SigningKeyError('is neither a PKCS#8 PEM private key nor a private JWK');
  }
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  const type =
    key.asymmetricKeyType === 'ec'
      ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'another curve'}`
      : `an ${key.asymmetricKeyType?.toUpperCase() ?? 'unknown'} key`;
  throw new SigningKeyError(`must be an Ed25519 or a P-256 key, not ${type}`);
}
