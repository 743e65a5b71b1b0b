import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPayloadSigner } from '../../src/payment/payload-signing/payload-signer.ts';
import {
  buildPixConformance,
  expectPixConformant,
  PIX_DOCUMENT,
  PIX_ERRATA,
  PixConformanceError,
  pixConformance,
  type PixErratum,
  type PixResponse,
} from './pix-conformance.ts';
import { TEST_PAYLOAD_SIGNING_KEY } from './test-payment.ts';

type Json = Record<string, unknown>;

const TEXT = readFileSync(path.resolve(import.meta.dirname, '../..', PIX_DOCUMENT), 'utf8');
const LINES = TEXT.split('\n');
const DOCUMENT = parse(TEXT, { maxAliasCount: -1 }) as Json;

/** A named example of a response, as the document gives it (following $ref). */
function documentExample(template: string, method: string, status: string, name: string): unknown {
  const resolve = (node: unknown): Json => {
    let current = node as Json;
    while (typeof current['$ref'] === 'string') {
      current = current['$ref']
        .slice(2)
        .split('/')
        .reduce<Json>((parent, key) => parent[key] as Json, DOCUMENT);
    }
    return current;
  };
  const operation = ((DOCUMENT['paths'] as Json)[template] as Json)[method] as Json;
  const response = resolve((operation['responses'] as Json)[status]);
  const media = Object.values(response['content'] as Json)[0] as Json;
  return structuredClone(resolve((media['examples'] as Json)[name])['value']);
}

function violation(check: () => void): string {
  try {
    check();
  } catch (error) {
    if (error instanceof PixConformanceError) return error.message;
    throw error;
  }
  throw new Error('expected a PixConformanceError');
}

const json = 'application/json';

/** The document's cobResponse1 plus the two `loc` fields CobCompleta requires and the example omits. */
function completeCob(): Json {
  const cob = documentExample('/cob/{txid}', 'get', '200', 'retorno1') as Json;
  const loc = cob['loc'] as Json;
  loc['txid'] = cob['txid'];
  loc['criacao'] = '2020-09-09T20:15:00.358Z';
  return cob;
}

const PIX_PARAMETERS = {
  inicio: '2020-04-01T00:00:00Z',
  fim: '2020-04-02T10:00:00Z',
  paginacao: { paginaAtual: 0, itensPorPagina: 100, quantidadeDePaginas: 1, quantidadeTotalDeItens: 1 },
};

describe('the errata', () => {
  it.each(PIX_ERRATA.map((erratum) => [erratum.line, erratum] as const))(
    'cite line %i, which shows the defect',
    (line, erratum) => {
      expect(LINES[line - 1]?.trim()).toBe(erratum.quote);
    },
  );

  it('cite lines in the schemas they correct', () => {
    const schemaAbove = (line: number) =>
      LINES.slice(0, line)
        .reverse()
        .find((text) => /^ {4}[A-Za-z]+:$/.test(text))
        ?.trim();
    expect(PIX_ERRATA.map((erratum) => schemaAbove(erratum.line))).toEqual([
      'PixConsultados:',
      'CobsConsultadas:',
      'PayloadLocation:',
      'get:', // line 963: the cpf query parameter of GET /cob, the first of the twelve CPF patterns
      'WebhookCompleto:',
    ]);
    expect(LINES[7783]?.trim()).toBe('example: "pix.example.com/qr/v2/2353c790eefb11eaadc10242ac120002"');
    expect(documentExample('/webhook/{chave}', 'get', '200', 'exemplo1')).toEqual({
      webhookUrl: 'https://pix.example.com/api/webhook/',
      chave: '40a0932d-1918-4eee-845d-35a2da1690dc',
      criacao: '2020-11-11T10:15:00.358Z',
    });
  });

  const without = (line: number): readonly PixErratum[] =>
    PIX_ERRATA.filter((erratum) => erratum.line !== line);

  const needs: [number, PixResponse][] = [
    [
      8066,
      {
        method: 'GET',
        path: '/cob',
        status: 200,
        contentType: json,
        body: { parametros: PIX_PARAMETERS, cobs: [completeCob()] },
      },
    ],
    [7783, { method: 'GET', path: '/cob/{txid}', status: 200, contentType: json, body: completeCob() }],
    [
      963,
      {
        method: 'GET',
        path: '/cob/{txid}',
        status: 200,
        contentType: json,
        body: { ...completeCob(), devedor: { cpf: '12345678909', nome: 'Francisco da Silva' } },
      },
    ],
    [
      5179,
      {
        method: 'GET',
        path: '/webhook/{chave}',
        status: 200,
        contentType: json,
        body: documentExample('/webhook/{chave}', 'get', '200', 'exemplo1'),
      },
    ],
  ];

  it.each(needs)('are each needed: without the one of line %i a correct response fails', (line, response) => {
    expect(() => pixConformance().check(response)).not.toThrow();
    expect(violation(() => buildPixConformance(without(line)).check(response))).toContain('does not match');
  });

  it('make GET /pix require its list: the generator drops a required name it finds no property for', () => {
    const parametersOnly: PixResponse = {
      method: 'GET',
      path: '/pix',
      status: 200,
      contentType: json,
      body: { parametros: PIX_PARAMETERS },
    };
    expect(() => buildPixConformance(without(8721)).check(parametersOnly)).not.toThrow();
    expect(violation(() => pixConformance().check(parametersOnly))).toContain(
      "must have required property 'pix'",
    );
    expect(() =>
      pixConformance().check({ ...parametersOnly, body: { parametros: PIX_PARAMETERS, pix: [] } }),
    ).not.toThrow();
  });

  it('refuse to load once the defect is gone', () => {
    const twice = [...PIX_ERRATA, PIX_ERRATA[0]!];
    expect(() => buildPixConformance(twice)).toThrow(`${PIX_DOCUMENT}:8721 no longer shows the defect`);
  });

  it('relax nothing else: a CPF of letters, a location with spaces still fail', () => {
    const cpf = { ...completeCob(), devedor: { cpf: '1234567890a', nome: 'Francisco da Silva' } };
    expect(
      violation(() =>
        expectPixConformant({
          method: 'GET',
          path: '/cob/{txid}',
          status: 200,
          contentType: json,
          body: cpf,
        }),
      ),
    ).toContain('/devedor');
    const cob = completeCob();
    (cob['loc'] as Json)['location'] = 'not a location';
    expect(
      violation(() =>
        expectPixConformant({
          method: 'GET',
          path: '/cob/{txid}',
          status: 200,
          contentType: json,
          body: cob,
        }),
      ),
    ).toContain('/loc/location must match format "uri-reference"');
  });
});

describe('a conforming response', () => {
  it('passes for examples of the document', () => {
    for (const name of ['retorno1']) {
      expectPixConformant({
        method: 'GET',
        path: '/pix/{e2eid}',
        status: 200,
        contentType: json,
        body: documentExample('/pix/{e2eid}', 'get', '200', name),
      });
    }
    expectPixConformant({
      method: 'GET',
      path: '/cob/{txid}',
      status: 404,
      contentType: 'application/problem+json',
      body: documentExample('/cob/{txid}', 'get', '404', 'exemplo1'),
    });
  });

  it('is found by the service’s /v2 path, template or concrete', () => {
    const conformance = pixConformance();
    expect(conformance.operation('PUT', '/v2/cob/{txid}').operationId).toBe('putCobByTxid');
    expect(conformance.operation('GET', '/v2/cob/7978c0c97ea847e78e8849634473c1f1').operationId).toBe(
      'getCobByTxid',
    );
    expect(conformance.operation('GET', '/cob').operationId).toBe('getCob');
    expect(() => conformance.operation('GET', '/v2/nothing/here')).toThrow(PixConformanceError);
  });

  it('passes for a payload JWS whose payload is a CobPayload, and fails for one that is not', async () => {
    const signer = await createPayloadSigner({
      privateKeyPem: TEST_PAYLOAD_SIGNING_KEY,
      jwksUrl: 'https://pix.example.com/qr/v2/jwks.json',
    });
    const payload = {
      calendario: {
        criacao: '2020-09-15T19:39:54.013Z',
        apresentacao: '2020-09-15T19:40:00Z',
        expiracao: 3600,
      },
      txid: 'fc9a4366ff3d4964b5dbc6c91a8722d3',
      revisao: 3,
      status: 'ATIVA',
      valor: { original: '500.00' },
      chave: '7407c9c8-f78b-11ea-adc1-0242ac120002',
    };
    const response = (body: string) => ({
      method: 'GET',
      path: '/{pixUrlAccessToken}',
      status: 200,
      contentType: 'application/jose',
      body,
    });
    expectPixConformant(response(await signer.sign(payload)));
    const { valor: _valor, ...withoutValor } = payload;
    const unsigned = await signer.sign(withoutValor);
    expect(violation(() => expectPixConformant(response(unsigned)))).toContain(
      "the JWS payload does not match the schema: (root) must have required property 'valor'",
    );
    expect(violation(() => expectPixConformant(response('x.y.z')))).toContain('not a compact JWS');
  });
});

describe('the webhook operations', () => {
  const webhook = {
    webhookUrl: 'https://pix.example.com/api/webhook/',
    chave: 'receiver@example.com',
    criacao: '2026-03-01T10:00:00.000Z',
  };

  it('are found by the service’s paths', () => {
    const conformance = pixConformance();
    expect(
      [
        ['PUT', '/v2/webhook/{chave}'],
        ['GET', '/v2/webhook/receiver@example.com'],
        ['DELETE', '/v2/webhook/+5561912345678'],
        ['GET', '/v2/webhook'],
      ].map(([method, path]) => conformance.operation(method!, path!).operationId),
    ).toEqual(['putWebhookByChave', 'getWebhookByChave', 'deleteWebhookByChave', 'getWebhook']);
  });

  it('pass for the answers the service gives', () => {
    expectPixConformant({ method: 'PUT', path: '/v2/webhook/{chave}', status: 200 });
    expectPixConformant({ method: 'DELETE', path: '/v2/webhook/{chave}', status: 204 });
    expectPixConformant({
      method: 'GET',
      path: '/v2/webhook/{chave}',
      status: 200,
      contentType: json,
      body: webhook,
    });
    expectPixConformant({
      method: 'GET',
      path: '/v2/webhook',
      status: 200,
      contentType: json,
      body: { parametros: { paginacao: PIX_PARAMETERS.paginacao }, webhooks: [webhook] },
    });
    expectPixConformant({
      method: 'GET',
      path: '/v2/webhook/{chave}',
      status: 404,
      contentType: 'application/problem+json',
      body: {
        type: 'https://pix.bcb.gov.br/api/v2/error/WebhookNaoEncontrado',
        title: 'Webhook não encontrado.',
        status: 404,
      },
    });
  });

  it('fail for a webhook without criacao, with a bad date, or a list without webhooks', () => {
    const { criacao: _criacao, ...withoutCriacao } = webhook;
    const get = { method: 'GET', path: '/v2/webhook/{chave}', status: 200, contentType: json };
    expect(violation(() => expectPixConformant({ ...get, body: withoutCriacao }))).toContain(
      "must have required property 'criacao'",
    );
    expect(
      violation(() => expectPixConformant({ ...get, body: { ...webhook, criacao: 'yesterday' } })),
    ).toContain('/criacao must match format "date-time"');
    expect(
      violation(() =>
        expectPixConformant({ method: 'GET', path: '/v2/webhook', status: 200, contentType: json, body: {} }),
      ),
    ).toContain("must have required property 'webhooks'");
    expect(
      violation(() => expectPixConformant({ method: 'DELETE', path: '/v2/webhook/{chave}', status: 200 })),
    ).toContain('status 200 is not declared');
  });
});

describe('a non-conforming response', () => {
  const ok: PixResponse = {
    method: 'GET',
    path: '/v2/cob/{txid}',
    status: 200,
    contentType: json,
    body: completeCob(),
  };

  it('fails for a wrong type, naming the field', () => {
    const cob = completeCob();
    (cob['valor'] as Json)['original'] = 37;
    expect(violation(() => expectPixConformant({ ...ok, body: cob }))).toContain(
      '/valor/original must be string',
    );
  });

  it('fails for a missing required field', () => {
    const { txid: _txid, ...cob } = completeCob();
    expect(violation(() => expectPixConformant({ ...ok, body: cob }))).toContain(
      "must have required property 'txid'",
    );
  });

  it('fails for an undeclared status or media type, and an empty body', () => {
    expect(violation(() => expectPixConformant({ ...ok, status: 418 }))).toContain(
      'status 418 is not declared',
    );
    expect(violation(() => expectPixConformant({ ...ok, contentType: 'text/plain' }))).toContain(
      'Content-Type text/plain is not declared',
    );
    expect(violation(() => expectPixConformant({ ...ok, body: undefined }))).toContain(
      'yet the body is empty',
    );
  });
});
