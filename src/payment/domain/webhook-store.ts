// The persistence port of the Payment module's webhooks. Like PaymentStore, one store is built per
// Querier and owner: a client's webhooks do not exist for another client.
import type { Page, PageRequest } from './list-query.ts';
import type { Webhook, WebhookFilter } from './webhook.ts';

export interface WebhookStore {
  /** Inserts the key's webhook, or replaces the URL and time of the one it has. */
  save(webhook: Webhook): Promise<void>;
  find(key: string): Promise<Webhook | undefined>;
  /** False when the key had no webhook. */
  delete(key: string): Promise<boolean>;
  /** Oldest first. */
  list(filter: WebhookFilter, page: PageRequest): Promise<Page<Webhook>>;
}
