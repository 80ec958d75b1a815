-- Vraagbaak schema, part 3: conversations, their messages, and the answer log.
-- Everything here holds citizens' text after personal data was redacted
-- (internal/pii); rows older than VRAAGBAAK_RETENTION_DAYS are deleted by `serve`.

-- A conversation between a citizen and the assistant (and later an agent).
CREATE TABLE conversations (
    id           bigserial PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE,         -- sha256 of the random token the citizen resumes it with
    municipality text NOT NULL DEFAULT '' CHECK (municipality = '' OR municipality ~ '^GM[0-9]{4}$'),
    state        text NOT NULL DEFAULT 'bot' CHECK (state IN ('bot', 'queued', 'agent', 'closed')),
    last_seq     integer NOT NULL DEFAULT 0,    -- seq of the last message; numbering goes through it
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_updated_idx ON conversations (updated_at);

-- The answer log: one row per answer, everything an evaluator needs.
CREATE TABLE answers (
    id                 bigserial PRIMARY KEY,
    conversation_id    bigint REFERENCES conversations (id) ON DELETE CASCADE,
    municipality       text NOT NULL DEFAULT '',
    question           text NOT NULL,            -- as the citizen asked it, redacted
    search_text        text NOT NULL,            -- what was searched (follow-ups add context)
    passages           jsonb NOT NULL,           -- retrieved chunks with their scores
    answer             text NOT NULL,
    citations          jsonb NOT NULL,           -- with support scores
    sentences          jsonb NOT NULL,
    outcome            text NOT NULL CHECK (outcome IN ('answered', 'refused', 'handoff')),
    confidence         real NOT NULL DEFAULT 0,
    flesch_douma       real,
    avg_sentence_words real,
    answerer           text NOT NULL,
    refusal_reason     text NOT NULL DEFAULT '',
    handoff_reason     text NOT NULL DEFAULT '',
    redactions         jsonb NOT NULL DEFAULT '{}',  -- kinds of personal data removed, with counts
    timings            jsonb NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX answers_created_idx ON answers (created_at);
CREATE INDEX answers_conversation_idx ON answers (conversation_id);

-- Messages of a conversation, numbered from 1 without gaps.
CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             integer NOT NULL,
    role            text NOT NULL CHECK (role IN ('citizen', 'bot', 'agent', 'system')),
    client_id       text,                        -- the citizen's message id, for idempotent retries
    reply_to        bigint REFERENCES messages (id) ON DELETE CASCADE, -- a bot answer's question
    text            text NOT NULL,
    answer_id       bigint REFERENCES answers (id) ON DELETE SET NULL,
    author          text NOT NULL DEFAULT '',    -- an agent's display name
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
);
CREATE UNIQUE INDEX messages_reply_idx ON messages (reply_to) WHERE role = 'bot';

-- Citizens' "Was dit antwoord nuttig?", one per answer (the last one counts).
CREATE TABLE feedback (
    answer_id  bigint PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
    useful     boolean NOT NULL,
    comment    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
