package extract

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// pages are the test pages with the text each must contain and the chrome it must not.
var pages = []struct {
	file    string
	base    string
	want    []string
	notWant []string
}{
	{
		file: "rijksoverheid.html",
		base: "https://www.rijksoverheid.nl/onderwerpen/huurtoeslag/vraag-en-antwoord/wanneer-recht-op-huurtoeslag",
		want: []string{
			"zelfstandige huurwoning huurt", "- U bent 18 jaar of ouder.", "Situatie: Met toeslagpartner; Maximaal vermogen: € 76.958",
			"Vermogensgrenzen huurtoeslag 2026", "online via Mijn toeslagen", "binnen 4 weken door",
		},
		notWant: []string{
			"cookie", "Hoofdmenu", "Onderwerpen", "U bent hier", "Zie ook", "Hoeveel huurtoeslag krijg ik",
			"Deel deze pagina", "LinkedIn", "nuttig", "Privacy", "Dit is een website", "externe link", "Direct naar inhoud", "Zoeken",
		},
	},
	{
		file: "gemeente-zonder-main.html",
		base: "https://www.zuiderveen.nl/parkeren/parkeervergunning-bewoners",
		want: []string{
			"Woont u in het centrum", "- de auto op uw naam staat", "Vergunning: Tweede vergunning; Kosten per jaar: € 192,00",
			"Per adres geven we maximaal 2 vergunningen uit", "Bel dan met het Klantcontactcentrum",
		},
		notWant: []string{
			"Afval", "Verhuizen", "English", "U bent hier", "Laatst gewijzigd", "Facebook", "Deel deze pagina",
			"Postbus", "Disclaimer", "cookies", "Cookies accepteren",
		},
	},
	{
		file: "gemeente-modern.html",
		base: "https://www.westerhaven.nl/afval/grofvuil",
		want: []string{
			"Bekijk op welke dagen", "Breng uw afval gratis naar de milieustraat", "Kosten: Gratis tot 2 m³ per keer",
			"Mag ik een matras bij het grofvuil zetten?", "Verpak het matras in plastic",
			"Mag ik asbest meegeven?", "dubbel plastic",
		},
		notWant: []string{
			"Cookies", "accepteren", "Menu", "Naar de inhoud", "Werk en inkomen", "Laatst bijgewerkt",
			"gevonden wat u zocht", "Bel 14 0999", "Over deze site",
		},
	},
	{
		file: "slordig.html",
		base: "http://www.oud-dorp.nl/hondenbelasting.htm",
		want: []string{
			"Dan betaalt u hondenbelasting.", "ouder zijn dan 3 maanden.\n\nVoor een hulphond",
			"- Eerste hond: € 84,60 per jaar", "- Kennel: € 338,40 per jaar", "te veel betaalde bedrag terug",
		},
		notWant: []string{"Belastingen", "Contact", "disclaimer", "Laatst gewijzigd"},
	},
	{
		file: "zonder-koppen.html",
		base: "https://www.lindenburg.nl/openingstijden",
		want: []string{
			"Marktplein 1 is op werkdagen open", "Zonder afspraak kunnen we u niet helpen", "sluiten we om 15.00 uur",
		},
		notWant: []string{"Inwoners", "Ondernemers", "Privacy", "Cookies", "Bijgewerkt"},
	},
	{
		file: "lange-pagina.html",
		base: "https://www.noorderbroek.nl/werk-en-inkomen/bijstand",
		want: []string{
			"Bijstand is een uitkering voor mensen", "kostendelersnorm", "AOW-leeftijd nog niet bereikt",
			"Woonsituatie: Gehuwden of samenwonenden; 21 jaar tot AOW-leeftijd: € 2.002,16",
			"1. Meld u aan via het digitaal loket", "4. Binnen 8 weken", "een boete opleggen.", "Bel het Werkplein",
		},
		notWant: []string{"Werk en inkomen"},
	},
}

func extractFile(t testing.TB, file, base string) *Page {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Extract(bytes.NewReader(data), u, Options{})
	if err != nil {
		t.Fatalf("Extract(%s): %v", file, err)
	}
	return p
}

func TestGolden(t *testing.T) {
	for _, tc := range pages {
		t.Run(tc.file, func(t *testing.T) {
			p := extractFile(t, tc.file, tc.base)
			got := render(p, Split(p, ChunkOptions{}))
			golden := filepath.Join("testdata", strings.TrimSuffix(tc.file, ".html")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the extraction (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}

func TestContent(t *testing.T) {
	for _, tc := range pages {
		t.Run(tc.file, func(t *testing.T) {
			p := extractFile(t, tc.file, tc.base)
			text := p.Text()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			body := strings.TrimPrefix(text, "# "+p.Title+"\n")
			for _, w := range tc.notWant {
				if strings.Contains(strings.ToLower(body), strings.ToLower(w)) {
					t.Errorf("text holds chrome %q", w)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", text)
			}
		})
	}
}

// render writes a page and its chunks as readable text for the golden files.
func render(p *Page, chunks []Chunk) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\n", p.Title)
	fmt.Fprintf(&b, "canonical: %s\n", p.Canonical)
	modified := ""
	if !p.Modified.IsZero() {
		modified = p.Modified.Format(time.RFC3339)
	}
	fmt.Fprintf(&b, "modified: %s\n", modified)
	fmt.Fprintf(&b, "lang: %s\n", p.Lang)
	fmt.Fprintf(&b, "noindex: %t, nofollow: %t\n", p.NoIndex, p.NoFollow)
	fmt.Fprintf(&b, "kind: %s\n", p.Kind)
	fmt.Fprintf(&b, "links: %d\n", len(p.Links))
	fmt.Fprintf(&b, "sections: %d, chunks: %d\n", len(p.Sections), len(chunks))
	for _, c := range chunks {
		lead := ""
		if c.Lead {
			lead = " lead"
		}
		fmt.Fprintf(&b, "\n=== chunk %d [%s] #%s (%d chars, %d words)%s\n", c.Ord, strings.Join(c.Headings, " > "), c.Anchor,
			utf8.RuneCountInString(c.Text), len(strings.Fields(c.Text)), lead)
		b.WriteString(c.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func TestOptions(t *testing.T) {
	const page = `<html><body><div class="wrap"><div class="promo"><p>Actie: deze week gratis grofvuil ophalen in de hele gemeente, meld u snel aan.</p></div>
<div class="tekst"><p>Paspoort aanvragen doet u in persoon bij de balie van het stadskantoor.</p></div></div></body></html>`
	tests := []struct {
		name    string
		opts    Options
		want    string
		notWant string
	}{
		{"generic", Options{}, "Paspoort aanvragen", ""},
		{"main", Options{Main: ".tekst"}, "Paspoort aanvragen", "grofvuil"},
		{"main without match", Options{Main: "#bestaat-niet"}, "Paspoort aanvragen", ""},
		{"drop", Options{Drop: []string{".promo"}}, "Paspoort aanvragen", "grofvuil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(strings.NewReader(page), nil, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			text := p.Text()
			if !strings.Contains(text, tc.want) {
				t.Errorf("text lacks %q:\n%s", tc.want, text)
			}
			if tc.notWant != "" && strings.Contains(text, tc.notWant) {
				t.Errorf("text holds %q:\n%s", tc.notWant, text)
			}
		})
	}
}

func TestInvalidSelector(t *testing.T) {
	for _, opts := range []Options{{Main: "div[["}, {Drop: []string{".ok", "::"}}} {
		_, err := Extract(strings.NewReader("<p>tekst</p>"), nil, opts)
		if err == nil || !strings.Contains(err.Error(), "selector") {
			t.Errorf("Extract with %+v: err = %v, want a selector error", opts, err)
		}
	}
}

func TestNoContent(t *testing.T) {
	tests := []struct {
		name      string
		page      string
		wantLinks int
	}{
		{"empty", "", 0},
		{"whitespace", " \n\t ", 0},
		{"only chrome", `<nav><a href="/a">A</a><a href="/b">B</a></nav><footer>Gemeente</footer>`, 2},
		{"only script", `<html><head><title>App</title><script>render()</script></head><body><div id="app"></div></body></html>`, 0},
		{"binary", "\x00\x01\x02\xff\xfe", 0},
	}
	base, _ := url.Parse("https://www.example.nl/")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(strings.NewReader(tc.page), base, Options{})
			if !errors.Is(err, ErrNoContent) {
				t.Fatalf("err = %v, want ErrNoContent", err)
			}
			if p == nil {
				t.Fatal("no page returned with ErrNoContent")
			}
			if len(p.Links) != tc.wantLinks {
				t.Errorf("links = %v, want %d", p.Links, tc.wantLinks)
			}
		})
	}
}

func TestSloppy(t *testing.T) {
	tests := []struct {
		name, page, title, text string
	}{
		{"text only", "Gewoon wat tekst zonder tags.", "", "Gewoon wat tekst zonder tags."},
		{"unclosed", "<title>Zwemmen</title><div><p>Het zwembad is open<p>De sauna is dicht", "Zwemmen",
			"Het zwembad is open\n\nDe sauna is dicht"},
		{"stray end tags", "</div></p><h1>Titel</h1></span><p>Tekst</b> hier</p></html></html>", "Titel", "Tekst hier"},
		{"entities", "<p>Caf&eacute; &amp; terras &ndash; vergunning&nbsp;nodig &#8364;&#xa0;25</p>", "",
			"Café & terras – vergunning nodig € 25"},
		{"heading only", "<h1>Alleen een titel</h1>", "Alleen een titel", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(strings.NewReader(tc.page), nil, Options{})
			if tc.text == "" {
				if !errors.Is(err, ErrNoContent) {
					t.Fatalf("err = %v, want ErrNoContent", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.title {
				t.Errorf("title = %q, want %q", p.Title, tc.title)
			}
			if len(p.Sections) > 0 && p.Sections[0].Text != tc.text {
				t.Errorf("text = %q, want %q", p.Sections[0].Text, tc.text)
			}
		})
	}
}

func TestCharset(t *testing.T) {
	page := []byte("<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><p>Re\xfcnie \x80 10</p></body></html>")
	p, err := Extract(bytes.NewReader(page), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Café" || p.Sections[0].Text != "Reünie € 10" {
		t.Errorf("title %q, text %q: want Café, Reünie € 10", p.Title, p.Sections[0].Text)
	}
}

func TestSections(t *testing.T) {
	const page = `<main><h1>Titel</h1><p>Inleiding.</p>
<h2 id="a">Eerste</h2><p>Een.</p>
<h3><a name="a1"></a>Sub</h3><p>Een-een.</p>
<a id="b"></a><h2>Tweede</h2><p>Twee.</p>
<section id="c"><h2>Derde</h2><p>Drie.</p></section>
<h2>Vierde</h2><p>Vier.</p>
<h2>Leeg</h2>
<h4>Diep</h4><p>Diep.</p></main>`
	p, err := Extract(strings.NewReader(page), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{
		{nil, "", "Inleiding."},
		{[]string{"Eerste"}, "a", "Een."},
		{[]string{"Eerste", "Sub"}, "a1", "Een-een."},
		{[]string{"Tweede"}, "b", "Twee."},
		{[]string{"Derde"}, "c", "Drie."},
		{[]string{"Vierde"}, "", "Vier."},
		{[]string{"Leeg", "Diep"}, "", "Diep."},
	}
	if fmt.Sprintf("%q", p.Sections) != fmt.Sprintf("%q", want) {
		t.Errorf("sections\n got %q\nwant %q", p.Sections, want)
	}
	const text = "# Titel\n\nInleiding.\n\n## Eerste\n\nEen.\n\n### Sub\n\nEen-een.\n\n## Tweede\n\nTwee.\n\n## Derde\n\nDrie.\n\n## Vierde\n\nVier.\n\n## Leeg\n\n### Diep\n\nDiep.\n"
	if got := p.Text(); got != text {
		t.Errorf("Text() =\n%s\nwant\n%s", got, text)
	}
}

func TestTitle(t *testing.T) {
	tests := []struct {
		name, head, body, want string
	}{
		{"h1", "<title>Iets anders | Site</title>", "<main><h1>Paspoort aanvragen</h1><p>x</p></main>", "Paspoort aanvragen"},
		{"pipe suffix", "<title>Paspoort aanvragen | Rijksoverheid.nl</title>", "<p>x</p>", "Paspoort aanvragen"},
		{"gemeente suffix", "<title>Paspoort aanvragen - Gemeente Utrecht</title>", "<p>x</p>", "Paspoort aanvragen"},
		{"dash in title", "<title>Wonen - huren of kopen</title>", "<p>x</p>", "Wonen - huren of kopen"},
		{"site name", `<title>Afval – Westerhaven</title><meta property="og:site_name" content="Westerhaven">`, "<p>x</p>", "Afval"},
		{"logo h1", "<title>Afval | Gemeente X</title>", `<header><h1><a href="/">Gemeente X</a></h1></header><div><p>x</p></div>`, "Afval"},
		{"h1 in main wins", "", `<div><h1>Gemeente X</h1></div><main><h1>Parkeren</h1><p>x</p></main>`, "Parkeren"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Extract(strings.NewReader("<html><head>"+tc.head+"</head><body>"+tc.body+"</body></html>"), nil, Options{})
			if p.Title != tc.want {
				t.Errorf("title = %q, want %q", p.Title, tc.want)
			}
		})
	}
}

func TestModified(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, page string
		want       time.Time
	}{
		{"dcterms", `<meta name="DCTERMS.modified" content="2026-03-14"><p>x</p>`, day(2026, 3, 14)},
		{"article", `<meta property="article:modified_time" content="2026-03-14T09:30:00Z"><p>x</p>`, time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)},
		{"json-ld", `<script type="application/ld+json">{"dateModified": "2026-02-01"}</script><p>x</p>`, day(2026, 2, 1)},
		{"laatst gewijzigd", `<p>Tekst.</p><p>Laatst gewijzigd: 3 september 2026</p>`, day(2026, 9, 3)},
		{"gewijzigd op", `<p>Tekst.</p><p>Laatst gewijzigd op 14 oktober 2026</p>`, day(2026, 10, 14)},
		{"bijgewerkt numeric", `<p>Tekst.</p><p>Bijgewerkt op 12-09-2026</p>`, day(2026, 9, 12)},
		{"in footer", `<p>Tekst.</p><footer>Pagina laatst gewijzigd op 1 mei 2026</footer>`, day(2026, 5, 1)},
		{"time with context", `<p>Tekst.</p><p>Laatst bijgewerkt: <time datetime="2026-08-21T10:15:00Z">21 augustus</time></p>`, time.Date(2026, 8, 21, 10, 15, 0, 0, time.UTC)},
		{"single time", `<p>Gepubliceerd <time datetime="2026-01-05">5 januari</time>. Tekst.</p>`, day(2026, 1, 5)},
		{"several times", `<p><time datetime="2026-01-05">5 jan</time> en <time datetime="2026-02-05">5 feb</time></p>`, time.Time{}},
		{"date in prose", `<p>De regels zijn aangepast op 1 januari 2026 omdat de wet veranderde en dit is een lange zin die doorgaat.</p>`, time.Time{}},
		{"meta first", `<meta name="DCTERMS.modified" content="2026-03-14"><p>Laatst gewijzigd: 3 september 2026</p>`, day(2026, 3, 14)},
		{"invalid meta", `<meta name="DCTERMS.modified" content="gisteren"><p>Tekst.</p>`, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Extract(strings.NewReader(tc.page), nil, Options{})
			if !p.Modified.Equal(tc.want) {
				t.Errorf("modified = %v, want %v", p.Modified, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-09-03", day(2026, 9, 3), true},
		{"2026-09-03T14:05:00+02:00", time.Date(2026, 9, 3, 12, 5, 0, 0, time.UTC), true},
		{"2026-09-03T14:05:00.123Z", time.Date(2026, 9, 3, 14, 5, 0, 123e6, time.UTC), true},
		{"2026-09-03T14:05:00", time.Date(2026, 9, 3, 14, 5, 0, 0, time.UTC), true},
		{"2026-09-03T14:05:00+0200", time.Date(2026, 9, 3, 12, 5, 0, 0, time.UTC), true},
		{"Thu, 03 Sep 2026 14:05:00 GMT", time.Date(2026, 9, 3, 14, 5, 0, 0, time.UTC), true},
		{"3 september 2026", day(2026, 9, 3), true},
		{"03 September 2026", day(2026, 9, 3), true},
		{"14 okt. 2026", day(2026, 10, 14), true},
		{"1 mrt 2026", day(2026, 3, 1), true},
		{"dinsdag 3 sept. 2026", day(2026, 9, 3), true},
		{"12-09-2026", day(2026, 9, 12), true},
		{"12/9/2026", day(2026, 9, 12), true},
		{"12.09.2026", day(2026, 9, 12), true},
		{"31 februari 2026", time.Time{}, false},
		{"3 brumaire 2026", time.Time{}, false},
		{"32-01-2026", time.Time{}, false},
		{"0001-01-01", time.Time{}, false},
		{"", time.Time{}, false},
		{"onbekend", time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseDate(tc.in)
			if ok != tc.ok || ok && !got.Equal(tc.want) {
				t.Errorf("parseDate(%q) = %v, %t; want %v, %t", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestModifiedFromText(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Laatst gewijzigd: 3 september 2026", "2026-09-03"},
		{"Laatst gewijzigd op 14 oktober 2026", "2026-10-14"},
		{"Bijgewerkt op 12-09-2026", "2026-09-12"},
		{"Laatste wijziging: dinsdag 3 maart 2026 | 10:32", "2026-03-03"},
		{"Deze pagina is voor het laatst aangepast op 2 juni 2026.", "2026-06-02"},
		{"Gepubliceerd op 1 mei 2025, laatst gewijzigd op 9 mei 2026", "2026-05-09"},
		{"Last updated 5 March 2026", "2026-03-05"},
		{"Gewijzigd in 2024: de regels voor 12 maanden", ""},
		{"Geen datum hier", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := modifiedFromText(tc.in)
			s := ""
			if ok {
				s = got.Format(time.DateOnly)
			}
			if s != tc.want {
				t.Errorf("modifiedFromText(%q) = %q, want %q", tc.in, s, tc.want)
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	base, _ := url.Parse("https://www.gemeente.nl/wonen/parkeren?x=1")
	tests := []struct {
		name, head string
		base       *url.URL
		want       string
	}{
		{"relative", `<link rel="canonical" href="/parkeren/vergunning">`, base, "https://www.gemeente.nl/parkeren/vergunning"},
		{"relative path", `<link rel="canonical" href="vergunning">`, base, "https://www.gemeente.nl/wonen/vergunning"},
		{"absolute", `<link rel="canonical" href="https://WWW.Gemeente.nl/a?b=c#top">`, base, "https://www.gemeente.nl/a?b=c"},
		{"protocol relative", `<link rel="canonical" href="//www.gemeente.nl/a">`, base, "https://www.gemeente.nl/a"},
		{"base href", `<base href="https://cdn.gemeente.nl/site/"><link rel="canonical" href="a">`, base, "https://cdn.gemeente.nl/site/a"},
		{"rel tokens", `<link rel="alternate Canonical" href="/a">`, base, "https://www.gemeente.nl/a"},
		{"missing", `<link rel="alternate" href="/en">`, base, ""},
		{"empty", `<link rel="canonical" href="">`, base, ""},
		{"mailto", `<link rel="canonical" href="mailto:info@gemeente.nl">`, base, ""},
		{"ftp", `<link rel="canonical" href="ftp://gemeente.nl/a">`, base, ""},
		{"invalid", `<link rel="canonical" href="http://[::1">`, base, ""},
		{"relative without base", `<link rel="canonical" href="/a">`, nil, ""},
		{"absolute without base", `<link rel="canonical" href="http://gemeente.nl/a">`, nil, "http://gemeente.nl/a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Extract(strings.NewReader("<head>"+tc.head+"</head><p>x</p>"), tc.base, Options{})
			if p.Canonical != tc.want {
				t.Errorf("canonical = %q, want %q", p.Canonical, tc.want)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	base, _ := url.Parse("https://www.gemeente.nl/wonen/")
	tests := []struct {
		name, page string
		want       []string
	}{
		{"resolved and ordered", `<nav><a href="/a">A</a></nav><p><a href="b">B</a> <a href="https://andere.nl/c">C</a></p><footer><a href="../d">D</a></footer>`,
			[]string{"https://www.gemeente.nl/a", "https://www.gemeente.nl/wonen/b", "https://andere.nl/c", "https://www.gemeente.nl/d"}},
		{"fragments and duplicates", `<a href="/a#x">1</a><a href="/a">2</a><a href="#top">3</a><a href="/a#y">4</a>`,
			[]string{"https://www.gemeente.nl/a"}},
		{"schemes", `<a href="mailto:a@b.nl">m</a><a href="tel:14020">t</a><a href="javascript:void(0)">j</a><a href="ftp://x.nl/f">f</a><a href=" /ok ">ok</a>`,
			[]string{"https://www.gemeente.nl/ok"}},
		{"nofollow link", `<a href="/a" rel="nofollow">A</a><a href="/b" rel="noopener NoFollow">B</a><a href="/c" rel="noopener">C</a>`,
			[]string{"https://www.gemeente.nl/c"}},
		{"nofollow page", `<meta name="robots" content="noindex,nofollow"><a href="/a">A</a>`, nil},
		{"hidden and chrome links count", `<div hidden><a href="/verborgen">v</a></div><div class="cookie"><a href="/cookies">c</a></div>`,
			[]string{"https://www.gemeente.nl/verborgen", "https://www.gemeente.nl/cookies"}},
		{"base href", `<base href="/andere/"><a href="x">x</a>`, []string{"https://www.gemeente.nl/andere/x"}},
		{"host case", `<a href="HTTPS://WWW.Gemeente.NL/Pad">x</a>`, []string{"https://www.gemeente.nl/Pad"}},
		{"no href", `<a name="anker">x</a><a href="">leeg</a>`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Extract(strings.NewReader(tc.page), base, Options{})
			if fmt.Sprint(p.Links) != fmt.Sprint(tc.want) {
				t.Errorf("links\n got %v\nwant %v", p.Links, tc.want)
			}
		})
	}
}

func TestRobots(t *testing.T) {
	tests := []struct {
		content           string
		noIndex, noFollow bool
	}{
		{"index, follow", false, false},
		{"noindex", true, false},
		{"NOINDEX, NOFOLLOW", true, true},
		{"nofollow", false, true},
		{"none", true, true},
		{"max-snippet:-1, noindex", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.content, func(t *testing.T) {
			p, _ := Extract(strings.NewReader(`<meta name="Robots" content="`+tc.content+`"><p>x</p>`), nil, Options{})
			if p.NoIndex != tc.noIndex || p.NoFollow != tc.noFollow {
				t.Errorf("noindex %t nofollow %t, want %t %t", p.NoIndex, p.NoFollow, tc.noIndex, tc.noFollow)
			}
		})
	}
}

func TestChrome(t *testing.T) {
	tests := []struct {
		name, page, want, notWant string
	}{
		{"header in article keeps h1 and lead", `<article><header><h1>Titel</h1><p>Inleiding van het artikel.</p></header><p>Tekst.</p></article>`,
			"Inleiding van het artikel.", ""},
		{"aside with text stays", `<main><h1>T</h1><p>Tekst.</p><aside><p>Let op: de balie is op maandag gesloten.</p></aside></main>`,
			"Let op: de balie is op maandag gesloten.", ""},
		{"aside with links goes", `<main><h1>T</h1><p>Tekst.</p><aside><h2>Meer</h2><ul><li><a href="/a">Andere pagina</a></li></ul></aside></main>`,
			"Tekst.", "Andere pagina"},
		{"accordion panel stays", `<main><h1>T</h1><h2><button aria-controls="p1">Vraag?</button></h2><div id="p1" hidden><p>Antwoord.</p></div></main>`,
			"## Vraag?\n\nAntwoord.", ""},
		{"hidden goes", `<main><h1>T</h1><p>Tekst.</p><p hidden>Verborgen.</p><p aria-hidden="true">Ook.</p><p style="display: none">Weg.</p></main>`,
			"Tekst.", "erborgen"},
		{"aspnet form wrapper stays", `<form id="aspnetForm"><div id="content"><h1>T</h1><p>Tekst in een formulier.</p></div></form>`,
			"Tekst in een formulier.", ""},
		{"wrapper with chrome class stays", `<div class="has-sidebar page-sidebar-layout"><p>Een lange tekst zonder kop die de hele pagina is.</p></div><div class="sidebar"><p>Kort.</p></div>`,
			"Een lange tekst zonder kop", "Kort."},
		{"zie ook without markup", `<main><h1>T</h1><p>Tekst.</p><h2>Zie ook</h2><ul><li><a href="/a">Iets anders</a></li></ul></main>`,
			"Tekst.", "Iets anders"},
		{"feedback paragraph", `<main><h1>T</h1><p>Tekst.</p><p>Was deze informatie nuttig?</p></main>`, "Tekst.", "nuttig"},
		{"sr-only in link", `<main><p>Lees de <a href="/a">voorwaarden<span class="sr-only"> (opent in nieuw venster)</span></a>.</p></main>`,
			"Lees de voorwaarden.", "venster"},
		{"table of contents", `<main><h1>T</h1><ul class="links"><li><a href="#a">Eerste</a></li><li><a href="#b">Tweede</a></li></ul><h2 id="a">Eerste</h2><p>Een.</p></main>`,
			"## Eerste\n\nEen.", "- Eerste"},
		{"plain button", `<main><p>Tekst.</p><button>Print</button></main>`, "Tekst.", "Print"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(strings.NewReader(tc.page), nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			text := p.Text()
			if !strings.Contains(text, tc.want) {
				t.Errorf("text lacks %q:\n%s", tc.want, text)
			}
			if tc.notWant != "" && strings.Contains(text, tc.notWant) {
				t.Errorf("text holds %q:\n%s", tc.notWant, text)
			}
		})
	}
}

func TestBlocks(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"nested list", `<ul><li>Een<ul><li>Een-a</li></ul></li><li>Twee</li></ul>`, "- Een\n  - Een-a\n- Twee"},
		{"ordered list", `<ol start="3"><li>Drie</li><li><p>Vier</p></li></ol>`, "3. Drie\n4. Vier"},
		{"table row headers", `<table><tr><th>Adres</th><td>Markt 1</td></tr><tr><th>Open</th><td>ma</td><td>di</td></tr></table>`,
			"Adres: Markt 1\nOpen: ma; di"},
		{"table without header", `<table><tr><td>a</td><td>b</td></tr></table>`, "a; b"},
		{"layout table", `<table><tr><td><h2>Kop</h2><p>Tekst.</p></td></tr></table>`, "## Kop\n\nTekst."},
		{"definition list", `<dl><dt>Kosten</dt><dd>€ 10</dd><dd>per jaar</dd><dt>Duur</dt><dd>1 week</dd></dl>`,
			"Kosten: € 10; per jaar\nDuur: 1 week"},
		{"details", `<details><summary>Vraag?</summary><p>Antwoord een.</p><p>Antwoord twee.</p></details>`,
			"Vraag?\n\nAntwoord een.\n\nAntwoord twee."},
		{"line breaks", `<p>Postbus 1<br>1000 AA Amsterdam</p>`, "Postbus 1\n1000 AA Amsterdam"},
		{"inline spacing", `<p><b>Let</b> <i>op</i>: tekst<span>aan</span>elkaar</p>`, "Let op: tekstaanelkaar"},
		{"soft hyphen and nbsp", "<p>be\u00adlasting\u00a0en\u200bzo</p>", "belasting enzo"},
		{"pre", "<pre>regel 1\n  regel 2\n</pre>", "regel 1\n  regel 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract(strings.NewReader(tc.page), nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(p.Text()); got != tc.want {
				t.Errorf("text\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func BenchmarkExtractSplit(b *testing.B) {
	page := benchPage(b)
	base, _ := url.Parse("https://www.rijksoverheid.nl/onderwerpen/huurtoeslag")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Extract(bytes.NewReader(page), base, Options{})
		if err != nil {
			b.Fatal(err)
		}
		Split(p, ChunkOptions{})
	}
}

// benchPage builds a page of about 50 KB in the shape of a real official page: a head with
// inline script and style, a large menu, the long test page's content and a footer.
func benchPage(b *testing.B) []byte {
	b.Helper()
	content, err := os.ReadFile(filepath.Join("testdata", "lange-pagina.html"))
	if err != nil {
		b.Fatal(err)
	}
	var menu, footer strings.Builder
	for i := range 300 {
		fmt.Fprintf(&menu, `<li class="menu__item"><a class="menu__link" href="/onderwerpen/onderwerp-%d">Onderwerp nummer %d</a></li>`+"\n", i, i)
	}
	for i := range 60 {
		fmt.Fprintf(&footer, `<li><a href="/over/pagina-%d">Over ons pagina %d</a></li>`+"\n", i, i)
	}
	script := "<script>" + strings.Repeat("window.dataLayer.push({event:'page', value: 42});\n", 120) + "</script>"
	page := strings.Replace(string(content), "</head>", script+"</head>", 1)
	page = strings.Replace(page, "<header>", `<header><nav class="mainmenu"><ul>`+menu.String()+"</ul></nav>", 1)
	page = strings.Replace(page, "</footer>", "<ul>"+footer.String()+"</ul></footer>", 1)
	return []byte(page)
}
