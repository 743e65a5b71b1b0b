// The Payment store in plain parameterized SQL over the db ports; works on a pool, a replica or an
// open transaction alike. A store is bound to one owner and every statement filters by it, so one
// client's charges, locations, Pix and refunds do not exist for another.
import { IntegrityViolationError, UniqueViolationError } from '../../db/errors.ts';
import type { Querier } from '../../db/querier.ts';
import { InvalidChargeError, InvalidRefundError } from '../domain/payment-errors.ts';
import type { PaymentStore } from '../domain/payment-store.ts';
import type { Charge } from '../domain/charge.ts';
import { fromChargeDocument, toChargeDocument, type ChargeDocument } from './charge-document.ts';
import { createSqlPixQueries } from './sql-pix-queries.ts';
import { createSqlLocationQueries } from './sql-location-queries.ts';

const TXID_KEY = 'pix_charges_owner_txid_key';
const ONE_PIX_PER_CHARGE_KEY = 'pix_received_charge_id_key';

/** The status a list filters on: expiry derived as of $now, as the domain derives it. */
const EFFECTIVE_STATUS = `CASE WHEN status = 'ATIVA'
  AND created_at + expires_in_seconds * interval '1 second' <= $4 THEN 'REMOVIDA_PELO_PSP' ELSE status END`;

export function createSqlPaymentStore(db: Querier, ownerId: string): PaymentStore {
  async function writeRevision(charge: Charge): Promise<void> {
    await db.query('INSERT INTO pix_charge_revisions (charge_id, revision, document) VALUES ($1, $2, $3)', [
      charge.id,
      charge.revision,
      JSON.stringify(toChargeDocument(charge)),
    ]);
  }

  return {
    ...createSqlLocationQueries(db, ownerId),
    ...createSqlPixQueries(db, ownerId),

    async insertCharge(charge) {
      try {
        await db.query(
          `INSERT INTO pix_charges (id, owner_id, txid, revision, status, created_at, expires_in_seconds,
             original_cents, debtor_cpf, debtor_cnpj, location_id, document, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            charge.id,
            ownerId,
            charge.txid,
            charge.revision,
            charge.status,
            charge.createdAt,
            charge.expiresInSeconds,
            charge.originalCents,
            debtorColumn(charge, 'cpf'),
            debtorColumn(charge, 'cnpj'),
            charge.location?.id ?? null,
            JSON.stringify(toChargeDocument(charge)),
            charge.updatedAt,
          ],
        );
      } catch (error) {
        if (error instanceof UniqueViolationError && error.constraint === TXID_KEY) {
          throw new InvalidChargeError(`A charge with txid ${charge.txid} already exists.`, [
            { field: 'txid', reason: 'is already used by another charge', value: charge.txid },
          ]);
        }
        throw error;
      }
      await writeRevision(charge);
    },

    async updateCharge(charge) {
      await db.query(
        `UPDATE pix_charges SET revision = $3, status = $4, expires_in_seconds = $5, original_cents = $6,
           debtor_cpf = $7, debtor_cnpj = $8, location_id = $9, document = $10, updated_at = $11
         WHERE owner_id = $1 AND id = $2`,
        [
          ownerId,
          charge.id,
          charge.revision,
          charge.status,
          charge.expiresInSeconds,
          charge.originalCents,
          debtorColumn(charge, 'cpf'),
          debtorColumn(charge, 'cnpj'),
          charge.location?.id ?? null,
          JSON.stringify(toChargeDocument(charge)),
          charge.updatedAt,
        ],
      );
      await writeRevision(charge);
    },

    async findCharge(txid, options) {
      const { rows } = await db.query<{ document: ChargeDocument }>(
        `SELECT document FROM pix_charges WHERE owner_id = $1 AND txid = $2${options?.forUpdate ? ' FOR UPDATE' : ''}`,
        [ownerId, txid],
      );
      return rows[0] && fromChargeDocument(rows[0].document);
    },

    async findChargeRevision(txid, revision) {
      const { rows } = await db.query<{ document: ChargeDocument }>(
        `SELECT r.document FROM pix_charge_revisions r JOIN pix_charges c ON c.id = r.charge_id
          WHERE c.owner_id = $1 AND c.txid = $2 AND r.revision = $3`,
        [ownerId, txid, revision],
      );
      return rows[0] && fromChargeDocument(rows[0].document);
    },

    async findFirstRevision(chargeId) {
      const { rows } = await db.query<{ document: ChargeDocument }>(
        `SELECT r.document FROM pix_charge_revisions r JOIN pix_charges c ON c.id = r.charge_id
          WHERE c.owner_id = $1 AND c.id = $2 AND r.revision = 0`,
        [ownerId, chargeId],
      );
      return rows[0] && fromChargeDocument(rows[0].document);
    },

    async listCharges(filter, page, now) {
      const { rows } = await db.query<{ document: ChargeDocument; total_items: string }>(
        `SELECT document, count(*) OVER () AS total_items FROM pix_charges
          WHERE owner_id = $1 AND created_at BETWEEN $2 AND $3
            AND ($5::text IS NULL OR debtor_cpf = $5) AND ($6::text IS NULL OR debtor_cnpj = $6)
            AND ($7::boolean IS NULL OR (location_id IS NOT NULL) = $7)
            AND ($8::text IS NULL OR ${EFFECTIVE_STATUS} = $8)
          ORDER BY created_at, id LIMIT $9 OFFSET $10`,
        [
          ownerId,
          filter.from,
          filter.to,
          now,
          filter.cpf ?? null,
          filter.cnpj ?? null,
          filter.locationPresent ?? null,
          filter.status ?? null,
          page.perPage,
          page.page * page.perPage,
        ],
      );
      const items = rows.map((row) => fromChargeDocument(row.document));
      if (rows[0]) return { items, totalItems: Number(rows[0].total_items) };
      const count = await db.query<{ total_items: string }>(
        `SELECT count(*) AS total_items FROM pix_charges
          WHERE owner_id = $1 AND created_at BETWEEN $2 AND $3
            AND ($5::text IS NULL OR debtor_cpf = $5) AND ($6::text IS NULL OR debtor_cnpj = $6)
            AND ($7::boolean IS NULL OR (location_id IS NOT NULL) = $7)
            AND ($8::text IS NULL OR ${EFFECTIVE_STATUS} = $8)`,
        [
          ownerId,
          filter.from,
          filter.to,
          now,
          filter.cpf ?? null,
          filter.cnpj ?? null,
          filter.locationPresent ?? null,
          filter.status ?? null,
        ],
      );
      return { items, totalItems: Number(count.rows[0]?.total_items ?? 0) };
    },

    async insertPix(pix, chargeId) {
      try {
        await db.query(
          `INSERT INTO pix_received (end_to_end_id, owner_id, charge_id, txid, amount_cents, chave,
             payer_cpf, payer_cnpj, payer_name, payer_info, settled_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            pix.endToEndId,
            ownerId,
            chargeId,
            pix.txid,
            pix.amountCents,
            pix.key,
            pix.payer?.kind === 'cpf' ? pix.payer.document : null,
            pix.payer?.kind === 'cnpj' ? pix.payer.document : null,
            pix.payer?.name ?? null,
            pix.payerInfo,
            pix.settledAt,
          ],
        );
      } catch (error) {
        if (error instanceof UniqueViolationError && error.constraint === ONE_PIX_PER_CHARGE_KEY) {
          throw new InvalidChargeError('The charge has been paid already.', [
            { field: 'cob.status', reason: 'is not ATIVA', value: 'CONCLUIDA' },
          ]);
        }
        throw error;
      }
    },

    async insertRefund(endToEndId, refund) {
      try {
        await db.query(
          `INSERT INTO pix_refunds (end_to_end_id, id, rtr_id, amount_cents, nature, description, status,
             requested_at, settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            endToEndId,
            refund.id,
            refund.returnId,
            refund.amountCents,
            refund.nature,
            refund.description,
            refund.status,
            refund.requestedAt,
            refund.settledAt,
          ],
        );
        // The CHECK (refunded_cents <= amount_cents) backs the domain's rule up in the database.
        await db.query(
          `UPDATE pix_received SET refunded_cents = refunded_cents + $3 WHERE owner_id = $1 AND end_to_end_id = $2`,
          [ownerId, endToEndId, refund.amountCents],
        );
      } catch (error) {
        if (error instanceof IntegrityViolationError) {
          throw new InvalidRefundError(
            'This refund, with the earlier ones, would exceed the value of the Pix.',
            [{ field: 'devolucao.valor', reason: 'exceeds what is left to refund of the Pix' }],
          );
        }
        throw error;
      }
    },

    async claimIdempotencyKey(key, fingerprint, chargeId, now, expiresAt) {
      await db.query(
        'DELETE FROM pix_idempotency_keys WHERE owner_id = $1 AND idempotency_key = $2 AND expires_at <= $3',
        [ownerId, key, now],
      );
      const inserted = await db.query(
        `INSERT INTO pix_idempotency_keys (owner_id, idempotency_key, fingerprint, charge_id, expires_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner_id, idempotency_key) DO NOTHING RETURNING 1`,
        [ownerId, key, fingerprint, chargeId, expiresAt],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed' };
      const { rows } = await db.query<{ fingerprint: string; charge_id: string }>(
        'SELECT fingerprint, charge_id FROM pix_idempotency_keys WHERE owner_id = $1 AND idempotency_key = $2',
        [ownerId, key],
      );
      const holder = rows[0];
      if (!holder) throw new Error('an Idempotency-Key vanished between its conflict and its read');
      return { kind: 'taken', fingerprint: holder.fingerprint, chargeId: holder.charge_id };
    },
  };
}

function debtorColumn(charge: Charge, kind: 'cpf' | 'cnpj'): string | null {
  return charge.debtor?.kind === kind ? charge.debtor.document : null;
}
