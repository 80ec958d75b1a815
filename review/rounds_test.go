package review_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/review"
)

func TestAllocate(t *testing.T) {
	tests := []struct {
		name  string
		sizes map[string]int
		n     int
		want  map[string]int
	}{
		{"proportional", map[string]int{"a": 50, "b": 30, "c": 20}, 10, map[string]int{"a": 5, "b": 3, "c": 2}},
		{"at least one", map[string]int{"a": 97, "b": 2, "c": 1}, 10, map[string]int{"a": 8, "b": 1, "c": 1}},
		{"all when n is large", map[string]int{"a": 3, "b": 1}, 10, map[string]int{"a": 3, "b": 1}},
		{"fewer than strata", map[string]int{"a": 5, "b": 9, "c": 1}, 2, map[string]int{"b": 1, "a": 1}},
		{"empty strata left out", map[string]int{"a": 4, "b": 0}, 2, map[string]int{"a": 2}},
		{"nothing", map[string]int{}, 5, map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := review.Allocate(tt.sizes, tt.n); !maps.Equal(got, tt.want) {
				t.Errorf("Allocate(%v, %d) = %v, want %v", tt.sizes, tt.n, got, tt.want)
			}
		})
	}
}

// seed is one kind of logged answer and how many of it to insert.
type seed struct {
	municipality, outcome string
	feedback              string // "", "useful" or "not_useful"
	n                     int
	age                   time.Duration
}

func insertAnswers(t *testing.T, pool *pgxpool.Pool, seeds []seed) {
	t.Helper()
	ctx := context.Background()
	for _, s := range seeds {
		for i := range s.n {
			var id int64
			q := fmt.Sprintf("Vraag %s %s %s %d", s.municipality, s.outcome, s.feedback, i)
			err := pool.QueryRow(ctx, `INSERT INTO answers (municipality, question, search_text, passages, answer, citations,
					sentences, outcome, answerer, timings, created_at)
				VALUES ($1, $2, $2, $3, $4, $5, '[]', $6, 'geheim-model-7b', '{}', now() - $7::interval) RETURNING id`,
				s.municipality, q,
				`[{"chunk_id":1,"url":"https://gemeente.example/paspoort#kosten","title":"Paspoort","headings":"Kosten","body":"Een paspoort kost 84 euro.","score":0.9},
				  {"chunk_id":2,"url":"https://gemeente.example/afval","title":"Afval","body":"Niet geciteerd.","score":0.5}]`,
				"Een paspoort kost 84 euro. [1]",
				`[{"n":1,"url":"https://gemeente.example/paspoort#kosten","title":"Paspoort","checked_at":"2025-01-01","support":0.9}]`,
				s.outcome, fmt.Sprintf("%d seconds", int(s.age.Seconds()))).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			if s.feedback != "" {
				if _, err := pool.Exec(ctx, `INSERT INTO feedback (answer_id, useful, comment) VALUES ($1, $2, $3)`,
					id, s.feedback == "useful", "=opmerking "+s.feedback); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// exportCSV is a round's CSV export as the evaluator downloads it, parsed.
func exportCSV(t *testing.T, rounds *review.Rounds, ev review.Evaluator, round int64) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := rounds.WriteCSV(context.Background(), ev, round, &buf); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}

func addEvaluator(t *testing.T, pool *pgxpool.Pool, email, municipality string) review.Evaluator {
	t.Helper()
	return review.Evaluator{ID: pgtest.StaffAccount(t, pool, email, email, municipality, "evaluator"), Email: email, Municipality: municipality}
}

func TestRounds(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	insertAnswers(t, db.Pool, []seed{
		{"GM0363", "answered", "", 30, time.Hour},
		{"GM0363", "answered", "useful", 10, time.Hour},
		{"GM0363", "answered", "not_useful", 5, 2 * 24 * time.Hour},
		{"GM0363", "refused", "", 8, time.Hour},
		{"GM0363", "handoff", "", 6, time.Hour},
		{"GM0363", "handoff", "not_useful", 1, time.Hour},
		{"GM0363", "refused", "useful", 4, 30 * 24 * time.Hour}, // before the period
		{"GM0599", "answered", "", 20, time.Hour},
	})
	anna := addEvaluator(t, db.Pool, "anna@gemeente.example", "GM0363")
	bert := addEvaluator(t, db.Pool, "bert@gemeente.example", "GM0363")
	other := addEvaluator(t, db.Pool, "olga@elders.example", "GM0599")
	rounds := review.NewRounds(db.Pool, slog.New(slog.DiscardHandler))

	rd, err := rounds.Sample(ctx, "GM0363", time.Now().Add(-7*24*time.Hour), 12, "Ronde november", anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Sampling: stratified as Allocate says, only this municipality and period.
	wantStrata := map[string]int{"answered/none": 30, "answered/useful": 10, "answered/not_useful": 5,
		"refused/none": 8, "handoff/none": 6, "handoff/not_useful": 1}
	if !maps.Equal(rd.Params.Sizes, wantStrata) {
		t.Errorf("strata sizes %v, want %v", rd.Params.Sizes, wantStrata)
	}
	rows, err := db.Pool.Query(ctx, `SELECT a.outcome || '/' || CASE WHEN f.answer_id IS NULL THEN 'none' WHEN f.useful THEN 'useful' ELSE 'not_useful' END, count(*)
		FROM eval_items i JOIN answers a ON a.id = i.answer_id LEFT JOIN feedback f ON f.answer_id = a.id
		WHERE i.round_id = $1 AND a.municipality = 'GM0363' AND a.created_at > now() - interval '7 days' GROUP BY 1`, rd.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	total := 0
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		got[s] = n
		total += n
	}
	if want := review.Allocate(wantStrata, 12); !maps.Equal(got, want) || total != rd.Items || rd.Items != 12 {
		t.Errorf("sampled strata %v (%d of %d items in scope), want %v", got, total, rd.Items, want)
	}
	for s := range wantStrata {
		if got[s] < 1 {
			t.Errorf("stratum %s not sampled", s)
		}
	}

	// Scope: the other municipality sees no round and cannot score in it.
	if list, err := rounds.List(ctx, other); err != nil || len(list) != 0 {
		t.Errorf("List for another municipality = %v, %v; want none", list, err)
	}
	if _, err := rounds.Next(ctx, other, rd.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Next for another municipality: err %v, want ErrNotFound", err)
	}

	// Blind: the item has the question, answer and cited passage, not the answerer.
	it, err := rounds.Next(ctx, anna, rd.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(it)
	for _, secret := range []string{"geheim-model", "answerer", "outcome", "Niet geciteerd"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("item shows %q: %s", secret, raw)
		}
	}
	if it.Position != 1 || it.Total != 12 || it.Scored != 0 || len(it.Citations) != 1 || len(it.Citations[0].Passages) != 1 ||
		it.Citations[0].Passages[0].Body != "Een paspoort kost 84 euro." || !strings.HasPrefix(it.Question, "Vraag GM0363") {
		t.Errorf("item %s", raw)
	}
	if err := rounds.Save(ctx, other, rd.ID, it.ID, review.Rating{Correct: 1, Complete: 1, PlainLanguage: 1, CitationsSupport: 1, Tone: 1}); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Save by another municipality: err %v, want ErrNotFound", err)
	}
	if err := rounds.Save(ctx, anna, rd.ID, it.ID, review.Rating{Correct: 6, Complete: 1, PlainLanguage: 1, CitationsSupport: 1, Tone: 1}); err == nil {
		t.Error("Save accepted correct = 6")
	}

	// Anna and Bert score every item; Anna's first score is replaced (upsert).
	first := review.Rating{Correct: 1, Complete: 1, PlainLanguage: 1, CitationsSupport: 1, Tone: 1, Comment: "eerste"}
	if err := rounds.Save(ctx, anna, rd.ID, it.ID, first); err != nil {
		t.Fatal(err)
	}
	var annaCorrect, bertCorrect, annaTone, bertTone []int
	for i := range 12 {
		for _, ev := range []review.Evaluator{anna, bert} {
			next, err := rounds.Next(ctx, ev, rd.ID)
			if ev == anna && i == 0 {
				next = it // Anna's first is scored already but gets a new score
				err = nil
			}
			if err != nil {
				t.Fatalf("%s item %d: %v", ev.Email, i, err)
			}
			r := review.Rating{Correct: 1 + i%5, Complete: 3, PlainLanguage: 4, CitationsSupport: 5, ShouldHaveHandedOff: i % 2, Tone: 1 + i%3, Comment: ev.Email}
			if ev == bert {
				r.Correct = 1 + (i/2)%5
				r.Tone = 1 + i%2
			}
			if err := rounds.Save(ctx, ev, rd.ID, next.ID, r); err != nil {
				t.Fatal(err)
			}
			if ev == anna {
				annaCorrect, annaTone = append(annaCorrect, r.Correct), append(annaTone, r.Tone)
			} else {
				bertCorrect, bertTone = append(bertCorrect, r.Correct), append(bertTone, r.Tone)
			}
		}
	}
	if _, err := rounds.Next(ctx, anna, rd.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Next after all scored: err %v, want ErrNotFound", err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM eval_scores`).Scan(&n); err != nil || n != 24 {
		t.Errorf("%d scores (%v), want 24", n, err)
	}

	rep, err := rounds.Report(ctx, anna, rd.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.Scores != 24 || rep.Overall.Means[2] != 4 || rep.Overall.Means[3] != 5 || len(rep.Rows) != 24 {
		t.Errorf("overall %+v with %d rows", rep.Overall, len(rep.Rows))
	}
	if len(rep.ByOutcome) != 3 || len(rep.ByMunicipality) != 1 || len(rep.ByDay) == 0 {
		t.Errorf("groups: outcome %v, municipality %v, day %v", rep.ByOutcome, rep.ByMunicipality, rep.ByDay)
	}
	for key, pair := range map[string][2][]int{"correct": {annaCorrect, bertCorrect}, "tone": {annaTone, bertTone}} {
		want, err := review.CohenKappa(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range rep.Agreement {
			if a.Key == key && (a.Kappa == nil || math.Abs(*a.Kappa-want) > 1e-12 || a.Items != 12) {
				t.Errorf("kappa of %s: %+v, want %v over 12 items", key, a, want)
			}
		}
	}
	feedback := 0
	for _, row := range rep.Rows {
		if row.FeedbackUseful != nil {
			feedback++
		}
	}
	if feedback == 0 {
		t.Error("the report shows no citizen feedback")
	}

	records := exportCSV(t, rounds, anna, rd.ID)
	wantHead := "item,answer_id,question,outcome,day,evaluator,correct,complete,plain_language,citations_support,should_have_handed_off,tone,comment,feedback_useful,feedback_comment"
	if len(records) != 25 || strings.Join(records[0], ",") != wantHead {
		t.Fatalf("CSV has %d records, header %v", len(records), records[0])
	}
	for _, rec := range records[1:] {
		if rec[14] != "" && !strings.HasPrefix(rec[14], "'=") {
			t.Errorf("feedback comment %q not defused for spreadsheets", rec[14])
		}
	}
	if err := rounds.WriteCSV(ctx, other, rd.ID, io.Discard); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("export for another municipality: err %v, want ErrNotFound", err)
	}
}

// TestRescore: an evaluator changes scores they gave. The score is changed in place
// (no second row), keeps the time of the first score and records when it changed;
// each evaluator sees only their own earlier score; agreement, report and export
// count the latest values, with the evaluators of an item still paired in the order
// they first scored it.
func TestRescore(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	insertAnswers(t, db.Pool, []seed{{"GM0363", "answered", "", 3, time.Hour}})
	anna := addEvaluator(t, db.Pool, "anna@gemeente.example", "GM0363")
	bert := addEvaluator(t, db.Pool, "bert@gemeente.example", "GM0363")
	carl := addEvaluator(t, db.Pool, "carl@gemeente.example", "GM0363")
	dora := addEvaluator(t, db.Pool, "dora@gemeente.example", "GM0363")
	other := addEvaluator(t, db.Pool, "olga@elders.example", "GM0599")
	rounds := review.NewRounds(db.Pool, slog.New(slog.DiscardHandler))
	rd, err := rounds.Sample(ctx, "GM0363", time.Now().Add(-24*time.Hour), 3, "Ronde herzien", anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := rounds.Items(ctx, anna, rd.ID)
	if err != nil || len(refs) != 3 {
		t.Fatalf("Items = %v, %v; want 3", refs, err)
	}
	for i, ref := range refs {
		if ref.Position != i+1 || ref.Scored || !strings.HasPrefix(ref.Question, "Vraag GM0363") {
			t.Errorf("item ref %d: %+v", i, ref)
		}
	}
	if _, err := rounds.Items(ctx, other, rd.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Items for another municipality: err %v, want ErrNotFound", err)
	}

	rating := func(correct int, comment string) review.Rating {
		return review.Rating{Correct: correct, Complete: 3, PlainLanguage: 3, CitationsSupport: 3, Tone: 3, Comment: comment}
	}
	// In this order, item by item: Anna first, then Bert, then Carl.
	first := map[int64][]int{anna.ID: {1, 2, 3}, bert.ID: {4, 5, 2}, carl.ID: {1, 1, 1}}
	for _, ev := range []review.Evaluator{anna, bert, carl} {
		for i, ref := range refs {
			if err := rounds.Save(ctx, ev, rd.ID, ref.ID, rating(first[ev.ID][i], ev.Email)); err != nil {
				t.Fatal(err)
			}
		}
	}
	stamps := func(itemID, accountID int64) (created, updated time.Time) {
		t.Helper()
		if err := db.Pool.QueryRow(ctx, `SELECT created_at, updated_at FROM eval_scores WHERE item_id = $1 AND account_id = $2`,
			itemID, accountID).Scan(&created, &updated); err != nil {
			t.Fatal(err)
		}
		return created, updated
	}
	created0, updated0 := stamps(refs[0].ID, anna.ID)
	if !updated0.Equal(created0) {
		t.Errorf("a new score: updated_at %v, want created_at %v", updated0, created0)
	}

	// Anna changes her scores of the first two items.
	annaNew := []int{4, 5, 3}
	for i := range 2 {
		if err := rounds.Save(ctx, anna, rd.ID, refs[i].ID, rating(annaNew[i], "herzien")); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM eval_scores`).Scan(&n); err != nil || n != 9 {
		t.Errorf("%d scores after changing two (%v), want 9", n, err)
	}
	created1, updated1 := stamps(refs[0].ID, anna.ID)
	if !created1.Equal(created0) || !updated1.After(created1) {
		t.Errorf("changed score: created_at %v → %v, updated_at %v; want created_at kept and updated_at later", created0, created1, updated1)
	}
	// Saving the same values again is no change.
	if err := rounds.Save(ctx, anna, rd.ID, refs[0].ID, rating(annaNew[0], "herzien")); err != nil {
		t.Fatal(err)
	}
	if _, updated2 := stamps(refs[0].ID, anna.ID); !updated2.Equal(updated1) {
		t.Errorf("saving the same score moved updated_at from %v to %v", updated1, updated2)
	}

	// Each evaluator gets back their own score, nobody else's.
	for _, tt := range []struct {
		ev   review.Evaluator
		want *review.Rating
	}{
		{anna, &review.Rating{Correct: 4, Complete: 3, PlainLanguage: 3, CitationsSupport: 3, Tone: 3, Comment: "herzien"}},
		{bert, &review.Rating{Correct: 4, Complete: 3, PlainLanguage: 3, CitationsSupport: 3, Tone: 3, Comment: bert.Email}},
		{dora, nil},
	} {
		it, err := rounds.Item(ctx, tt.ev, rd.ID, refs[0].ID)
		if err != nil {
			t.Fatalf("Item for %s: %v", tt.ev.Email, err)
		}
		if (it.Mine == nil) != (tt.want == nil) || (it.Mine != nil && *it.Mine != *tt.want) {
			t.Errorf("Item for %s: mine %+v, want %+v", tt.ev.Email, it.Mine, tt.want)
		}
		if it.ID != refs[0].ID || it.Position != 1 || it.Total != 3 || len(it.Citations) != 1 {
			t.Errorf("Item for %s: %+v", tt.ev.Email, it)
		}
	}
	if it, err := rounds.Next(ctx, dora, rd.ID); err != nil || it.Mine != nil || it.Position != 1 {
		t.Errorf("Next for Dora: %+v, %v; want item 1 without a score", it, err)
	}
	if _, err := rounds.Next(ctx, anna, rd.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Next for Anna after changing scores: err %v, want ErrNotFound (all scored)", err)
	}
	if refs, err := rounds.Items(ctx, anna, rd.ID); err != nil || !refs[0].Scored || !refs[1].Scored || !refs[2].Scored {
		t.Errorf("Items for Anna: %+v, %v; want all scored", refs, err)
	}
	if _, err := rounds.Item(ctx, other, rd.ID, refs[0].ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Item for another municipality: err %v, want ErrNotFound", err)
	}

	// Agreement pairs Anna (first to score each item) with Bert, on Anna's new values.
	want, err := review.CohenKappa(annaNew, first[bert.ID])
	if err != nil {
		t.Fatal(err)
	}
	for _, wrong := range [][2][]int{{first[anna.ID], first[bert.ID]}, {{4, 5, 3}, {1, 1, 2}}} {
		if k, err := review.CohenKappa(wrong[0], wrong[1]); err == nil && math.Abs(k-want) < 1e-9 {
			t.Fatalf("test data: kappa %v does not tell the pairs apart", k)
		}
	}
	rep, err := rounds.Report(ctx, anna, rd.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rep.Agreement {
		if a.Key == "correct" && (a.Kappa == nil || math.Abs(*a.Kappa-want) > 1e-12 || a.Items != 3) {
			t.Errorf("kappa of correct after changing scores: %+v, want %v over 3 items", a, want)
		}
	}
	// Means over 4,5,3 (Anna), 4,5,2 (Bert), 1,1,1 (Carl).
	if rep.Overall.Scores != 9 || math.Abs(rep.Overall.Means[0]-26.0/9) > 1e-12 {
		t.Errorf("overall %+v, want 9 scores with a mean correct of %v", rep.Overall, 26.0/9)
	}
	for _, row := range rep.Rows {
		if row.AccountID == anna.ID && row.ItemID == refs[0].ID && (row.Rating.Correct != 4 || !row.UpdatedAt.After(row.ScoredAt)) {
			t.Errorf("report row of Anna's changed score: %+v", row)
		}
	}

	records := exportCSV(t, rounds, anna, rd.ID)
	var got []string
	for _, rec := range records[1:] {
		got = append(got, rec[0]+" "+rec[5]+" "+rec[6]+" "+rec[12])
	}
	wantCSV := []string{
		"1 anna@gemeente.example 4 herzien", "1 bert@gemeente.example 4 bert@gemeente.example", "1 carl@gemeente.example 1 carl@gemeente.example",
		"2 anna@gemeente.example 5 herzien", "2 bert@gemeente.example 5 bert@gemeente.example", "2 carl@gemeente.example 1 carl@gemeente.example",
		"3 anna@gemeente.example 3 anna@gemeente.example", "3 bert@gemeente.example 2 bert@gemeente.example", "3 carl@gemeente.example 1 carl@gemeente.example",
	}
	if strings.Join(got, "\n") != strings.Join(wantCSV, "\n") {
		t.Errorf("CSV item, evaluator, correct, comment:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantCSV, "\n"))
	}
}

// TestWorkbenchAPIRescore drives the JSON API as the page does: the list of items,
// one item with the evaluator's own score (and not another's), and a changed score.
func TestWorkbenchAPIRescore(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	insertAnswers(t, db.Pool, []seed{{"GM0363", "answered", "", 2, time.Hour}})
	anna := addEvaluator(t, db.Pool, "anna@gemeente.example", "GM0363")
	bert := addEvaluator(t, db.Pool, "bert@gemeente.example", "GM0363")
	rounds := review.NewRounds(db.Pool, slog.New(slog.DiscardHandler))
	rd, err := rounds.Sample(ctx, "GM0363", time.Now().Add(-24*time.Hour), 2, "Ronde api", anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	as := map[string]review.Evaluator{"anna": anna, "bert": bert}
	h := rounds.Handler(func(r *http.Request) (review.Evaluator, bool) {
		ev, ok := as[r.Header.Get("X-Test-Evaluator")]
		return ev, ok
	})
	call := func(who, method, path, body string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("X-Test-Evaluator", who)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	base := fmt.Sprintf("/eval/api/rounds/%d", rd.ID)

	code, body := call("anna", "GET", base+"/items", "")
	var list struct {
		Items []review.ItemRef `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &list); code != http.StatusOK || err != nil || len(list.Items) != 2 || list.Items[0].Scored {
		t.Fatalf("GET items = %d %s (%v)", code, body, err)
	}
	item := list.Items[0].ID
	score := base + fmt.Sprintf("/items/%d/score", item)
	annaScore := `{"correct":2,"complete":2,"plain_language":2,"citations_support":2,"should_have_handed_off":0,"tone":2,"comment":"geheim van anna"}`
	if code, body := call("anna", "POST", score, annaScore); code != http.StatusNoContent {
		t.Fatalf("POST score = %d %s", code, body)
	}

	itemPath := base + fmt.Sprintf("/items/%d", item)
	code, body = call("bert", "GET", itemPath, "")
	if code != http.StatusOK || !strings.Contains(body, `"mine":null`) || strings.Contains(body, "geheim van anna") {
		t.Errorf("GET item as Bert = %d %s; want no score, and not Anna's", code, body)
	}
	code, body = call("anna", "GET", itemPath, "")
	if code != http.StatusOK || !strings.Contains(body, `"mine":{"correct":2,`) {
		t.Errorf("GET item as Anna = %d %s; want her score", code, body)
	}

	// Anna changes her score: one row, with the new value.
	if code, body := call("anna", "POST", score, strings.Replace(annaScore, `"correct":2`, `"correct":5`, 1)); code != http.StatusNoContent {
		t.Fatalf("POST changed score = %d %s", code, body)
	}
	code, body = call("anna", "GET", itemPath, "")
	if code != http.StatusOK || !strings.Contains(body, `"mine":{"correct":5,`) || !strings.Contains(body, `"scored":1`) {
		t.Errorf("GET item after the change = %d %s; want correct 5 and 1 scored", code, body)
	}
	code, body = call("anna", "GET", base+"/items", "")
	if code != http.StatusOK || !strings.Contains(body, `"scored":true`) || strings.Count(body, `"scored":true`) != 1 {
		t.Errorf("GET items after scoring one = %d %s", code, body)
	}
	code, body = call("bert", "GET", base+"/items", "")
	if code != http.StatusOK || strings.Contains(body, `"scored":true`) {
		t.Errorf("GET items as Bert = %d %s; want nothing scored (blind to Anna)", code, body)
	}

	for _, path := range []string{base + "/items/999999", base + "/items/x", "/eval/api/rounds/999999/items", fmt.Sprintf("/eval/api/rounds/999999/items/%d", item)} {
		if code, body := call("anna", "GET", path, ""); code != http.StatusNotFound {
			t.Errorf("GET %s = %d %s, want 404", path, code, body)
		}
	}
}

// TestNoSQLOverStaffAccounts: no string in review's code names staff_accounts; the
// package reads accounts through staff's staff_directory view only.
func TestNoSQLOverStaffAccounts(t *testing.T) {
	t.Parallel()
	pgtest.NoSQLOver(t, "staff_accounts", "staff_directory")
}
