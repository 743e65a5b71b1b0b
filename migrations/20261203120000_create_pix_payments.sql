-- migrate:up
-- The Payment module: immediate charges (cob), their payload locations, received Pix and refunds.
-- Every row belongs to the OAuth client that is the receiving user (owner_id), and every query
-- filters by it. Money is integer cents (bigint): the API's decimal strings are exact, floats are not;
-- 999999999999 cents is the largest amount the API can write (\d{1,10}\.\d{2}).

-- A location is created alone (POST /v2/loc) or with a charge; it serves at most one charge at a time.
CREATE TABLE pix_locations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id text NOT NULL,
    -- The unguessable last segment of the payload URL; the payload route is unauthenticated.
    access_token text NOT NULL UNIQUE CHECK (access_token ~ '^[A-Za-z0-9-]{16,64}$'),
    tipo_cob text NOT NULL CHECK (tipo_cob IN ('cob', 'cobv')),
    txid text,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX pix_locations_owner_txid_key ON pix_locations (owner_id, txid) WHERE txid IS NOT NULL;
CREATE INDEX pix_locations_owner_created_idx ON pix_locations (owner_id, created_at, id);

-- The current state of each charge; its history is in pix_charge_revisions.
CREATE TABLE pix_charges (
    id uuid PRIMARY KEY,
    owner_id text NOT NULL,
    txid text NOT NULL CHECK (txid ~ '^[a-zA-Z0-9]{26,35}$'),
    revision integer NOT NULL CHECK (revision >= 0),
    -- Stored as the last change left it: REMOVIDA_PELO_PSP (expiry) is derived when read.
    status text NOT NULL CHECK (status IN ('ATIVA', 'CONCLUIDA', 'REMOVIDA_PELO_USUARIO_RECEBEDOR')),
    created_at timestamptz NOT NULL,
    expires_in_seconds integer NOT NULL CHECK (expires_in_seconds > 0),
    original_cents bigint NOT NULL CHECK (original_cents BETWEEN 1 AND 999999999999),
    debtor_cpf text,
    debtor_cnpj text,
    location_id bigint REFERENCES pix_locations (id),
    -- The rest of the charge as the API shows it (key, debtor name, texts, ...), for reads.
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    -- "The txid is unique per receiving user" (the specification): two clients may share one.
    CONSTRAINT pix_charges_owner_txid_key UNIQUE (owner_id, txid),
    CHECK (debtor_cpf IS NULL OR debtor_cnpj IS NULL)
);
CREATE INDEX pix_charges_owner_created_idx ON pix_charges (owner_id, created_at, id);
CREATE UNIQUE INDEX pix_charges_location_key ON pix_charges (location_id) WHERE location_id IS NOT NULL;

-- Every revision of every charge as it was, for GET /v2/cob/{txid}?revisao=N.
CREATE TABLE pix_charge_revisions (
    charge_id uuid NOT NULL REFERENCES pix_charges (id),
    revision integer NOT NULL CHECK (revision >= 0),
    document jsonb NOT NULL,
    PRIMARY KEY (charge_id, revision)
);

-- A received Pix. charge_id is unique: a charge is paid at most once, whatever races.
CREATE TABLE pix_received (
    end_to_end_id text PRIMARY KEY CHECK (end_to_end_id ~ '^[a-zA-Z0-9]{32}$'),
    owner_id text NOT NULL,
    charge_id uuid UNIQUE REFERENCES pix_charges (id),
    txid text,
    amount_cents bigint NOT NULL CHECK (amount_cents BETWEEN 1 AND 999999999999),
    chave text,
    payer_cpf text,
    payer_cnpj text,
    payer_name text,
    payer_info text,
    settled_at timestamptz NOT NULL,
    -- The sum of the refunds, kept under the row lock a refund takes; it can never pass the amount.
    refunded_cents bigint NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents)
);
CREATE INDEX pix_received_owner_settled_idx ON pix_received (owner_id, settled_at, end_to_end_id);

CREATE TABLE pix_refunds (
    end_to_end_id text NOT NULL REFERENCES pix_received (end_to_end_id),
    id text NOT NULL CHECK (id ~ '^[a-zA-Z0-9]{1,35}$'),
    rtr_id text NOT NULL UNIQUE CHECK (rtr_id ~ '^[a-zA-Z0-9]{32}$'),
    amount_cents bigint NOT NULL CHECK (amount_cents BETWEEN 1 AND 999999999999),
    nature text NOT NULL CHECK (nature IN ('ORIGINAL', 'RETIRADA')),
    description text,
    status text NOT NULL CHECK (status IN ('EM_PROCESSAMENTO', 'DEVOLVIDO', 'NAO_REALIZADO')),
    requested_at timestamptz NOT NULL,
    settled_at timestamptz,
    PRIMARY KEY (end_to_end_id, id)
);

-- Idempotency-Key of POST /v2/cob, per client: the key's request fingerprint and the charge it
-- created (whose revision 0 is the answer to replay). Written in the creating transaction, so a
-- concurrent duplicate waits on the key's index entry and then replays.
CREATE TABLE pix_idempotency_keys (
    owner_id text NOT NULL,
    idempotency_key text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    fingerprint text NOT NULL,
    -- Checked at commit: the key is claimed before the charge it creates is written.
    charge_id uuid NOT NULL REFERENCES pix_charges (id) DEFERRABLE INITIALLY DEFERRED,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, idempotency_key)
);

-- migrate:down
DROP TABLE pix_idempotency_keys;
DROP TABLE pix_refunds;
DROP TABLE pix_received;
DROP TABLE pix_charge_revisions;
DROP TABLE pix_charges;
DROP TABLE pix_locations;
