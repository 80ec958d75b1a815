-- Vraagbaak schema, part 6: hand-off of conversations to contact-centre staff.

-- One hand-off of a conversation to a person: requested, claimed by an agent, ended
-- (handed back to the bot, or closed with an outcome code). At most one is open per
-- conversation.
CREATE TABLE handoffs (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    municipality    text NOT NULL DEFAULT '',
    reason          text NOT NULL,
    topic           text NOT NULL DEFAULT '',
    priority        integer NOT NULL CHECK (priority BETWEEN 1 AND 5),
    summary         text NOT NULL DEFAULT '',          -- the citizen's last question, redacted, shortened
    requested_at    timestamptz NOT NULL DEFAULT now(),
    claimed_by      bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    agent_name      text NOT NULL DEFAULT '',
    claimed_at      timestamptz,
    told_waiting_at timestamptz,                       -- when the citizen was told the wait is long
    ended_at        timestamptz,
    outcome         text                               -- returned (to the bot) or a closing code
);
CREATE UNIQUE INDEX handoffs_open_idx ON handoffs (conversation_id) WHERE ended_at IS NULL;
CREATE INDEX handoffs_queue_idx ON handoffs (municipality, priority, requested_at) WHERE ended_at IS NULL;

-- A citizen's request to be called or mailed back when nobody could take over.
CREATE TABLE callbacks (
    id              bigserial PRIMARY KEY,
    conversation_id bigint REFERENCES conversations (id) ON DELETE CASCADE,
    municipality    text NOT NULL DEFAULT '',
    name            text NOT NULL,
    contact         text NOT NULL,                     -- phone number or e-mail address, kept for the call-back
    question        text NOT NULL,                     -- redacted
    consent         boolean NOT NULL CHECK (consent),
    created_at      timestamptz NOT NULL DEFAULT now(),
    done_at         timestamptz,
    done_by         bigint REFERENCES staff_accounts (id) ON DELETE SET NULL
);
CREATE INDEX callbacks_open_idx ON callbacks (municipality, created_at) WHERE done_at IS NULL;

-- Which agents are online, per serve instance, refreshed while their console is open.
CREATE TABLE agent_presence (
    account_id   bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    instance     text NOT NULL,
    municipality text NOT NULL,
    seen_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, instance)
);
