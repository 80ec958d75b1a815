-- Vraagbaak schema, part 13: the transcript access log (package audit) and the
-- municipality's privacy officer, who reads it.

-- A privacy officer reads the access log of their municipality; they cannot open
-- conversations themselves.
ALTER TABLE staff_accounts DROP CONSTRAINT staff_accounts_role_check;
ALTER TABLE staff_accounts ADD CONSTRAINT staff_accounts_role_check
    CHECK (role IN ('agent', 'supervisor', 'evaluator', 'privacy'));

-- One read of a citizen's conversation (or of one logged answer) by a member of staff:
-- written in the transaction that reads what is shown, so that nothing is shown
-- unlogged. No foreign keys: the log outlives the conversations it names (it has its
-- own, longer retention, VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS) and keeps who read them
-- as they were named then.
CREATE TABLE transcript_access (
    id              bigserial PRIMARY KEY,
    accessed_at     timestamptz NOT NULL DEFAULT now(),
    municipality    text NOT NULL CHECK (municipality ~ '^GM[0-9]{4}$'),  -- the reader's, which is the conversation's
    account_id      bigint NOT NULL,                                      -- staff_accounts.id of the reader
    account_name    text NOT NULL DEFAULT '',                             -- the reader's name (or email) at the time
    role            text NOT NULL CHECK (role IN ('agent', 'supervisor', 'evaluator')),
    channel         text NOT NULL CHECK (channel IN ('console', 'workbench', 'export')),
    conversation_id bigint,                                               -- NULL: an answer given outside a conversation
    answer_id       bigint                                                -- the answer an evaluator read; NULL in the console
);
CREATE INDEX transcript_access_municipality_idx ON transcript_access (municipality, accessed_at);
CREATE INDEX transcript_access_accessed_idx ON transcript_access (accessed_at);
