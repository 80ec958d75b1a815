package main

import (
	"context"
	"encoding/csv"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vraagbaak/vraagbaak/audit"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/browsertest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/staff"
)

// startServe indexes the bundled sample sites into db and serves the chat service on
// a free port (`vraagbaak demo --port 0 --serve`), and returns its base URL once
// /readyz answers.
func startServe(t *testing.T, db *pgtest.DB, vars map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars["DATABASE_URL"] = db.URL
	vars["VRAAGBAAK_LOG_LEVEL"] = "warn"
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo", "--port", "0", "--serve", addr}, env(vars), stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20s")
		}
		if t.Failed() {
			t.Logf("serve output:\n%s\nlog:\n%s", stdout.String(), stderr.String())
		}
	})
	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.After(2 * time.Minute)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		case <-deadline:
			t.Fatalf("serve not ready after 2 minutes\n%s", stderr.String())
		case <-poll.C:
			if res, err := client.Get(base + "/readyz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return base
				}
			}
		}
	}
}

// login logs a browser context in at /staff/login (no page to go back to) and
// returns where it lands.
func login(t *testing.T, b context.Context, base, email, password string) {
	t.Helper()
	browsertest.Do(t, b, chromedp.Navigate(base+"/staff/login"))
	browsertest.WaitFor(t, b, doc("#email")+` !== null`)
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.CSS("#email"), email),
		chromedp.SetValue(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	browsertest.WaitFor(t, b, `location.pathname !== "/staff/login"`)
}

// fetchStatus is JavaScript that fetches a path of the page's origin and returns
// "status body".
func fetchStatus(path string) string {
	return `fetch(` + jsString(path) + `, {headers: {Accept: "text/html"}}).then(async (r) => r.status + " " + await r.text())`
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestAccessLogPage: the privacy officer logs in, lands on the access log of their
// own municipality (never another's), filters it by period, staff member and
// conversation, exports it as CSV, and cannot open transcripts; an agent cannot reach
// the page. The page has no axe-core violations, also with a mistake in the filter.
func TestAccessLogPage(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	accounts := staff.NewStore(db.Pool)
	const pw = "een lang wachtwoord"
	ids := map[string]int64{}
	for _, a := range []staff.Account{
		{Email: "pim@bloemendijk.example", Name: "Pim", Municipality: "GM9001", Role: staff.Privacy},
		{Email: "anna@bloemendijk.example", Name: "Anna", Municipality: "GM9001", Role: staff.Agent},
		{Email: "sara@bloemendijk.example", Name: "Sara", Municipality: "GM9001", Role: staff.Supervisor},
		{Email: "eva@bloemendijk.example", Name: "Eva", Municipality: "GM9001", Role: staff.Evaluator},
		{Email: "bob@heuvelrade.example", Name: "Bob", Municipality: "GM9002", Role: staff.Agent},
	} {
		acc, err := accounts.Add(ctx, a, pw)
		if err != nil {
			t.Fatal(err)
		}
		ids[a.Name] = acc.ID
	}
	record := func(name, role, municipality string, ch audit.Channel, ago time.Duration, ref audit.Ref) {
		t.Helper()
		tx, err := db.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // committed below
		if err := audit.Record(ctx, tx, audit.Reader{AccountID: ids[name], Name: name, Role: role, Municipality: municipality}, ch, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE transcript_access SET accessed_at = now() - make_interval(secs => $1)
			WHERE id = (SELECT max(id) FROM transcript_access)`, ago.Seconds()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	day := 24 * time.Hour
	record("Anna", "agent", "GM9001", audit.Console, 3*day, audit.Ref{Conversation: 12})
	record("Sara", "supervisor", "GM9001", audit.Console, 2*time.Hour, audit.Ref{Conversation: 11})
	record("Eva", "evaluator", "GM9001", audit.Workbench, time.Hour, audit.Ref{Conversation: 11, Answer: 5})
	record("Eva", "evaluator", "GM9001", audit.Export, time.Minute, audit.Ref{Answer: 6})
	record("Bob", "agent", "GM9002", audit.Console, time.Minute, audit.Ref{Conversation: 99})

	base := startServe(t, db, map[string]string{"VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS": "400"})
	b := browsertest.New(t)
	browsertest.FailOnConsoleErrors(t, b)
	tableRows := `[...document.querySelectorAll("#sc-access tbody tr")].map((tr) => [...tr.cells].slice(2).map((td) => td.textContent).join("|"))`

	// The privacy officer logs in and lands on the access log, newest first, of
	// their own municipality only.
	login(t, b, base, "pim@bloemendijk.example", pw)
	browsertest.WaitFor(t, b, `location.pathname === "/staff/access" && `+doc("#sc-access")+` !== null`)
	want := []string{"Eva|beoordelaar|export (CSV)|—|6", "Eva|beoordelaar|beoordelen|11|5", "Sara|teamleider|klantcontact|11|—", "Anna|medewerker|klantcontact|12|—"}
	if got := browsertest.Eval[[]string](t, b, tableRows); !slices.Equal(got, want) {
		t.Errorf("access log shows\n%q\nwant\n%q", got, want)
	}
	if got := browsertest.Eval[string](t, b, doc("#sc-user")+`.textContent`); got != "Ingelogd als Pim (privacyfunctionaris) · GM9001" {
		t.Errorf("user line %q", got)
	}
	if got := browsertest.Eval[string](t, b, doc("main")+`.textContent`); strings.Contains(got, "Bob") || strings.Contains(got, "99") || !strings.Contains(got, "400 dagen") {
		t.Errorf("the page shows another municipality's reads, or not how long rows are kept: %.400s", got)
	}
	browsertest.AssertAxe(t, b)

	// Filters: a period, a staff member, a conversation.
	today := time.Now().In(mustAmsterdam(t)).Format(time.DateOnly)
	yesterday := time.Now().In(mustAmsterdam(t)).AddDate(0, 0, -1).Format(time.DateOnly)
	filters := []struct {
		name  string
		query string
		want  []string
	}{
		{"period", "?from=" + yesterday + "&to=" + today, want[:3]},
		{"before the period", "?to=" + time.Now().In(mustAmsterdam(t)).AddDate(0, 0, -2).Format(time.DateOnly), want[3:]},
		{"staff member", "?account=" + itoa(ids["Eva"]), want[:2]},
		{"another municipality's member", "?account=" + itoa(ids["Bob"]), nil},
		{"conversation", "?conversation=11", want[1:3]},
		{"another municipality's conversation", "?conversation=99", nil},
	}
	for _, f := range filters {
		t.Run(f.name, func(t *testing.T) {
			browsertest.Do(t, b, chromedp.Navigate(base+"/staff/access"+f.query))
			browsertest.WaitFor(t, b, doc("#sc-result-status")+` !== null`)
			got := browsertest.Eval[[]string](t, b, tableRows)
			if !slices.Equal(got, f.want) && (len(got) > 0 || len(f.want) > 0) {
				t.Errorf("%s shows %q, want %q", f.query, got, f.want)
			}
		})
	}

	// With the form: choose Eva and the conversation, press Toon.
	browsertest.Do(t, b, chromedp.Navigate(base+"/staff/access"))
	browsertest.WaitFor(t, b, doc("#account")+` !== null`)
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.CSS("#account"), itoa(ids["Eva"])),
		chromedp.SetValue(chromedp.CSS("#conversation"), "11"),
		chromedp.Click(chromedp.CSS("#sc-filter")))
	browsertest.WaitFor(t, b, `location.search.includes("conversation=11")`)
	browsertest.WaitFor(t, b, doc("#sc-access")+` !== null`)
	if got := browsertest.Eval[[]string](t, b, tableRows); !slices.Equal(got, want[1:2]) {
		t.Errorf("the form's filter shows %q", got)
	}
	if got := browsertest.Eval[string](t, b, doc("#sc-result-status")+`.textContent`); got != "1 regel, de nieuwste eerst." {
		t.Errorf("status %q", got)
	}

	// The export has the same rows, and only this municipality's.
	href := browsertest.Eval[string](t, b, doc("#sc-export")+`.getAttribute("href")`)
	if !strings.HasPrefix(href, "/staff/access/export.csv?") || !strings.Contains(href, "conversation=11") {
		t.Errorf("export link %q does not keep the filter", href)
	}
	for _, tt := range []struct {
		href string
		want [][]string // account name, role, channel, conversation, answer
	}{
		{href, [][]string{{"Eva", "evaluator", "workbench", "11", "5"}}},
		{"/staff/access/export.csv", [][]string{{"Eva", "evaluator", "export", "", "6"}, {"Eva", "evaluator", "workbench", "11", "5"},
			{"Sara", "supervisor", "console", "11", ""}, {"Anna", "agent", "console", "12", ""}}},
	} {
		body := browsertest.Eval[string](t, b, fetchStatus(tt.href))
		status, text, _ := strings.Cut(body, " ")
		records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if status != "200" || err != nil || len(records) == 0 {
			t.Fatalf("export %s: %s, %v: %.300s", tt.href, status, err, text)
		}
		if strings.Join(records[0], ",") != "tijdstip,gemeente,account_id,medewerker,rol,via,gesprek,antwoord" {
			t.Errorf("export header %q", records[0])
		}
		var got [][]string
		for _, r := range records[1:] {
			if r[1] != "GM9001" {
				t.Errorf("export has a row of %s: %q", r[1], r)
			}
			if _, err := time.Parse(time.RFC3339, r[0]); err != nil {
				t.Errorf("export time %q: %v", r[0], err)
			}
			got = append(got, []string{r[3], r[4], r[5], r[6], r[7]})
		}
		if !slices.EqualFunc(got, tt.want, slices.Equal[[]string]) {
			t.Errorf("export %s:\n%q\nwant\n%q", tt.href, got, tt.want)
		}
	}

	// A mistake in the filter is shown at its field, accessibly, with status 400 (so
	// in a browser context that does not fail on failed loads, logged in again).
	b = browsertest.NewContext(t, b)
	login(t, b, base, "pim@bloemendijk.example", pw)
	browsertest.Do(t, b, chromedp.Navigate(base+"/staff/access?conversation=elf"))
	browsertest.WaitFor(t, b, doc("#conversation-error")+` !== null`)
	if got := browsertest.Eval[string](t, b, doc("#conversation-error")+`.textContent`); !strings.Contains(got, "nummer van een gesprek") {
		t.Errorf("conversation error %q", got)
	}
	if !browsertest.Eval[bool](t, b, doc("#conversation")+`.getAttribute("aria-invalid") === "true"`) {
		t.Error("the wrong field is not marked invalid")
	}
	browsertest.AssertAxe(t, b)

	// The privacy officer cannot open transcripts: not the console, its websocket,
	// nor the workbench.
	for _, path := range []string{"/staff/", "/staff/ws", "/eval/", "/eval/api/rounds"} {
		if got := browsertest.Eval[string](t, b, fetchStatus(path)); !strings.HasPrefix(got, "403 ") {
			t.Errorf("privacy officer GET %s: %.100s, want 403", path, got)
		}
	}

	// An agent and a supervisor cannot reach the page or its export.
	for _, who := range []string{"anna@bloemendijk.example", "sara@bloemendijk.example"} {
		other := browsertest.NewContext(t, b)
		login(t, other, base, who, pw)
		for _, path := range []string{"/staff/access", "/staff/access/export.csv"} {
			if got := browsertest.Eval[string](t, other, fetchStatus(path)); !strings.HasPrefix(got, "403 ") || !strings.Contains(got, "geen toegang") {
				t.Errorf("%s GET %s: %.100s, want 403", who, path, got)
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustAmsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestRetentionPurgesAccessLog: the retention job deletes access log rows older than
// VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS and keeps younger ones, also when the
// conversations they name are gone after VRAAGBAAK_RETENTION_DAYS.
func TestRetentionPurgesAccessLog(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	a := &app{cfg: Config{RetentionDays: 30, AccessLogDays: 365}, log: log}
	convs := chat.NewConversations(db.Pool)
	conv, _, err := convs.Create(ctx, "GM9001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE conversations SET updated_at = now() - interval '40 days' WHERE id = $1`, conv.ID); err != nil {
		t.Fatal(err)
	}
	for _, age := range []string{"400 days", "366 days", "364 days", "40 days", "1 day"} {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO transcript_access (accessed_at, municipality, account_id, account_name, role, channel, conversation_id)
			VALUES (now() - $1::interval, 'GM9001', 1, $1, 'agent', 'console', $2)`, age, conv.ID); err != nil {
			t.Fatal(err)
		}
	}
	accessLog := audit.NewLog(db.Pool)
	a.purge(ctx, convs, staff.NewAuth(staff.NewStore(db.Pool), db.Pool, staff.Config{}, log), accessLog, time.Now())

	kept, err := accessLog.List(ctx, audit.Filter{Municipality: "GM9001"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range kept {
		names = append(names, e.Name)
	}
	if !slices.Equal(names, []string{"1 day", "40 days", "364 days"}) {
		t.Errorf("kept %q, want the rows younger than 365 days", names)
	}
	if _, err := convs.Get(ctx, conv.ID); err == nil {
		t.Error("the 40-day-old conversation was kept")
	}
}
