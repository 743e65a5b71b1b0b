// The webhook operations of the Payment API over HTTP, on PGlite and on PostgreSQL: configuration,
// reads, lists and cancellation with their official error types, and the target policy applied at
// configuration (every case of the server-side request forgery list). Every response is checked
// against oapi/payment.yaml and the official Pix document by the client. Host names resolve from a
// table (test/support/test-resolver.ts): no lookup leaves the machine.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { paymentClient, type PaymentClient } from '../../../test/support/payment-client.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { TEST_SCRYPT } from '../../../test/support/test-auth.ts';
import { testResolver, type RecordingResolver } from '../../../test/support/test-resolver.ts';
import { createClientAdmin } from '../../auth/create-auth.ts';
import { uuidV7Generator } from '../../platform/ids.ts';
import { SERVICE_SCOPES } from '../../service-catalog.ts';

const ERROR = 'https://pix.bcb.gov.br/api/v2/error/';
const KEY = 'receiver@example.com';
const URL_OF_KEY = `/v2/webhook/${encodeURIComponent(KEY)}`;
const KEYS = ['+5561900000001', '40a0932d-1918-4eee-845d-35a2da1690dc', '12345678000195'];

interface Violacao {
  propriedade: string;
  razao: string;
}

describeEachDatabase('Payment API webhooks', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  const resolver: RecordingResolver = testResolver();
  let app: FastifyInstance;
  let client: PaymentClient;
  // The same service as deployed: insecure targets off (the default with a real database).
  let secureApp: FastifyInstance;
  let secure: PaymentClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock, resolveHost: resolver });
    client = await paymentClient(app);
    secureApp = await buildTestApp(db.pool, {
      clock,
      resolveHost: resolver,
      env: { PIX_WEBHOOK_ALLOW_INSECURE: 'false' },
    });
    secure = await paymentClient(secureApp);
  });
  afterAll(async () => {
    await app.close();
    await secureApp.close();
  });

  describe('configuration', () => {
    it('configures a key, reads it back as the official document shows it, and replaces its URL', async () => {
      const put = await secure.send('PUT', URL_OF_KEY, {
        webhookUrl: 'https://pix.example.com/api/webhook/',
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.body).toBe('');
      const got = await secure.get(URL_OF_KEY);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toEqual({
        webhookUrl: 'https://pix.example.com/api/webhook/',
        chave: KEY,
        criacao: '2026-03-01T10:00:00.000Z',
      });

      clock.advance(60_000);
      const replaced = await secure.send('PUT', URL_OF_KEY, {
        webhookUrl: 'https://receiver.example.com/hooks',
      });
      expect(replaced.statusCode).toBe(200);
      expect((await secure.get(URL_OF_KEY)).json()).toEqual({
        webhookUrl: 'https://receiver.example.com/hooks',
        chave: KEY,
        criacao: '2026-03-01T10:01:00.000Z',
      });
    });

    it('answers WebhookNaoEncontrado for a key without a webhook, to GET and DELETE', async () => {
      const missing = await client.get('/v2/webhook/no-such-key');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ type: `${ERROR}WebhookNaoEncontrado`, status: 404 });
      const deleted = await client.api.inject({ method: 'DELETE', url: '/v2/webhook/no-such-key' });
      expect(deleted.statusCode).toBe(404);
      expect(deleted.json()).toMatchObject({ type: `${ERROR}WebhookNaoEncontrado` });
    });

    it('cancels a webhook: 204, then it is gone', async () => {
      const key = '12345678909';
      expect(
        (await client.send('PUT', `/v2/webhook/${key}`, { webhookUrl: 'https://pix.example.com/' }))
          .statusCode,
      ).toBe(200);
      const deleted = await client.api.inject({ method: 'DELETE', url: `/v2/webhook/${key}` });
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expect((await client.get(`/v2/webhook/${key}`)).statusCode).toBe(404);
      expect((await client.api.inject({ method: 'DELETE', url: `/v2/webhook/${key}` })).statusCode).toBe(404);
    });

    it.each([
      ['a blank key', '%20%20', '  '],
      ['a word', 'null', 'null'],
      [
        'a random key in capitals',
        '40A0932D-1918-4EEE-845D-35A2DA1690DC',
        '40A0932D-1918-4EEE-845D-35A2DA1690DC',
      ],
    ])('refuses %s with WebhookOperacaoInvalida naming chave', async (_name, segment, key) => {
      const response = await client.send('PUT', `/v2/webhook/${segment}`, {
        webhookUrl: 'https://pix.example.com/',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        type: `${ERROR}WebhookOperacaoInvalida`,
        violacoes: [
          { propriedade: 'chave', razao: expect.stringContaining('is not a Pix key') as string, valor: key },
        ],
      });
    });

    it('refuses a webhookUrl that is not a URI, or too long, through the contract', async () => {
      for (const webhookUrl of ['not a url', `https://pix.example.com/${'a'.repeat(2048)}`]) {
        const response = await client.send('PUT', URL_OF_KEY, { webhookUrl });
        expect([400, 422]).toContain(response.statusCode);
        const problem = response.json<{ violacoes: Violacao[] }>();
        expect(problem.violacoes.map((violation) => violation.propriedade)).toContain('webhookUrl');
      }
    });
  });

  describe('targets refused at configuration (insecure mode off)', () => {
    it.each([
      ['the metadata address over http', 'http://169.254.169.254/', 'must use https'],
      ['a private address', 'https://10.0.0.1/', 'is 10.0.0.1, not a public address'],
      ['IPv6 loopback', 'https://[::1]/', 'is ::1, a loopback address'],
      ['a name resolving to 127.0.0.1', 'https://loopback.example.com/', 'resolves to a loopback address'],
      [
        'a name resolving to a private address',
        'https://internal.example.com/',
        'resolves to an address that is not public',
      ],
      ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', 'a loopback address'],
      ['NAT64 of the metadata address', 'https://[64:ff9b::a9fe:a9fe]/', 'not a public address'],
      [
        'a user name and password',
        'https://user:secret@pix.example.com/',
        'may not carry a user name or password',
      ],
      ['another scheme', 'ftp://pix.example.com/', 'must use https (got ftp)'],
      ['a name that does not resolve', 'https://nowhere.example.com/', 'does not resolve'],
    ])('%s: %s', async (_name, webhookUrl, reason) => {
      const key = `ssrf-${webhookUrl.length}-${reason.length}@example.com`;
      const response = await secure.send('PUT', `/v2/webhook/${key}`, { webhookUrl });
      expect(response.statusCode).toBe(400);
      const problem = response.json<{ type: string; violacoes: Violacao[] }>();
      expect(problem.type).toBe(`${ERROR}WebhookOperacaoInvalida`);
      expect(problem.violacoes).toEqual([
        { propriedade: 'webhook.webhookUrl', razao: expect.stringContaining(reason) as string },
      ]);
      expect((await secure.get(`/v2/webhook/${key}`)).statusCode).toBe(404);
    });

    it('asks the resolver about host names only, never about address literals', async () => {
      resolver.asked.length = 0;
      await secure.send('PUT', '/v2/webhook/literal@example.com', { webhookUrl: 'https://10.0.0.1/' });
      await secure.send('PUT', '/v2/webhook/named@example.com', {
        webhookUrl: 'https://internal.example.com/',
      });
      expect(resolver.asked).toEqual(['internal.example.com']);
    });
  });

  describe('insecure mode (the embedded default)', () => {
    it('accepts loopback over http, for a local receiver', async () => {
      for (const webhookUrl of [
        'http://127.0.0.1:9000/hooks',
        'http://localhost:9000/',
        'https://[::1]:8443/',
      ]) {
        const response = await client.send('PUT', '/v2/webhook/local-receiver@example.com', { webhookUrl });
        expect(response.statusCode, `${webhookUrl}: ${response.body}`).toBe(200);
      }
    });

    it('still refuses private addresses and plain http elsewhere', async () => {
      for (const webhookUrl of [
        'https://10.0.0.1/',
        'http://pix.example.com/',
        'https://internal.example.com/',
      ]) {
        const response = await client.send('PUT', '/v2/webhook/local-receiver@example.com', { webhookUrl });
        expect(response.statusCode, webhookUrl).toBe(400);
      }
      expect((await client.get('/v2/webhook/local-receiver@example.com')).json()).toMatchObject({
        webhookUrl: 'https://[::1]:8443/',
      });
    });
  });

  describe('listing', () => {
    let lister: PaymentClient;
    beforeAll(async () => {
      // A client of its own, so the other tests' webhooks do not count here.
      const admin = createClientAdmin({
        db: db.pool,
        clock,
        ids: uuidV7Generator,
        scrypt: TEST_SCRYPT,
        scopes: SERVICE_SCOPES,
      });
      const created = await admin.create('webhook lister', SERVICE_SCOPES);
      lister = await paymentClient(app, { id: created.client.id, secret: created.secret });
    });

    it('lists oldest first with the Pix pagination, bounded by inicio and fim when given', async () => {
      const start = clock.now().getTime();
      for (const [index, key] of KEYS.entries()) {
        clock.set(new Date(start + index * 60_000));
        expect(
          (await lister.send('PUT', `/v2/webhook/${key}`, { webhookUrl: `https://pix.example.com/${key}` }))
            .statusCode,
        ).toBe(200);
      }
      const all = await lister.get('/v2/webhook');
      expect(all.statusCode).toBe(200);
      expect(all.json()).toEqual({
        parametros: {
          paginacao: {
            paginaAtual: 0,
            itensPorPagina: 100,
            quantidadeDePaginas: 1,
            quantidadeTotalDeItens: 3,
          },
        },
        webhooks: KEYS.map((key, index) => ({
          webhookUrl: `https://pix.example.com/${key}`,
          chave: key,
          criacao: new Date(start + index * 60_000).toISOString(),
        })),
      });

      const second = await lister.get('/v2/webhook?paginacao.itensPorPagina=2&paginacao.paginaAtual=1');
      expect(second.json<{ webhooks: { chave: string }[] }>().webhooks.map((each) => each.chave)).toEqual([
        KEYS[2],
      ]);
      expect(second.json()).toMatchObject({
        parametros: { paginacao: { paginaAtual: 1, itensPorPagina: 2, quantidadeDePaginas: 2 } },
      });

      const inicio = new Date(start + 60_000).toISOString();
      const bounded = await lister.get(`/v2/webhook?inicio=${inicio}`);
      expect(bounded.json<{ webhooks: { chave: string }[] }>().webhooks.map((each) => each.chave)).toEqual(
        KEYS.slice(1),
      );
      expect(bounded.json()).toMatchObject({ parametros: { inicio } });
      const fim = new Date(start + 60_000).toISOString();
      const upTo = await lister.get(`/v2/webhook?fim=${fim}`);
      expect(upTo.json<{ webhooks: { chave: string }[] }>().webhooks.map((each) => each.chave)).toEqual(
        KEYS.slice(0, 2),
      );
      const empty = await lister.get('/v2/webhook?paginacao.paginaAtual=5');
      expect(empty.json()).toMatchObject({
        parametros: { paginacao: { quantidadeTotalDeItens: 3 } },
        webhooks: [],
      });
    });

    it('refuses fim before inicio with WebhookConsultaInvalida, and a bad date through the contract', async () => {
      const reversed = await lister.get('/v2/webhook?inicio=2026-12-31T00:00:00Z&fim=2026-01-01T00:00:00Z');
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json()).toMatchObject({
        type: `${ERROR}WebhookConsultaInvalida`,
        violacoes: [{ propriedade: 'fim', razao: 'is before inicio' }],
      });
      const bad = await lister.get('/v2/webhook?inicio=yesterday');
      expect(bad.statusCode).toBe(400);
      const tooMany = await lister.get('/v2/webhook?paginacao.itensPorPagina=1001');
      expect(tooMany.statusCode).toBe(400);
    });
  });
});
