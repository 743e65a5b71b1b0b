-- migrate:up
-- OAuth 2.0 clients of the built-in token endpoint (client credentials grant). The secret is kept
-- only as a self-describing scrypt hash (parameters and salt included), never in the clear.
CREATE TABLE oauth_clients (
    id text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 200),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    secret_hash text NOT NULL,
    scopes text[] NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- migrate:down
DROP TABLE oauth_clients;
