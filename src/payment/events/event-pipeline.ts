// How the module's events leave it: with PostgreSQL alone, a relay that delivers webhooks straight
// from the outbox; with NATS, a relay that publishes to JetStream and a stream consumer that delivers
// the webhooks. Either way the same notifier makes the requests.
import type { EventsConfig } from '../../config/events-config.ts';
import type { Querier } from '../../db/querier.ts';
import type { Clock } from '../../platform/clock.ts';
import type { BusinessMeter } from '../../platform/business-metric.ts';
import type { Log } from '../../platform/log.ts';
import type { Tracer } from '../../platform/tracer.ts';
import type { BackgroundWorker } from '../../server/service-module.ts';
import { createSqlEventOutbox } from '../persistence/sql-event-outbox.ts';
import { paymentMetrics } from '../payment-metrics.ts';
import { PixWebhookNotifier } from '../webhooks/pix-webhook-notifier.ts';
import { connectToAddress, type Connector } from '../webhooks/webhook-connector.ts';
import { WebhookDelivery } from '../webhooks/webhook-delivery.ts';
import type { ResolveHost } from '../webhooks/webhook-target-policy.ts';
import { resolveWithSystem } from '../webhooks/system-resolver.ts';
import type { ConnectionOptions } from 'node:tls';
import type * as NatsPipelineModule from './nats-event-pipeline.ts';
import { postgresWebhookRelay } from './postgres-webhook-relay.ts';
import type { RelayPipeline } from './relay-pipeline.ts';

/** How webhook requests reach the network; tests replace each part. */
export interface WebhookNetwork {
  resolve?: ResolveHost;
  connect?: Connector;
  /** Extra TLS options for https receivers (trusted CAs in tests). */
  tls?: ConnectionOptions;
}

export interface EventPipelineSettings {
  events: EventsConfig;
  allowInsecure: boolean;
  signingSecret: string;
  /** This instance's name on its claims and its broker connection. */
  instance: string;
}

export interface EventPipelineDeps {
  db: Querier;
  clock: Clock;
  tracer: Tracer;
  meter: BusinessMeter;
  log: Log;
  network?: WebhookNetwork | undefined;
}

export interface EventPipeline {
  workers: BackgroundWorker[];
  /** Called after a transaction that appended events committed. */
  eventsCommitted: () => void;
}

export function createEventPipeline(settings: EventPipelineSettings, deps: EventPipelineDeps): EventPipeline {
  const { webhooks, nats } = settings.events;
  const outbox = createSqlEventOutbox(deps.db);
  const clientCertificate = webhooks.clientCertificate ?? {};
  const delivery = new WebhookDelivery(
    {
      sender: {
        allowInsecure: settings.allowInsecure,
        resolve: deps.network?.resolve ?? resolveWithSystem,
        connect: deps.network?.connect ?? connectToAddress,
        timeoutMs: webhooks.deliveryTimeoutMs,
        tls: { ...clientCertificate, ...deps.network?.tls },
      },
      signingSecret: settings.signingSecret,
      retry: { baseDelayMs: webhooks.retryBaseDelayMs, maxDelayMs: webhooks.retryMaxDelayMs },
      maxAttempts: webhooks.maxAttempts,
    },
    deps.clock,
  );
  const lag = deps.meter.histogram(paymentMetrics.eventRelayLag);
  const notifier = new PixWebhookNotifier({
    webhookUrl: (owner, key) => outbox.webhookUrl(owner, key),
    delivery,
    clock: deps.clock,
    log: deps.log,
    deliveries: deps.meter.counter(paymentMetrics.webhookDeliveries),
    lag,
  });
  const relaySettings = {
    holder: settings.instance,
    pollIntervalMs: webhooks.pollIntervalMs,
    leaseMs: webhooks.claimLeaseMs,
    batchSize: 32,
  };
  const relayDeps = { outbox, clock: deps.clock, tracer: deps.tracer, log: deps.log };
  const pipeline = nats
    ? loadedWhenStarted(({ natsEventPipeline }) =>
        natsEventPipeline(relaySettings, nats, {
          ...relayDeps,
          notifier,
          maxAttempts: webhooks.maxAttempts,
          retry: { baseDelayMs: webhooks.retryBaseDelayMs, maxDelayMs: webhooks.retryMaxDelayMs },
          published: deps.meter.counter(paymentMetrics.eventsPublished),
          lag,
        }),
      )
    : postgresWebhookRelay(relaySettings, { ...relayDeps, notifier });
  return { workers: pipeline.workers, eventsCommitted: pipeline.wake };
}

/**
 * The NATS pipeline with its client library loaded when its worker starts, so a service without
 * EVENTS_NATS_URL never loads it (the library was a tenth of the start-up's module loading). A wake
 * before the start is not lost: the relay claims what is pending when it starts.
 */
function loadedWhenStarted(build: (module: typeof NatsPipelineModule) => RelayPipeline): RelayPipeline {
  let loaded: RelayPipeline | undefined;
  const worker: BackgroundWorker = {
    name: 'events (NATS)',
    async start() {
      loaded ??= build(await import('./nats-event-pipeline.ts'));
      for (const inner of loaded.workers) await inner.start();
    },
    async stop() {
      await Promise.all((loaded?.workers ?? []).map((inner) => inner.stop()));
    },
  };
  return { workers: [worker], wake: () => loaded?.wake() };
}
