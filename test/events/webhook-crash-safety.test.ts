// Crash safety of the outbox, with the service as a real process: a Pix paid, its notification in
// flight to a receiver that has not answered yet, and the service killed with SIGKILL. The event was
// committed with the payment, so the service started again delivers it (once its dead claim lapsed),
// on the embedded database and on PostgreSQL alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPgliteConnection } from '../../src/db/pglite/create-pglite-connection.ts';
import { applyMigrations, loadMigrations } from '../../src/db/migrations.ts';
import type { Querier } from '../../src/db/querier.ts';
import { describePostgres } from '../database/describe-each-database.ts';
import { REPO_ROOT, startService, type ServiceProcess } from '../telemetry/service-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const OWNER = 'test-client';
const KEY = 'receiver@example.com';
const TXID = 'crashsafety000000000000000001';
const RELAY = {
  PIX_SANDBOX: 'true',
  PIX_WEBHOOK_ALLOW_INSECURE: 'true',
  // The claim of the killed process lapses after this; the delivery timeout stays well inside it.
  PIX_WEBHOOK_CLAIM_LEASE: '4s',
  PIX_WEBHOOK_DELIVERY_TIMEOUT: '3s',
  PIX_WEBHOOK_POLL_INTERVAL: '200ms',
  PIX_WEBHOOK_RETRY_BASE_DELAY: '50ms',
};

async function configureWebhook(db: Querier, url: string): Promise<void> {
  await db.query('INSERT INTO pix_webhooks (owner_id, chave, webhook_url) VALUES ($1, $2, $3)', [
    OWNER,
    KEY,
    url,
  ]);
}

async function payACharge(service: ServiceProcess): Promise<string> {
  const authorization = await service.authorization();
  const send = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  await send('PUT', `/v2/cob/${TXID}`, {
    calendario: { expiracao: 3600 },
    valor: { original: '10.00' },
    chave: KEY,
  });
  const pix = await send('POST', `/v2/sandbox/cob/${TXID}/pagamento`, {});
  return String(pix.endToEndId);
}

/** `promise`, or a failure showing the service's output when it takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>, service: ServiceProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`nothing within ${ms} ms; the service said:\n${service.output()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pays with the receiver hanging, kills the service, starts it again: the notification arrives. */
async function crashAndRecover(receiver: WebhookReceiver, env: Record<string, string>): Promise<void> {
  receiver.respond = () => null;
  const first = await startService({ env: { ...RELAY, ...env } });
  let endToEndId: string;
  try {
    endToEndId = await payACharge(first);
    await within(60_000, receiver.received(1), first);
  } finally {
    await first.kill();
  }
  receiver.respond = () => ({ status: 200 });
  const second = await startService({ env: { ...RELAY, ...env } });
  try {
    const [delivered] = await within(60_000, receiver.delivered(1), second);
    expect(JSON.parse(delivered!.body)).toMatchObject({ pix: [{ endToEndId, txid: TXID }] });
    // The same notification as the one cut off: the receiver can tell it is a repeat.
    expect(delivered!.headers['webhook-id']).toBe(receiver.requests[0]!.headers['webhook-id']);
    expect(receiver.requests.map((request) => request.status)).toEqual([0, 200]);
  } finally {
    await second.stop();
  }
}

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(() => receiver.close());

describe('a notification cut off by SIGKILL [embedded]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'webhook-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is delivered after the restart', { timeout: 180_000 }, async () => {
    // The webhook is written before the service opens the embedded database (one process at a time).
    const db = await createPgliteConnection({ dataDir: join(dataDir, 'pglite') });
    try {
      await applyMigrations(db, await loadMigrations(join(REPO_ROOT, 'migrations')));
      await configureWebhook(db.writer(), receiver.url);
    } finally {
      await db.close();
    }
    await crashAndRecover(receiver, { DATA_DIR: dataDir });
  });
});

describePostgres('a notification cut off by SIGKILL', (db) => {
  it('is delivered after the restart', { timeout: 180_000 }, async () => {
    await configureWebhook(db.pool.writer(), receiver.url);
    const { host, port, user, password, database } = db.endpoint;
    await crashAndRecover(receiver, {
      POSTGRES_PRIMARY_HOST: host,
      POSTGRES_PRIMARY_PORT: String(port),
      POSTGRES_PRIMARY_USER: user,
      POSTGRES_PRIMARY_PASSWORD: password ?? '',
      POSTGRES_PRIMARY_DATABASE: database,
      HMAC_SECRET: 'crash-safety-test-secret-of-32-bytes!',
    });
  });
});
