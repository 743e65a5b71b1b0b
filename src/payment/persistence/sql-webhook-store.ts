// The webhook store in plain parameterized SQL; bound to one owner, every statement filters by it.
import type { Querier } from '../../db/querier.ts';
import type { Webhook } from '../domain/webhook.ts';
import type { WebhookStore } from '../domain/webhook-store.ts';

interface WebhookRow {
  chave: string;
  webhook_url: string;
  created_at: Date;
}

const COLUMNS = 'chave, webhook_url, created_at';

export function createSqlWebhookStore(db: Querier, ownerId: string): WebhookStore {
  return {
    async save(webhook) {
      await db.query(
        `INSERT INTO pix_webhooks (owner_id, chave, webhook_url, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner_id, chave) DO UPDATE SET webhook_url = EXCLUDED.webhook_url, created_at = EXCLUDED.created_at`,
        [ownerId, webhook.key, webhook.url, webhook.configuredAt],
      );
    },

    async find(key) {
      const { rows } = await db.query<WebhookRow>(
        `SELECT ${COLUMNS} FROM pix_webhooks WHERE owner_id = $1 AND chave = $2`,
        [ownerId, key],
      );
      return rows[0] && toWebhook(rows[0]);
    },

    async delete(key) {
      const { rows } = await db.query<{ chave: string }>(
        'DELETE FROM pix_webhooks WHERE owner_id = $1 AND chave = $2 RETURNING chave',
        [ownerId, key],
      );
      return rows.length > 0;
    },

    async list(filter, page) {
      const where = `owner_id = $1 AND ($2::timestamptz IS NULL OR created_at >= $2)
        AND ($3::timestamptz IS NULL OR created_at <= $3)`;
      const params = [ownerId, filter.from ?? null, filter.to ?? null];
      const { rows } = await db.query<WebhookRow & { total_items: string }>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total_items FROM pix_webhooks WHERE ${where}
          ORDER BY created_at, chave LIMIT $4 OFFSET $5`,
        [...params, page.perPage, page.page * page.perPage],
      );
      if (rows[0]) return { items: rows.map(toWebhook), totalItems: Number(rows[0].total_items) };
      const count = await db.query<{ total_items: string }>(
        `SELECT count(*) AS total_items FROM pix_webhooks WHERE ${where}`,
        params,
      );
      return { items: [], totalItems: Number(count.rows[0]?.total_items ?? 0) };
    },
  };
}

function toWebhook(row: WebhookRow): Webhook {
  return { key: row.chave, url: row.webhook_url, configuredAt: row.created_at };
}
