// Package eval owns offline evaluation: golden question sets, the Runner that sends
// them through the same answer.Service the websocket uses, retrieval and answer
// metrics, the optional judge (a language model, reaching it as an answer.GenerateFunc,
// scores faithfulness and answer relevance), result files, comparisons of two runs,
// and the HTML report. It has no tables and runs no SQL. It imports answer, retrieval
// and internal/dutch; only cmd imports it. Human scoring of logged answers (rounds,
// rubric, kappa, the workbench) is package review.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Question is one line of a golden set (JSON Lines; see eval/testdata/README.md).
type Question struct {
	ID              string         `json:"id"`
	Question        string         `json:"question"`
	Municipality    string         `json:"municipality"`
	Expected        []Expected     `json:"expected"`
	ExpectedOutcome answer.Outcome `json:"expected_outcome"`
	KeyFacts        []string       `json:"key_facts"`
	Topic           string         `json:"topic"`
	Style           string         `json:"style"`
	Reference       string         `json:"reference_answer"`
	Extra           map[string]any `json:"-"`
}

// Expected is a page that answers a question: a full URL, or a path on a named site
// (the bundled sample sites are served on ports that differ per run).
type Expected struct {
	URL  string `json:"url,omitempty"`
	Site string `json:"site,omitempty"`
	Path string `json:"path,omitempty"`
}

// LoadGolden reads a golden set. Errors name the file and line.
func LoadGolden(path string) ([]Question, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var qs []Question
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	ids := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		var q Question
		dec := json.NewDecoder(strings.NewReader(text))
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("eval: %s:%d: %w", path, line, err)
		}
		switch {
		case q.ID == "" || q.Question == "":
			return nil, fmt.Errorf("eval: %s:%d: id and question are required", path, line)
		case ids[q.ID] != 0:
			return nil, fmt.Errorf("eval: %s:%d: id %q is already used on line %d", path, line, q.ID, ids[q.ID])
		case q.ExpectedOutcome != answer.Answered && q.ExpectedOutcome != answer.Refused && q.ExpectedOutcome != answer.Handoff:
			return nil, fmt.Errorf("eval: %s:%d: expected_outcome must be answered, refused or handoff", path, line)
		case q.ExpectedOutcome == answer.Answered && len(q.Expected) == 0:
			return nil, fmt.Errorf("eval: %s:%d: an answered question needs at least one expected page", path, line)
		}
		if q.Topic == "" {
			q.Topic = deriveTopic(q.Expected)
		}
		ids[q.ID] = line
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	return qs, nil
}

// deriveTopic names the topic of a question without a "topic" field: the first
// segment of the path of its first expected page, skipping the container segment
// "onderwerpen" that rijksoverheid.nl and many municipal sites put before the topic
// ("/onderwerpen/wmo/aanvragen" is "wmo", "/burgerzaken/paspoort" is "burgerzaken").
// A question without expected pages, or whose page is a home page, gets "other".
func deriveTopic(expected []Expected) string {
	if len(expected) == 0 {
		return "other"
	}
	p := expected[0].Path
	if expected[0].URL != "" {
		u, err := url.Parse(expected[0].URL)
		if err != nil {
			return "other"
		}
		p = u.Path
	}
	segs := strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return r == '/' })
	if len(segs) > 1 && segs[0] == "onderwerpen" {
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return "other"
	}
	return segs[0]
}

// String is the page as a golden set names it: its URL, or "site:/path".
func (e Expected) String() string {
	if e.URL != "" {
		return e.URL
	}
	return e.Site + ":" + e.Path
}

// Sites maps a site name of a golden set to the municipality its pages belong to
// ("" for national sites), so that a path can be matched without knowing the host.
type Sites map[string]string

// matches reports whether a hit is the expected page.
func (e Expected) matches(h retrieval.Hit, sites Sites) bool {
	if e.URL != "" {
		return strings.TrimSuffix(h.URL, "/") == strings.TrimSuffix(e.URL, "/")
	}
	m, ok := sites[e.Site]
	if !ok || m != h.Municipality {
		return false
	}
	u, err := url.Parse(h.URL)
	return err == nil && strings.TrimSuffix(u.Path, "/") == strings.TrimSuffix(e.Path, "/")
}

// Hosts maps the origin of a real site ("https://www.rijksoverheid.nl") to the origin of
// the local copy that was crawled instead ("http://127.0.0.1:8093"), so that a golden
// set can name a page by its real, canonical URL.
type Hosts map[string]string

// ParseHosts reads a host map written "REAL=LOCAL,REAL=LOCAL", as vraagbaak realsite
// prints it. Each side is an origin: scheme and host, no path.
func ParseHosts(s string) (Hosts, error) {
	h := Hosts{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		realOrigin, local, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("eval: host map %q: want REAL=LOCAL", pair)
		}
		for _, o := range []string{realOrigin, local} {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
				return nil, fmt.Errorf("eval: host map %q: %q is not an origin like https://www.example.nl", pair, o)
			}
		}
		h[strings.TrimSuffix(realOrigin, "/")] = strings.TrimSuffix(local, "/")
	}
	return h, nil
}

// Local is e with its URL moved to the local copy of its site, when h has one; other
// pages are returned as they are.
func (h Hosts) Local(e Expected) Expected {
	if e.URL == "" || len(h) == 0 {
		return e
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return e
	}
	local, ok := h[u.Scheme+"://"+u.Host]
	if !ok {
		return e
	}
	e.URL = local + u.EscapedPath()
	if u.RawQuery != "" {
		e.URL += "?" + u.RawQuery
	}
	return e
}
