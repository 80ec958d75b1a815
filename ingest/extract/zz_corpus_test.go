package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestZZCorpus(t *testing.T) {
	tmpl, _ := os.ReadFile("testdata/rijksoverheid.html")
	s := string(tmpl)
	start := strings.Index(s, "<h1>")
	end := strings.Index(s, `<aside class="related"`)
	files, _ := filepath.Glob("/work/shared/corpus/raw/govbench-rijksoverheid-vac/cache_vacs*/*.json")
	var nchunks, nsec []int
	var words []int
	maxc := 0
	for i, f := range files {
		data, _ := os.ReadFile(f)
		var d struct {
			Question, Introduction string
			Content []struct{ Paragraph, Paragraphtitle string }
		}
		json.Unmarshal(data, &d)
		var b strings.Builder
		fmt.Fprintf(&b, "<h1>%s</h1>%s", d.Question, d.Introduction)
		for _, c := range d.Content {
			if c.Paragraphtitle != "" {
				fmt.Fprintf(&b, "<h2>%s</h2>", c.Paragraphtitle)
			}
			b.WriteString(c.Paragraph)
		}
		page := s[:start] + b.String() + s[end:]
		p, err := Extract(strings.NewReader(page), nil, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		ch := Split(p, ChunkOptions{})
		nchunks = append(nchunks, len(ch))
		nsec = append(nsec, len(p.Sections))
		for _, c := range ch {
			words = append(words, len(strings.Fields(c.Text)))
			maxc = max(maxc, utf8.RuneCountInString(c.Text))
		}
		txt := strings.ToLower(p.Text())
		for _, bad := range []string{"cookie", "deel deze", "nuttig", "hoofdmenu", "zie ook", "linkedin"} {
			if strings.Contains(txt, bad) && !strings.Contains(strings.ToLower(page[start:]), bad+"") {
				t.Logf("%s: chrome %q", f, bad)
			}
		}
		if i == 3 || i == 77 {
			t.Logf("%s\n%s", f, render(p, ch))
		}
	}
	sort.Ints(words)
	sort.Ints(nchunks)
	sum := 0
	for _, w := range words {
		sum += w
	}
	t.Logf("pages %d chunks %d; chunks/page median %d max %d; words/chunk median %d mean %d p10 %d p90 %d max %d; max chars %d",
		len(nchunks), len(words), nchunks[len(nchunks)/2], nchunks[len(nchunks)-1], words[len(words)/2], sum/len(words), words[len(words)/10], words[len(words)*9/10], words[len(words)-1], maxc)
}
