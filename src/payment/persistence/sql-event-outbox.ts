// The relay's outbox in SQL. A claim locks candidate rows with FOR UPDATE SKIP LOCKED and stamps a
// lease on them, so concurrent relays take disjoint rows and a crashed relay's rows come back when
// its lease lapses. In order per key, only the head (oldest pending row) of each key is a candidate.
import type { Querier } from '../../db/querier.ts';
import type { TraceCarrier } from '../../platform/tracer.ts';
import type { EventOutbox, OutboxEvent } from '../domain/event-outbox.ts';
import type { PaymentEventType } from '../domain/payment-event.ts';
import { fromPixDocument, type PixDocument } from './pix-document.ts';

interface OutboxRow {
  id: string;
  sequence: string;
  owner_id: string;
  type: PaymentEventType;
  chave: string | null;
  refund_id: string | null;
  pix: PixDocument;
  trace_context: TraceCarrier | null;
  occurred_at: Date;
  attempts: number;
  requeues: number;
}

const DUE = `o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)`;

/** No older pending row of the same key: this one is the head of its key. */
const HEAD_OF_KEY = `NOT EXISTS (SELECT 1 FROM payment_event_outbox earlier
  WHERE earlier.status = 'pending' AND earlier.owner_id = o.owner_id
    AND earlier.chave IS NOT DISTINCT FROM o.chave AND earlier.sequence < o.sequence)`;

export function createSqlEventOutbox(db: Querier): EventOutbox {
  return {
    async claim({ holder, now, leaseMs, limit }, inOrderPerKey) {
      const { rows } = await db.query<OutboxRow>(
        `WITH candidates AS (
           SELECT o.event_id FROM payment_event_outbox o
            WHERE ${DUE}${inOrderPerKey ? ` AND ${HEAD_OF_KEY}` : ''}
            ORDER BY o.sequence LIMIT $4 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE payment_event_outbox o SET leased_by = $2, lease_until = $3
             FROM candidates c WHERE o.event_id = c.event_id
           RETURNING o.event_id, o.attempts, o.requeues
         )
         SELECT e.id, e.sequence, e.owner_id, e.type, e.chave, e.refund_id, e.pix, e.trace_context,
                e.occurred_at, claimed.attempts, claimed.requeues
           FROM claimed JOIN payment_events e ON e.id = claimed.event_id
          ORDER BY e.sequence`,
        [now, holder, new Date(now.getTime() + leaseMs), limit],
      );
      return rows.map(toOutboxEvent);
    },

    async settle(event, holder, outcome, attempted, now) {
      const attempts = event.attempts + (attempted ? 1 : 0);
      const { rowCount } = await db.query(
        `UPDATE payment_event_outbox
            SET status = $3, attempts = $4, next_attempt_at = COALESCE($5, next_attempt_at),
                last_error = $6, finished_at = $7, leased_by = NULL, lease_until = NULL
          WHERE event_id = $1 AND leased_by = $2 AND status = 'pending'`,
        [
          event.id,
          holder,
          outcome.status === 'retry' ? 'pending' : outcome.status,
          attempts,
          outcome.status === 'retry' ? outcome.nextAttemptAt : null,
          'error' in outcome ? outcome.error : null,
          outcome.status === 'retry' ? null : now,
        ],
      );
      return rowCount === 1;
    },

    async settleFromBroker(eventId, outcome, attempts, now) {
      await db.query(
        `UPDATE payment_event_outbox SET status = $2, attempts = $3, last_error = $4, finished_at = $5,
                leased_by = NULL, lease_until = NULL
          WHERE event_id = $1`,
        [eventId, outcome.status, attempts, 'error' in outcome ? outcome.error : null, now],
      );
    },

    async webhookUrl(ownerId, key) {
      const { rows } = await db.query<{ webhook_url: string }>(
        'SELECT webhook_url FROM pix_webhooks WHERE owner_id = $1 AND chave = $2',
        [ownerId, key],
      );
      return rows[0]?.webhook_url;
    },
  };
}

function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    sequence: Number(row.sequence),
    ownerId: row.owner_id,
    type: row.type,
    key: row.chave,
    refundId: row.refund_id,
    pix: fromPixDocument(row.pix),
    traceContext: row.trace_context ?? undefined,
    occurredAt: row.occurred_at,
    attempts: row.attempts,
    requeues: row.requeues,
  };
}
