package chat

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// The answer worker of a citizen's connection: it answers the conversation's stored
// questions one at a time, in order, stores each answer and sends it, and stops the
// answer in progress when a person takes the conversation over.

// worker answers a connection's questions one at a time, in order: every stored
// question of the conversation that the bot is to answer (Conversations.Pending),
// also those stored before a disconnect or while the database was away. When the
// database fails it tries again, with back-off, until the connection ends.
type worker struct {
	c        *client
	asked    string         // the citizen's last question before the next answer
	previous string         // the citizen's last answered question
	failures int            // answers in a row without a reliable answer
	after    int            // the last seq of the history the connection was sent
	sent     map[int64]bool // questions whose answer this connection was sent
	failed   int64          // the question the citizen was last told could not be answered now
	down     bool           // the citizen was told that the waiting questions cannot be read now
}

// observe takes a message of the conversation so far into account.
func (w *worker) observe(m Message) {
	switch m.Role {
	case RoleCitizen:
		w.asked = m.Text
	case RoleBot:
		w.previous = w.asked
		if m.Outcome == answer.Refused {
			w.failures++
		} else {
			w.failures = 0
		}
	}
}

// Back-off of the worker while the database or the answerer fails.
const (
	minRetry = 500 * time.Millisecond
	maxRetry = 30 * time.Second
)

func (w *worker) run() {
	c := w.c
	retry := time.Duration(0)
	for {
		if w.drain() {
			retry = 0
		} else {
			retry = min(max(2*retry, minRetry), maxRetry)
		}
		var again <-chan time.Time
		var timer *time.Timer
		if retry > 0 {
			timer = time.NewTimer(retry)
			again = timer.C
		}
		select {
		case <-c.done:
		case <-c.wake:
		case <-again:
		}
		if timer != nil {
			timer.Stop()
		}
		if c.ctx.Err() != nil {
			return
		}
	}
}

// drain answers the conversation's waiting questions in order until there are none;
// false when it has to stop because something failed.
func (w *worker) drain() bool {
	c, s := w.c, w.c.s
	for c.ctx.Err() == nil {
		ctx, cancel := c.dbContext()
		pending, err := s.convs.Pending(ctx, c.conv.ID, w.after)
		cancel()
		if err != nil {
			if c.ctx.Err() == nil {
				s.log.Error("waiting questions", "conversation", c.conv.ID, "err", err)
				if !w.down { // told once; the questions are answered when it is back
					w.down = true
					c.sendError(ErrCodeUnavailable, "")
				}
			}
			return false
		}
		w.down = false
		pending = slices.DeleteFunc(pending, func(q Message) bool { return w.sent[q.ID] })
		if len(pending) == 0 {
			return true
		}
		for _, q := range pending {
			if !w.answer(q) {
				return false
			}
			w.sent[q.ID] = true
		}
	}
	return true
}

// answer answers one stored question: sends the stored answer again when there is
// one, or asks the service, stores its answer and sends it. It returns false when
// the question could not be answered now and should be tried again; true when it
// was answered, or when a person has the conversation.
func (w *worker) answer(q Message) bool {
	c, s := w.c, w.c.s
	ctx, cancel := context.WithTimeout(c.ctx, s.cfg.AnswerTimeout)
	defer cancel()
	fail := func(what string, err error, streamed bool) bool {
		if c.ctx.Err() != nil {
			return false // the connection ended
		}
		s.log.Error(what, "conversation", c.conv.ID, "seq", q.Seq, "err", err)
		// Told once per question, and again when part of the answer was shown, so
		// that the widget drops it: the next try streams the answer anew.
		if w.failed != q.ID || streamed {
			w.failed = q.ID
			c.sendError(ErrCodeUnavailable, q.ClientID)
		}
		return false
	}
	if reply, err := s.convs.Reply(ctx, q.ID); err == nil {
		c.sendJSON(answerMessage(q.ClientID, reply))
		return true
	} else if !errors.Is(err, ErrNotFound) {
		return fail("look up answer", err, false)
	}
	if conv, err := s.convs.Get(ctx, c.conv.ID); err != nil {
		return fail("conversation state", err, false)
	} else if conv.State == StateAgent {
		return true // a person has the conversation; the message reached them
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	c.setAnswerCancel(stop)
	defer c.setAnswerCancel(nil)
	previous := w.previous
	if previous == q.Text {
		previous = ""
	}
	start := time.Now()
	streamed := false
	// Only checked sentences of an answer that will be given arrive here (see
	// Service.Answer): what is streamed is the start of the stored answer's text.
	ans, search, err := s.svc.Answer(ctx, answer.Request{Question: q.Text, Municipality: c.conv.Municipality, Previous: previous, RecentFailures: w.failures},
		func(delta string) {
			streamed = true
			c.sendJSON(deltaMsg{Type: "answer.delta", ID: q.ClientID, Text: delta})
		})
	if err != nil {
		if tookOver(c, ctx) {
			return true
		}
		return fail("answer", err, streamed)
	}
	// A hand-off says whether a person can come now, and a refusal offers one (or,
	// when nobody can come, the call-back): never "no reliable answer" only.
	var av availability
	if ans.Outcome == answer.Handoff || ans.Outcome == answer.Refused || ans.SafetyNote != "" {
		av = s.availability(ctx, c.conv.Municipality)
	}
	if ans.Outcome == answer.Handoff {
		ans.Text = handoffText(answer.HandoffReason(ans.HandoffReason), ans.Text, av)
	}
	entry := LogEntry{ConversationID: c.conv.ID, Municipality: c.conv.Municipality, Question: q.Text, SearchText: search,
		Answer: ans, Redactions: labelCounts(q.Text)}
	reply, _, err := s.convs.SaveAnswer(ctx, entry, q)
	if errors.Is(err, ErrPersonTookOver) || err != nil && tookOver(c, ctx) {
		return true
	}
	if err != nil {
		return fail("store answer", err, streamed)
	}
	s.metrics.answered(ans, time.Since(start))
	s.log.Info("answer", "conversation", c.conv.ID, "answer_id", reply.AnswerID, "outcome", ans.Outcome,
		"confidence", ans.Confidence, "ms", ans.Timings.Total)
	w.previous, w.asked = q.Text, q.Text
	if ans.Failed() {
		w.failures++
	} else {
		w.failures = 0
	}
	out := answerMessage(q.ClientID, reply)
	if ans.Outcome == answer.Refused || ans.Outcome == answer.Answered && ans.SafetyNote != "" {
		// A safety note offers a person as a refusal does ("Praat met een medewerker").
		out.Offer = av.offer()
	}
	c.sendJSON(out)
	s.afterAnswer(ctx, c, q, ans, av)
	return true
}

// tookOver reports whether an answer's context ended because a person took the
// conversation over (cancelAnswer) while the connection lives on.
func tookOver(c *client, ctx context.Context) bool {
	return c.ctx.Err() == nil && errors.Is(ctx.Err(), context.Canceled)
}

func (c *client) setAnswerCancel(f context.CancelFunc) {
	c.answerMu.Lock()
	c.answerStop = f
	c.answerMu.Unlock()
}

// cancelAnswer stops the answer in progress, if any: a person took over.
func (c *client) cancelAnswer() {
	c.answerMu.Lock()
	if c.answerStop != nil {
		c.answerStop()
	}
	c.answerMu.Unlock()
}

// labelCounts counts the redaction labels in an already redacted text, for the answer
// log (the original text, and so the original counts, are never kept).
func labelCounts(redacted string) map[pii.Kind]int {
	counts := map[pii.Kind]int{}
	for kind, label := range pii.Labels {
		if n := strings.Count(redacted, label); n > 0 {
			counts[kind] = n
		}
	}
	return counts
}
