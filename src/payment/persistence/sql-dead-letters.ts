// Dead-lettered events, for the operator (npm run webhooks): listed, and put back in the queue with a
// fresh count of attempts. A re-queued event keeps its id (the receiver's webhook-id), and goes to the
// broker under a new message id (see messageId), so the broker's duplicate window does not drop it.
import type { Querier } from '../../db/querier.ts';

export interface DeadEvent {
  id: string;
  type: string;
  ownerId: string;
  key: string | null;
  endToEndId: string;
  attempts: number;
  lastError: string | null;
  diedAt: Date | null;
}

export async function listDeadEvents(db: Querier, limit: number): Promise<DeadEvent[]> {
  const { rows } = await db.query<{
    id: string;
    type: string;
    owner_id: string;
    chave: string | null;
    end_to_end_id: string;
    attempts: number;
    last_error: string | null;
    finished_at: Date | null;
  }>(
    `SELECT e.id, e.type, e.owner_id, e.chave, e.end_to_end_id, o.attempts, o.last_error, o.finished_at
       FROM payment_event_outbox o JOIN payment_events e ON e.id = o.event_id
      WHERE o.status = 'dead' ORDER BY o.sequence LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    ownerId: row.owner_id,
    key: row.chave,
    endToEndId: row.end_to_end_id,
    attempts: row.attempts,
    lastError: row.last_error,
    diedAt: row.finished_at,
  }));
}

/** Re-queues one dead event (by id) or all of them; answers how many went back. */
export async function requeueDeadEvents(
  db: Querier,
  which: { id: string } | { all: true },
  now: Date,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE payment_event_outbox
        SET status = 'pending', attempts = 0, next_attempt_at = $2, requeues = requeues + 1,
            finished_at = NULL, leased_by = NULL, lease_until = NULL
      WHERE status = 'dead' AND ($1::uuid IS NULL OR event_id = $1::uuid)`,
    ['id' in which ? which.id : null, now],
  );
  return rowCount ?? 0;
}
