package answer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
)

// The model's sentences reach the citizen only checked, sentence by sentence, as the
// final answer's beginning; a refusal streams nothing.
func TestStreamingChecksEverySentence(t *testing.T) {
	t.Parallel()
	firstDelta := make(chan struct{})
	var script answertest.Scripts
	gen := answertest.ModelServer(t, script.Run)
	svc, _ := newService(t, gen)

	const good = "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
		"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25]. " +
		"Een identiteitskaart voor een volwassene kost maximaal € 81,05 [€ 81,05]."
	tests := []struct {
		name    string
		text    string
		wait    bool // the model waits after its second sentence until the first delta came
		outcome answer.Outcome
		reason  answer.RefusalReason // of a refusal
		want    []string             // the deltas
		never   string               // in no delta and not in the answer
	}{
		{
			name: "a good answer in small pieces", text: good, wait: true, outcome: answer.Answered,
			want: []string{
				"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1].",
				" Een paspoort voor een kind kost maximaal € 64,25 [1].",
				" Een identiteitskaart voor een volwassene kost maximaal € 81,05 [1].",
			},
		},
		{
			name: "an invented amount",
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Met spoed betaalt u € 125,00 extra voor uw paspoort [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
			outcome: answer.Answered, never: "125",
			want: []string{
				"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1].",
				" Een paspoort voor een kind kost maximaal € 64,25 [1].",
			},
		},
		{
			name:    "an invented amount first",
			text:    "Een paspoort kost € 12,50 [€ 88,15]. Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
			outcome: answer.Answered, never: "12,50",
			want: []string{"Een paspoort voor een kind kost maximaal € 64,25 [1]."},
		},
		{name: "no answer", text: "GEEN ANTWOORD", outcome: answer.Refused, reason: "not_in_passages", never: "GEEN"},
		{
			name:    "no answer after a shown sentence ends the answer",
			text:    "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. Verder: GEEN ANTWOORD.",
			outcome: answer.Answered, never: "GEEN",
			want: []string{"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1]."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script.Set(func(user string) answertest.Script {
				pieces := answertest.Chunks(answertest.Cite(user, tc.text), 5)
				s := answertest.Script{Pieces: pieces}
				if tc.wait { // wait before the third sentence begins
					before, _, _ := strings.Cut(answertest.Cite(user, tc.text), "Een identiteitskaart")
					s.Waits = map[int]<-chan struct{}{len([]rune(before)) / 5: firstDelta}
				}
				return s
			})
			var deltas []string
			a, err := svc.Ask(context.Background(), "wat kost een paspoort", "", func(d string) {
				if len(deltas) == 0 && tc.wait {
					close(firstDelta)
				}
				deltas = append(deltas, d)
			})
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome != tc.outcome || a.RefusalReason != tc.reason {
				t.Fatalf("outcome %s (%s): %q, want %s (%s)", a.Outcome, a.RefusalReason, a.Text, tc.outcome, tc.reason)
			}
			if strings.Join(deltas, "|") != strings.Join(tc.want, "|") {
				t.Errorf("deltas:\n got %q\nwant %q", deltas, tc.want)
			}
			if streamed := strings.Join(deltas, ""); !strings.HasPrefix(a.Text, streamed) || a.Outcome == answer.Answered && streamed != a.Text {
				t.Errorf("streamed %q, answer %q", streamed, a.Text)
			}
			if tc.never != "" && strings.Contains(a.Text+strings.Join(deltas, ""), tc.never) {
				t.Errorf("%q reached the citizen: deltas %q, answer %q", tc.never, deltas, a.Text)
			}
			if a.Outcome == answer.Answered && a.Answerer != gen.Name {
				t.Errorf("answered by %s", a.Answerer)
			}
		})
	}
}
