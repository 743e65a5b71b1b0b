// The event log in SQL: each event is an immutable row of payment_events plus its relay state in
// payment_event_outbox, both written on the transaction of the change the event reports.
import type { Querier } from '../../db/querier.ts';
import type { IdGenerator } from '../../platform/ids.ts';
import type { TraceCarrier } from '../../platform/tracer.ts';
import type { PaymentEventLog } from '../domain/payment-event.ts';
import { toPixDocument } from './pix-document.ts';

export interface SqlEventLogOptions {
  /** UUIDv7: time-ordered event ids. */
  ids: IdGenerator;
  /** The trace context of the request making the change, kept to link the relay's spans to it. */
  traceContext: () => TraceCarrier | undefined;
}

export function sqlPaymentEventLog(
  options: SqlEventLogOptions,
): (tx: Querier, ownerId: string) => PaymentEventLog {
  return (tx, ownerId) => ({
    async append(event, occurredAt) {
      const id = options.ids.next();
      const { rows } = await tx.query<{ sequence: string }>(
        `INSERT INTO payment_events (id, owner_id, type, end_to_end_id, txid, chave, refund_id, pix,
           trace_context, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING sequence`,
        [
          id,
          ownerId,
          event.type,
          event.pix.endToEndId,
          event.pix.txid,
          event.pix.key,
          event.type === 'refund.settled' ? event.refundId : null,
          JSON.stringify(toPixDocument(event.pix)),
          JSON.stringify(options.traceContext() ?? null),
          occurredAt,
        ],
      );
      await tx.query(
        `INSERT INTO payment_event_outbox (event_id, sequence, owner_id, chave, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [id, rows[0]?.sequence, ownerId, event.pix.key, occurredAt],
      );
    },
  });
}
