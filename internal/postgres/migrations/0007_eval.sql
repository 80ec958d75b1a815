-- Vraagbaak schema, part 7: human evaluation of logged answers (package eval).

-- A round: a stratified sample of one municipality's answer log that evaluators score.
CREATE TABLE eval_rounds (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL CHECK (name <> ''),
    municipality text NOT NULL CHECK (municipality ~ '^GM[0-9]{4}$'), -- the creator's
    created_by   bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    params       jsonb NOT NULL DEFAULT '{}'      -- how the sample was drawn: since, n, strata
);
CREATE INDEX eval_rounds_municipality_idx ON eval_rounds (municipality, created_at);

-- One logged answer in a round, in the order evaluators see them.
CREATE TABLE eval_items (
    id        bigserial PRIMARY KEY,
    round_id  bigint NOT NULL REFERENCES eval_rounds (id) ON DELETE CASCADE,
    answer_id bigint NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    UNIQUE (round_id, answer_id),
    UNIQUE (round_id, position)
);

-- One evaluator's scores of one item; saving again replaces them.
CREATE TABLE eval_scores (
    item_id                bigint NOT NULL REFERENCES eval_items (id) ON DELETE CASCADE,
    account_id             bigint NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    correct                smallint NOT NULL CHECK (correct BETWEEN 1 AND 5),
    complete               smallint NOT NULL CHECK (complete BETWEEN 1 AND 5),
    plain_language         smallint NOT NULL CHECK (plain_language BETWEEN 1 AND 5),
    citations_support      smallint NOT NULL CHECK (citations_support BETWEEN 1 AND 5),
    should_have_handed_off smallint NOT NULL CHECK (should_have_handed_off IN (0, 1)),
    tone                   smallint NOT NULL CHECK (tone BETWEEN 1 AND 5),
    comment                text NOT NULL DEFAULT '',
    created_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, account_id)
);
CREATE INDEX eval_scores_account_idx ON eval_scores (account_id);
