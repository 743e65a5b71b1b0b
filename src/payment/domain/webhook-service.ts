// The webhook use cases: configure a key's webhook (its URL checked against the target policy
// first, outside any transaction, since that may wait on a name lookup), read, list and cancel it.
import type { ConnectionManager, TxManager } from '../../db/connection-pool.ts';
import type { Querier } from '../../db/querier.ts';
import { readConfirmingOnWriter } from '../../db/read-confirming-on-writer.ts';
import type { Clock } from '../../platform/clock.ts';
import { noopTracer, type Tracer } from '../../platform/tracer.ts';
import type { Page, PageRequest } from './list-query.ts';
import { InvalidQueryError, InvalidWebhookError, WebhookNotFoundError } from './payment-errors.ts';
import { webhookKeyViolations, type Webhook, type WebhookFilter } from './webhook.ts';
import type { WebhookStore } from './webhook-store.ts';
import type { CheckWebhookTarget } from './webhook-target.ts';

export interface WebhookDeps {
  db: TxManager & ConnectionManager;
  /** Builds a store on a pool or an open transaction, seeing only `ownerId`'s webhooks. */
  storeOn: (querier: Querier, ownerId: string) => WebhookStore;
  checkTarget: CheckWebhookTarget;
  clock: Clock;
  txTimeoutMs: number;
  tracer?: Tracer | undefined;
}

export class WebhookService {
  readonly #deps: WebhookDeps;
  readonly #tracer: Tracer;

  constructor(deps: WebhookDeps) {
    this.#deps = deps;
    this.#tracer = deps.tracer ?? noopTracer;
  }

  /** Creates the key's webhook or replaces its URL; throws InvalidWebhookError for a refused URL. */
  configure(owner: string, key: string, url: string): Promise<Webhook> {
    return this.#tracer.inSpan('WebhookService.configure', async () => {
      const violations = webhookKeyViolations(key);
      if (violations.length > 0) throw new InvalidWebhookError('The key is not a valid Pix key.', violations);
      const verdict = await this.#deps.checkTarget(url);
      if (!verdict.ok) {
        throw new InvalidWebhookError(`The webhook URL is refused: it ${verdict.reason}.`, [
          { field: 'webhook.webhookUrl', reason: verdict.reason },
        ]);
      }
      const webhook: Webhook = { key, url, configuredAt: this.#deps.clock.now() };
      await this.#write(owner, (store) => store.save(webhook));
      return webhook;
    });
  }

  get(owner: string, key: string): Promise<Webhook> {
    return this.#tracer.inSpan('WebhookService.get', async () => {
      const webhook = await readConfirmingOnWriter(this.#deps.db, (querier) =>
        this.#deps.storeOn(querier, owner).find(key),
      );
      if (!webhook) throw new WebhookNotFoundError(key);
      return webhook;
    });
  }

  /** No more notifications for the key; throws WebhookNotFoundError when it had no webhook. */
  remove(owner: string, key: string): Promise<void> {
    return this.#tracer.inSpan('WebhookService.remove', async () => {
      const deleted = await this.#write(owner, (store) => store.delete(key));
      if (!deleted) throw new WebhookNotFoundError(key);
    });
  }

  list(owner: string, filter: WebhookFilter, page: PageRequest): Promise<Page<Webhook>> {
    return this.#tracer.inSpan('WebhookService.list', async () => {
      if (filter.from && filter.to && filter.to.getTime() < filter.from.getTime()) {
        throw new InvalidQueryError('webhook', [
          { field: 'fim', reason: 'is before inicio', value: filter.to.toISOString() },
        ]);
      }
      return this.#deps.storeOn(this.#deps.db.reader(), owner).list(filter, page);
    });
  }

  #write<T>(owner: string, work: (store: WebhookStore) => Promise<T>): Promise<T> {
    return this.#deps.db.withTimeoutTx(this.#deps.txTimeoutMs, (tx) => work(this.#deps.storeOn(tx, owner)));
  }
}
