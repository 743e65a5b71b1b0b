// Writes the walk-through of docs/payment-api.md from a real run: the service (the same createApp as
// `npm start`) on a fresh in-memory embedded database, driven request by request, each exchange
// printed as it happened, between the walk-through markers of docs/payment-api.md. `npm run
// docs:payment` regenerates it, so the transcript cannot drift from what the service does; with
// `--check` (part of `npm run docs:check`) it writes nothing and fails when the document differs
// from a fresh run in anything but ids, times, tokens and keys.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactVerify, createRemoteJWKSet, customFetch, decodeProtectedHeader } from 'jose';
import { pino } from 'pino';
import { format, resolveConfig } from 'prettier';
import { createApp } from '../src/app.ts';
import { generateSigningKeyPem } from '../src/auth/tokens/signing-key.ts';
import { loadConfig } from '../src/config/config.ts';
import { applyMigrations, loadMigrations } from '../src/db/migrations.ts';
import { createPgliteConnection } from '../src/db/pglite/create-pglite-connection.ts';
import { parseBrCode } from '../src/payment/domain/br-code.ts';
import { generateRsaPrivateKeyPem } from '../src/platform/rsa-private-key.ts';
import { normalizedWalkthrough } from './payment-walkthrough-normalized.ts';

const check = process.argv.includes('--check');

const CLIENT = { id: 'walkthrough', secret: 'walkthrough-secret-walkthrough-secret' };

const lines: string[] = [];
const say = (text: string) => lines.push(text, '');

const db = await createPgliteConnection({});
await applyMigrations(db, await loadMigrations('migrations'), { logger: pino({ level: 'silent' }) });
const config = loadConfig({
  AUTH_SIGNING_KEY: generateSigningKeyPem(),
  AUTH_BOOTSTRAP_CLIENT_ID: CLIENT.id,
  AUTH_BOOTSTRAP_CLIENT_SECRET: CLIENT.secret,
  PIX_PAYLOAD_HOST: 'pix.example.com',
  PIX_PAYLOAD_SIGNING_KEY: generateRsaPrivateKeyPem(),
  RATE_LIMIT_ENABLED: 'false',
});
// The webhook secret, known here so the walk-through can check the signature as a receiver would.
const WEBHOOK_SECRET = `whsec_${Buffer.from('walkthrough-webhook-secret-32byt').toString('base64')}`;
const app = await createApp(config, {
  db,
  logger: pino({ level: 'silent' }),
  hmacSecret: 'w'.repeat(40),
  webhookSigningSecret: WEBHOOK_SECRET,
});

// A webhook receiver on loopback: keeps every request it gets and answers 200.
const notifications: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    notifications.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body,
    });
    response.writeHead(200).end();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/recebedor`;

async function exchange(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await app.inject({
    method,
    url,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
  const shown = Object.entries(options.headers ?? {})
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
  const body = options.body === undefined ? '' : `\n${JSON.stringify(options.body, null, 2)}`;
  const contentType = String(response.headers['content-type'] ?? '');
  const answer = /json/.test(contentType) ? JSON.stringify(response.json(), null, 2) : response.body;
  lines.push('```http', `${method} ${url}`, `${shown}${body}`.trim(), '```', '');
  lines.push('```', `HTTP ${response.statusCode}`, `content-type: ${contentType}`, '', answer, '```', '');
  return response;
}

say('### 1. A token with the Pix scopes');
const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
const scope =
  'cob.read cob.write pix.read pix.write payloadlocation.read payloadlocation.write webhook.read webhook.write';
const token = await app.inject({
  method: 'POST',
  url: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
  payload: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
});
const granted = token.json<{ access_token: string; scope: string; expires_in: number }>();
lines.push('```', `POST /oauth/token (grant_type=client_credentials, scope=${scope})`, '```', '');
lines.push(
  '```',
  `HTTP ${token.statusCode}`,
  JSON.stringify({ ...granted, access_token: '<JWT>' }, null, 2),
  '```',
  '',
);
const auth = { authorization: `Bearer ${granted.access_token}` };

say('### 2. Create a charge');
const txid = 'walkthroughCharge0000000000001';
const cob = await exchange('PUT', `/v2/cob/${txid}`, {
  headers: auth,
  body: {
    calendario: { expiracao: 3600 },
    devedor: { cpf: '12345678909', nome: 'Fulano de Tal' },
    valor: { original: '123.45' },
    chave: 'recebedor@example.com',
    solicitacaoPagador: 'Pedido 42',
  },
});

say('### 3. Decode its BR Code (`pixCopiaECola`)');
const parsed = parseBrCode(cob.json<{ pixCopiaECola: string }>().pixCopiaECola);
lines.push('```json', JSON.stringify(parsed, null, 2), '```', '');

say('### 4. Fetch and verify the payload JWS, as a payer does');
say(
  'The location is open: no token. The answer is a compact JWS whose header names the key (`kid`) and ' +
    'where to fetch it (`jku`); its payload is the charge as the official `CobPayload`.',
);
const location = cob.json<{ location: string }>().location;
const payloadPath = location.slice(location.indexOf('/'));
const jws = (await exchange('GET', payloadPath, { headers: { host: 'pix.example.com' } })).body;
const [headerPart, payloadPart] = jws.split('.');
const decode = (part: string | undefined) =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
say('Its protected header and payload, decoded:');
lines.push('```json', JSON.stringify(decode(headerPart), null, 2), '```', '');
lines.push('```json', JSON.stringify(decode(payloadPart), null, 2), '```', '');
say('The key set the `jku` names:');
await exchange('GET', '/qr/v2/jwks.json', { headers: { host: 'pix.example.com' } });
say(
  'A payer verifies with jose alone: `compactVerify(jws, createRemoteJWKSet(new URL(header.jku)), ' +
    "{ algorithms: ['RS256'] })`. Here jose fetches the jku from this very service (its request handed " +
    'to the app in-process, as pix.example.com is no real host):',
);
const jku = new URL(String(decodeProtectedHeader(jws).jku));
const keySet = createRemoteJWKSet(jku, {
  [customFetch]: async (url: string) => {
    const fetched = await app.inject({
      method: 'GET',
      url: new URL(url).pathname,
      headers: { host: jku.host },
    });
    return new Response(fetched.body, {
      status: fetched.statusCode,
      headers: { 'content-type': 'application/json' },
    });
  },
});
const verified = await compactVerify(jws, keySet, { algorithms: ['RS256'] });
const verifiedPayload = JSON.parse(new TextDecoder().decode(verified.payload)) as {
  txid: string;
  revisao: number;
};
lines.push(
  '```json',
  JSON.stringify(
    {
      verified: true,
      jku: jku.href,
      alg: verified.protectedHeader.alg,
      kid: verified.protectedHeader.kid,
      txid: verifiedPayload.txid,
      revisao: verifiedPayload.revisao,
    },
    null,
    2,
  ),
  '```',
  '',
);
const forged = `${headerPart}.${Buffer.from(JSON.stringify({ ...decode(payloadPart), valor: { original: '1.00' } })).toString('base64url')}.${jws.split('.')[2]}`;
const refused = await compactVerify(forged, keySet, { algorithms: ['RS256'] }).then(
  () => 'verified (a defect!)',
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
say(`The same JWS with its amount changed to 1.00 fails: \`${refused}\`.`);

say('### 5. Pay it in the sandbox');
const pix = await exchange('POST', `/v2/sandbox/cob/${txid}/pagamento`, {
  headers: auth,
  body: { pagador: { cpf: '98765432100', nome: 'Beltrano' } },
});
const e2eid = pix.json<{ endToEndId: string }>().endToEndId;
await exchange('GET', `/v2/cob/${txid}`, { headers: auth });

say('### 6. List the Pix received');
await exchange('GET', '/v2/pix?inicio=2020-01-01T00:00:00Z&fim=2100-01-01T00:00:00Z', { headers: auth });

say('### 7. Refund part of it, twice');
await exchange('PUT', `/v2/pix/${e2eid}/devolucao/devolucao1`, { headers: auth, body: { valor: '100.00' } });
await exchange('PUT', `/v2/pix/${e2eid}/devolucao/devolucao2`, {
  headers: auth,
  body: { valor: '20.00', descricao: 'Desconto' },
});

say('### 8. See the refunds');
await exchange('GET', `/v2/pix/${e2eid}`, { headers: auth });

say('### 9. An over-refund is refused');
await exchange('PUT', `/v2/pix/${e2eid}/devolucao/devolucao3`, {
  headers: { ...auth, 'x-request-id': 'over-refund-1' },
  body: { valor: '3.46' },
});

say(
  '### 9. Register a webhook for the key, to a local receiver (loopback over http: embedded mode allows it, `PIX_WEBHOOK_ALLOW_INSECURE`)',
);
await exchange('PUT', '/v2/webhook/recebedor@example.com', {
  headers: auth,
  body: { webhookUrl: receiverUrl },
});
await exchange('GET', '/v2/webhook/recebedor@example.com', { headers: auth });

say('### 10. A webhook to a private address is refused');
await exchange('PUT', '/v2/webhook/recebedor@example.com', {
  headers: { ...auth, 'x-request-id': 'private-webhook-1' },
  body: { webhookUrl: 'https://10.0.0.1/recebedor' },
});

say(
  '### 11. Pay another charge of the key: the receiver gets the signed notification (the relay runs once the service listens)',
);
await app.listen({ host: '127.0.0.1', port: 0 });
const secondTxid = 'walkthroughCharge0000000000002';
await exchange('PUT', `/v2/cob/${secondTxid}`, {
  headers: auth,
  body: { calendario: { expiracao: 3600 }, valor: { original: '10.00' }, chave: 'recebedor@example.com' },
});
await exchange('POST', `/v2/sandbox/cob/${secondTxid}/pagamento`, { headers: auth, body: {} });
const ofSecondCharge = () => notifications.find((each) => each.body.includes(secondTxid));
for (let waited = 0; !ofSecondCharge(); waited += 50) {
  if (waited > 30_000) throw new Error('no notification reached the receiver within 30 s');
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const notification = ofSecondCharge();
const signed = ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature']
  .map((name) => `${name}: ${String(notification!.headers[name])}`)
  .join('\n');
say(
  `What the receiver got for it (it also got ${notifications.length - 1} notifications of the earlier payment and its refunds: their events waited in the outbox, since this run's service listened, and so relayed, only from this step on):`,
);
lines.push(
  '```http',
  `${notification!.method} ${notification!.url}`,
  signed,
  '',
  JSON.stringify(JSON.parse(notification!.body), null, 2),
  '```',
  '',
);
// The receiver's check (Standard Webhooks): HMAC-SHA256 of id.timestamp.body with the secret's bytes.
const expected = createHmac('sha256', Buffer.from(WEBHOOK_SECRET.slice('whsec_'.length), 'base64'))
  .update(
    `${String(notification!.headers['webhook-id'])}.${String(notification!.headers['webhook-timestamp'])}.${notification!.body}`,
  )
  .digest('base64');
say(
  `The receiver recomputes \`v1,\` + base64(HMAC-SHA256(secret, "<webhook-id>.<webhook-timestamp>.<body>")): ${
    `v1,${expected}` === notification!.headers['webhook-signature'] ? 'it matches' : 'IT DOES NOT MATCH'
  }. Any Standard Webhooks library does the same (docs/events.md).`,
);
if (`v1,${expected}` !== notification!.headers['webhook-signature'])
  throw new Error('the signature does not verify');

await app.close();
receiver.close();
await db.close();
const DOC = 'docs/payment-api.md';
const START = '<!-- walkthrough:start -->';
const END = '<!-- walkthrough:end -->';
const doc = readFileSync(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from === -1 || to < from) throw new Error(`${DOC} lacks the ${START} ... ${END} markers`);
// Formatted as `npm run lint` wants it, so a fresh write passes prettier --check as it stands.
const options = await resolveConfig(DOC, { editorconfig: false });
const updated = await format(
  `${doc.slice(0, from + START.length)}\n\n${lines.join('\n').trim()}\n\n${doc.slice(to)}`,
  { ...options, filepath: DOC },
);
if (check) {
  if (normalizedWalkthrough(updated) !== normalizedWalkthrough(doc)) {
    process.stderr.write(
      `docs:payment: ${DOC} does not show what the service answers now: run npm run docs:payment\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${DOC} walk-through is current\n`);
} else {
  writeFileSync(DOC, updated);
  process.stdout.write(`wrote the walk-through into ${DOC}\n`);
}
