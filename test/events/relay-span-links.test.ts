// The relay's span leads back to the request that made the event: a Pix paid inside a request's span
// keeps that span's W3C trace context with its event, and the "webhook deliver" span (a root of its
// own trace, since the request is long over) carries a link to it. Real OpenTelemetry SDK, spans
// caught in memory; PostgreSQL-alone relay, on PGlite and real PostgreSQL.
import { SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ChargeService } from '../../src/payment/domain/charge-service.ts';
import type { PaymentDeps } from '../../src/payment/domain/payment-deps.ts';
import { PixService } from '../../src/payment/domain/pix-service.ts';
import { createEventPipeline, type EventPipeline } from '../../src/payment/events/event-pipeline.ts';
import { sqlPaymentEventLog } from '../../src/payment/persistence/sql-payment-event-log.ts';
import { createSqlPaymentStore } from '../../src/payment/persistence/sql-payment-store.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { uuidV7Generator } from '../../src/platform/ids.ts';
import { noopTracer, type Tracer } from '../../src/platform/tracer.ts';
import { createOtelTracer } from '../../src/telemetry/otel-tracer.ts';
import { describeEachDatabase } from '../database/describe-each-database.ts';
import { testPaymentIds } from '../support/payment-test-ids.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const OWNER = 'client-a';
const KEY = 'receiver@example.com';
const SECRET = `whsec_${Buffer.from('a-test-secret-of-thirty-two-byte').toString('base64')}`;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const noMeter = {
  counter: () => ({ add: () => undefined }),
  histogram: () => ({ record: () => undefined }),
};

// The SDK as the service registers it (context manager, W3C propagator), exporting to memory.
const exported = new InMemorySpanExporter();
const sdk = new NodeSDK({
  spanProcessors: [new SimpleSpanProcessor(exported)],
  instrumentations: [],
  resourceDetectors: [],
});
beforeAll(() => sdk.start());
afterAll(() => sdk.shutdown());

const spanNamed = (name: string): ReadableSpan[] =>
  exported.getFinishedSpans().filter((span) => span.name === name);

describeEachDatabase('relay spans linked to the request', { isolation: 'test' }, (db) => {
  let receiver: WebhookReceiver;
  let pipeline: EventPipeline;
  let tracer: Tracer;

  beforeEach(async () => {
    exported.reset();
    receiver = await startWebhookReceiver();
    tracer = createOtelTracer();
    const { events } = loadConfig({ PIX_WEBHOOK_POLL_INTERVAL: '50ms' });
    pipeline = createEventPipeline(
      { events, allowInsecure: true, signingSecret: SECRET, instance: 'relay-0' },
      { db: db.pool.writer(), clock: systemClock, tracer, meter: noMeter, log: silent },
    );
    await db.pool
      .writer()
      .query('INSERT INTO pix_webhooks (owner_id, chave, webhook_url) VALUES ($1, $2, $3)', [
        OWNER,
        KEY,
        receiver.url,
      ]);
    for (const worker of pipeline.workers) void worker.start();
  });

  afterEach(async () => {
    for (const worker of pipeline.workers) await worker.stop();
    await receiver.close();
  });

  function paymentServices(serviceTracer: Tracer = tracer): { charges: ChargeService; pix: PixService } {
    const deps: PaymentDeps = {
      db: db.pool,
      storeOn: createSqlPaymentStore,
      // What the payment module wires: the active span's context, kept with the event.
      eventsOn: sqlPaymentEventLog({ ids: uuidV7Generator, traceContext: () => tracer.currentContext?.() }),
      eventsCommitted: () => pipeline.eventsCommitted(),
      clock: systemClock,
      ids: testPaymentIds(),
      txTimeoutMs: 10_000,
      idempotencyTtlSeconds: 86_400,
      sandbox: true,
      tracer: serviceTracer,
    };
    return { charges: new ChargeService(deps), pix: new PixService(deps) };
  }

  it('a payment made inside a request span: its delivery span links to that request’s trace', async () => {
    const { charges, pix } = paymentServices();
    const txid = 'spanlinks00000000000000000001';
    await charges.createWithTxid(OWNER, txid, { originalCents: 1234, key: KEY, expiresInSeconds: 3600 });

    const request = await trace
      .getTracer('request-under-test')
      .startActiveSpan('POST /cob/{txid}/pagar', { kind: SpanKind.SERVER }, async (span) => {
        try {
          await pix.pay(OWNER, txid, {});
          return span.spanContext();
        } finally {
          span.end();
        }
      });

    await receiver.delivered(1);
    await pipeline.workers[0]!.stop();
    const [deliver] = spanNamed('webhook deliver');
    const [pay] = spanNamed('PixService.pay');
    expect(deliver, 'a "webhook deliver" span').toBeDefined();
    expect(pay, 'a "PixService.pay" span').toBeDefined();

    // The event was appended inside PixService.pay, itself inside the request's span.
    expect(pay!.spanContext().traceId).toBe(request.traceId);
    expect(pay!.parentSpanContext?.spanId).toBe(request.spanId);

    // The delivery is a trace of its own, whose one link leads to the span that made the event.
    expect(deliver!.parentSpanContext).toBeUndefined();
    expect(deliver!.spanContext().traceId).not.toBe(request.traceId);
    expect(deliver!.links.map((link) => link.context)).toEqual([
      expect.objectContaining({ traceId: request.traceId, spanId: pay!.spanContext().spanId }),
    ]);
  });

  it('a payment made outside any span: the delivery span is a root with no link', async () => {
    // Services that open no spans of their own, called outside any: no context to keep.
    const { charges, pix } = paymentServices(noopTracer);
    const txid = 'spanlinks00000000000000000002';
    await charges.createWithTxid(OWNER, txid, { originalCents: 1234, key: KEY, expiresInSeconds: 3600 });
    await pix.pay(OWNER, txid, {});

    await receiver.delivered(1);
    await pipeline.workers[0]!.stop();
    const { rows } = await db.pool
      .writer()
      .query<{ trace_context: unknown }>('SELECT trace_context FROM payment_events');
    expect(rows).toEqual([{ trace_context: null }]);
    const [deliver] = spanNamed('webhook deliver');
    expect(deliver).toBeDefined();
    expect(deliver!.parentSpanContext).toBeUndefined();
    expect(deliver!.links).toEqual([]);
  });
});
