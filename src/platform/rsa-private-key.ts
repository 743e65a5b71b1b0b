// An RSA private key from PEM text, checked for what RS256 signing needs. Shared by the
// configuration (to refuse a bad key at start, in the one combined error) and the signer itself.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export const RSA_MIN_BITS = 2048;

export class RsaPrivateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RsaPrivateKeyError';
  }
}

/** Accepts PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM, unencrypted. */
export function readRsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem.trim(), format: 'pem' });
  } catch {
    throw new RsaPrivateKeyError('is not an unencrypted PEM private key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new RsaPrivateKeyError(`must be an RSA key (got ${key.asymmetricKeyType ?? 'an unknown type'})`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MIN_BITS) {
    throw new RsaPrivateKeyError(`must be at least ${RSA_MIN_BITS} bits (got ${bits})`);
  }
  return key;
}

/** A new 2048-bit RSA key as PKCS#8 PEM, for embedded mode's generated key. */
export function generateRsaPrivateKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: RSA_MIN_BITS })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}
