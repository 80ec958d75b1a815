package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/vraagbaak/vraagbaak/answer"
)

const rulesUsage = `Usage:
  vraagbaak rules check [--kind guard|handoff] [FILE...]

Checks guard and hand-off rule files before they are deployed: every mistake is
printed as FILE:LINE: what is wrong, a good file gets a one-line summary. Without
--kind the kind of each file is told from its sections ([reason] for the guard,
[reason topic] and [info] for the hand-off rules). Without FILE it checks the
rule files the service would use (VRAAGBAAK_GUARD_FILE, VRAAGBAAK_HANDOFF_FILE, or
the embedded ones). The exit status is 1 when a file has a mistake.`

func cmdRules(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(a.stderr, rulesUsage)
		if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			return errors.New("rules: want a subcommand: check")
		}
		return fmt.Errorf("rules: unknown subcommand %q", args[0])
	}
	fs := newFlags(a, "rules check", "rules check [--kind guard|handoff] [FILE...]")
	kind := fs.String("kind", "", "guard or handoff (default: told from each file's sections)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch *kind {
	case "", answer.RuleKindGuard, answer.RuleKindHandoff:
	default:
		return fmt.Errorf("rules check: --kind must be guard or handoff, not %q", *kind)
	}
	if fs.NArg() == 0 {
		// LoadConfig has checked them already: say what the service uses.
		fmt.Fprintf(a.stdout, "%s: ok: %s\n", orEmbedded(a.cfg.GuardFile, "guard.txt"), a.cfg.Rules.Guard.Summary())
		fmt.Fprintf(a.stdout, "%s: ok: %s\n", orEmbedded(a.cfg.HandoffFile, "handoff.txt"), a.cfg.Rules.Handoff.Summary())
		return nil
	}
	bad := 0
	for _, path := range fs.Args() {
		summary, err := checkRuleFile(path, *kind)
		if err != nil {
			bad++
			fmt.Fprintln(a.stdout, err)
			continue
		}
		fmt.Fprintf(a.stdout, "%s: ok: %s\n", path, summary)
	}
	if bad > 0 {
		return fmt.Errorf("rules check: %d of %d files have mistakes", bad, fs.NArg())
	}
	return nil
}

func orEmbedded(path, name string) string {
	if path == "" {
		return name + " (embedded)"
	}
	return path
}

// checkRuleFile parses the rule file at path as kind ("" to tell it from the
// file) and returns its summary.
func checkRuleFile(path, kind string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if kind == "" {
		if kind = answer.DetectRuleKind(src); kind == "" {
			return "", fmt.Errorf("%s: no [section] line: cannot tell a guard from a hand-off file; give --kind", path)
		}
	}
	if kind == answer.RuleKindGuard {
		g, err := answer.ParseGuardRules(path, src)
		if err != nil {
			return "", err
		}
		return g.Summary(), nil
	}
	h, err := answer.ParseHandoffRules(path, src)
	if err != nil {
		return "", err
	}
	return h.Summary(), nil
}
