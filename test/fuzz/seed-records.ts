// The records the fuzzer's valid calls act on, made through the API itself: profiles, and for the
// Payment API an active charge, a paid one with its Pix and a refund, a free location and a webhook. Each
// operation gets the concrete paths its valid call is made on; a creating PUT gets a fresh id.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { OperationRoute } from '../../api/operation-route.gen.ts';

export interface SeededRecords {
  profileIds: string[];
  pathsFor: (operation: OperationRoute) => string[];
}

type Send = (method: string, url: string, body: unknown) => Promise<LightMyRequestResponse>;

export async function seedRecords(app: FastifyInstance, token: string): Promise<SeededRecords> {
  const send: Send = (method, url, body) =>
    app.inject({
      method,
      url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(body),
    } as InjectOptions);
  const created = async (method: string, url: string, body: unknown) => {
    const response = await send(method, url, body);
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<Record<string, unknown>>();
  };

  const profileIds: string[] = [];
  for (const [name, age] of [
    ['Ada Lovelace', 36],
    ['Grace Hopper', null],
    ['Katherine Johnson', 101],
  ] as const) {
    const email = `${name.split(' ')[0]!.toLowerCase()}@example.org`;
    const profile = await created('POST', '/v1/profiles', { name, email, age });
    profileIds.push((profile.data as { id: string }).id);
  }

  const charge = {
    calendario: { expiracao: 86_400 },
    valor: { original: '10.00' },
    chave: 'fuzz@example.org',
  };
  const active = 'fuzzActiveCharge00000000000001';
  const paid = 'fuzzPaidCharge0000000000000001';
  await created('PUT', `/v2/cob/${active}`, charge);
  await created('PUT', `/v2/cob/${paid}`, charge);
  const { endToEndId } = (await created('POST', `/v2/sandbox/cob/${paid}/pagamento`, {})) as {
    endToEndId: string;
  };
  await created('PUT', `/v2/pix/${endToEndId}/devolucao/seed`, { valor: '1.00' });
  const { id: locationId } = (await created('POST', '/v2/loc', { tipoCob: 'cob' })) as { id: number };
  const webhook = `/v2/webhook/${charge.chave}`;
  const response = await send('PUT', webhook, { webhookUrl: 'https://pix.example.com/' });
  expect(response.statusCode, response.body).toBe(200);

  const byOperation: Record<string, string[]> = {
    createChargeWithTxid: ['/v2/cob/fuzzFreshCharge00000000000001'],
    reviseCharge: [`/v2/cob/${active}`],
    getCharge: [`/v2/cob/${active}`, `/v2/cob/${paid}`],
    getLocation: [`/v2/loc/${locationId}`],
    unlinkLocation: [`/v2/loc/${locationId}/txid`],
    getPix: [`/v2/pix/${endToEndId}`],
    requestRefund: [`/v2/pix/${endToEndId}/devolucao/fresh`],
    getRefund: [`/v2/pix/${endToEndId}/devolucao/seed`],
    simulatePayment: [`/v2/sandbox/cob/${active}/pagamento`],
    configureWebhook: ['/v2/webhook/+5561900000001'],
    getWebhook: [webhook],
    deleteWebhook: [webhook],
  };
  return {
    profileIds,
    pathsFor: (operation) =>
      byOperation[operation.operationId] ??
      (operation.path.includes('{')
        ? profileIds.map((id) => operation.path.replace(/\{[^}]+\}/g, id))
        : [operation.path]),
  };
}
