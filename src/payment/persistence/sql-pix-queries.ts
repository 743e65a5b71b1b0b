// The reading half of the Pix part of the Payment store: Pix with their refunds (see sql-payment-store.ts).
import type { Querier } from '../../db/querier.ts';
import type { PaymentStore } from '../domain/payment-store.ts';
import type { Pix, Refund, RefundNature, RefundStatus } from '../domain/pix.ts';

interface PixRow {
  end_to_end_id: string;
  txid: string | null;
  amount_cents: string;
  chave: string | null;
  payer_cpf: string | null;
  payer_cnpj: string | null;
  payer_name: string | null;
  payer_info: string | null;
  settled_at: Date;
  refunded_cents: string;
}

interface RefundRow {
  end_to_end_id: string;
  id: string;
  rtr_id: string;
  amount_cents: string;
  nature: RefundNature;
  description: string | null;
  status: RefundStatus;
  requested_at: Date;
  settled_at: Date | null;
}

const PIX_COLUMNS = `end_to_end_id, txid, amount_cents, chave, payer_cpf, payer_cnpj, payer_name, payer_info,
  settled_at, refunded_cents`;
const REFUND_COLUMNS =
  'end_to_end_id, id, rtr_id, amount_cents, nature, description, status, requested_at, settled_at';

type PixQueries = Pick<PaymentStore, 'findPix' | 'findPixOfCharge' | 'listPix' | 'findRefund'>;

export function createSqlPixQueries(db: Querier, ownerId: string): PixQueries {
  /** The Pix with their refunds, in the order given. */
  async function withRefunds(rows: PixRow[]): Promise<Pix[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.end_to_end_id);
    const refunds = await db.query<RefundRow>(
      `SELECT ${REFUND_COLUMNS} FROM pix_refunds WHERE end_to_end_id = ANY($1::text[])
        ORDER BY requested_at, id`,
      [ids],
    );
    return rows.map((row) =>
      toPix(row, refunds.rows.filter((refund) => refund.end_to_end_id === row.end_to_end_id).map(toRefund)),
    );
  }

  return {
    async findPix(endToEndId, options) {
      const { rows } = await db.query<PixRow>(
        `SELECT ${PIX_COLUMNS} FROM pix_received WHERE owner_id = $1 AND end_to_end_id = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`,
        [ownerId, endToEndId],
      );
      return (await withRefunds(rows))[0];
    },

    async findPixOfCharge(txid) {
      const { rows } = await db.query<PixRow>(
        `SELECT ${PIX_COLUMNS} FROM pix_received WHERE owner_id = $1 AND txid = $2 ORDER BY settled_at`,
        [ownerId, txid],
      );
      return withRefunds(rows);
    },

    async listPix(filter, page) {
      const where = `owner_id = $1 AND settled_at BETWEEN $2 AND $3
        AND ($4::text IS NULL OR txid = $4) AND ($5::boolean IS NULL OR (txid IS NOT NULL) = $5)
        AND ($6::boolean IS NULL OR (refunded_cents > 0) = $6)
        AND ($7::text IS NULL OR payer_cpf = $7) AND ($8::text IS NULL OR payer_cnpj = $8)`;
      const params = [
        ownerId,
        filter.from,
        filter.to,
        filter.txid ?? null,
        filter.txidPresent ?? null,
        filter.refundPresent ?? null,
        filter.cpf ?? null,
        filter.cnpj ?? null,
      ];
      const { rows } = await db.query<PixRow & { total_items: string }>(
        `SELECT ${PIX_COLUMNS}, count(*) OVER () AS total_items FROM pix_received WHERE ${where}
          ORDER BY settled_at, end_to_end_id LIMIT $9 OFFSET $10`,
        [...params, page.perPage, page.page * page.perPage],
      );
      if (rows[0]) return { items: await withRefunds(rows), totalItems: Number(rows[0].total_items) };
      const count = await db.query<{ total_items: string }>(
        `SELECT count(*) AS total_items FROM pix_received WHERE ${where}`,
        params,
      );
      return { items: [], totalItems: Number(count.rows[0]?.total_items ?? 0) };
    },

    async findRefund(endToEndId, id) {
      const { rows } = await db.query<RefundRow>(
        `SELECT ${REFUND_COLUMNS.split(', ')
          .map((column) => `r.${column}`)
          .join(', ')}
           FROM pix_refunds r JOIN pix_received p ON p.end_to_end_id = r.end_to_end_id
          WHERE p.owner_id = $1 AND r.end_to_end_id = $2 AND r.id = $3`,
        [ownerId, endToEndId, id],
      );
      return rows[0] && toRefund(rows[0]);
    },
  };
}

function toPix(row: PixRow, refunds: Refund[]): Pix {
  const payerDocument = row.payer_cpf ?? row.payer_cnpj;
  return {
    endToEndId: row.end_to_end_id,
    txid: row.txid,
    amountCents: Number(row.amount_cents),
    key: row.chave,
    payer:
      payerDocument === null
        ? null
        : { kind: row.payer_cpf ? 'cpf' : 'cnpj', document: payerDocument, name: row.payer_name ?? '' },
    payerInfo: row.payer_info,
    settledAt: row.settled_at,
    refundedCents: Number(row.refunded_cents),
    refunds,
  };
}

function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    returnId: row.rtr_id,
    amountCents: Number(row.amount_cents),
    nature: row.nature,
    description: row.description,
    status: row.status,
    requestedAt: row.requested_at,
    settledAt: row.settled_at,
  };
}
