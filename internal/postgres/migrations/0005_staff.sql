-- Vraagbaak schema, part 5: staff accounts and their sessions, for the staff console
-- and the evaluator pages (package staff).

-- A contact-centre agent, supervisor or evaluator of one municipality. Emails are
-- unique regardless of case; the password is an argon2id hash in PHC string format.
CREATE TABLE staff_accounts (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL CHECK (email <> ''),
    name          text NOT NULL DEFAULT '',
    municipality  text NOT NULL CHECK (municipality ~ '^GM[0-9]{4}$'),
    role          text NOT NULL CHECK (role IN ('agent', 'supervisor', 'evaluator')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz                   -- set when the account may no longer log in
);
CREATE UNIQUE INDEX staff_accounts_email_idx ON staff_accounts (lower(email));
CREATE INDEX staff_accounts_municipality_idx ON staff_accounts (municipality);

-- A logged-in browser. The cookie holds a random token; only its sha256 is stored.
-- expires_at moves forward on use (idle timeout) but never past created_at + 24 hours.
CREATE TABLE staff_sessions (
    token_hash bytea PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    csrf       text NOT NULL,                   -- the token state-changing requests must echo
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_expires_idx ON staff_sessions (expires_at);
CREATE INDEX staff_sessions_account_idx ON staff_sessions (account_id);
