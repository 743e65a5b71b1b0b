// PostgreSQL alone: the relay claims events from the outbox and delivers each as a webhook.
import type { Tracer } from '../../platform/tracer.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Log } from '../../platform/log.ts';
import type { EventOutbox } from '../domain/event-outbox.ts';
import { pixNotificationBody, toPixItem } from '../webhooks/pix-notification.ts';
import type { PixWebhookNotifier } from '../webhooks/pix-webhook-notifier.ts';
import { OutboxRelay, type RelaySettings } from './outbox-relay.ts';
import type { RelayPipeline } from './relay-pipeline.ts';

export interface PostgresWebhookRelayDeps {
  outbox: EventOutbox;
  notifier: PixWebhookNotifier;
  clock: Clock;
  tracer: Tracer;
  log: Log;
}

/** The relay as a worker, and `wake` for the use cases to call after they commit an event. */
export function postgresWebhookRelay(settings: RelaySettings, deps: PostgresWebhookRelayDeps): RelayPipeline {
  const relay = new OutboxRelay(settings, {
    outbox: deps.outbox,
    clock: deps.clock,
    tracer: deps.tracer,
    log: deps.log,
    spanName: 'webhook deliver',
    handle: (event) =>
      deps.notifier.notify(
        {
          id: event.id,
          type: event.type,
          ownerId: event.ownerId,
          key: event.key,
          occurredAt: event.occurredAt,
          body: pixNotificationBody([toPixItem(event.pix)]),
        },
        event.attempts,
      ),
  });
  return {
    workers: [
      {
        name: 'webhook relay',
        start: async () => relay.start(),
        stop: () => relay.stop(),
      },
    ],
    wake: () => relay.wake(),
  };
}
