// Past one machine: the relay publishes every event to a NATS JetStream stream (the event id as
// Nats-Msg-Id, so the broker drops a second publish of it) and marks the outbox row only after the
// broker's ack; webhooks are then delivered from the stream by durable consumers that every instance
// pulls from. One key's events keep their order: its subject carries a partition (a hash of owner
// and key), and each partition's consumer lets one message at a time be in hand (max_ack_pending 1),
// retries included (a nak with a delay keeps the message pending).
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { NatsEventsConfig } from '../../config/events-config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Counter } from '../../platform/counter.ts';
import type { Log } from '../../platform/log.ts';
import { inLinkedSpan, type TraceCarrier, type Tracer } from '../../platform/tracer.ts';
import type { ValueRecorder } from '../../platform/value-recorder.ts';
import type { BackgroundWorker } from '../../server/service-module.ts';
import type { EventOutbox, Outcome, OutboxEvent } from '../domain/event-outbox.ts';
import { pixNotificationBody, toPixItem, type PixItem } from '../webhooks/pix-notification.ts';
import type { PixWebhookNotifier } from '../webhooks/pix-webhook-notifier.ts';
import type { RetrySchedule } from '../webhooks/retry-schedule.ts';
import { OutboxRelay, type RelaySettings } from './outbox-relay.ts';
import type { RelayPipeline } from './relay-pipeline.ts';

/** Partitions of the subject space; each has one webhook consumer delivering in order. */
export const PARTITIONS = 16;

/** A message of the stream: the event, with the Pix as the Pix API shows it. */
export interface EventMessage {
  id: string;
  type: OutboxEvent['type'];
  ownerId: string;
  key: string | null;
  refundId: string | null;
  occurredAt: string;
  pix: PixItem;
}

export interface NatsPipelineDeps {
  outbox: EventOutbox;
  notifier: PixWebhookNotifier;
  clock: Clock;
  tracer: Tracer;
  log: Log;
  maxAttempts: number;
  retry: RetrySchedule;
  published: Counter;
  lag: ValueRecorder;
}

export function partitionOf(ownerId: string, key: string | null): number {
  // FNV-1a: stable across processes and versions, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${ownerId}\u0000${key ?? ''}`, 'utf8')) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash % PARTITIONS;
}

export function eventSubject(prefix: string, event: Pick<OutboxEvent, 'type' | 'ownerId' | 'key'>): string {
  return `${prefix}.${event.type}.p${String(partitionOf(event.ownerId, event.key)).padStart(2, '0')}`;
}

export function consumerName(partition: number): string {
  return `webhooks-p${String(partition).padStart(2, '0')}`;
}

/** The broker message id: the event id, or a fresh one for an event an operator re-queued. */
export function messageId(event: Pick<OutboxEvent, 'id' | 'requeues'>): string {
  return event.requeues === 0 ? event.id : `${event.id}.requeue-${event.requeues}`;
}

/** Creates the stream and the partition consumers when missing; leaves existing ones as they are. */
export async function ensureStream(
  nc: NatsConnection,
  config: NatsEventsConfig,
  ackWaitMs: number,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(config.stream);
  } catch {
    await jsm.streams.add({
      name: config.stream,
      subjects: [`${config.subjectPrefix}.>`],
      // The window within which a second publish of one id is dropped: far beyond a relay's retry.
      duplicate_window: nanos(10 * 60_000),
    });
  }
  for (let partition = 0; partition < PARTITIONS; partition++) {
    const name = consumerName(partition);
    try {
      await jsm.consumers.info(config.stream, name);
    } catch {
      await jsm.consumers.add(config.stream, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${config.subjectPrefix}.*.*.p${String(partition).padStart(2, '0')}`,
        max_ack_pending: 1,
        ack_wait: nanos(ackWaitMs),
        max_deliver: -1,
      });
    }
  }
}

/** Publishes one outbox event and waits for the broker's ack. */
export async function publishEvent(
  nc: NatsConnection,
  prefix: string,
  event: OutboxEvent,
): Promise<{ duplicate: boolean; seq: number }> {
  const message: EventMessage = {
    id: event.id,
    type: event.type,
    ownerId: event.ownerId,
    key: event.key,
    refundId: event.refundId,
    occurredAt: event.occurredAt.toISOString(),
    pix: toPixItem(event.pix),
  };
  const h = headers();
  for (const [name, value] of Object.entries(event.traceContext ?? {})) h.set(name, value);
  const ack = await jetstream(nc).publish(eventSubject(prefix, event), JSON.stringify(message), {
    msgID: messageId(event),
    headers: h,
  });
  return { duplicate: ack.duplicate, seq: ack.seq };
}

export function natsEventPipeline(
  settings: RelaySettings,
  config: NatsEventsConfig,
  deps: NatsPipelineDeps,
): RelayPipeline {
  let nc: NatsConnection | undefined;
  const relay = new OutboxRelay(settings, {
    outbox: deps.outbox,
    clock: deps.clock,
    tracer: deps.tracer,
    log: deps.log,
    spanName: 'events publish',
    handle: async (event) => {
      if (!nc) throw new Error('not connected to NATS');
      try {
        await publishEvent(nc, config.subjectPrefix, event);
      } catch (error) {
        // The broker is away: the event stays pending and goes at a later claim.
        const nextAttemptAt = new Date(deps.clock.now().getTime() + settings.pollIntervalMs);
        return { outcome: { status: 'retry', nextAttemptAt, error: String(error) }, attempted: false };
      }
      deps.published.add(1, { 'event.type': event.type });
      deps.lag.record((deps.clock.now().getTime() - event.occurredAt.getTime()) / 1000, {
        stage: 'published',
      });
      return { outcome: { status: 'published' }, attempted: false };
    },
  });
  const consumers: { stop: () => void; done: Promise<void> }[] = [];

  let stopping = false;
  let running: Promise<void> | undefined;

  /** Connects (trying again until it can or is stopped), prepares the stream, then relays and consumes. */
  async function run(): Promise<void> {
    while (!stopping && !nc) {
      try {
        nc = await connect({ servers: config.servers, name: settings.holder, maxReconnectAttempts: -1 });
        await ensureStream(nc, config, settings.leaseMs);
      } catch (error) {
        deps.log.warn({ err: error, servers: config.servers }, 'cannot reach NATS JetStream; trying again');
        await nc?.close().catch(() => undefined);
        nc = undefined;
        await new Promise((resolve) => setTimeout(resolve, settings.pollIntervalMs));
      }
    }
    if (stopping || !nc) return;
    relay.start();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      consumers.push(await consumePartition(nc, config.stream, partition, deps));
    }
  }

  const worker: BackgroundWorker = {
    name: 'event relay (NATS)',
    async start() {
      stopping = false;
      running = run().catch((error: unknown) => {
        deps.log.error({ err: error }, 'the NATS event relay stopped on an error');
      });
    },
    async stop() {
      stopping = true;
      await running;
      await relay.stop();
      for (const consumer of consumers) consumer.stop();
      await Promise.all(consumers.map((consumer) => consumer.done));
      consumers.length = 0;
      await nc?.drain();
      nc = undefined;
    },
  };
  return { workers: [worker], wake: () => relay.wake() };
}

async function consumePartition(
  nc: NatsConnection,
  stream: string,
  partition: number,
  deps: NatsPipelineDeps,
): Promise<{ stop: () => void; done: Promise<void> }> {
  const consumer = await jetstream(nc).consumers.get(stream, consumerName(partition));
  const messages = await consumer.consume({ max_messages: 1 });
  const done = (async () => {
    for await (const message of messages) {
      await deliverMessage(message, deps).catch((error: unknown) => {
        deps.log.error({ err: error }, 'webhook delivery from the stream failed; it will be redelivered');
        message.nak(1000);
      });
    }
  })();
  return { stop: () => void messages.stop(), done };
}

async function deliverMessage(message: JsMsg, deps: NatsPipelineDeps): Promise<void> {
  const event = message.json<EventMessage>();
  const origin: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = message.headers?.get(name);
    if (value) origin[name] = value;
  }
  const attemptsBefore = message.info.deliveryCount - 1;
  const { outcome, attempted } = await inLinkedSpan(
    deps.tracer,
    'webhook deliver',
    origin as TraceCarrier,
    () =>
      deps.notifier.notify(
        {
          id: event.id,
          type: event.type,
          ownerId: event.ownerId,
          key: event.key,
          occurredAt: new Date(event.occurredAt),
          body: pixNotificationBody([event.pix]),
        },
        attemptsBefore,
      ),
  );
  await settle(message, event.id, outcome, attemptsBefore + (attempted ? 1 : 0), deps);
}

async function settle(
  message: JsMsg,
  eventId: string,
  outcome: Outcome,
  attempts: number,
  deps: NatsPipelineDeps,
): Promise<void> {
  const now = deps.clock.now();
  if (outcome.status === 'retry') {
    message.nak(Math.max(0, outcome.nextAttemptAt.getTime() - now.getTime()));
    return;
  }
  if (outcome.status === 'dead') {
    // Recorded before the message goes: a dead letter must be in the outbox for the operator.
    await deps.outbox.settleFromBroker(eventId, outcome, attempts, now);
    message.term(outcome.error);
    return;
  }
  message.ack();
  await deps.outbox.settleFromBroker(eventId, outcome, attempts, now).catch((error: unknown) => {
    deps.log.warn({ err: error, eventId }, 'could not record a delivery from the stream');
  });
}
