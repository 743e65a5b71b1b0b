import type { SessionQuery } from './run-transaction.ts';

/**
 * Leaves a pinned session as the next user expects a fresh one: no open transaction, settings back
 * to their defaults, no advisory lock still held. Throws when the session cannot be trusted.
 */
export async function resetSession(query: SessionQuery, inTransaction: boolean): Promise<void> {
  await query(`${inTransaction ? 'ROLLBACK; ' : ''}RESET ALL; SELECT pg_advisory_unlock_all()`);
}
