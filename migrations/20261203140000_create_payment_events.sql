-- migrate:up
-- The Payment module's event log and its outbox (docs/events.md).
--
-- payment_events is append-only: one row per thing that happened to a received Pix, written in the
-- same transaction as the change itself (a Pix settled, a refund reaching DEVOLVIDO or NAO_REALIZADO),
-- never updated nor deleted (the trigger below refuses both). Each row carries the Pix as it was right
-- after the change, so replaying a charge's rows in sequence order rebuilds its history.
CREATE TABLE payment_events (
    -- Commit-independent order of insertion; per Pix it is the order of its changes, since each
    -- change locks the Pix row.
    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- UUIDv7: the webhook-id of its notification and the Nats-Msg-Id of its message.
    id uuid NOT NULL UNIQUE,
    owner_id text NOT NULL,
    type text NOT NULL CHECK (type IN ('pix.received', 'refund.settled')),
    end_to_end_id text NOT NULL,
    txid text,
    -- The receiving key: which webhook (owner_id, chave) is told, and the unit of delivery order.
    chave text,
    -- The refund that reached a final status (refund.settled only).
    refund_id text,
    -- The Pix (with its refunds) right after the change, in the module's document form.
    pix jsonb NOT NULL,
    -- W3C trace context of the request that made the change, to link the relay's spans to it.
    trace_context jsonb,
    occurred_at timestamptz NOT NULL,
    CHECK ((type = 'refund.settled') = (refund_id IS NOT NULL))
);
CREATE INDEX payment_events_owner_pix_idx ON payment_events (owner_id, end_to_end_id, sequence);
CREATE INDEX payment_events_owner_txid_idx ON payment_events (owner_id, txid, sequence);

CREATE FUNCTION payment_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment_events is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
    FOR EACH ROW EXECUTE FUNCTION payment_events_append_only();

-- The relay's state for each event, apart from the immutable event: written with it, then moved on
-- by the relay (claimed under a lease, retried, delivered or dead-lettered).
CREATE TABLE payment_event_outbox (
    event_id uuid PRIMARY KEY REFERENCES payment_events (id),
    sequence bigint NOT NULL,
    owner_id text NOT NULL,
    chave text,
    -- pending: to relay; published: in the broker (NATS mode), whose consumer delivers it;
    -- delivered: the webhook answered 2xx; skipped: no webhook for its key; dead: given up (re-queued
    -- by npm run webhooks -- retry).
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'published', 'delivered', 'skipped', 'dead')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    -- A claim: the instance relaying it, until when. A crashed instance's claims lapse on their own.
    leased_by text,
    lease_until timestamptz,
    last_error text,
    -- How often an operator re-queued it after it died (part of the broker message id then).
    requeues integer NOT NULL DEFAULT 0 CHECK (requeues >= 0),
    finished_at timestamptz
);
-- The relay looks only at pending rows: the head of each key, oldest first.
CREATE INDEX payment_event_outbox_pending_idx ON payment_event_outbox (sequence) WHERE status = 'pending';
CREATE INDEX payment_event_outbox_key_pending_idx ON payment_event_outbox (owner_id, chave, sequence)
    WHERE status = 'pending';
CREATE INDEX payment_event_outbox_dead_idx ON payment_event_outbox (sequence) WHERE status = 'dead';

-- migrate:down
DROP TABLE payment_event_outbox;
DROP TRIGGER payment_events_append_only ON payment_events;
DROP FUNCTION payment_events_append_only();
DROP TABLE payment_events;
