-- migrate:up
-- Every profile belongs to the OAuth client that created it (object-level authorization). Rows
-- older than this column get the empty owner, which no client id can be, so they become invisible
-- rather than shared; the default is dropped afterwards so every insert must name its owner.
ALTER TABLE profiles ADD COLUMN owner_id text NOT NULL DEFAULT '';
ALTER TABLE profiles ALTER COLUMN owner_id DROP DEFAULT;

-- Emails are unique per owner, not globally: a global index would let one client learn, from a
-- 409, that another client's profile uses an email.
DROP INDEX profiles_email_live_key;
CREATE UNIQUE INDEX profiles_owner_email_live_key ON profiles (owner_id, lower(email)) WHERE deleted_at IS NULL;

DROP INDEX profiles_live_newest_first_idx;
CREATE INDEX profiles_owner_live_newest_first_idx ON profiles (owner_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- migrate:down
DROP INDEX profiles_owner_live_newest_first_idx;
DROP INDEX profiles_owner_email_live_key;
CREATE UNIQUE INDEX profiles_email_live_key ON profiles (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX profiles_live_newest_first_idx ON profiles (created_at DESC, id DESC) WHERE deleted_at IS NULL;
ALTER TABLE profiles DROP COLUMN owner_id;
