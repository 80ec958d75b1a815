package answer

import (
	"context"
	"strings"
	"testing"
)

func TestDetectRuleKind(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"embedded guard", string(defaultGuardText), RuleKindGuard},
		{"embedded hand-off", string(defaultHandoffText), RuleKindHandoff},
		{"guard section", "# x\n[fraud]\nzwart", RuleKindGuard},
		{"info first", "[info]\nwat is", RuleKindHandoff},
		{"reason and topic", "\n  [sensitive klacht]  \nklacht", RuleKindHandoff},
		{"hand-off reason without topic", "[sensitive]\nklacht", RuleKindHandoff},
		{"no section", "# niets\nzwart werken", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectRuleKind([]byte(tt.src)); got != tt.want {
				t.Errorf("DetectRuleKind(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestDefaultRules(t *testing.T) {
	r, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	if r.Guard == nil || r.Handoff == nil || r.Crisis == nil {
		t.Fatalf("DefaultRules() = %+v", r)
	}
}

// A service without all its rules is not built, and one built otherwise refuses to
// answer rather than answer unguarded.
func TestServiceWithoutRules(t *testing.T) {
	for _, rules := range []Rules{{}, {Guard: defaultGuard(t)}, {Handoff: defaultHandoff(t)}, {Guard: defaultGuard(t), Handoff: defaultHandoff(t)}} {
		if svc, err := NewService(nil, nil, nil, nil, rules, Config{}, nil); err == nil || svc != nil || !strings.Contains(err.Error(), "incomplete rules") {
			t.Errorf("NewService with rules %+v = %v, %v; want an error saying the rules are incomplete", rules, svc, err)
		}
		_, _, err := (&Service{rules: rules}).Answer(context.Background(), Request{Question: "ik wil niet meer leven"}, nil)
		if err == nil || !strings.Contains(err.Error(), "incomplete rules") {
			t.Errorf("Answer with rules %+v: err = %v, want one saying the rules are incomplete", rules, err)
		}
	}
	all, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	if svc, err := NewService(nil, nil, nil, nil, all, Config{}, nil); err != nil || svc == nil {
		t.Errorf("NewService with the default rules = %v, %v", svc, err)
	}
}
