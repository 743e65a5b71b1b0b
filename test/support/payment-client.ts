// The Payment API as tests drive it: every request through one contract-checked client carrying a
// token with the Pix scopes, plus the few steps most tests take (create a charge, pay it).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { contractClient, type ContractClient } from './contract-client.ts';
import { pixConformance } from './pix-conformance.ts';
import { obtainToken, TEST_CLIENT, type ClientCredentials } from './test-auth.ts';

export const PAYMENT_CONTRACT = 'oapi/payment.yaml';
export const PAYMENT_SANDBOX_CONTRACT = 'oapi/payment-sandbox.yaml';
export const PIX_SCOPES =
  'cob.read cob.write pix.read pix.write payloadlocation.read payloadlocation.write webhook.read webhook.write';

export interface PaymentClient {
  api: ContractClient;
  sandbox: ContractClient;
  /** PUT /v2/cob/{txid} with a JSON body, expecting 201; the charge's JSON. */
  createCharge(txid: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** POST /v2/sandbox/cob/{txid}/pagamento, expecting 201; the Pix's JSON. */
  pay(txid: string, body?: Record<string, unknown>): Promise<{ endToEndId: string; valor: string }>;
  /** A request with a JSON body. */
  send(
    method: string,
    url: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
}

export const CHARGE_BODY = {
  calendario: { expiracao: 3600 },
  valor: { original: '123.45' },
  chave: 'receiver@example.com',
};

export async function paymentClient(
  app: FastifyInstance,
  credentials: ClientCredentials = TEST_CLIENT,
  scope = PIX_SCOPES,
): Promise<PaymentClient> {
  const token = await obtainToken(app, credentials, scope);
  const headers = { authorization: `Bearer ${token}` };
  const api = await contractClient(app, PAYMENT_CONTRACT, { headers });
  const sandbox = await contractClient(app, PAYMENT_SANDBOX_CONTRACT, { headers });
  const official = pixConformance();
  // Every answer of the Payment API is also checked against the official document, for each status
  // that document declares for the operation (401, 406, 415, 422 and 429 are ours alone).
  const conformant: ContractClient = {
    contract: api.contract,
    async inject(request) {
      const response = await api.inject(request);
      const path = request.url.split('?')[0]!;
      const declared = official.operation(request.method, path).responses.map((each) => each.status);
      if (declared.includes(String(response.statusCode))) {
        official.check({
          method: request.method,
          path,
          status: response.statusCode,
          contentType: String(response.headers['content-type'] ?? ''),
          body: response.body === '' ? undefined : response.json(),
        });
      }
      return response;
    },
  };
  const clientFor = (url: string) => (url.startsWith('/v2/sandbox/') ? sandbox : conformant);
  const send: PaymentClient['send'] = (method, url, body, extra = {}) =>
    clientFor(url).inject({
      method,
      url,
      headers: { 'content-type': 'application/json', ...extra },
      payload: JSON.stringify(body),
    });
  return {
    api: conformant,
    sandbox,
    send,
    get: (url) => clientFor(url).inject({ method: 'GET', url }),
    async createCharge(txid, body = CHARGE_BODY) {
      const response = await send('PUT', `/v2/cob/${txid}`, body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    async pay(txid, body = {}) {
      const response = await send('POST', `/v2/sandbox/cob/${txid}/pagamento`, body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
  };
}
