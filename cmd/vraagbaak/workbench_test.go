package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/staff"
)

// TestWorkbench logs an evaluator in, samples a round with the form, scores two
// answers with the keyboard only, goes back (keyboard and overview) to change a
// score, finishes the round, exports the CSV and reads the report, in Chromium
// against the real handlers and database.
func TestWorkbench(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	accounts := staff.NewStore(db.Pool)
	if _, err := accounts.Add(ctx, staff.Account{Email: "eva@gemeente.example", Name: "Eva", Municipality: "GM0363", Role: staff.Evaluator}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	for i, outcome := range []string{"answered", "answered", "refused", "handoff"} {
		var id int64
		err := db.Pool.QueryRow(ctx, `INSERT INTO answers (municipality, question, search_text, passages, answer, citations,
				sentences, outcome, answerer, timings)
			VALUES ('GM0363', $1, $1, $2, $3, $4, '[]', $5, 'geheim-model', '{}') RETURNING id`,
			fmt.Sprintf("Hoeveel kost een paspoort? (%d)", i),
			`[{"chunk_id":1,"url":"https://gemeente.example/paspoort","title":"Paspoort","body":"Een paspoort kost 84 euro.","score":0.9}]`,
			"Een paspoort kost 84 euro. [1]",
			`[{"n":1,"url":"https://gemeente.example/paspoort","title":"Paspoort","checked_at":"2025-01-01","support":0.9}]`,
			outcome).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := db.Pool.Exec(ctx, `INSERT INTO feedback (answer_id, useful, comment) VALUES ($1, false, 'Te kort')`, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	mux := http.NewServeMux()
	auth := staff.NewAuth(accounts, db.Pool, staff.Config{CookiePath: "/"}, log)
	auth.Routes(mux)
	mountEval(mux, auth, db.Pool, log)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := browsertest.New(t)
	browsertest.FailOnConsoleErrors(t, b)
	text := func(sel string) string { return `document.querySelector(` + fmt.Sprintf("%q", sel) + `).textContent` }

	// The page sends a visitor without a session to the login page, and back.
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/eval/"))
	browsertest.WaitFor(t, b, `location.pathname === "/staff/login" && document.querySelector("#email") !== null`)
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.CSS("#email"), "eva@gemeente.example"),
		chromedp.SetValue(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	browsertest.WaitFor(t, b, `location.pathname === "/eval/" && document.body.dataset.ready === "true"`)
	browsertest.WaitFor(t, b, text("#ev-user")+` === "Ingelogd als Eva · GM0363"`)
	browsertest.WaitFor(t, b, `!document.querySelector("#ev-rounds-empty").hidden`)

	// "Nieuwe ronde": three of the four answers.
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.CSS("#ev-name"), "Ronde test"),
		chromedp.SetValue(chromedp.CSS("#ev-days"), "7"),
		chromedp.SetValue(chromedp.CSS("#ev-n"), "3"),
		chromedp.Click(chromedp.CSS("#ev-sample")))
	browsertest.WaitFor(t, b, `!document.querySelector("#ev-score").hidden && `+text("#ev-progress-text")+` === "Antwoord 1 van 3 · 0 beoordeeld"`)
	browsertest.WaitFor(t, b, text("#ev-question")+`.startsWith("Hoeveel kost een paspoort?")`)
	if got := browsertest.Eval[string](t, b, text("#ev-sources")); !strings.Contains(got, "Een paspoort kost 84 euro.") {
		t.Errorf("sources show %q, want the cited passage", got)
	}
	if browsertest.Eval[bool](t, b, `document.body.textContent.includes("geheim-model")`) {
		t.Error("the scoring page shows the answerer")
	}
	browsertest.AssertAxe(t, b)

	// Score two answers with the keyboard: a digit per rubric question, Enter saves.
	for i, keys := range []string{"435204", "212113"} {
		browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.name === "correct"`)
		for _, k := range keys {
			browsertest.Do(t, b, chromedp.KeyEvent(string(k)))
		}
		browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.id === "ev-save"`)
		browsertest.Do(t, b, chromedp.KeyEvent(kb.Enter))
		browsertest.WaitFor(t, b, text("#ev-progress-text")+fmt.Sprintf(` === "Antwoord %d van 3 · %d beoordeeld"`, i+2, i+1))
	}
	var got []string
	rows, err := db.Pool.Query(ctx, `SELECT concat(correct, complete, plain_language, citations_support, should_have_handed_off, tone)
		FROM eval_scores ORDER BY created_at`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if strings.Join(got, ",") != "435204,212113" {
		t.Errorf("saved scores %v, want 435204 and 212113", got)
	}

	// Go back with the keyboard: the previous answer shows Eva's own score, filled in.
	checked := `[...document.querySelectorAll("#ev-rubric fieldset")].map((f) => (f.querySelector("input:checked") || {value: "-"}).value).join("")`
	browsertest.WaitFor(t, b, text("#ev-overview-summary")+` === "Overzicht van de antwoorden (2 van 3 beoordeeld)"`)
	browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.name === "correct"`)
	browsertest.Do(t, b, chromedp.KeyEvent(","))
	browsertest.WaitFor(t, b, text("#ev-progress-text")+` === "Antwoord 2 van 3 · 2 beoordeeld"`)
	if got := browsertest.Eval[string](t, b, checked); got != "212113" {
		t.Errorf("answer 2 shows the score %q, want Eva's 212113", got)
	}
	if got := browsertest.Eval[string](t, b, text("#ev-save")); got != "Wijziging opslaan" {
		t.Errorf("save button on a scored answer says %q", got)
	}
	if browsertest.Eval[bool](t, b, `document.querySelector("#ev-mine-note").hidden`) {
		t.Error("no note that the answer was scored already")
	}

	// The overview lists every answer; open the first from it and change one score.
	browsertest.Do(t, b, chromedp.Click(chromedp.CSS("#ev-overview summary")))
	browsertest.WaitFor(t, b, `document.querySelector("#ev-overview").open && document.querySelectorAll("#ev-items button").length === 3`)
	if got := browsertest.Eval[string](t, b, text(`#ev-items button[aria-current="true"]`)); !strings.HasPrefix(got, "Antwoord 2") || !strings.HasSuffix(got, "beoordeeld") {
		t.Errorf("current answer in the overview: %q", got)
	}
	browsertest.AssertAxe(t, b)
	browsertest.Do(t, b, chromedp.Click(chromedp.CSS("#ev-items li:first-child button")))
	browsertest.WaitFor(t, b, text("#ev-progress-text")+` === "Antwoord 1 van 3 · 2 beoordeeld"`)
	if got := browsertest.Eval[string](t, b, checked); got != "435204" {
		t.Errorf("answer 1 shows the score %q, want Eva's 435204", got)
	}
	browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.name === "correct" && document.activeElement.value === "4"`)
	browsertest.Do(t, b, chromedp.KeyEvent("5")) // correct: 4 → 5; the focus goes on to "complete"
	browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.name === "complete"`)
	browsertest.Do(t, b, chromedp.KeyEvent(kb.Enter))
	// Saved, and back where she left off: the one answer not scored yet.
	browsertest.WaitFor(t, b, text("#ev-progress-text")+` === "Antwoord 3 van 3 · 2 beoordeeld"`)
	if got := browsertest.Eval[string](t, b, text("#ev-announce")); got != "Wijziging van antwoord 1 opgeslagen." {
		t.Errorf("announced %q after changing a score", got)
	}
	if got := browsertest.Eval[string](t, b, checked); got != "------" {
		t.Errorf("the unscored answer 3 shows %q, want nothing filled in", got)
	}
	type stored struct {
		scores  string
		changed bool
	}
	storedScores := func() []stored {
		t.Helper()
		rows, err := db.Pool.Query(ctx, `SELECT concat(s.correct, s.complete, s.plain_language, s.citations_support, s.should_have_handed_off, s.tone),
				s.updated_at > s.created_at
			FROM eval_scores s JOIN eval_items i ON i.id = s.item_id ORDER BY i.position`)
		if err != nil {
			t.Fatal(err)
		}
		var out []stored
		for rows.Next() {
			var s stored
			if err := rows.Scan(&s.scores, &s.changed); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got, want := storedScores(), []stored{{"535204", true}, {"212113", false}}; !slices.Equal(got, want) {
		t.Errorf("stored scores %v, want %v (changed in place, not added)", got, want)
	}

	// Score the last one; from "done", "Vorig antwoord" goes back to it.
	browsertest.Do(t, b, chromedp.KeyEvent("111101"))
	browsertest.WaitFor(t, b, `document.activeElement && document.activeElement.id === "ev-save"`)
	browsertest.Do(t, b, chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, b, `!document.querySelector("#ev-done").hidden && `+text("#ev-progress-text")+` === "3 van 3 beoordeeld"`)
	if !browsertest.Eval[bool](t, b, `document.querySelector("#ev-next").disabled && !document.querySelector("#ev-prev").disabled`) {
		t.Error("when done, want only 'Vorig antwoord' enabled")
	}
	browsertest.AssertAxe(t, b)
	browsertest.Do(t, b, chromedp.Click(chromedp.CSS("#ev-prev")))
	browsertest.WaitFor(t, b, text("#ev-progress-text")+` === "Antwoord 3 van 3 · 3 beoordeeld"`)
	if got := browsertest.Eval[string](t, b, checked); got != "111101" {
		t.Errorf("answer 3 shows the score %q, want 111101", got)
	}

	// Back to the rounds: the export link gives the CSV with the three scores, the
	// changed one with its new value.
	browsertest.Do(t, b, chromedp.Click(chromedp.CSS("#ev-score-back")))
	browsertest.WaitFor(t, b, `document.querySelector("#ev-rounds a") !== null`)
	if got := browsertest.Eval[string](t, b, text("#ev-rounds a")); got != "Exporteer CSV" {
		t.Errorf("export link says %q", got)
	}
	body := browsertest.Eval[string](t, b, `fetch(document.querySelector("#ev-rounds a").href).then((r) => r.text())`)
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(records) != 4 || records[0][0] != "item" || records[0][6] != "correct" || records[1][5] != "eva@gemeente.example" {
		t.Fatalf("CSV %q (%v), want a header and three scores", body, err)
	}
	var correct []string
	for _, rec := range records[1:] {
		correct = append(correct, rec[0]+":"+rec[6])
	}
	if got := strings.Join(correct, ","); got != "1:5,2:2,3:1" {
		t.Errorf("CSV item:correct %s, want 1:5,2:2,3:1 (the changed score)", got)
	}

	// The report: means per group, kappa, the scores.
	browsertest.Do(t, b, chromedp.Click(chromedp.CSS(`#ev-rounds button.ev-button--secondary`)))
	browsertest.WaitFor(t, b, `!document.querySelector("#ev-report").hidden && document.querySelectorAll("#ev-report table").length === 3`)
	// Mean of "Juist" over 5, 2 and 1 (not over the 4 it replaced).
	if got := browsertest.Eval[string](t, b, `document.querySelector("#ev-report tbody tr").textContent`); !strings.HasPrefix(got, "Alle antwoorden32,67") {
		t.Errorf("means table, first row %q, want 3 scores with a mean of 2,67 for Juist", got)
	}
	browsertest.AssertAxe(t, b)
}

func TestEvalSampleCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO staff_accounts (email, municipality, role, password_hash)
		VALUES ('eva@gemeente.example', 'GM0363', 'evaluator', 'x'), ('an@gemeente.example', 'GM0363', 'agent', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO answers (municipality, question, search_text, passages, answer, citations, sentences, outcome, answerer, timings, created_at)
		SELECT 'GM0363', 'v' || g, 'v', '[]', 'a', '[]', '[]', CASE WHEN g % 3 = 0 THEN 'refused' ELSE 'answered' END, 'm', '{}', now() - g * interval '1 hour'
		FROM generate_series(1, 60) g`); err != nil {
		t.Fatal(err)
	}
	vars := env(map[string]string{"DATABASE_URL": db.URL})
	evalRun := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"eval"}, args...), vars, &out, &errOut)
		return out.String(), err
	}
	// 24 hours back: 24 answers, 8 refused; 6 sampled.
	out, err := evalRun("sample", "--since", "24h", "--n", "6", "--municipality", "GM0363", "--name", "Ronde november", "--by", "EVA@gemeente.example")
	if err != nil || !strings.HasPrefix(out, `round 1 "Ronde november": 6 answers of GM0363`) || !strings.Contains(out, "refused/none") {
		t.Errorf("eval sample = %q, %v", out, err)
	}
	for _, args := range [][]string{
		{"sample", "--by", "an@gemeente.example"},                              // an agent
		{"sample", "--by", "eva@gemeente.example", "--municipality", "GM0599"}, // not hers
		{"sample", "--by", "eva@gemeente.example", "--since", "7x"},
		{"sample"},
	} {
		if out, err := evalRun(args...); err == nil {
			t.Errorf("eval %v = %q, want an error", args, out)
		}
	}
	out, err = evalRun("round-report", "--round", "1", "--by", "eva@gemeente.example")
	if err != nil || !strings.Contains(out, "0 scores") || !strings.Contains(out, "kappa") {
		t.Errorf("eval round-report = %q, %v", out, err)
	}
}
