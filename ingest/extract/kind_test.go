package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// The kind of a page is decided from its structure; the fixtures are invented pages of
// each kind, without the markup of any one site.
func TestKind(t *testing.T) {
	tests := []struct {
		file     string
		url      string
		want     Kind
		wantLead bool // the first chunk is marked as the lead answer
	}{
		{"vraag.html", "https://www.rijksoverheid.example/onderwerpen/rijbewijs/vraag-en-antwoord/geldig", KindQuestion, true},
		{"product.html", "https://www.zeestad.example/parkeervergunning", KindProduct, false},
		{"overzicht.html", "https://www.zeestad.example/afval", KindOverview, false},
		{"nieuws.html", "https://www.zeestad.example/actueel", KindNews, false},
		// The same item without its meta is news by its place below a news section.
		{"vraag-lijst.html", "https://www.zeestad.example/nieuws/2026/formulieren", KindNews, false},
		// A question answered by a list first is not a question page with a lead answer.
		{"vraag-lijst.html", "https://www.zeestad.example/formulieren", KindOther, false},
	}
	for _, tc := range tests {
		t.Run(tc.file+" "+tc.url, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "kind", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Extract(f, u, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tc.want {
				t.Errorf("kind %q, want %q", p.Kind, tc.want)
			}
			chunks := Split(p, ChunkOptions{})
			if len(chunks) == 0 {
				t.Fatal("no chunks")
			}
			for i, c := range chunks {
				if want := tc.wantLead && i == 0; c.Lead != want {
					t.Errorf("chunk %d lead %t, want %t: %q", i, c.Lead, want, c.Text)
				}
			}
		})
	}
}

// The decision on its own, at the edges of the link share.
func TestDecideKind(t *testing.T) {
	intro := []Section{{Text: "Een rijbewijs is tien jaar geldig."}}
	tests := []struct {
		name string
		in   kindInput
		want Kind
	}{
		{"no text", kindInput{title: "Leeg"}, KindOverview},
		{"links over the share", kindInput{title: "Vraag?", sections: intro, total: 100, link: 61}, KindOverview},
		{"links at the share", kindInput{title: "Vraag?", sections: intro, total: 100, link: 60}, KindQuestion},
		{"no question mark", kindInput{title: "Geldigheid", sections: intro, total: 100}, KindOther},
		{"question under a heading", kindInput{title: "Vraag?", sections: []Section{{Headings: []string{"Antwoord"}, Text: intro[0].Text}}, total: 100}, KindOther},
		{"product meta", kindInput{title: "Paspoort", sections: intro, total: 100, meta: map[string]string{"dcterms.type": "productbeschrijving"}}, KindProduct},
		{"one product heading", kindInput{title: "Paspoort", sections: []Section{{Headings: []string{"Kosten"}, Text: "x"}}, total: 100}, KindOther},
		{"two product headings", kindInput{title: "Paspoort", sections: []Section{{Headings: []string{"Kosten"}, Text: "x"}, {Headings: []string{"Wat moet ik meenemen?"}, Text: "y"}}, total: 100}, KindProduct},
		{"news meta", kindInput{title: "Opening", sections: intro, total: 100, meta: map[string]string{"dcterms.type": "Nieuwsbericht"}}, KindNews},
		{"news section itself", kindInput{title: "Nieuws", sections: intro, total: 100, url: &url.URL{Path: "/nieuws"}}, KindOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decideKind(tc.in); got != tc.want {
				t.Errorf("kind %q, want %q", got, tc.want)
			}
		})
	}
}
