-- migrate:up
CREATE TABLE profiles (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 5 AND 50),
    email text NOT NULL CHECK (char_length(email) <= 254),
    age integer CHECK (age BETWEEN 1 AND 150),
    version integer NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);

-- Emails are unique among live profiles only, compared case-insensitively: a deleted profile's
-- email may be used again.
CREATE UNIQUE INDEX profiles_email_live_key ON profiles (lower(email)) WHERE deleted_at IS NULL;

-- Serves both pagination modes: newest first, ties broken by id.
CREATE INDEX profiles_live_newest_first_idx ON profiles (created_at DESC, id DESC) WHERE deleted_at IS NULL;

-- migrate:down
DROP TABLE profiles;
