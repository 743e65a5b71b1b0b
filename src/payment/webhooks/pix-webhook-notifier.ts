// Tells a receiving user of one payment event through the webhook of its key, if there is one. Used
// by the PostgreSQL relay and by the consumer of the NATS stream alike.
import type { Clock } from '../../platform/clock.ts';
import type { Counter } from '../../platform/counter.ts';
import type { Log } from '../../platform/log.ts';
import type { ValueRecorder } from '../../platform/value-recorder.ts';
import type { Outcome } from '../domain/event-outbox.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

export interface WebhookEvent {
  id: string;
  type: string;
  ownerId: string;
  key: string | null;
  occurredAt: Date;
  /** The callback body, `{"pix": [...]}`. */
  body: string;
}

export interface NotifierDeps {
  /** The webhook URL configured for the owner's key, if any (read at every attempt). */
  webhookUrl: (ownerId: string, key: string) => Promise<string | undefined>;
  delivery: WebhookDelivery;
  clock: Clock;
  log: Log;
  deliveries: Counter;
  lag: ValueRecorder;
}

export interface NotifyResult {
  outcome: Outcome;
  /** False when nothing was sent (no webhook for the key): the attempt is not counted. */
  attempted: boolean;
}

export class PixWebhookNotifier {
  readonly #deps: NotifierDeps;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
  }

  /** One attempt at `event`, after `attemptsBefore` failed ones. */
  async notify(event: WebhookEvent, attemptsBefore: number): Promise<NotifyResult> {
    const deps = this.#deps;
    const url = event.key === null ? undefined : await deps.webhookUrl(event.ownerId, event.key);
    if (url === undefined) {
      deps.deliveries.add(1, { outcome: 'skipped' });
      return { outcome: { status: 'skipped' }, attempted: false };
    }
    const attempt = await deps.delivery.attempt(url, event, attemptsBefore);
    deps.deliveries.add(1, { outcome: attempt.label });
    const fields = {
      eventId: event.id,
      eventType: event.type,
      owner: event.ownerId,
      attempts: attemptsBefore + 1,
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
    };
    if (attempt.outcome.status === 'delivered') {
      deps.lag.record((deps.clock.now().getTime() - event.occurredAt.getTime()) / 1000, {
        stage: 'delivered',
      });
    } else if (attempt.outcome.status === 'retry') {
      deps.log.info(
        { ...fields, error: attempt.outcome.error, nextAttemptAt: attempt.outcome.nextAttemptAt },
        'webhook delivery failed; will retry',
      );
    } else if (attempt.outcome.status === 'dead') {
      deps.log.error(
        { ...fields, error: attempt.outcome.error },
        'webhook delivery dead-lettered (npm run webhooks -- retry re-queues it)',
      );
    }
    return { outcome: attempt.outcome, attempted: true };
  }
}
