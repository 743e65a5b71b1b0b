// What the Payment use cases run on, and the two ways they reach the store: a bounded transaction
// on the writer for every change, a reader (a replica when there is one) for reads.
import type { ConnectionManager, TxManager } from '../../db/connection-pool.ts';
import { readConfirmingOnWriter } from '../../db/read-confirming-on-writer.ts';
import type { Querier } from '../../db/querier.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Counter } from '../../platform/counter.ts';
import type { Tracer } from '../../platform/tracer.ts';
import type { PaymentEventLog } from './payment-event.ts';
import type { PaymentIds } from './payment-ids.ts';
import type { PaymentStore } from './payment-store.ts';

export interface PaymentCounters {
  chargesCreated: Counter;
  chargesPaid: Counter;
  refunds: Counter;
}

export interface PaymentDeps {
  db: TxManager & ConnectionManager;
  /** Builds a store on a pool or an open transaction, seeing only `ownerId`'s records. */
  storeOn: (querier: Querier, ownerId: string) => PaymentStore;
  /** Builds the event log on an open transaction, recording `ownerId`'s events. */
  eventsOn: (tx: Querier, ownerId: string) => PaymentEventLog;
  /** Told after a transaction that appended events committed (the relay wakes up at once). */
  eventsCommitted?: () => void;
  clock: Clock;
  ids: PaymentIds;
  txTimeoutMs: number;
  tracer?: Tracer;
  counters?: Partial<PaymentCounters>;
  /** How long an Idempotency-Key is kept (PIX_IDEMPOTENCY_KEY_TTL). */
  idempotencyTtlSeconds: number;
  /** In the sandbox a refund settles at once (DEVOLVIDO). */
  sandbox: boolean;
}

/** Runs `work` in one write transaction; the events it appends commit (or roll back) with it. */
export async function writeIn<T>(
  deps: PaymentDeps,
  owner: string,
  work: (store: PaymentStore, events: PaymentEventLog) => Promise<T>,
): Promise<T> {
  let appended = false;
  const result = await deps.db.withTimeoutTx(deps.txTimeoutMs, (tx) => {
    const log = deps.eventsOn(tx, owner);
    const events: PaymentEventLog = {
      append: async (event, occurredAt) => {
        await log.append(event, occurredAt);
        appended = true;
      },
    };
    return work(deps.storeOn(tx, owner), events);
  });
  if (appended) deps.eventsCommitted?.();
  return result;
}

export function readerStore(deps: PaymentDeps, owner: string): PaymentStore {
  return deps.storeOn(deps.db.reader(), owner);
}

/**
 * One record from a reader, confirmed on the writer when the reader has none: a replica may not
 * have replayed the insert yet, so only the writer may say "not found". With the writer
 * unreachable, the reader's answer stands (the shared rule of `readConfirmingOnWriter`).
 */
export function readConfirmed<T>(
  deps: PaymentDeps,
  owner: string,
  find: (store: PaymentStore) => Promise<T | undefined>,
): Promise<T | undefined> {
  return readConfirmingOnWriter(deps.db, (querier) => find(deps.storeOn(querier, owner)));
}
