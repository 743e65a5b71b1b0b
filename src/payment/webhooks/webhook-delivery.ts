// Delivers one Pix notification to a receiver and decides what comes next. At least once: a 2xx ends
// it; no answer, 408, 429 and 5xx are tried again later (exponential backoff with full jitter, a
// Retry-After honoured) until the attempts run out; any other answer (3xx, which is not followed, and
// the other 4xx) and a target the policy refuses end it at once, dead-lettered.
import type { Clock } from '../../platform/clock.ts';
import type { Outcome } from '../domain/event-outbox.ts';
import { parseRetryAfter, retryDelayMs, type RetrySchedule } from './retry-schedule.ts';
import { callbackUrl, sendWebhook, type SenderSettings, type SendResult } from './webhook-sender.ts';
import { signWebhook } from './webhook-signature.ts';

export interface DeliverySettings {
  sender: SenderSettings;
  /** The Standard Webhooks secret (`whsec_...`). */
  signingSecret: string;
  retry: RetrySchedule;
  /** Attempts before an event is dead-lettered. */
  maxAttempts: number;
}

export interface Notification {
  /** The event id: the `webhook-id`, the same on every attempt, so receivers can drop repeats. */
  id: string;
  /** The callback body, `{"pix": [...]}`. */
  body: string;
}

/** How an attempt went, for the metrics: `outcome` is one of a few fixed words. */
export interface Attempt {
  outcome: Outcome;
  /** delivered, retried, dead (after retries or at once), refused (target policy). */
  label: 'delivered' | 'retried' | 'dead' | 'refused';
  status?: number;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

export class WebhookDelivery {
  readonly #settings: DeliverySettings;
  readonly #clock: Clock;
  readonly #random: () => number;

  constructor(settings: DeliverySettings, clock: Clock, random: () => number = Math.random) {
    this.#settings = settings;
    this.#clock = clock;
    this.#random = random;
  }

  /** One attempt; `attemptsBefore` failed ones came before it. */
  async attempt(webhookUrl: string, notification: Notification, attemptsBefore: number): Promise<Attempt> {
    const url = URL.canParse(webhookUrl) ? callbackUrl(webhookUrl) : webhookUrl;
    const headers = signWebhook(
      this.#settings.signingSecret,
      notification.id,
      this.#clock.now(),
      notification.body,
    );
    const result = await sendWebhook(this.#settings.sender, url, headers, notification.body);
    return this.#judge(result, attemptsBefore + 1);
  }

  #judge(result: SendResult, attempts: number): Attempt {
    if (result.kind === 'refused') {
      return { label: 'refused', outcome: { status: 'dead', error: `target refused: ${result.reason}` } };
    }
    if (result.kind === 'answered' && result.status >= 200 && result.status < 300) {
      return { label: 'delivered', status: result.status, outcome: { status: 'delivered' } };
    }
    const retryable =
      result.kind === 'unreachable' || RETRYABLE_STATUSES.has(result.status) || result.status >= 500;
    const error = result.kind === 'unreachable' ? result.error : `answered ${result.status}`;
    const status = result.kind === 'answered' ? { status: result.status } : {};
    if (!retryable) return { label: 'dead', ...status, outcome: { status: 'dead', error } };
    if (attempts >= this.#settings.maxAttempts) {
      return {
        label: 'dead',
        ...status,
        outcome: { status: 'dead', error: `${error} (after ${attempts} attempts)` },
      };
    }
    const now = this.#clock.now();
    const retryAfter = result.kind === 'answered' ? parseRetryAfter(result.retryAfter, now) : undefined;
    const delay = retryDelayMs(this.#settings.retry, attempts, retryAfter, this.#random);
    return {
      label: 'retried',
      ...status,
      outcome: { status: 'retry', nextAttemptAt: new Date(now.getTime() + delay), error },
    };
  }
}
