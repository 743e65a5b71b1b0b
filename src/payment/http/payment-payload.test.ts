// The open payload routes over real HTTP, on PGlite and on PostgreSQL: a payer reads the location
// from the BR Code, fetches the JWS with no credentials, and verifies it with jose alone, taking the
// key set from the jku the header names. Every answer is checked against oapi/payment-payload.yaml
// and, where the official document declares the status, against the official document.
import type { FastifyInstance } from 'fastify';
import { compactVerify, createRemoteJWKSet, decodeProtectedHeader } from 'jose';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { contractClient, type ContractClient } from '../../../test/support/contract-client.ts';
import { CHARGE_BODY, paymentClient, type PaymentClient } from '../../../test/support/payment-client.ts';
import { pixConformance } from '../../../test/support/pix-conformance.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { parseBrCode } from '../domain/br-code.ts';

const ERROR = 'https://pix.bcb.gov.br/api/v2/error/';
const START = '2026-05-01T10:00:00.000Z';

/** A port free right now, for a service that must know its own address before it listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The location a payer's app finds in the BR Code: merchant account information, field 25. */
function locationOf(brCode: string): string {
  const url = parseBrCode(brCode).get('26.25');
  if (url === undefined) throw new Error(`no location in ${brCode}`);
  return url;
}

describeEachDatabase('Payment payload', (db) => {
  const clock = new TestClock(START);
  let app: FastifyInstance;
  let client: PaymentClient;
  let payload: ContractClient;
  let host: string;

  beforeAll(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    app = await buildTestApp(db.pool, { clock, env: { PIX_PAYLOAD_HOST: host } });
    await app.listen({ host: '127.0.0.1', port });
    client = await paymentClient(app);
    payload = await contractClient(app, 'oapi/payment-payload.yaml');
  });
  afterAll(() => app.close());

  /** What a payer's PSP does with a location: GET it, check jku is on its host, verify. */
  async function payerFetches(location: string) {
    const response = await fetch(`http://${location}`, { headers: { accept: 'application/jose' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jose');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const jws = await response.text();
    pixConformance().check({
      method: 'GET',
      path: '/{pixUrlAccessToken}',
      status: 200,
      contentType: 'application/jose',
      body: jws,
    });
    const header = decodeProtectedHeader(jws);
    const jku = new URL(String(header.jku));
    expect(jku.host).toBe(location.split('/')[0]);
    const verified = await compactVerify(jws, createRemoteJWKSet(jku), { algorithms: ['RS256'] });
    return {
      header: verified.protectedHeader,
      payload: JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>,
    };
  }

  async function newCharge(txid: string, body: Record<string, unknown> = CHARGE_BODY) {
    const cob = await client.createCharge(txid, body);
    const location = locationOf(cob.pixCopiaECola as string);
    expect(location).toBe(cob.location);
    return { cob, location, token: location.split('/').pop()! };
  }

  it('serves the charge as a JWS a payer verifies with the published key set', async () => {
    const { location } = await newCharge('payloadCharge0000000000000001', {
      ...CHARGE_BODY,
      devedor: { cpf: '12345678909', nome: 'Francisco da Silva' },
      solicitacaoPagador: 'Informar cartão fidelidade',
      infoAdicionais: [{ nome: 'quantidade', valor: '2' }],
    });
    clock.advance(60_000);
    const { header, payload: cob } = await payerFetches(location);
    expect(header).toEqual({
      alg: 'RS256',
      typ: 'JWS',
      kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      jku: `http://${host}/qr/v2/jwks.json`,
    });
    expect(cob).toEqual({
      calendario: {
        criacao: START,
        apresentacao: new Date(Date.parse(START) + 60_000).toISOString(),
        expiracao: 3600,
      },
      txid: 'payloadCharge0000000000000001',
      revisao: 0,
      devedor: { cpf: '12345678909', nome: 'Francisco da Silva' },
      status: 'ATIVA',
      valor: { original: '123.45', modalidadeAlteracao: 0 },
      chave: 'receiver@example.com',
      solicitacaoPagador: 'Informar cartão fidelidade',
      infoAdicionais: [{ nome: 'quantidade', valor: '2' }],
    });
  });

  it('shows each revision: the payload is always the charge as it is now', async () => {
    const txid = 'payloadCharge0000000000000002';
    const { location } = await newCharge(txid);
    const revised = await client.send('PATCH', `/v2/cob/${txid}`, { valor: { original: '10.00' } });
    expect(revised.statusCode).toBe(200);
    expect((await payerFetches(location)).payload).toMatchObject({
      revisao: 1,
      valor: { original: '10.00' },
    });
    await client.send('PATCH', `/v2/cob/${txid}`, { solicitacaoPagador: 'Pague até amanhã' });
    expect((await payerFetches(location)).payload).toMatchObject({
      revisao: 2,
      valor: { original: '10.00' },
      solicitacaoPagador: 'Pague até amanhã',
    });
  });

  it('still serves a paid charge, as CONCLUIDA', async () => {
    const txid = 'payloadCharge0000000000000003';
    const { location } = await newCharge(txid);
    await client.pay(txid);
    expect((await payerFetches(location)).payload).toMatchObject({ txid, status: 'CONCLUIDA' });
  });

  it('publishes the public key only, under the kid every header names', async () => {
    const response = await payload.inject({ method: 'GET', url: '/qr/v2/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const { keys } = response.json<{ keys: Record<string, unknown>[] }>();
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const { location } = await newCharge('payloadCharge0000000000000004');
    expect((await payerFetches(location)).header.kid).toBe(keys[0]!.kid);
  });

  describe('a location that serves no charge answers CobPayloadNaoEncontrado', () => {
    async function expectNotFound(url: string) {
      const response = await payload.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json<Record<string, unknown>>();
      expect(problem).toMatchObject({
        type: `${ERROR}CobPayloadNaoEncontrado`,
        title: 'Cobrança não encontrada.',
        status: 404,
        detail: 'The charge in question was not found for the requested location.',
        correlationId: expect.any(String),
      });
      pixConformance().check({
        method: 'GET',
        path: '/{pixUrlAccessToken}',
        status: 404,
        contentType: 'application/problem+json',
        body: problem,
      });
    }

    it('an unknown token', async () => {
      await expectNotFound('/qr/v2/0123456789abcdef0123456789abcdef');
    });

    it('a charge its receiving user removed', async () => {
      const txid = 'payloadRemoved000000000000001';
      const { token } = await newCharge(txid);
      const removed = await client.send('PATCH', `/v2/cob/${txid}`, {
        status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR',
      });
      expect(removed.statusCode).toBe(200);
      await expectNotFound(`/qr/v2/${token}`);
    });

    it('an expired charge, from the instant it expires', async () => {
      const { token } = await newCharge('payloadExpired000000000000001', {
        ...CHARGE_BODY,
        calendario: { expiracao: 30 },
      });
      clock.advance(29_999);
      expect((await payload.inject({ method: 'GET', url: `/qr/v2/${token}` })).statusCode).toBe(200);
      clock.advance(1);
      await expectNotFound(`/qr/v2/${token}`);
    });

    it('a location unlinked from its charge, and one never linked', async () => {
      const { cob, token } = await newCharge('payloadUnlinked00000000000001');
      const id = (cob.loc as { id: number }).id;
      const unlinked = await client.api.inject({ method: 'DELETE', url: `/v2/loc/${id}/txid` });
      expect(unlinked.statusCode).toBe(200);
      await expectNotFound(`/qr/v2/${token}`);

      const created = await client.send('POST', '/v2/loc', { tipoCob: 'cob' });
      expect(created.statusCode).toBe(201);
      const fresh = String(created.json<{ location: string }>().location).split('/').pop();
      await expectNotFound(`/qr/v2/${fresh}`);
    });
  });

  it('needs no credentials, and ignores a bad one rather than refusing', async () => {
    const { token } = await newCharge('payloadOpen000000000000000001');
    const response = await payload.inject({
      method: 'GET',
      url: `/qr/v2/${token}`,
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a malformed token with a Pix problem, before any lookup', async () => {
    for (const bad of ['short', 'has_underscore_0123456789', 'x'.repeat(65)]) {
      const response = await payload.inject({ method: 'GET', url: `/qr/v2/${bad}` });
      expect(response.statusCode).toBe(400);
      const problem = response.json<Record<string, unknown>>();
      expect(problem).toMatchObject({
        type: `${ERROR}RequisicaoInvalida`,
        status: 400,
        violacoes: expect.arrayContaining([expect.objectContaining({ propriedade: 'pixUrlAccessToken' })]),
      });
      pixConformance().check({
        method: 'GET',
        path: '/{pixUrlAccessToken}',
        status: 400,
        contentType: 'application/problem+json',
        body: problem,
      });
    }
  });

  it('answers an unknown path under /qr/v2 in the Pix dialect', async () => {
    const response = await app.inject({ method: 'GET', url: '/qr/v2/a/b' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ type: `${ERROR}NaoEncontrado`, status: 404 });
  });
});
