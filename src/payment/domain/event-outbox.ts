// The relay's port: the events still to hand on, claimed under a lease so that several service
// instances relay at once without handing one event on twice, and their outcome recorded.
import type { TraceCarrier } from '../../platform/tracer.ts';
import type { PaymentEventType } from './payment-event.ts';
import type { Pix } from './pix.ts';

/** An event as the relay sees it: the immutable event and its relay state. */
export interface OutboxEvent {
  id: string;
  sequence: number;
  ownerId: string;
  type: PaymentEventType;
  /** The receiving key (the webhook it goes to, and the unit of order). */
  key: string | null;
  refundId: string | null;
  pix: Pix;
  traceContext: TraceCarrier | undefined;
  occurredAt: Date;
  /** Delivery attempts made so far. */
  attempts: number;
  /** How often it was re-queued after it died. */
  requeues: number;
}

export interface Claim {
  /** Who claims (an id per relay instance). */
  holder: string;
  now: Date;
  /** How long the claim holds; an instance that dies lets its claims lapse after it. */
  leaseMs: number;
  limit: number;
}

export type Outcome =
  | { status: 'delivered' | 'published' | 'skipped' }
  | { status: 'retry'; nextAttemptAt: Date; error: string }
  | { status: 'dead'; error: string };

export interface EventOutbox {
  /**
   * Claims due events: with `inOrderPerKey`, only the oldest pending event of each key (the next
   * one of that key becomes due once it is finished), else any due events, oldest first.
   */
  claim(claim: Claim, inOrderPerKey: boolean): Promise<OutboxEvent[]>;
  /**
   * Records what became of a claimed event (attempts counted when `attempted`); false when the
   * claim was lost meanwhile (it lapsed and another instance took the event).
   */
  settle(
    event: OutboxEvent,
    holder: string,
    outcome: Outcome,
    attempted: boolean,
    now: Date,
  ): Promise<boolean>;
  /** Records the outcome of an event delivered from the broker (no claim: the broker holds it). */
  settleFromBroker(eventId: string, outcome: Outcome, attempts: number, now: Date): Promise<void>;
  /** The webhook URL configured for the key, if any. */
  webhookUrl(ownerId: string, key: string): Promise<string | undefined>;
}
