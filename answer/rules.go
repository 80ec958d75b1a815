package answer

import (
	"errors"
	"fmt"
	"strings"
)

// Rules are the two rule files the service applies to every question: the hand-off
// rules (handoff.txt) and the guard (guard.txt). Both are values parsed and checked
// before the service starts; main reads them from the configured files or takes the
// embedded defaults (DefaultRules).
type Rules struct {
	Guard   *GuardRules
	Handoff *HandoffRules
	Crisis  *CrisisDetector // recognises what the hand-off rules miss (crisis.go)
	// GuardClassifier refuses what the guard rules miss (guardclf.go); nil:
	// the rules alone.
	GuardClassifier *GuardClassifier
}

// check reports a rule set that is missing one of its parts.
func (r Rules) check() error {
	if r.Guard == nil || r.Handoff == nil || r.Crisis == nil {
		return errors.New("incomplete rules (Rules.Guard, Rules.Handoff and Rules.Crisis must be set)")
	}
	return nil
}

// DefaultRules parses the embedded guard.txt and handoff.txt, with the crisis
// detector and the guard classifier learning from the embedded phrasings.
func DefaultRules() (Rules, error) {
	g, err := DefaultGuardRules()
	if err != nil {
		return Rules{}, err
	}
	h, err := DefaultHandoffRules()
	if err != nil {
		return Rules{}, err
	}
	c, err := NewCrisisDetector()
	if err != nil {
		return Rules{}, err
	}
	gc, err := NewGuardClassifier()
	if err != nil {
		return Rules{}, err
	}
	return Rules{Guard: g, Handoff: h, Crisis: c, GuardClassifier: gc}, nil
}

// Kinds of rule file, as DetectRuleKind names them.
const (
	RuleKindGuard   = "guard"
	RuleKindHandoff = "handoff"
)

// DetectRuleKind tells from its first section header whether src is a guard file
// ("[reason]") or a hand-off file ("[info]" or "[reason topic]"); "" when it has no
// section header.
func DetectRuleKind(src []byte) string {
	for line := range strings.Lines(string(src)) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		fields := strings.Fields(line[1 : len(line)-1])
		switch {
		case len(fields) == 1 && fields[0] == "info", len(fields) == 2:
			return RuleKindHandoff
		case len(fields) == 1 && handoffReasons[HandoffReason(fields[0])]:
			return RuleKindHandoff // "[sensitive]" without its topic: a hand-off file with a mistake
		case len(fields) == 1:
			return RuleKindGuard
		}
	}
	return ""
}

// RuleError is one mistake in a rule file, at a line (1-based; 0 for the file as a
// whole).
type RuleError struct {
	File string
	Line int
	Msg  string
}

func (e *RuleError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// maxRuleErrors is how many mistakes of one file are reported.
const maxRuleErrors = 20

// ruleErrors collects the mistakes of one file, so that a check reports them all
// and not only the first.
type ruleErrors struct {
	file string
	errs []error
	more int
}

func (e *ruleErrors) add(line int, format string, args ...any) {
	if len(e.errs) == maxRuleErrors {
		e.more++
		return
	}
	e.errs = append(e.errs, &RuleError{File: e.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// err joins the mistakes, one a line, or returns nil.
func (e *ruleErrors) err() error {
	if e.more > 0 {
		e.errs = append(e.errs, &RuleError{File: e.file, Msg: fmt.Sprintf("and %d more mistakes", e.more)})
	}
	return errors.Join(e.errs...)
}
