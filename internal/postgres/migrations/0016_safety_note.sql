-- Vraagbaak schema, part 16: the safety note of the crisis detector's unsure band
-- (chat/safetynote.go). An answer, refusal or hand-off to which the numbers of an
-- emergency were added without an emergency hand-off records the class whose numbers
-- it gave ('suicide', 'violence', 'danger'; '' for none) and the detector's
-- probability for it.

ALTER TABLE answers
    ADD COLUMN safety_note       text NOT NULL DEFAULT '' CHECK (safety_note IN ('', 'suicide', 'violence', 'danger')),
    ADD COLUMN safety_note_score real;
