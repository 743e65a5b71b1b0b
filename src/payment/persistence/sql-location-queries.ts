// The location half of the Payment store (see sql-payment-store.ts).
import type { Querier } from '../../db/querier.ts';
import type { Location } from '../domain/location.ts';
import type { PaymentStore } from '../domain/payment-store.ts';

interface LocationRow {
  id: string;
  access_token: string;
  tipo_cob: 'cob' | 'cobv';
  txid: string | null;
  created_at: Date;
}

const COLUMNS = 'id, access_token, tipo_cob, txid, created_at';

type LocationQueries = Pick<
  PaymentStore,
  'insertLocation' | 'findLocation' | 'setLocationTxid' | 'listLocations'
>;

export function createSqlLocationQueries(db: Querier, ownerId: string): LocationQueries {
  return {
    async insertLocation(location) {
      const { rows } = await db.query<LocationRow>(
        `INSERT INTO pix_locations (owner_id, access_token, tipo_cob, txid, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [ownerId, location.accessToken, location.kind, location.txid, location.createdAt],
      );
      return toLocation(rows[0]!);
    },

    async findLocation(id, options) {
      const { rows } = await db.query<LocationRow>(
        `SELECT ${COLUMNS} FROM pix_locations WHERE owner_id = $1 AND id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`,
        [ownerId, id],
      );
      return rows[0] && toLocation(rows[0]);
    },

    async setLocationTxid(id, txid) {
      await db.query('UPDATE pix_locations SET txid = $3 WHERE owner_id = $1 AND id = $2', [
        ownerId,
        id,
        txid,
      ]);
    },

    async listLocations(filter, page) {
      const where = `owner_id = $1 AND created_at BETWEEN $2 AND $3
        AND ($4::boolean IS NULL OR (txid IS NOT NULL) = $4) AND ($5::text IS NULL OR tipo_cob = $5)`;
      const params = [ownerId, filter.from, filter.to, filter.txidPresent ?? null, filter.kind ?? null];
      const { rows } = await db.query<LocationRow & { total_items: string }>(
        `SELECT ${COLUMNS}, count(*) OVER () AS total_items FROM pix_locations WHERE ${where}
          ORDER BY created_at, id LIMIT $6 OFFSET $7`,
        [...params, page.perPage, page.page * page.perPage],
      );
      if (rows[0]) return { items: rows.map(toLocation), totalItems: Number(rows[0].total_items) };
      const count = await db.query<{ total_items: string }>(
        `SELECT count(*) AS total_items FROM pix_locations WHERE ${where}`,
        params,
      );
      return { items: [], totalItems: Number(count.rows[0]?.total_items ?? 0) };
    },
  };
}

export function toLocation(row: LocationRow): Location {
  return {
    id: Number(row.id),
    accessToken: row.access_token,
    kind: row.tipo_cob,
    txid: row.txid,
    createdAt: row.created_at,
  };
}
