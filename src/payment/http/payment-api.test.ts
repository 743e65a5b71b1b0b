// The Payment API over HTTP, on PGlite and on PostgreSQL: each operation's happy path and its
// official error types. Every response is checked against oapi/payment.yaml by the client.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { CHARGE_BODY, paymentClient, type PaymentClient } from '../../../test/support/payment-client.ts';
import { TestClock } from '../../../test/support/test-clock.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';
import { parseBrCode } from '../domain/br-code.ts';

const TXID = 'httpCharge0000000000000000001';
const PERIOD = 'inicio=2026-01-01T00:00:00Z&fim=2026-12-31T00:00:00Z';
const ERROR = 'https://pix.bcb.gov.br/api/v2/error/';

describeEachDatabase('Payment API', (db) => {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  let app: FastifyInstance;
  let client: PaymentClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool, { clock });
    client = await paymentClient(app);
  });
  afterAll(() => app.close());

  describe('charges', () => {
    it('creates a charge with a location and a BR Code that points at it', async () => {
      const cob = await client.createCharge(TXID);
      expect(cob).toMatchObject({
        txid: TXID,
        revisao: 0,
        status: 'ATIVA',
        calendario: { criacao: '2026-03-01T10:00:00.000Z', expiracao: 3600 },
        valor: { original: '123.45', modalidadeAlteracao: 0 },
        chave: 'receiver@example.com',
      });
      expect(cob.location).toMatch(/^[^:/]+:\d+\/qr\/v2\/[A-Za-z0-9]{32}$/);
      const brCode = parseBrCode(cob.pixCopiaECola as string);
      expect(JSON.stringify(brCode)).toContain(cob.location as string);
    });

    it('refuses a txid already used with CobOperacaoInvalida', async () => {
      const { data, error, response } = await client.typed.payment.PUT('/v2/cob/{txid}', {
        params: { path: { txid: TXID } },
        body: CHARGE_BODY,
      });
      expect(response.status).toBe(400);
      expect(data).toBeUndefined();
      expect(error).toMatchObject({ type: `${ERROR}CobOperacaoInvalida`, status: 400 });
    });

    it('refuses a zero amount with CobOperacaoInvalida', async () => {
      const response = await client.send('PUT', '/v2/cob/zeroCharge00000000000000000001', {
        ...CHARGE_BODY,
        valor: { original: '0.00' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: `${ERROR}CobOperacaoInvalida` });
    });

    it('revises, reads a past revision, and answers CobNaoEncontrado for an unknown txid', async () => {
      const payment = client.typed.payment;
      const revised = await payment.PATCH('/v2/cob/{txid}', {
        params: { path: { txid: TXID } },
        body: { valor: { original: '10.00' } },
      });
      expect(revised.response.status).toBe(200);
      expect(revised.data).toMatchObject({ revisao: 1, valor: { original: '10.00' } });
      const first = await payment.GET('/v2/cob/{txid}', {
        params: { path: { txid: TXID }, query: { revisao: 0 } },
      });
      expect(first.data).toMatchObject({ revisao: 0, valor: { original: '123.45' } });
      const missing = await payment.GET('/v2/cob/{txid}', {
        params: { path: { txid: 'unknownCharge000000000000000001' } },
      });
      expect(missing.response.status).toBe(404);
      expect(missing.error).toMatchObject({ type: `${ERROR}CobNaoEncontrado`, status: 404 });
      const noRevision = await payment.GET('/v2/cob/{txid}', {
        params: { path: { txid: TXID }, query: { revisao: 9 } },
      });
      expect(noRevision.response.status).toBe(400);
      expect(noRevision.error).toMatchObject({ type: `${ERROR}CobConsultaInvalida` });
    });

    it('creates with POST and replays the same Idempotency-Key and body, refusing another body', async () => {
      const headers = { 'idempotency-key': 'create-once' };
      const first = await client.send('POST', '/v2/cob', CHARGE_BODY, headers);
      expect(first.statusCode).toBe(201);
      const again = await client.send('POST', '/v2/cob', CHARGE_BODY, headers);
      expect(again.statusCode).toBe(201);
      expect(again.body).toBe(first.body);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      const other = await client.send('POST', '/v2/cob', { ...CHARGE_BODY, chave: 'other' }, headers);
      expect(other.statusCode).toBe(422);
      const plain = await client.send('POST', '/v2/cob', CHARGE_BODY);
      expect(plain.json<{ txid: string }>().txid).not.toBe(first.json<{ txid: string }>().txid);
    });

    it('answers 20 concurrent duplicates of one POST with one charge', async () => {
      const headers = { 'idempotency-key': 'burst' };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => client.send('POST', '/v2/cob', CHARGE_BODY, headers)),
      );
      expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((response) => response.body)).size).toBe(1);
    });

    it('lists charges with the Pix pagination', async () => {
      const response = await client.get(
        `/v2/cob?${PERIOD}&paginacao.itensPorPagina=2&paginacao.paginaAtual=1`,
      );
      expect(response.statusCode).toBe(200);
      const body = response.json<{ parametros: { paginacao: unknown }; cobs: unknown[] }>();
      expect(body.parametros.paginacao).toEqual({
        paginaAtual: 1,
        itensPorPagina: 2,
        quantidadeDePaginas: 2,
        quantidadeTotalDeItens: 4,
      });
      expect(body.cobs).toHaveLength(2);
      const bad = await client.get('/v2/cob?inicio=2026-12-31T00:00:00Z&fim=2026-01-01T00:00:00Z');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ type: `${ERROR}CobConsultaInvalida` });
      const tooMany = await client.get(`/v2/cob?${PERIOD}&paginacao.itensPorPagina=1001`);
      expect(tooMany.statusCode).toBe(400);
    });
  });

  describe('payment, Pix and refunds', () => {
    const PAID = 'paidCharge000000000000000001';
    let e2eid: string;

    it('pays a charge in the sandbox once, concluding it', async () => {
      await client.createCharge(PAID);
      const pix = await client.pay(PAID, { pagador: { cpf: '12345678909', nome: 'Ana' } });
      e2eid = pix.endToEndId;
      expect(e2eid).toMatch(/^E\d{8}202603011000[a-zA-Z0-9]{11}$/);
      expect(pix.valor).toBe('123.45');
      const cob = await client.get(`/v2/cob/${PAID}`);
      expect(cob.json()).toMatchObject({ status: 'CONCLUIDA', revisao: 1, pix: [{ endToEndId: e2eid }] });
      const again = await client.send('POST', `/v2/sandbox/cob/${PAID}/pagamento`, {});
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ type: `${ERROR}CobOperacaoInvalida` });
    });

    it('reads and lists the Pix, filtering by payer', async () => {
      expect((await client.get(`/v2/pix/${e2eid}`)).json()).toMatchObject({ endToEndId: e2eid, txid: PAID });
      const listed = await client.get(`/v2/pix?${PERIOD}&cpf=12345678909`);
      expect(listed.json<{ pix: unknown[] }>().pix).toHaveLength(1);
      const missing = await client.get('/v2/pix/E00000000202603011000aaaaaaaaaaa');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ type: `${ERROR}PixNaoEncontrado` });
    });

    it('refunds part twice, answers a repeat with the same refund, and refuses an over-refund', async () => {
      const first = await client.send('PUT', `/v2/pix/${e2eid}/devolucao/d1`, { valor: '100.00' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        id: 'd1',
        valor: '100.00',
        status: 'DEVOLVIDO',
        natureza: 'ORIGINAL',
      });
      const repeat = await client.send('PUT', `/v2/pix/${e2eid}/devolucao/d1`, { valor: '100.00' });
      expect(repeat.body).toBe(first.body);
      const second = await client.send('PUT', `/v2/pix/${e2eid}/devolucao/d2`, { valor: '23.45' });
      expect(second.statusCode).toBe(201);
      const over = await client.send('PUT', `/v2/pix/${e2eid}/devolucao/d3`, { valor: '0.01' });
      expect(over.statusCode).toBe(400);
      expect(over.json()).toMatchObject({ type: `${ERROR}PixDevolucaoInvalida` });
      const reused = await client.send('PUT', `/v2/pix/${e2eid}/devolucao/d1`, { valor: '1.00' });
      expect(reused.json()).toMatchObject({ type: `${ERROR}PixDevolucaoInvalida` });
      expect((await client.get(`/v2/pix/${e2eid}/devolucao/d2`)).json()).toMatchObject({ valor: '23.45' });
      const missing = await client.get(`/v2/pix/${e2eid}/devolucao/d9`);
      expect(missing.json()).toMatchObject({ type: `${ERROR}PixDevolucaoNaoEncontrada` });
      const pix = await client.get(`/v2/pix/${e2eid}`);
      expect(pix.json<{ devolucoes: unknown[] }>().devolucoes).toHaveLength(2);
    });
  });

  describe('locations', () => {
    it('creates, reads, lists and unlinks a location', async () => {
      const created = await client.send('POST', '/v2/loc', { tipoCob: 'cob' });
      expect(created.statusCode).toBe(201);
      const { id } = created.json<{ id: number }>();
      await client.createCharge('withLocation00000000000000001', { ...CHARGE_BODY, loc: { id } });
      expect((await client.get(`/v2/loc/${id}`)).json()).toMatchObject({
        id,
        txid: 'withLocation00000000000000001',
      });
      const unlinked = await client.api.inject({ method: 'DELETE', url: `/v2/loc/${id}/txid` });
      expect(unlinked.statusCode).toBe(200);
      expect(unlinked.json()).not.toHaveProperty('txid');
      const listed = await client.get(`/v2/loc?${PERIOD}&txIdPresente=false`);
      expect(listed.json<{ loc: { id: number }[] }>().loc.map((loc) => loc.id)).toContain(id);
      const missing = await client.get('/v2/loc/999999');
      expect(missing.json()).toMatchObject({ type: `${ERROR}PayloadLocationNaoEncontrado` });
    });
  });

  describe('problems in the Pix dialect', () => {
    it('answers a body the contract refuses with RequisicaoInvalida, violacoes and correlationId', async () => {
      const response = await client.send(
        'PUT',
        '/v2/cob/badBodyCharge0000000000000001',
        { ...CHARGE_BODY, valor: { original: '1.5' } },
        { 'x-request-id': 'bad-body-1' },
      );
      expect(response.statusCode).toBe(422);
      const problem = response.json<{ violacoes: { propriedade: string }[] }>();
      expect(problem).toMatchObject({
        type: `${ERROR}RequisicaoInvalida`,
        status: 422,
        correlationId: 'bad-body-1',
      });
      expect(problem.violacoes.map((violation) => violation.propriedade)).toContain('valor.original');
    });

    it('answers a bad query with RequisicaoInvalida and a missing token with AcessoNegado', async () => {
      const query = await client.get('/v2/pix?inicio=yesterday&fim=2026-01-01T00:00:00Z');
      expect(query.statusCode).toBe(400);
      expect(query.json()).toMatchObject({ type: `${ERROR}RequisicaoInvalida` });
      // The detail names this dialect's list, not the server's neutral invalidParams.
      expect(query.json<{ detail: string }>().detail).toMatch(/violacoes/);
      expect(query.json<{ detail: string }>().detail).not.toMatch(/invalidParams/);
      const anonymous = await app.inject({ method: 'GET', url: `/v2/cob/${TXID}` });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ type: `${ERROR}AcessoNegado`, status: 401 });
      expect(anonymous.json()).toHaveProperty('correlationId');
    });

    it('keeps the violating value of a domain refusal', async () => {
      const response = await client.get(`/v2/cob/${TXID}?revisao=7`);
      expect(response.json()).toMatchObject({
        violacoes: [{ propriedade: 'revisao', valor: '7' }],
      });
    });
  });
});
