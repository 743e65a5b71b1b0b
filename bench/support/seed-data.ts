// Bulk seeding in plain SQL, the same on PostgreSQL and PGlite: profiles from generate_series, and
// charges cloned from one the API created (so every stored document has the shape the service
// writes), each with its own id, txid and payload location. Seconds for 100,000 rows of each.

/** What seeding needs of a connection: node-postgres' Client and PGlite both fit. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Runs each statement on a pool, once more if its connection was terminated from outside (other
 * work on a shared server may end every backend); every seeding statement is atomic, so a statement
 * that failed left nothing behind.
 */
export function retryingOnTerminatedConnection(pool: SqlRunner): SqlRunner {
  return {
    async query(sql, params) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await pool.query(sql, params);
        } catch (error) {
          const code = (error as { code?: string }).code;
          const terminated = code === '57P01' || code === 'ECONNRESET';
          if (!terminated || attempt >= 3) throw error;
        }
      }
    },
  };
}

/** Seeded txids: `benchseed` and a zero-padded number, 29 characters (the API allows 26 to 35). */
export function seededTxid(index: number): string {
  return `benchseed${String(index).padStart(20, '0')}`;
}

export async function seedProfiles(db: SqlRunner, ownerId: string, count: number): Promise<void> {
  // Newest first is seed 1; every profile one second older than the one before.
  await db.query(
    `INSERT INTO profiles (id, name, email, age, version, created_at, updated_at, owner_id)
     SELECT gen_random_uuid(), 'Seeded profile ' || i, 'seed-' || i || '@example.org', 18 + i % 80, 1,
            now() - make_interval(secs => i), now() - make_interval(secs => i), $1
       FROM generate_series(1, $2::int) AS i`,
    [ownerId, count],
  );
  await db.query('ANALYZE profiles');
}

/** `count` active charges like the one with `templateTxid`, with txids seededTxid(1..count). */
export async function seedCharges(
  db: SqlRunner,
  ownerId: string,
  templateTxid: string,
  count: number,
): Promise<void> {
  await db.query(
    `INSERT INTO pix_locations (owner_id, access_token, tipo_cob, txid, created_at)
     SELECT $1, 'benchseedloc' || lpad(i::text, 12, '0'), 'cob',
            'benchseed' || lpad(i::text, 20, '0'), now()
       FROM generate_series(1, $2::int) AS i`,
    [ownerId, count],
  );
  // A day to expire, so none expires during a run and every one can still be paid.
  await db.query(
    `INSERT INTO pix_charges (id, owner_id, txid, revision, status, created_at, expires_in_seconds,
                              original_cents, debtor_cpf, debtor_cnpj, location_id, document, updated_at)
     SELECT l.charge_id, t.owner_id, l.txid, 0, 'ATIVA', c.at, 86400, t.original_cents, t.debtor_cpf,
            t.debtor_cnpj, l.id,
            t.document || jsonb_build_object(
              'id', l.charge_id, 'txid', l.txid, 'status', 'ATIVA', 'revision', 0,
              'expiresInSeconds', 86400, 'createdAt', c.at_text, 'updatedAt', c.at_text,
              'location', jsonb_build_object('id', l.id, 'accessToken', l.access_token, 'kind', 'cob',
                                             'txid', l.txid, 'createdAt', c.at_text)),
            c.at
       FROM (SELECT *, gen_random_uuid() AS charge_id FROM pix_locations
              WHERE owner_id = $1 AND access_token LIKE 'benchseedloc%') AS l
       CROSS JOIN (SELECT * FROM pix_charges WHERE owner_id = $1 AND txid = $2) AS t
       CROSS JOIN (SELECT now() AS at,
                          to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_text) AS c`,
    [ownerId, templateTxid],
  );
  await db.query(
    `INSERT INTO pix_charge_revisions (charge_id, revision, document)
     SELECT id, 0, document FROM pix_charges WHERE owner_id = $1 AND txid LIKE 'benchseed%'`,
    [ownerId],
  );
  for (const table of ['pix_locations', 'pix_charges', 'pix_charge_revisions'])
    await db.query(`ANALYZE ${table}`);
}
