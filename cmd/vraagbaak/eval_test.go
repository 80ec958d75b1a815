package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/eval"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// writeResult builds a result from rows and writes it to a new directory.
func writeResult(t *testing.T, rows []eval.QuestionResult) string {
	t.Helper()
	dir := t.TempDir()
	r := eval.Build("golden.jsonl", time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), eval.DefaultMinSupport, rows)
	if _, err := r.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvalCompareCommand(t *testing.T) {
	t.Parallel()
	answered := func(id string, rank int, found ...string) eval.QuestionResult {
		return eval.QuestionResult{
			ID: id, Question: "vraag " + id, Municipality: "GM9001", Topic: "afval",
			Expected: chat.Answered, ExpectedPages: []string{"bloemendijk:/afval"}, Outcome: chat.Answered,
			Ranks:     map[string][]int{"hybrid": {rank}},
			Citations: []eval.CitedPage{{URL: "http://x/afval", Support: 0.9, Expected: true, Supported: true}}, FirstCitationRight: true,
			Sentences: 1, GroundedSentences: 1, KeyFacts: []string{"dinsdag", "7.30"}, KeyFactsFound: found,
			FleschDouma: 70, SentenceWords: 10, B1: true, TotalMs: 20,
		}
	}
	refused := eval.QuestionResult{ID: "refusal-001", Question: "weer", Topic: "refusal", Expected: chat.Refused, Outcome: chat.Refused, TotalMs: 1}
	oldDir := writeResult(t, []eval.QuestionResult{answered("afval-001", 1, "dinsdag", "7.30"), answered("afval-002", 2, "dinsdag"), refused})
	// afval-001 drops to rank 4 and loses a key fact; the rest stays.
	newDir := writeResult(t, []eval.QuestionResult{answered("afval-001", 4, "dinsdag"), answered("afval-002", 2, "dinsdag"), refused})

	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut []string
	}{
		{name: "report", args: []string{oldDir, newDir},
			wantOut: []string{"Key-fact recall *", "0.750", "0.500", "-0.250", "worse", "Total p50", "1 of 3 questions in both runs got worse",
				`afval-001 [GM9001] "vraag afval-001": rank 1 → 4; key facts lost: "7.30"`}},
		{name: "files and flags after the paths", args: []string{filepath.Join(oldDir, "result.json"), newDir, "--fail-on-worse"},
			wantErr: "3 headline figure(s) dropped by more than 0.01: MRR -0.375, nDCG@10 -0.285, Key-fact recall -0.250"},
		{name: "flags between", args: []string{oldDir, "--fail-on-worse", "--tolerance", "0.3", newDir}, wantErr: "1 headline figure(s) dropped by more than 0.3: MRR -0.375"},
		{name: "within tolerance", args: []string{"--fail-on-worse", "--tolerance", "0.5", oldDir, newDir}, wantOut: []string{"MRR *"}},
		{name: "same run", args: []string{"--fail-on-worse", oldDir, oldDir}, wantOut: []string{"0 of 3 questions in both runs got worse"}},
		{name: "one path", args: []string{oldDir}, wantErr: "want two results"},
		{name: "missing result", args: []string{oldDir, filepath.Join(oldDir, "nothing")}, wantErr: "no result at"},
		{name: "negative tolerance", args: []string{"--tolerance", "-1", oldDir, newDir}, wantErr: "must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"eval", "compare"}, tc.args...), env(nil), &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one with %q\n%s", err, tc.wantErr, out.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v\n%s", err, errOut.String())
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	for _, args := range [][]string{{"eval"}, {"eval", "judge"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env(nil), &out, &errOut); err == nil || !strings.Contains(err.Error(), "eval compare OLD NEW") {
			t.Errorf("%v: err = %v, want the usage", args, err)
		}
	}
}

// eval run through the command on the demo index, with a few questions of the
// development set, then compared with itself.
func TestEvalRunCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	vars := env(map[string]string{"DATABASE_URL": db.URL})
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--port", "0"}, vars, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}

	dev, err := os.Open("../../eval/testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	var lines []string
	for sc := bufio.NewScanner(dev); sc.Scan() && len(lines) < 4; {
		if l := sc.Text(); len(lines) < 3 || strings.Contains(l, `"refused"`) {
			lines = append(lines, l)
		}
	}
	dir := t.TempDir()
	golden := filepath.Join(dir, "few.jsonl")
	if err := os.WriteFile(golden, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	out.Reset()
	if err := run(context.Background(), []string{"eval", "run", "--golden", golden, "--out", outDir, "--warm", "1"}, vars, &out, &errOut); err != nil {
		t.Fatalf("eval run: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"hybrid", "Outcome accuracy *", "by municipality", "by topic", "refusal", "wrote " + filepath.Join(outDir, "report.html")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval run output lacks %q:\n%s", want, out.String())
		}
	}
	res, err := eval.ReadResult(outDir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Metrics.N != 4 || len(res.Questions) != 4 || res.Metrics.RetrievalN != 3 || len(res.Metrics.Modes) != 3 {
		t.Errorf("result: n %d, %d questions, %d with pages, %d modes", res.Metrics.N, len(res.Questions), res.Metrics.RetrievalN, len(res.Metrics.Modes))
	}
	html, err := os.ReadFile(filepath.Join(outDir, "report.html"))
	if err != nil || !bytes.Contains(html, []byte("<svg")) {
		t.Errorf("report.html: %v, %d bytes", err, len(html))
	}

	out.Reset()
	if err := run(context.Background(), []string{"eval", "compare", "--fail-on-worse", outDir, outDir}, vars, &out, &errOut); err != nil {
		t.Fatalf("eval compare: %v", err)
	}
	if !strings.Contains(out.String(), "0 of 4 questions in both runs got worse") {
		t.Errorf("compare output:\n%s", out.String())
	}
}
