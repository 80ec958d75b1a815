package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSourceURL names the injected axe-core in stack traces, so that Console can tell
// its doings from the page's.
const axeSourceURL = "browsertest-axe-core.js"

// axeTags are the rule sets Axe runs: WCAG 2.0 and 2.1, levels A and AA.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]`

// Violation is one axe-core rule that failed, with the elements that fail it.
type Violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that fails a rule. Target is axe's selector; an
// element in a shadow root has the host's selector first, joined with " >>> ".
type ViolationNode struct {
	Target         string `json:"target"`
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

// String formats the violation for a test failure.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
	}
	return b.String()
}

// AxePath returns the path of axe.min.js, or skips (or fails) the test.
func AxePath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VRAAGBAAK_AXE_JS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("browsertest: VRAAGBAAK_AXE_JS: %v", err)
		}
		return p
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("browsertest: find the repository: %v", err)
	}
	p := filepath.Join(root, ".cache", "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(p); err != nil {
		missing(t, "no axe-core (VRAAGBAAK_AXE_JS is unset and %s is missing)", p)
	}
	return p
}

// axeRun runs axe on the document and returns its violations in the shape of
// Violation. Shadow DOM is included (axe reaches open shadow roots).
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: "tag", values: %s},
    resultTypes: ["violations"]
  });
  const flat = (t) => Array.isArray(t) ? t.join(" >>> ") : String(t);
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(flat).join(" "),
      html: n.html,
      failureSummary: n.failureSummary || ""
    }))
  }));
})()`

// Axe injects axe-core into ctx's page (once per document) and returns the WCAG 2.1
// A and AA violations of the page as it is now.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := os.ReadFile(AxePath(t))
	if err != nil {
		t.Fatalf("browsertest: read axe-core: %v", err)
	}
	loaded := Eval[bool](t, ctx, `typeof window.axe === "object" && typeof window.axe.run === "function"`)
	if !loaded {
		// Evaluated through the DevTools protocol, so the page's Content-Security-Policy
		// does not stop it.
		script := string(src) + "\n//# sourceURL=" + axeSourceURL
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
			t.Fatalf("browsertest: inject axe-core: %v", err)
		}
	}
	return Eval[[]Violation](t, ctx, fmt.Sprintf(axeRun, axeTags))
}

// AssertAxe fails t (without stopping it) listing every violation Axe finds.
func AssertAxe(t testing.TB, ctx context.Context) {
	t.Helper()
	vs := Axe(t, ctx)
	if len(vs) == 0 {
		return
	}
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	t.Errorf("axe-core: %d WCAG 2.1 A/AA violations:\n  %s", len(vs), strings.Join(lines, "\n  "))
}
