// Who may call the Payment API, on PGlite and on PostgreSQL: every operation of both contracts
// answers 401 without a token and 403 without its scope, and each client (receiving user) sees
// only its own charges, locations, Pix, refunds and webhooks: another client's are 404, lists show
// none, and a key's webhook is configured by each client independently.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentSandboxOperations } from '../../../api/payment-sandbox/server.gen.ts';
import { paymentOperations } from '../../../api/payment/server.gen.ts';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { CHARGE_BODY, paymentClient, type PaymentClient } from '../../../test/support/payment-client.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { obtainToken, TEST_CLIENT, TEST_SCRYPT } from '../../../test/support/test-auth.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { createClientAdmin } from '../../auth/create-auth.ts';
import { uuidV7Generator } from '../../platform/ids.ts';
import { SERVICE_SCOPES } from '../../service-catalog.ts';

const TXID = 'ownedCharge0000000000000000001';
const PERIOD = 'inicio=2026-01-01T00:00:00Z&fim=2026-12-31T00:00:00Z';
const operations = [...paymentOperations, ...paymentSandboxOperations];

function urlOf(path: string): string {
  return path
    .replace('{txid}', TXID)
    .replace('{e2eid}', 'E12345678202603011000abcdefghijk')
    .replace('{id}', path.includes('devolucao') ? 'd1' : '1')
    .replace('{chave}', 'receiver@example.com')
    .concat(path === '/v2/cob' || path === '/v2/pix' || path === '/v2/loc' ? `?${PERIOD}` : '');
}

describeEachDatabase('Payment API access', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let owner: PaymentClient;
  let other: PaymentClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    owner = await paymentClient(app);
    const admin = createClientAdmin({
      db: db.pool,
      clock,
      ids: uuidV7Generator,
      scrypt: TEST_SCRYPT,
      scopes: SERVICE_SCOPES,
    });
    const created = await admin.create('another receiving user', SERVICE_SCOPES);
    other = await paymentClient(app, { id: created.client.id, secret: created.secret });
  });
  afterAll(() => app.close());

  describe.each(operations.map((operation) => [operation.operationId, operation] as const))(
    '%s',
    (_name, operation) => {
      const scopes = operation.security.flatMap((requirement) => Object.values(requirement).flat());

      it('is secured with a scope: 401 without a token, 403 with a token that lacks it', async () => {
        expect(scopes.length).toBeGreaterThan(0);
        const request = { method: operation.method, url: urlOf(operation.path) };
        const anonymous = await app.inject(request);
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
        const token = await obtainToken(
          app,
          TEST_CLIENT,
          SERVICE_SCOPES.filter((scope) => !scopes.includes(scope)).join(' '),
        );
        const forbidden = await app.inject({ ...request, headers: { authorization: `Bearer ${token}` } });
        expect(forbidden.statusCode).toBe(403);
        expect(forbidden.headers['www-authenticate']).toContain(`scope="${scopes.join(' ')}"`);
      });
    },
  );

  it("answers another client's charge, location, Pix and refund as not found, and lists none of them", async () => {
    const cob = await owner.createCharge(TXID);
    const locationId = (cob.loc as { id: number }).id;
    const pix = await owner.pay(TXID);
    const refunded = await owner.send('PUT', `/v2/pix/${pix.endToEndId}/devolucao/d1`, { valor: '1.00' });
    expect(refunded.statusCode).toBe(201);

    const notFound = [
      await other.get(`/v2/cob/${TXID}`),
      await other.get(`/v2/cob/${TXID}?revisao=0`),
      await other.send('PATCH', `/v2/cob/${TXID}`, { solicitacaoPagador: 'mine now' }),
      await other.get(`/v2/loc/${locationId}`),
      await other.api.inject({ method: 'DELETE', url: `/v2/loc/${locationId}/txid` }),
      await other.get(`/v2/pix/${pix.endToEndId}`),
      await other.send('PUT', `/v2/pix/${pix.endToEndId}/devolucao/d2`, { valor: '1.00' }),
      await other.get(`/v2/pix/${pix.endToEndId}/devolucao/d1`),
      await other.send('POST', `/v2/sandbox/cob/${TXID}/pagamento`, {}),
    ];
    expect(notFound.map((response) => response.statusCode)).toEqual(Array(notFound.length).fill(404));

    for (const url of [`/v2/cob?${PERIOD}`, `/v2/pix?${PERIOD}`, `/v2/loc?${PERIOD}`]) {
      const listed = (await other.get(url)).json<{
        parametros: { paginacao: { quantidadeTotalDeItens: number } };
      }>();
      expect(listed.parametros.paginacao.quantidadeTotalDeItens).toBe(0);
    }
    // The same txid is free for the other client, and its charge is its own.
    const theirs = await other.createCharge(TXID, { ...CHARGE_BODY, valor: { original: '1.00' } });
    expect(theirs.txid).toBe(TXID);
    expect((await owner.get(`/v2/cob/${TXID}`)).json()).toMatchObject({ valor: { original: '123.45' } });
  });

  it("answers another client's webhook as not found, and lets each client configure the same key", async () => {
    const key = '/v2/webhook/shared@example.com';
    expect((await owner.send('PUT', key, { webhookUrl: 'https://pix.example.com/owner' })).statusCode).toBe(
      200,
    );
    expect((await other.get(key)).statusCode).toBe(404);
    expect((await other.api.inject({ method: 'DELETE', url: key })).statusCode).toBe(404);
    expect((await other.get('/v2/webhook')).json()).toMatchObject({ webhooks: [] });

    expect((await other.send('PUT', key, { webhookUrl: 'https://pix.example.com/other' })).statusCode).toBe(
      200,
    );
    expect((await owner.get(key)).json()).toMatchObject({ webhookUrl: 'https://pix.example.com/owner' });
    expect((await other.get(key)).json()).toMatchObject({ webhookUrl: 'https://pix.example.com/other' });
    expect((await other.api.inject({ method: 'DELETE', url: key })).statusCode).toBe(204);
    expect((await owner.get(key)).json()).toMatchObject({ webhookUrl: 'https://pix.example.com/owner' });
  });
});
