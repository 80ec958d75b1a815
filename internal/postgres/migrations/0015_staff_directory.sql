-- Vraagbaak schema, part 15: the staff directory (package staff).

-- The columns of staff_accounts that other packages may read, and the only way they
-- read staff accounts: chat checks that a transfer goes to an active colleague of the
-- conversation's municipality (inside the UPDATE that transfers it) and names the
-- online colleagues; review names the evaluator of each score. staff keeps this view
-- when it changes its table; nobody but staff reads staff_accounts itself.
CREATE VIEW staff_directory AS
    SELECT id, email, name, municipality, role, disabled_at FROM staff_accounts;
