-- migrate:up
-- Webhooks of the Payment module (PUT /v2/webhook/{chave}): where to notify a receiving user of the
-- Pix received on one of their keys. Owned per client like every Payment row: two clients may
-- configure the same key independently, and every query filters by owner_id.
CREATE TABLE pix_webhooks (
    owner_id text NOT NULL,
    -- The DICT key as given (the API bounds it to 77 characters).
    chave text NOT NULL CHECK (char_length(chave) BETWEEN 1 AND 77),
    -- An absolute https URL (http only to loopback in insecure development mode), checked against
    -- the target policy when configured and again at every delivery.
    webhook_url text NOT NULL CHECK (char_length(webhook_url) BETWEEN 1 AND 2048),
    -- When the current URL was configured (a PUT that replaces the URL configures it anew).
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, chave)
);
-- GET /v2/webhook lists a client's webhooks by creation time.
CREATE INDEX pix_webhooks_owner_created_idx ON pix_webhooks (owner_id, created_at, chave);

-- migrate:down
DROP TABLE pix_webhooks;
