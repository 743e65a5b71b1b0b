import { compactVerify, createRemoteJWKSet, decodeProtectedHeader, type JWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RsaPrivateKeyError } from '../../platform/rsa-private-key.ts';
import { TEST_PAYLOAD_SIGNING_KEY } from '../../../test/support/test-payment.ts';
import {
  createPayloadSigner,
  PAYLOAD_JWKS_PATH,
  payloadJwksUrl,
  type PayloadSigner,
} from './payload-signer.ts';
import { GENERATED_PAYLOAD_KEY_FILE, payloadSigningKeyPem } from './payload-signing-key.ts';

const PAYLOAD = {
  calendario: {
    criacao: '2026-12-03T12:00:00.000Z',
    apresentacao: '2026-12-03T12:01:00.000Z',
    expiracao: 3600,
  },
  txid: 'fc9a4366ff3d4964b5dbc6c91a8722d3',
  revisao: 0,
  status: 'ATIVA',
  valor: { original: '500.00' },
  chave: '7407c9c8-f78b-11ea-adc1-0242ac120002',
  solicitacaoPagador: 'Informar cartão fidelidade',
};

/** The payload host: serves whatever key set `published` holds at the key set path, like the service. */
let server: Server;
let payloadHost: string;
let published: { keys: JWK[] } = { keys: [] };
let signer: PayloadSigner;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url !== PAYLOAD_JWKS_PATH) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  payloadHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  signer = await createPayloadSigner({
    privateKeyPem: TEST_PAYLOAD_SIGNING_KEY,
    jwksUrl: payloadJwksUrl({ payloadScheme: 'http', payloadHost }),
  });
  published = signer.jwks();
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a payer's PSP does: reads jku from the header, checks it is on the location's host, verifies. */
async function payerVerifies(jws: string, locationHost: string) {
  const header = decodeProtectedHeader(jws);
  if (typeof header.jku !== 'string') throw new Error('no jku');
  const jku = new URL(header.jku);
  if (jku.host !== locationHost) throw new Error(`jku ${jku.host} is not the location's host`);
  const { payload, protectedHeader } = await compactVerify(jws, createRemoteJWKSet(jku), {
    algorithms: ['RS256'],
  });
  return { header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload)) as unknown };
}

describe('the payload JWS', () => {
  it('verifies for a payer holding nothing but the published key set', async () => {
    const jws = await signer.sign(PAYLOAD);
    expect(jws.split('.')).toHaveLength(3);
    const { header, payload } = await payerVerifies(jws, payloadHost);
    expect(payload).toEqual(PAYLOAD);
    expect(header).toEqual({
      alg: 'RS256',
      typ: 'JWS',
      kid: signer.keyId,
      jku: `http://${payloadHost}/qr/v2/jwks.json`,
    });
  });

  it('names in kid the one key of the published set, public parts only', () => {
    const [key, ...others] = signer.jwks().keys;
    expect(others).toEqual([]);
    expect(key).toEqual({
      kty: 'RSA',
      n: expect.any(String),
      e: 'AQAB',
      kid: signer.keyId,
      alg: 'RS256',
      use: 'sig',
    });
    expect(signer.keyId).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('fails verification when the payload is altered', async () => {
    const [header, , signature] = (await signer.sign(PAYLOAD)).split('.');
    const forged = Buffer.from(JSON.stringify({ ...PAYLOAD, valor: { original: '5.00' } })).toString(
      'base64url',
    );
    await expect(payerVerifies(`${header}.${forged}.${signature}`, payloadHost)).rejects.toThrow(
      'signature verification failed',
    );
  });

  it('fails verification against a key set of another key', async () => {
    const other = await createPayloadSigner({
      privateKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      jwksUrl: signer.jwksUrl,
    });
    const jws = await other.sign(PAYLOAD);
    await expect(payerVerifies(jws, payloadHost)).rejects.toThrow(/no applicable key found/i);
  });

  it('builds the jku from the payment config: https on a public host', () => {
    expect(payloadJwksUrl({ payloadScheme: 'https', payloadHost: 'pix.example.com' })).toBe(
      'https://pix.example.com/qr/v2/jwks.json',
    );
  });

  it('refuses EC keys, short RSA keys and garbage', async () => {
    const pem = (key: { export(o: { format: 'pem'; type: 'pkcs8' }): string | Buffer }) =>
      key.export({ format: 'pem', type: 'pkcs8' }).toString();
    const attempt = (privateKeyPem: string) =>
      createPayloadSigner({ privateKeyPem, jwksUrl: signer.jwksUrl });
    await expect(attempt(pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey))).rejects.toThrow(
      new RsaPrivateKeyError('must be an RSA key (got ec)'),
    );
    await expect(attempt(pem(generateKeyPairSync('ed25519').privateKey))).rejects.toThrow(
      'must be an RSA key',
    );
    await expect(
      attempt(pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)),
    ).rejects.toThrow('must be at least 2048 bits (got 1024)');
    await expect(attempt('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----')).rejects.toThrow(
      'is not an unencrypted PEM private key',
    );
  });
});

describe('payloadSigningKeyPem', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pix-payload-key-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('takes the configured key as is', () => {
    expect(payloadSigningKeyPem({ configured: 'PEM', dataDir, embedded: false })).toEqual({ pem: 'PEM' });
  });

  it('generates a 2048-bit RSA key once in embedded mode and keeps using it', async () => {
    const first = payloadSigningKeyPem({ configured: undefined, dataDir, embedded: true });
    expect(first.generatedAt).toBe(join(dataDir, GENERATED_PAYLOAD_KEY_FILE));
    expect(readFileSync(join(dataDir, GENERATED_PAYLOAD_KEY_FILE), 'utf8').trim()).toBe(first.pem);
    const again = payloadSigningKeyPem({ configured: undefined, dataDir, embedded: true });
    expect(again).toEqual({ pem: first.pem });
    const signerA = await createPayloadSigner({ privateKeyPem: first.pem, jwksUrl: signer.jwksUrl });
    const signerB = await createPayloadSigner({ privateKeyPem: again.pem, jwksUrl: signer.jwksUrl });
    expect(signerA.keyId).toBe(signerB.keyId);
  });

  it('never generates one for a real database', () => {
    expect(() => payloadSigningKeyPem({ configured: undefined, dataDir, embedded: false })).toThrow(
      'PIX_PAYLOAD_SIGNING_KEY is required with a real database',
    );
  });
});
