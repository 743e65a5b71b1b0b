// Past one machine, with the NATS JetStream server on this machine (127.0.0.1:4222): every event
// reaches the stream once per id even when published twice, and webhooks are delivered from the
// stream by durable consumers two relay instances share. Each suite has a stream of its own.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../../../test/database/describe-each-database.ts';
import { testPaymentIds } from '../../../test/support/payment-test-ids.ts';
import { expectValidPixCallback } from '../../../test/support/pix-callback.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { loadConfig } from '../../config/config.ts';
import { noopBusinessMeter } from '../../platform/business-metric.ts';
import { systemClock } from '../../platform/clock.ts';
import { uuidV7Generator } from '../../platform/ids.ts';
import { silentLog } from '../../platform/log.ts';
import { noopTracer } from '../../platform/tracer.ts';
import { ChargeService } from '../domain/charge-service.ts';
import type { PaymentDeps } from '../domain/payment-deps.ts';
import { PixService } from '../domain/pix-service.ts';
import { createSqlEventOutbox } from '../persistence/sql-event-outbox.ts';
import { sqlPaymentEventLog } from '../persistence/sql-payment-event-log.ts';
import { createSqlPaymentStore } from '../persistence/sql-payment-store.ts';
import { createEventPipeline, type EventPipeline } from './event-pipeline.ts';
import { ensureStream, publishEvent } from './nats-event-pipeline.ts';

const NATS_URL = 'nats://127.0.0.1:4222';
const OWNER = 'client-a';
const SECRET = `whsec_${Buffer.from('a-test-secret-of-thirty-two-byte').toString('base64')}`;

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
  expectValidPixCallback('{"pix":[]}');
});
afterAll(() => nc.close());

describeEachDatabase('payment events through NATS JetStream', { isolation: 'test' }, (db) => {
  let receiver: WebhookReceiver;
  let pipelines: EventPipeline[];
  let stream: string;
  let prefix: string;
  let charges: ChargeService;
  let pix: PixService;
  let txids = 0;

  const env = () => ({
    EVENTS_NATS_URL: NATS_URL,
    EVENTS_NATS_STREAM: stream,
    EVENTS_NATS_SUBJECT_PREFIX: prefix,
    PIX_WEBHOOK_RETRY_BASE_DELAY: '20ms',
    PIX_WEBHOOK_RETRY_MAX_DELAY: '200ms',
    PIX_WEBHOOK_POLL_INTERVAL: '50ms',
    PIX_WEBHOOK_CLAIM_LEASE: '3s',
    PIX_WEBHOOK_DELIVERY_TIMEOUT: '2s',
  });

  function startRelay(instance: string): void {
    const { events } = loadConfig(env());
    const pipeline = createEventPipeline(
      { events, allowInsecure: true, signingSecret: SECRET, instance },
      {
        db: db.pool.writer(),
        clock: systemClock,
        tracer: noopTracer,
        meter: noopBusinessMeter,
        log: silentLog,
      },
    );
    pipelines.push(pipeline);
    for (const worker of pipeline.workers) void worker.start();
  }

  async function paidCharge(key: string): Promise<string> {
    txids += 1;
    const txid = `natstest${String(txids).padStart(22, '0')}`;
    await charges.createWithTxid(OWNER, txid, { originalCents: 500, key, expiresInSeconds: 3600 });
    return (await pix.pay(OWNER, txid, {})).endToEndId;
  }

  beforeEach(async () => {
    const suffix = randomUUID().slice(0, 8);
    stream = `TEST_PAYMENT_EVENTS_${suffix}`;
    prefix = `test-${suffix}.payment`;
    receiver = await startWebhookReceiver();
    pipelines = [];
    const deps: PaymentDeps = {
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
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
  });

  it('keeps one message per event id when the relay publishes it twice', async () => {
    const config = loadConfig(env()).events.nats!;
    await ensureStream(nc, config, 3000);
    await paidCharge('key@example.com');
    const [event] = await createSqlEventOutbox(db.pool.writer()).claim(
      { holder: 'test', now: new Date(Date.now() + 1000), leaseMs: 1000, limit: 1 },
      true,
    );
    const first = await publishEvent(nc, prefix, event!);
    // As a relay that died after the broker's ack and before marking the row would do again:
    const second = await publishEvent(nc, prefix, event!);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ duplicate: true, seq: first.seq });
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    expect(info.state.messages).toBe(1);
  });

  it(
    'delivers webhooks from the stream across two instances, each once, in order per key',
    { timeout: 120_000 },
    async () => {
      const keys = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'];
      for (const key of keys) {
        await db.pool
          .writer()
          .query('INSERT INTO pix_webhooks (owner_id, chave, webhook_url) VALUES ($1, $2, $3)', [
            OWNER,
            key,
            receiver.url,
          ]);
      }
      startRelay('nats-instance-1');
      startRelay('nats-instance-2');
      const sent: { key: string; endToEndId: string }[] = [];
      for (let index = 0; index < 40; index++) {
        const key = keys[index % keys.length]!;
        sent.push({ key, endToEndId: await paidCharge(key) });
      }
      await receiver.delivered(40);
      const ids = receiver.requests.map((request) => request.headers['webhook-id']);
      expect(new Set(ids).size).toBe(40);
      for (const request of receiver.requests) expectValidPixCallback(request.body);
      const received = receiver.requests.map(
        (request) => (JSON.parse(request.body) as { pix: { endToEndId: string; chave: string }[] }).pix[0]!,
      );
      for (const key of keys) {
        expect(received.filter((each) => each.chave === key).map((each) => each.endToEndId)).toEqual(
          sent.filter((each) => each.key === key).map((each) => each.endToEndId),
        );
      }
      const info = await (await jetstreamManager(nc)).streams.info(stream);
      expect(info.state.messages).toBe(40);
      // The outbox row is marked delivered after the receiver has answered: wait for the last marks.
      await vi.waitFor(
        async () => {
          const { rows } = await db.pool
            .writer()
            .query<{ status: string }>("SELECT status FROM payment_event_outbox WHERE status <> 'delivered'");
          expect(rows).toEqual([]);
        },
        { timeout: 15_000, interval: 50 },
      );
    },
  );
});
