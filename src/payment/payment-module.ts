// The Payment module's one factory: its use cases on the given database, and the APIs the server
// mounts (the open payload routes, the sandbox only when it is on) with the module's metrics.
import type { EventsConfig } from '../config/events-config.ts';
import type { PaymentConfig } from '../config/payment-config.ts';
import type { ConnectionPool } from '../db/connection-pool.ts';
import type { BusinessMeter } from '../platform/business-metric.ts';
import type { Clock } from '../platform/clock.ts';
import type { IdGenerator } from '../platform/ids.ts';
import { silentLog, type Log } from '../platform/log.ts';
import { cryptoRandomAlphanumeric } from '../platform/random-alphanumeric.ts';
import type { Tracer } from '../platform/tracer.ts';
import type { BackgroundWorker, ServiceModule } from '../server/service-module.ts';
import { ChargeService } from './domain/charge-service.ts';
import { LocationService } from './domain/location-service.ts';
import type { PaymentDeps } from './domain/payment-deps.ts';
import type { PaymentIds } from './domain/payment-ids.ts';
import { PixService } from './domain/pix-service.ts';
import { randomPaymentIds } from './domain/random-payment-ids.ts';
import { WebhookService } from './domain/webhook-service.ts';
import type { CheckWebhookTarget } from './domain/webhook-target.ts';
import { PayloadService } from './domain/payload-service.ts';
import { createPaymentApi, createPaymentPayloadApi, createPaymentSandboxApi } from './http/payment-api.ts';
import { payloadPresentation } from './http/payload-presentation.ts';
import { createPayloadSigner, payloadJwksUrl } from './payload-signing/payload-signer.ts';
import { createSqlPayloadLookup } from './persistence/sql-payload-lookup.ts';
import { createEventPipeline, type WebhookNetwork } from './events/event-pipeline.ts';
import { createSqlPaymentStore } from './persistence/sql-payment-store.ts';
import { sqlPaymentEventLog } from './persistence/sql-payment-event-log.ts';
import { createSqlWebhookStore } from './persistence/sql-webhook-store.ts';
import { paymentModuleCatalog } from './payment-catalog.ts';
import { paymentMetrics } from './payment-metrics.ts';
import { resolveWithSystem } from './webhooks/system-resolver.ts';
import { checkWebhookTarget, type ResolveHost } from './webhooks/webhook-target-policy.ts';

export interface PaymentModuleSettings {
  payment: PaymentConfig;
  events: EventsConfig;
  /** The Standard Webhooks secret; without one no relay runs (only a server that never listens lacks it). */
  webhookSigningSecret: string | undefined;
  /** Bound on each write transaction. */
  txTimeoutMs: number;
  /** RSA private key (PEM) that signs the payload JWS: PIX_PAYLOAD_SIGNING_KEY or embedded mode's. */
  payloadSigningKey: string;
}

export interface PaymentModuleDeps {
  db: ConnectionPool;
  clock: Clock;
  ids: IdGenerator;
  tracer: Tracer;
  meter: BusinessMeter;
  /** Predictable identifiers for tests; random ones by default. */
  paymentIds?: PaymentIds | undefined;
  log?: Log | undefined;
  /** How webhook requests reach receivers; tests inject resolver, connector and trust. */
  webhookNetwork?: WebhookNetwork | undefined;
  /** This instance's name on its outbox claims and broker connection. */
  instance?: string | undefined;
  /** How webhook hosts are resolved; the operating system's resolver by default. */
  resolveHost?: ResolveHost | undefined;
}

/** Throws RsaPrivateKeyError when the payload signing key is not a usable RSA key. */
export async function createPaymentModule(
  settings: PaymentModuleSettings,
  deps: PaymentModuleDeps,
): Promise<ServiceModule> {
  const { payment, events } = settings;
  const log = deps.log ?? silentLog;
  const pipeline =
    events.relayEnabled && settings.webhookSigningSecret !== undefined
      ? createEventPipeline(
          {
            events,
            allowInsecure: payment.webhookAllowInsecure,
            signingSecret: settings.webhookSigningSecret,
            instance: deps.instance ?? `relay-${deps.ids.next()}`,
          },
          {
            db: deps.db.writer(),
            clock: deps.clock,
            tracer: deps.tracer,
            meter: deps.meter,
            log,
            network: { resolve: deps.resolveHost, ...deps.webhookNetwork },
          },
        )
      : undefined;
  const workers: BackgroundWorker[] = pipeline?.workers ?? [];
  if (events.relayEnabled && !pipeline) workers.push(relayOff(log));
  const paymentDeps: PaymentDeps = {
    db: deps.db,
    storeOn: createSqlPaymentStore,
    eventsOn: sqlPaymentEventLog({
      ids: deps.ids,
      traceContext: () => deps.tracer.currentContext?.(),
    }),
    ...(pipeline ? { eventsCommitted: pipeline.eventsCommitted } : {}),
    clock: deps.clock,
    ids: deps.paymentIds ?? randomPaymentIds(payment.sandboxIspb, deps.ids, cryptoRandomAlphanumeric),
    txTimeoutMs: settings.txTimeoutMs,
    tracer: deps.tracer,
    counters: {
      chargesCreated: deps.meter.counter(paymentMetrics.chargesCreated),
      chargesPaid: deps.meter.counter(paymentMetrics.chargesPaid),
      refunds: deps.meter.counter(paymentMetrics.refundsCreated),
    },
    idempotencyTtlSeconds: Math.floor(payment.idempotencyKeyTtlMs / 1000),
    sandbox: payment.sandbox,
  };
  const pix = new PixService(paymentDeps);
  const resolve = deps.resolveHost ?? resolveWithSystem;
  const checkTarget: CheckWebhookTarget = (url) =>
    checkWebhookTarget(url, { allowInsecure: payment.webhookAllowInsecure, resolve });
  const api = createPaymentApi({
    charges: new ChargeService(paymentDeps),
    locations: new LocationService(paymentDeps),
    pix,
    webhooks: new WebhookService({
      db: deps.db,
      storeOn: createSqlWebhookStore,
      checkTarget,
      clock: deps.clock,
      txTimeoutMs: settings.txTimeoutMs,
      tracer: deps.tracer,
    }),
    presentation: payloadPresentation(payment),
  });
  const payloadApi = createPaymentPayloadApi(
    new PayloadService({
      db: deps.db,
      lookupOn: createSqlPayloadLookup,
      clock: deps.clock,
      tracer: deps.tracer,
    }),
    await createPayloadSigner({
      privateKeyPem: settings.payloadSigningKey,
      jwksUrl: payloadJwksUrl(payment),
    }),
  );
  return {
    name: 'payment',
    apis: payment.sandbox ? [api, payloadApi, createPaymentSandboxApi(pix)] : [api, payloadApi],
    metrics: paymentModuleCatalog.metrics,
    workers,
  };
}

/** Says, once the server listens, why no events are relayed. */
function relayOff(log: Log): BackgroundWorker {
  return {
    name: 'event relay (off)',
    start: async () =>
      log.error({}, 'no PIX_WEBHOOK_SIGNING_SECRET: payment events stay in the outbox, no webhook is sent'),
    stop: async () => undefined,
  };
}
