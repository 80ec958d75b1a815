package extract

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitMerge(t *testing.T) {
	short := func(s string) string { return s + " is kort." }
	long := strings.Repeat("Dit is een zin van gemiddelde lengte. ", 8) // 304 characters
	tests := []struct {
		name     string
		sections []Section
		opts     ChunkOptions
		want     []Chunk
	}{
		{
			name: "small siblings merge under their parent",
			sections: []Section{
				{Headings: []string{"Voorwaarden"}, Anchor: "voorwaarden", Text: short("Inleiding")},
				{Headings: []string{"Voorwaarden", "Leeftijd"}, Anchor: "leeftijd", Text: short("Leeftijd")},
				{Headings: []string{"Voorwaarden", "Inkomen"}, Anchor: "inkomen", Text: short("Inkomen")},
			},
			want: []Chunk{{0, []string{"Voorwaarden"}, "voorwaarden",
				"Inleiding is kort.\n\nLeeftijd\n\nLeeftijd is kort.\n\nInkomen\n\nInkomen is kort.", false}},
		},
		{
			name: "no merge into another branch",
			sections: []Section{
				{Headings: []string{"A", "B"}, Anchor: "b", Text: short("B")},
				{Headings: []string{"C", "D"}, Anchor: "d", Text: short("D")},
			},
			want: []Chunk{
				{0, []string{"A", "B"}, "b", "B is kort.", false},
				{1, []string{"C", "D"}, "d", "D is kort.", false},
			},
		},
		{
			name: "two large sections stay apart",
			sections: []Section{
				{Headings: []string{"A"}, Text: long},
				{Headings: []string{"B"}, Text: long},
			},
			want: []Chunk{
				{0, []string{"A"}, "", strings.TrimSpace(long), false},
				{1, []string{"B"}, "", strings.TrimSpace(long), false},
			},
		},
		{
			name: "small section joins the large one before it",
			sections: []Section{
				{Headings: []string{"A"}, Anchor: "a", Text: strings.TrimSpace(long)},
				{Headings: []string{"B"}, Anchor: "b", Text: short("B")},
			},
			want: []Chunk{{0, nil, "a", "A\n\n" + strings.TrimSpace(long) + "\n\nB\n\nB is kort.", false}},
		},
		{
			name: "merging off",
			sections: []Section{
				{Headings: []string{"A"}, Text: short("A")},
				{Headings: []string{"B"}, Text: short("B")},
			},
			opts: ChunkOptions{MinSize: -1},
			want: []Chunk{
				{0, []string{"A"}, "", "A is kort.", false},
				{1, []string{"B"}, "", "B is kort.", false},
			},
		},
		{
			name: "merge stops at the size",
			sections: []Section{
				{Headings: []string{"A"}, Text: short("A")},
				{Headings: []string{"B"}, Text: short("B")},
				{Headings: []string{"C"}, Text: short("C")},
			},
			opts: ChunkOptions{Size: 30, MinSize: 20},
			want: []Chunk{
				{0, nil, "", "A\n\nA is kort.\n\nB\n\nB is kort.", false},
				{1, []string{"C"}, "", "C is kort.", false},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.sections {
				tc.sections[i].Text = strings.TrimSpace(tc.sections[i].Text)
			}
			got := Split(&Page{Sections: tc.sections}, tc.opts)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("chunks\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestSplitLong(t *testing.T) {
	p := extractFile(t, "lange-pagina.html", "https://www.noorderbroek.nl/werk-en-inkomen/bijstand")
	for _, size := range []int{300, 800, 1500} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			chunks := Split(p, ChunkOptions{Size: size})
			all := ""
			for i, c := range chunks {
				if c.Ord != i {
					t.Errorf("chunk %d has Ord %d", i, c.Ord)
				}
				if n := utf8.RuneCountInString(c.Text); n > size {
					t.Errorf("chunk %d has %d characters, more than %d", i, n, size)
				}
				if strings.TrimSpace(c.Text) == "" {
					t.Errorf("chunk %d is empty", i)
				}
				all += c.Text + "\n"
			}
			// Every sentence of the page is in some chunk.
			for _, s := range p.Sections {
				for _, sentence := range strings.Split(s.Text, ". ") {
					for _, line := range strings.Split(sentence, "\n") {
						if !strings.Contains(all, line) {
							t.Errorf("no chunk holds %q", line)
						}
					}
				}
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	text := strings.Repeat("Dit is de eerste zin van de alinea. Is dit een vraag? ", 20)
	p := &Page{Sections: []Section{{Headings: []string{"Lang"}, Anchor: "lang", Text: strings.TrimSpace(text)}}}
	chunks := Split(p, ChunkOptions{Size: 200, Overlap: 50})
	if len(chunks) < 5 {
		t.Fatalf("got %d chunks, want the section split", len(chunks))
	}
	for i, c := range chunks {
		if c.Anchor != "lang" || len(c.Headings) != 1 {
			t.Errorf("chunk %d lost its heading or anchor: %#v", i, c)
		}
		if !strings.HasSuffix(c.Text, ".") && !strings.HasSuffix(c.Text, "?") {
			t.Errorf("chunk %d does not end a sentence: %q", i, c.Text)
		}
	}
	if !strings.Contains(chunks[1].Text, strings.Fields(chunks[0].Text)[len(strings.Fields(chunks[0].Text))-1]) {
		t.Errorf("no overlap between chunk 0 and 1:\n%q\n%q", chunks[0].Text, chunks[1].Text)
	}
}

func TestSplitEmpty(t *testing.T) {
	if got := Split(&Page{}, ChunkOptions{}); len(got) != 0 {
		t.Errorf("Split of an empty page = %#v", got)
	}
}
