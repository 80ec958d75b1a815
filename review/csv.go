package review

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vraagbaak/vraagbaak/audit"
)

// WriteCSV writes every score of a round, one row each, with the citizen's feedback.
// Reading the questions is recorded in the transcript access log (export), one row
// per answer, before anything is written.
func (r *Rounds) WriteCSV(ctx context.Context, ev Evaluator, roundID int64, w io.Writer) error {
	if _, err := r.Get(ctx, ev, roundID); err != nil {
		return err
	}
	rows, err := r.scoreRows(ctx, ev, roundID, audit.Export)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"item", "answer_id", "question", "outcome", "day", "evaluator"}
	for _, item := range Rubric() {
		head = append(head, item.Key)
	}
	head = append(head, "comment", "feedback_useful", "feedback_comment")
	cw.Write(head) //nolint:errcheck // Flush reports it
	for _, s := range rows {
		rec := []string{strconv.Itoa(s.Position), strconv.FormatInt(s.AnswerID, 10), cell(s.Question), s.Outcome, s.Day, s.Evaluator}
		for _, v := range s.Rating.values() {
			rec = append(rec, strconv.Itoa(v))
		}
		useful := ""
		if s.FeedbackUseful != nil {
			useful = map[bool]string{true: "ja", false: "nee"}[*s.FeedbackUseful]
		}
		rec = append(rec, cell(s.Rating.Comment), useful, cell(s.FeedbackComment))
		cw.Write(rec) //nolint:errcheck // Flush reports it
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("review: export: %w", err)
	}
	return nil
}

// cell keeps free text from being read as a formula by a spreadsheet: a leading
// =, +, -, @, tab or carriage return gets a quote in front.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
