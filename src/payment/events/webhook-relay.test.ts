// Pix webhooks from the outbox, PostgreSQL alone, on PGlite and real PostgreSQL: a real receiver on
// loopback gets each notification once, signed (checked by the standardwebhooks package) and valid
// against the official callback schema; events roll back with their transaction; failures are
// retried with backoff or dead-lettered and re-queued; several relays share one database.
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { testPaymentIds } from '../../../test/support/payment-test-ids.ts';
import { expectValidPixCallback } from '../../../test/support/pix-callback.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { loadConfig } from '../../config/config.ts';
import type { BusinessMeter } from '../../platform/business-metric.ts';
import { systemClock } from '../../platform/clock.ts';
import { uuidV7Generator } from '../../platform/ids.ts';
import { noopTracer } from '../../platform/tracer.ts';
import { ChargeService } from '../domain/charge-service.ts';
import { writeIn, type PaymentDeps } from '../domain/payment-deps.ts';
import { PixService } from '../domain/pix-service.ts';
import { sqlPaymentEventLog } from '../persistence/sql-payment-event-log.ts';
import { createSqlPaymentStore } from '../persistence/sql-payment-store.ts';
import { requeueDeadEvents } from '../persistence/sql-dead-letters.ts';
import { createEventPipeline, type EventPipeline } from './event-pipeline.ts';

const OWNER = 'client-a';
const KEY = 'receiver@example.com';
const SECRET = `whsec_${Buffer.from('a-test-secret-of-thirty-two-byte').toString('base64')}`;
/** Short delays so retries happen within a test. */
const FAST = {
  PIX_WEBHOOK_RETRY_BASE_DELAY: '20ms',
  PIX_WEBHOOK_RETRY_MAX_DELAY: '200ms',
  PIX_WEBHOOK_POLL_INTERVAL: '50ms',
  PIX_WEBHOOK_CLAIM_LEASE: '3s',
  PIX_WEBHOOK_DELIVERY_TIMEOUT: '2s',
};

/** Counts every metric recording by name and attributes: "webhook.deliveries outcome=delivered". */
function recordingMeter(recorded: Map<string, number>): BusinessMeter {
  const add = (name: string, attributes?: Readonly<Record<string, string>>) => {
    const label = [name, ...Object.entries(attributes ?? {}).map(([k, v]) => `${k}=${v}`)].join(' ');
    recorded.set(label, (recorded.get(label) ?? 0) + 1);
  };
  return {
    counter: (metric) => ({ add: (_value, attributes) => add(metric.name, attributes) }),
    histogram: (metric) => ({ record: (_value, attributes) => add(metric.name, attributes) }),
  };
}

// Compiling the official document's schema blocks the event loop for a while; done before any relay
// runs, so no delivery in flight sees its own timeout fire first.
beforeAll(() => expectValidPixCallback('{"pix":[]}'));

describeEachDatabase('Pix webhooks from the outbox', { isolation: 'test' }, (db) => {
  let receiver: WebhookReceiver;
  let pipelines: EventPipeline[];
  let recorded: Map<string, number>;
  let deps: PaymentDeps;
  let charges: ChargeService;
  let pix: PixService;
  let txids: number;

  function startRelay(
    env: Record<string, string> = {},
    instance = `relay-${pipelines.length}`,
  ): EventPipeline {
    const { events } = loadConfig({ ...FAST, ...env });
    const pipeline = createEventPipeline(
      { events, allowInsecure: true, signingSecret: SECRET, instance },
      {
        db: db.pool.writer(),
        clock: systemClock,
        tracer: noopTracer,
        meter: recordingMeter(recorded),
        log: silent,
      },
    );
    pipelines.push(pipeline);
    for (const worker of pipeline.workers) void worker.start();
    return pipeline;
  }

  async function configureWebhook(url: string, key = KEY): Promise<void> {
    await db.pool
      .writer()
      .query('INSERT INTO pix_webhooks (owner_id, chave, webhook_url) VALUES ($1, $2, $3)', [
        OWNER,
        key,
        url,
      ]);
  }

  async function paidCharge(key = KEY): Promise<string> {
    txids += 1;
    const txid = `webhooktest${String(txids).padStart(20, '0')}`;
    await charges.createWithTxid(OWNER, txid, { originalCents: 1000 + txids, key, expiresInSeconds: 3600 });
    return (await pix.pay(OWNER, txid, {})).endToEndId;
  }

  async function outboxRows(): Promise<{ status: string; attempts: number; last_error: string | null }[]> {
    const { rows } = await db.pool
      .writer()
      .query<{ status: string; attempts: number; last_error: string | null }>(
        'SELECT status, attempts, last_error FROM payment_event_outbox ORDER BY sequence',
      );
    return rows;
  }

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    pipelines = [];
    recorded = new Map();
    txids = 0;
    deps = {
      db: db.pool,
      storeOn: createSqlPaymentStore,
      eventsOn: sqlPaymentEventLog({ ids: uuidV7Generator, traceContext: () => undefined }),
      eventsCommitted: () => {
        for (const pipeline of pipelines) pipeline.eventsCommitted();
      },
      clock: systemClock,
      ids: testPaymentIds(),
      txTimeoutMs: 10_000,
      idempotencyTtlSeconds: 86_400,
      sandbox: true,
    };
    charges = new ChargeService(deps);
    pix = new PixService(deps);
  });

  afterEach(async () => {
    for (const pipeline of pipelines) for (const worker of pipeline.workers) await worker.stop();
    await receiver.close();
  });

  it('delivers a paid charge once to {webhookUrl}/pix, signed and in the official callback form', async () => {
    await configureWebhook(receiver.url);
    startRelay();
    const endToEndId = await paidCharge();

    const [request] = await receiver.delivered(1);
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hooks/pix');
    expect(request!.headers['content-type']).toBe('application/json');
    const verified = new Webhook(SECRET).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toEqual(JSON.parse(request!.body));
    expectValidPixCallback(request!.body);
    const body = JSON.parse(request!.body) as { pix: Record<string, unknown>[] };
    expect(body.pix).toEqual([
      expect.objectContaining({ endToEndId, chave: KEY, valor: '10.01', txid: expect.any(String) }),
    ]);
    // A signature made with another secret is refused by the same independent check.
    const other = `whsec_${Buffer.from('another-secret-of-thirty-two-byt').toString('base64')}`;
    expect(() =>
      new Webhook(other).verify(request!.body, request!.headers as Record<string, string>),
    ).toThrow();

    await eventually(outboxRows, (rows) => rows[0]?.status === 'delivered');
    expect(receiver.requests).toHaveLength(1);
    expect(recorded.get('webhook.deliveries outcome=delivered')).toBe(1);
    expect(recorded.get('events.relay.lag stage=delivered')).toBe(1);
  });

  it('tells of a refund that settled, with the refund in the Pix', async () => {
    await configureWebhook(receiver.url);
    startRelay();
    const endToEndId = await paidCharge();
    await pix.refund(OWNER, endToEndId, 'refund1', {
      amountCents: 500,
      nature: 'ORIGINAL',
      description: null,
    });

    const requests = await receiver.delivered(2);
    for (const request of requests) expectValidPixCallback(request.body);
    const second = JSON.parse(requests[1]!.body) as { pix: { devolucoes?: unknown[] }[] };
    expect(second.pix[0]!.devolucoes).toEqual([
      expect.objectContaining({ id: 'refund1', valor: '5.00', status: 'DEVOLVIDO' }),
    ]);
    const { rows } = await db.pool
      .writer()
      .query<{ type: string }>('SELECT type FROM payment_events ORDER BY sequence');
    expect(rows.map((row) => row.type)).toEqual(['pix.received', 'refund.settled']);
  });

  it('writes nothing when the transaction that appended the event rolls back', async () => {
    await configureWebhook(receiver.url);
    startRelay();
    const txid = 'rolledback0000000000000000001';
    await charges.createWithTxid(OWNER, txid, { originalCents: 100, key: KEY, expiresInSeconds: 3600 });
    await expect(
      writeIn(deps, OWNER, async (store, events) => {
        const charge = await store.findCharge(txid, { forUpdate: true });
        const now = new Date();
        await events.append(
          {
            type: 'pix.received',
            pix: {
              endToEndId: 'E12345678202601010000rolledback1',
              txid,
              amountCents: charge!.originalCents,
              key: KEY,
              payer: null,
              payerInfo: null,
              settledAt: now,
              refundedCents: 0,
              refunds: [],
            },
          },
          now,
        );
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');

    // A later event is delivered, and only it: the relay saw nothing of the rolled-back one.
    const endToEndId = await paidCharge();
    const [request] = await receiver.delivered(1);
    expect(JSON.parse(request!.body)).toMatchObject({ pix: [{ endToEndId }] });
    expect(await outboxRows()).toHaveLength(1);
    const { rows } = await db.pool.writer().query('SELECT 1 FROM payment_events');
    expect(rows).toHaveLength(1);
  });

  it('keeps the event log append-only', async () => {
    await paidCharge();
    await expect(db.pool.writer().query("UPDATE payment_events SET type = 'refund.settled'")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.writer().query('DELETE FROM payment_events')).rejects.toThrow(/append-only/);
  });

  it('skips an event whose key has no webhook, sending nothing', async () => {
    startRelay();
    await paidCharge();
    const rows = await eventually(outboxRows, (each) => each[0]?.status === 'skipped');
    expect(rows[0]!.attempts).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });

  it('retries while the receiver is down and delivers once it is up', async () => {
    const port = receiver.port;
    const url = receiver.url;
    await receiver.close();
    await configureWebhook(url);
    startRelay();
    await paidCharge();

    const failing = await eventually(outboxRows, (rows) => (rows[0]?.attempts ?? 0) >= 2);
    expect(failing[0]!.status).toBe('pending');
    expect(failing[0]!.last_error).toMatch(/ECONNREFUSED/);

    receiver = await startWebhookReceiver(port);
    await receiver.delivered(1);
    await eventually(outboxRows, (rows) => rows[0]?.status === 'delivered');
    expect(receiver.requests).toHaveLength(1);
    expect(recorded.get('webhook.deliveries outcome=retried')).toBeGreaterThanOrEqual(2);
  });

  it('delivers once after a 500, retrying with the same webhook-id', async () => {
    receiver.respond = (_request, index) => ({ status: index === 0 ? 500 : 200 });
    await configureWebhook(receiver.url);
    startRelay();
    await paidCharge();

    await receiver.delivered(1);
    const rows = await eventually(outboxRows, (each) => each[0]?.status === 'delivered');
    expect(rows[0]!.attempts).toBe(2);
    expect(receiver.requests.map((request) => request.status)).toEqual([500, 200]);
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(receiver.requests[1]!.headers['webhook-id']);
  });

  it('honours Retry-After on a 429', async () => {
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
    await configureWebhook(receiver.url);
    // The first backoff is at most 20 ms; the cap (which also bounds Retry-After) is raised to 5 s.
    startRelay({ PIX_WEBHOOK_RETRY_MAX_DELAY: '5s' });
    await paidCharge();
    await receiver.delivered(1);
    const [first, second] = receiver.requests;
    // Retry-After (1 s) outweighs the backoff: a lower bound, which load cannot break.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('caps a Retry-After at PIX_WEBHOOK_RETRY_MAX_DELAY', async () => {
    receiver.respond = (_request, index) =>
      index === 0 ? { status: 503, headers: { 'retry-after': '3600' } } : { status: 200 };
    await configureWebhook(receiver.url);
    startRelay();
    await paidCharge();
    await receiver.delivered(1);
    expect(receiver.requests.map((request) => request.status)).toEqual([503, 200]);
  });

  it('dead-letters at once on a 410, and the operator re-queues it', async () => {
    receiver.respond = () => ({ status: 410 });
    await configureWebhook(receiver.url);
    startRelay();
    await paidCharge();

    const dead = await eventually(outboxRows, (rows) => rows[0]?.status === 'dead');
    expect(dead[0]).toMatchObject({ attempts: 1, last_error: 'answered 410' });
    expect(recorded.get('webhook.deliveries outcome=dead')).toBe(1);

    receiver.respond = () => ({ status: 200 });
    expect(await requeueDeadEvents(db.pool.writer(), { all: true }, systemClock.now())).toBe(1);
    pipelines[0]!.eventsCommitted();
    await receiver.delivered(1);
    const rows = await eventually(outboxRows, (each) => each[0]?.status === 'delivered');
    expect(rows[0]!.attempts).toBe(1);
    expect(receiver.requests.map((request) => request.status)).toEqual([410, 200]);
  });

  it('dead-letters after the last allowed attempt', async () => {
    receiver.respond = () => ({ status: 503 });
    await configureWebhook(receiver.url);
    startRelay({ PIX_WEBHOOK_MAX_ATTEMPTS: '3' });
    await paidCharge();
    const rows = await eventually(outboxRows, (each) => each[0]?.status === 'dead');
    expect(rows[0]).toMatchObject({ attempts: 3, last_error: 'answered 503 (after 3 attempts)' });
    expect(receiver.requests).toHaveLength(3);
  });

  it('does not follow a redirect: a 3xx is a failed delivery', async () => {
    receiver.respond = () => ({
      status: 307,
      headers: { location: 'http://169.254.169.254/latest/meta-data' },
    });
    await configureWebhook(receiver.url);
    startRelay();
    await paidCharge();
    const rows = await eventually(outboxRows, (each) => each[0]?.status === 'dead');
    expect(rows[0]!.last_error).toBe('answered 307');
    expect(receiver.requests).toHaveLength(1);
  });

  it("keeps one key's notifications in order, even across retries", async () => {
    receiver.respond = (_request, index) => ({ status: index < 2 ? 503 : 200 });
    await configureWebhook(receiver.url);
    startRelay();
    const sent = [await paidCharge(), await paidCharge(), await paidCharge()];
    const delivered = await receiver.delivered(3);
    const order = delivered.map(
      (request) => (JSON.parse(request.body) as { pix: { endToEndId: string }[] }).pix[0]!.endToEndId,
    );
    expect(order).toEqual(sent);
  });

  it('two relays on one database deliver each of 200 payments once', { timeout: 120_000 }, async () => {
    const keys = Array.from({ length: 8 }, (_, index) => `key-${index}@example.com`);
    for (const key of keys) await configureWebhook(receiver.url, key);
    startRelay({}, 'instance-1');
    startRelay({}, 'instance-2');
    const sent: string[] = [];
    for (let index = 0; index < 200; index++) sent.push(await paidCharge(keys[index % keys.length]));

    await receiver.delivered(200);
    await eventually(outboxRows, (rows) => rows.every((row) => row.status === 'delivered'));
    const ids = receiver.requests.map((request) => request.headers['webhook-id']);
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
    const received = receiver.requests.map(
      (request) => (JSON.parse(request.body) as { pix: { endToEndId: string }[] }).pix[0]!.endToEndId,
    );
    expect([...received].sort()).toEqual([...sent].sort());
  });
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the event relay settings', () => {
  it('refuse a delivery timeout that outlasts the claim lease', () => {
    expect(() => loadConfig({ PIX_WEBHOOK_CLAIM_LEASE: '5s', PIX_WEBHOOK_DELIVERY_TIMEOUT: '5s' })).toThrow(
      /PIX_WEBHOOK_DELIVERY_TIMEOUT/,
    );
  });
});
