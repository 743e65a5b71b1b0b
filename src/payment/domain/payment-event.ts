// What the Payment domain announces, and the port it announces through. A use case appends an event
// in the transaction of the change it reports, so the event exists exactly when the change does.
import type { Pix } from './pix.ts';

/**
 * A Pix was received (a charge paid), or one of its refunds reached a final status (DEVOLVIDO or
 * NAO_REALIZADO). Each carries the Pix as it is right after the change, refunds included.
 */
export type PaymentEvent =
  { type: 'pix.received'; pix: Pix } | { type: 'refund.settled'; pix: Pix; refundId: string };

export type PaymentEventType = PaymentEvent['type'];

/** The event log as the use cases see it: append only, bound to their transaction and owner. */
export interface PaymentEventLog {
  append(event: PaymentEvent, occurredAt: Date): Promise<void>;
}
