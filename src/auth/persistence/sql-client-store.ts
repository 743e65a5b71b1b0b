// The OAuth clients in plain parameterized SQL over the db ports.
import { UniqueViolationError } from '../../db/errors.ts';
import type { Querier } from '../../db/querier.ts';
import { ClientAlreadyExistsError } from '../domain/client-errors.ts';
import type { ClientStore } from '../domain/client-store.ts';
import type { OAuthClient } from '../domain/oauth-client.ts';

const COLUMNS = 'id, name, scopes, created_at, revoked_at';

interface ClientRow {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

export function createSqlClientStore(db: Querier): ClientStore {
  return {
    async insert(client) {
      try {
        await db.query(
          `INSERT INTO oauth_clients (${COLUMNS}, secret_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
          [client.id, client.name, client.scopes, client.createdAt, client.revokedAt, client.secretHash],
        );
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new ClientAlreadyExistsError(client.id);
        throw error;
      }
    },

    async upsert(client) {
      await db.query(
        `INSERT INTO oauth_clients (${COLUMNS}, secret_hash) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (id) DO UPDATE
            SET name = EXCLUDED.name, scopes = EXCLUDED.scopes, secret_hash = EXCLUDED.secret_hash,
                revoked_at = NULL`,
        [client.id, client.name, client.scopes, client.createdAt, client.revokedAt, client.secretHash],
      );
    },

    async findById(id) {
      const { rows } = await db.query<ClientRow & { secret_hash: string }>(
        `SELECT ${COLUMNS}, secret_hash FROM oauth_clients WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row && { ...toClient(row), secretHash: row.secret_hash };
    },

    async list() {
      const { rows } = await db.query<ClientRow>(
        `SELECT ${COLUMNS} FROM oauth_clients ORDER BY created_at, id`,
      );
      return rows.map(toClient);
    },

    async revoke(id, at) {
      const { rowCount } = await db.query(
        'UPDATE oauth_clients SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1',
        [id, at],
      );
      return rowCount > 0;
    },

    async addScopesByName(name, scopes) {
      const { rowCount } = await db.query(
        `UPDATE oauth_clients
            SET scopes = ARRAY(SELECT DISTINCT scope FROM unnest(scopes || $2::text[]) AS scope ORDER BY scope)
          WHERE name = $1 AND revoked_at IS NULL AND NOT scopes @> $2::text[]`,
        [name, scopes],
      );
      return rowCount;
    },

    async count() {
      const { rows } = await db.query<{ clients: string }>('SELECT count(*) AS clients FROM oauth_clients');
      return Number(rows[0]?.clients ?? 0);
    },
  };
}

function toClient(row: ClientRow): OAuthClient {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
