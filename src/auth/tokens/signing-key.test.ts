import { calculateJwkThumbprint } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPem, readSigningKey, SigningKeyError } from './signing-key.ts';

describe('readSigningKey', () => {
  it('reads an Ed25519 PKCS#8 PEM as EdDSA, kid defaulting to the RFC 7638 thumbprint', async () => {
    const key = await readSigningKey(generateSigningKeyPem());
    expect(key.algorithm).toBe('EdDSA');
    const { kid: _kid, alg: _alg, use: _use, ...bare } = key.publicJwk;
    expect(key.keyId).toBe(await calculateJwkThumbprint(bare));
    expect(key.publicJwk).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: key.keyId,
    });
    expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('reads a P-256 private JWK as ES256, with the configured kid', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const key = await readSigningKey(JSON.stringify(jwk), 'key-2026-03');
    expect(key).toMatchObject({ algorithm: 'ES256', keyId: 'key-2026-03' });
    expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('refuses RSA and other curves: only Ed25519 and P-256 sign tokens', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    await expect(readSigningKey(rsa.toString())).rejects.toThrow('must be an Ed25519 or a P-256 key');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    await expect(readSigningKey(p384.toString())).rejects.toBeInstanceOf(SigningKeyError);
  });

  it('refuses what is no private key, without echoing it', async () => {
    const refusal = readSigningKey('not a key at all');
    await expect(refusal).rejects.toBeInstanceOf(SigningKeyError);
    await expect(refusal).rejects.not.toThrow('not a key at all');
    await expect(readSigningKey('{"kty":"OKP"}')).rejects.toBeInstanceOf(SigningKeyError);
  });
});
