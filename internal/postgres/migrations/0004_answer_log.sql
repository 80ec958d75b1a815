-- Vraagbaak schema, part 4: indexes for reading the answer log per municipality and
-- period (evaluation samples, reports) and for the citizens' feedback by date.

CREATE INDEX answers_municipality_created_idx ON answers (municipality, created_at);
CREATE INDEX answers_outcome_idx ON answers (outcome, created_at);
CREATE INDEX feedback_created_idx ON feedback (created_at);
