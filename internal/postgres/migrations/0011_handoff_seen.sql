-- Vraagbaak schema, part 11: an emergency stays in the staff queue until a person has
-- seen it. An agent who does not take it over marks it seen: the hand-off ends with
-- outcome 'seen', and who saw it and when are kept.
ALTER TABLE handoffs
    ADD COLUMN seen_by bigint REFERENCES staff_accounts (id) ON DELETE SET NULL,
    ADD COLUMN seen_at timestamptz;
