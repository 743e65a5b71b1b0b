// Requests the Payment contract's schemas refuse, on every operation and every part of a request:
// each is answered as the official document answers one that "does not respect the schema", 400
// with the operation's own error type, and each answer is checked against that document (by the
// client) where it declares the status. Profile keeps the server's own choice (422 for a body).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { CHARGE_BODY, paymentClient, type PaymentClient } from '../../../test/support/payment-client.ts';
import { profileClient } from '../../../test/support/profile-client.ts';
import { buildTestApp } from '../../../test/support/test-app.ts';

const ERROR = 'https://pix.bcb.gov.br/api/v2/error/';
const TXID = 'validationCharge0000000000001';
const E2EID = 'E99999999202603011000abcdefghijk';
const PERIOD = 'inicio=2026-01-01T00:00:00Z&fim=2026-12-31T00:00:00Z';

interface Case {
  name: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  type: string;
  /** The violacoes[].propriedade expected among the listed ones. */
  property: string;
}

const CASES: Case[] = [
  {
    name: 'PUT /cob/{txid}: an amount without two decimals',
    method: 'PUT',
    url: `/v2/cob/${TXID}`,
    body: { ...CHARGE_BODY, valor: { original: '1.5' } },
    type: 'CobOperacaoInvalida',
    property: 'valor.original',
  },
  {
    name: 'PUT /cob/{txid}: a txid of 25 characters',
    method: 'PUT',
    url: `/v2/cob/${'a'.repeat(25)}`,
    body: CHARGE_BODY,
    type: 'CobOperacaoInvalida',
    property: 'txid',
  },
  {
    name: 'POST /cob: no chave',
    method: 'POST',
    url: '/v2/cob',
    body: { calendario: {}, valor: { original: '1.00' } },
    type: 'CobOperacaoInvalida',
    property: 'chave',
  },
  {
    name: 'POST /cob: an Idempotency-Key of 256 characters',
    method: 'POST',
    url: '/v2/cob',
    body: CHARGE_BODY,
    headers: { 'idempotency-key': 'k'.repeat(256) },
    type: 'CobOperacaoInvalida',
    property: 'idempotency-key',
  },
  {
    name: 'PATCH /cob/{txid}: a status other than REMOVIDA_PELO_USUARIO_RECEBEDOR',
    method: 'PATCH',
    url: `/v2/cob/${TXID}`,
    body: { status: 'ATIVA' },
    type: 'CobOperacaoInvalida',
    property: 'status',
  },
  {
    name: 'GET /cob/{txid}: a negative revisao',
    method: 'GET',
    url: `/v2/cob/${TXID}?revisao=-1`,
    type: 'CobConsultaInvalida',
    property: 'revisao',
  },
  {
    name: 'GET /cob: inicio not a timestamp',
    method: 'GET',
    url: '/v2/cob?inicio=yesterday&fim=2026-12-31T00:00:00Z',
    type: 'CobConsultaInvalida',
    property: 'inicio',
  },
  {
    name: 'GET /cob: no fim',
    method: 'GET',
    url: '/v2/cob?inicio=2026-01-01T00:00:00Z',
    type: 'CobConsultaInvalida',
    property: 'fim',
  },
  {
    name: 'GET /cob: more than 1000 items a page',
    method: 'GET',
    url: `/v2/cob?${PERIOD}&paginacao.itensPorPagina=1001`,
    type: 'CobConsultaInvalida',
    property: 'paginacao.itensPorPagina',
  },
  {
    name: 'GET /cob: an unknown parameter',
    method: 'GET',
    url: `/v2/cob?${PERIOD}&pagina=2`,
    type: 'CobConsultaInvalida',
    property: 'pagina',
  },
  {
    name: 'POST /loc: tipoCob cobv, which is not offered',
    method: 'POST',
    url: '/v2/loc',
    body: { tipoCob: 'cobv' },
    type: 'PayloadLocationOperacaoInvalida',
    property: 'tipoCob',
  },
  {
    name: 'GET /loc: fim not a timestamp',
    method: 'GET',
    url: '/v2/loc?inicio=2026-01-01T00:00:00Z&fim=tomorrow',
    type: 'PayloadLocationConsultaInvalida',
    property: 'fim',
  },
  {
    name: 'GET /loc/{id}: an id that is no number',
    method: 'GET',
    url: '/v2/loc/abc',
    type: 'PayloadLocationConsultaInvalida',
    property: 'id',
  },
  {
    name: 'DELETE /loc/{id}/txid: an id that is no number',
    method: 'DELETE',
    url: '/v2/loc/abc/txid',
    type: 'RequisicaoInvalida',
    property: 'id',
  },
  {
    name: 'GET /pix: inicio not a timestamp',
    method: 'GET',
    url: '/v2/pix?inicio=yesterday&fim=2026-12-31T00:00:00Z',
    type: 'PixConsultaInvalida',
    property: 'inicio',
  },
  {
    name: 'GET /pix: a cpf of letters',
    method: 'GET',
    url: `/v2/pix?${PERIOD}&cpf=abcdefghijk`,
    type: 'PixConsultaInvalida',
    property: 'cpf',
  },
  {
    name: 'GET /pix/{e2eid}: an e2eid of 31 characters',
    method: 'GET',
    url: `/v2/pix/${E2EID.slice(1)}`,
    type: 'RequisicaoInvalida',
    property: 'e2eid',
  },
  {
    name: 'PUT /pix/{e2eid}/devolucao/{id}: an amount that is no amount',
    method: 'PUT',
    url: `/v2/pix/${E2EID}/devolucao/d1`,
    body: { valor: '1' },
    type: 'PixDevolucaoInvalida',
    property: 'valor',
  },
  {
    name: 'PUT /pix/{e2eid}/devolucao/{id}: an id with a dash',
    method: 'PUT',
    url: `/v2/pix/${E2EID}/devolucao/d-1`,
    body: { valor: '1.00' },
    type: 'PixDevolucaoInvalida',
    property: 'id',
  },
  {
    name: 'GET /pix/{e2eid}/devolucao/{id}: an id of 36 characters',
    method: 'GET',
    url: `/v2/pix/${E2EID}/devolucao/${'d'.repeat(36)}`,
    type: 'RequisicaoInvalida',
    property: 'id',
  },
  {
    name: 'POST /sandbox/cob/{txid}/pagamento: an amount that is no amount',
    method: 'POST',
    url: `/v2/sandbox/cob/${TXID}/pagamento`,
    body: { valor: 'ten' },
    type: 'RequisicaoInvalida',
    property: 'valor',
  },
];

describeEachDatabase('Payment validation', (db) => {
  let app: FastifyInstance;
  let client: PaymentClient;

  beforeAll(async () => {
    app = await buildTestApp(db.pool);
    client = await paymentClient(app);
  });
  afterAll(() => app.close());

  it.each(CASES.map((each) => [each.name, each] as const))('%s', async (_name, each) => {
    const response =
      each.body === undefined
        ? await (each.url.startsWith('/v2/sandbox/') ? client.sandbox : client.api).inject({
            method: each.method,
            url: each.url,
            ...(each.headers ? { headers: each.headers } : {}),
          })
        : await client.send(each.method, each.url, each.body, each.headers);
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ violacoes: { propriedade: string }[] }>();
    expect(problem).toMatchObject({
      type: `${ERROR}${each.type}`,
      status: 400,
      correlationId: expect.any(String),
    });
    expect(problem.violacoes.map((violation) => violation.propriedade)).toContain(each.property);
  });

  it('answers malformed JSON with the general RequisicaoInvalida, 400', async () => {
    const response = await client.api.inject({
      method: 'PUT',
      url: `/v2/cob/${TXID}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"valor":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: `${ERROR}RequisicaoInvalida`, status: 400 });
  });

  it('leaves Profile as it was: 422 for a body the schema refuses, 400 for parameters', async () => {
    const profiles = await profileClient(app);
    const body = await profiles.inject({
      method: 'POST',
      url: '/v1/profiles',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 42 }),
    });
    expect(body.statusCode).toBe(422);
    expect(body.json()).toMatchObject({ type: '/problems/invalid-body', status: 422 });
    const parameters = await profiles.inject({ method: 'GET', url: '/v1/profiles?pageSize=0' });
    expect(parameters.statusCode).toBe(400);
    expect(parameters.json()).toMatchObject({ type: '/problems/invalid-parameters', status: 400 });
  });
});
