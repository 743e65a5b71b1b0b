// The one Payment query not bound to an owner: the open payload route knows only the location's
// access token (unique across all owners) and finds the charge that location serves now.
import type { Querier } from '../../db/querier.ts';
import type { PayloadLookup } from '../domain/payment-store.ts';
import { fromChargeDocument, type ChargeDocument } from './charge-document.ts';

export function createSqlPayloadLookup(db: Querier): PayloadLookup {
  return {
    async findChargeByLocationToken(token) {
      const { rows } = await db.query<{ document: ChargeDocument }>(
        `SELECT c.document FROM pix_locations l JOIN pix_charges c ON c.location_id = l.id
          WHERE l.access_token = $1`,
        [token],
      );
      return rows[0] && fromChargeDocument(rows[0].document);
    },
  };
}
