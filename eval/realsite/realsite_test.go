package realsite_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
	"github.com/vraagbaak/vraagbaak/eval/realsite"
	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// writeCorpus writes a tiny corpus in the formats of the shared corpus, with text
// invented for the test: three questions on two subjects and two Amsterdam pages.
func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	type para struct {
		Title     string `json:"paragraphtitle"`
		Paragraph string `json:"paragraph"`
	}
	item := func(file, canonical, question, intro string, content ...para) {
		data, err := json.Marshal(map[string]any{
			"id": file, "type": "vraag en antwoord", "canonical": canonical, "question": question,
			"introduction": intro, "content": content, "authorities": []string{"Ministerie van Voorbeeldzaken"},
			"subjects": []string{"Fietsen"}, "lastmodified": "2025-03-04T10:00:00.000Z",
		})
		if err != nil {
			t.Fatal(err)
		}
		write(file, data)
	}
	ro := "https://www.rijksoverheid.nl/onderwerpen/"
	item("govbench-rijksoverheid-vac/cache_vacs_bzk/a.json", ro+"fietsbel/vraag-en-antwoord/hoe-hard-mag-mijn-fietsbel",
		"Hoe hard mag mijn fietsbel klinken?",
		`<p>Een fietsbel mag niet harder klinken dan 87 decibel.<script>alert(1)</script></p>`,
		para{"Meten", `<p>De gemeente meet het geluid op 2 meter afstand. Lees ook <a href="` + ro + `fietsbel/vraag-en-antwoord/welke-kleur-fietsbel" onclick="x()">welke kleur</a>.</p>`},
		para{"Boete", `<p>Een te harde bel kost een boete van € 45,50.</p>`})
	item("govbench-rijksoverheid-vac/cache_vacs_bzk/b.json", ro+"fietsbel/vraag-en-antwoord/welke-kleur-fietsbel",
		"Welke kleur moet mijn fietsbel hebben?",
		`<p>Een fietsbel mag elke kleur hebben, behalve knalroze met stippen.</p>`)
	item("govbench-rijksoverheid-vac/cache_vacs/c.json", ro+"zeepkist/vraag-en-antwoord/zeepkistrace-aanmelden",
		"Hoe meld ik mijn zeepkist aan voor de race?",
		`<p>U meldt een zeepkist uiterlijk 3 weken voor de race aan bij het zeepkistloket.</p>`)
	write("amsterdam-rag-belastingen/belastingen-heffingen_.txt", []byte(`[PAGE LINK: belastingen heffingen](https://www.amsterdam.nl/belastingen-heffingen/)

Gemeentebelastingen

Bewoners
[LINK: Hondenbelasting](https://www.amsterdam.nl/belastingen-heffingen/hondenbelasting/)
[LINK: Kattenbelasting](https://www.amsterdam.nl/veelgevraagd/kattenbelasting-123)
`))
	write("amsterdam-rag-belastingen/belastingen-heffingen_hondenbelasting_.txt", []byte(`[PAGE LINK: belastingen heffingen hondenbelasting](https://www.amsterdam.nl/belastingen-heffingen/hondenbelasting/)

Hondenbelasting

Lijst
Voor elke hond betaalt u ieder jaar hondenbelasting.
[LINK: Tarieven](#PagCls_1)

[LINK: Tarieven](#PagCls_1)
Dit zijn de tarieven:
Eerste hond: € 123,45
Tweede hond: € 234,56

Kwijtschelding
Met een laag inkomen kunt u kwijtschelding aanvragen. Kijk bij [LINK: Gemeentebelastingen](https://www.amsterdam.nl/belastingen-heffingen/) voor meer.
`))
	return dir
}

func serve(t *testing.T, c *realsite.Corpus) map[string]*httptest.Server {
	t.Helper()
	sites, err := c.Sites()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*httptest.Server{}
	for _, s := range sites {
		srv := httptest.NewServer(s.Handler)
		t.Cleanup(srv.Close)
		out[s.Name] = srv
	}
	return out
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u) //nolint:noctx // test server
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestLoadNoCorpus(t *testing.T) {
	t.Parallel()
	if _, err := realsite.Load(t.TempDir()); !errors.Is(err, realsite.ErrNoCorpus) {
		t.Errorf("Load of an empty directory: %v, want ErrNoCorpus", err)
	}
}

// The pages are served at their original paths, in the site's template with its clutter,
// sanitised, with links inside the corpus made local, robots.txt and a sitemap.
func TestPages(t *testing.T) {
	t.Parallel()
	c, err := realsite.Load(writeCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Questions) != 3 || len(c.Pages) != 2 {
		t.Fatalf("loaded %d questions and %d pages, want 3 and 2", len(c.Questions), len(c.Pages))
	}
	srv := serve(t, c)
	ro, ams := srv["rijksoverheid"].URL, srv["amsterdam"].URL
	q := "/onderwerpen/fietsbel/vraag-en-antwoord/hoe-hard-mag-mijn-fietsbel"
	tests := []struct {
		name, url string
		status    int
		want      []string
		not       []string
	}{
		{"question page", ro + q, 200, []string{
			"<h1>Hoe hard mag mijn fietsbel klinken?</h1>", "87 decibel", "<h2>Meten</h2>", "€ 45,50",
			`href="/onderwerpen/fietsbel/vraag-en-antwoord/welke-kleur-fietsbel"`, // related list and the in-text link, local
			"<h2>Vraag en antwoord</h2>", "<h2>Bekijk ook</h2>", `class="breadcrumbs"`, "Ga direct naar inhoud",
			"Heeft u gevonden wat u zocht?", "De Rijksoverheid. Voor Nederland", "Ministerie van Voorbeeldzaken",
			`<link rel="canonical" href="` + ro + q + `">`,
		}, []string{"<script>alert", "onclick", "zeepkist aan"}},
		{"subject overview", ro + "/onderwerpen/fietsbel", 200, []string{"Welke kleur moet mijn fietsbel hebben?", "Bekijk ook"}, []string{"87 decibel"}},
		{"question list", ro + "/onderwerpen/zeepkist/vraag-en-antwoord", 200, []string{"Hoe meld ik mijn zeepkist aan voor de race?"}, nil},
		{"all subjects", ro + "/onderwerpen", 200, []string{`href="/onderwerpen/zeepkist"`, "Fietsbel"}, nil},
		{"unknown page", ro + "/onderwerpen/bestaat-niet", 404, []string{"Pagina niet gevonden"}, nil},
		{"robots", ro + "/robots.txt", 200, []string{"Sitemap: " + ro + "/sitemap.xml", "Disallow: /zoeken"}, nil},
		{"sitemap", ro + "/sitemap.xml", 200, []string{"<loc>" + ro + q + "</loc>", "<lastmod>2025-03-04</lastmod>", "<loc>" + ro + "/onderwerpen/fietsbel</loc>"}, nil},
		{"amsterdam page", ams + "/belastingen-heffingen/hondenbelasting/", 200, []string{
			"<h1>Hondenbelasting</h1>", `<h2 id="PagCls_1">Tarieven</h2>`, "<li>Eerste hond: € 123,45</li>",
			"<h2>Kwijtschelding</h2>", `<a href="/belastingen-heffingen/">Gemeentebelastingen</a>`,
			`class="side-menu"`, "Gemeente Amsterdam", "14 020", `class="breadcrumb"`,
		}, []string{"[LINK:", "PAGE LINK", "<p>Lijst</p>"}},
		{"amsterdam overview", ams + "/belastingen-heffingen/", 200, []string{
			`<a href="/belastingen-heffingen/hondenbelasting/">Hondenbelasting</a>`,
			`<a href="https://www.amsterdam.nl/veelgevraagd/kattenbelasting-123">Kattenbelasting</a>`,
		}, nil},
		{"amsterdam sitemap", ams + "/sitemap.xml", 200, []string{"<loc>" + ams + "/belastingen-heffingen/hondenbelasting/</loc>"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, body := get(t, tc.url)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("page has %q", n)
				}
			}
		})
	}
}

// The generated sites, crawled by the real ingest into PostgreSQL: every question page
// is a document whose text is its answer, without the related questions, the link
// lists or the footer; the overview pages are followed but never searched nor cited.
func TestCrawl(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := realsite.Load(writeCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	sites, err := c.Sites()
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.New(t)
	store := retrieval.NewStore(db.Pool)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := ingest.DefaultConfig()
	cfg.Delay, cfg.PerHost = 0, 4
	vecs, err := ingest.BuiltinVectors(ctx, store, log)
	if err != nil {
		t.Fatal(err)
	}
	crawler := ingest.New(cfg, store, vecs.Embedder, log)
	bases := map[string]string{}
	for _, s := range sites {
		srv := httptest.NewServer(s.Handler)
		t.Cleanup(srv.Close)
		bases[s.Name] = srv.URL
		st, err := crawler.Crawl(ctx, ingest.Source{
			Name: s.Name, Scope: s.Scope, Municipality: s.Municipality,
			Start: []string{srv.URL + "/sitemap.xml"}, Allow: []string{srv.URL + "/"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.FailedTotal() != 0 {
			t.Errorf("%s: %s", s.Name, st)
		}
	}
	if _, err := vecs.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := store.RefreshTermStats(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT d.url, coalesce(string_agg(c.body, ' ' ORDER BY c.ord), '')
		FROM documents d LEFT JOIN chunks c ON c.document_id = d.id GROUP BY d.url`)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for rows.Next() {
		var u, text string
		if err := rows.Scan(&u, &text); err != nil {
			t.Fatal(err)
		}
		texts[u] = text
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	ro, ams := bases["rijksoverheid"], bases["amsterdam"]
	docs := []struct {
		url  string
		want []string
	}{
		{ro + "/onderwerpen/fietsbel/vraag-en-antwoord/hoe-hard-mag-mijn-fietsbel", []string{"87 decibel", "2 meter", "€ 45,50"}},
		{ro + "/onderwerpen/fietsbel/vraag-en-antwoord/welke-kleur-fietsbel", []string{"knalroze"}},
		{ro + "/onderwerpen/zeepkist/vraag-en-antwoord/zeepkistrace-aanmelden", []string{"3 weken"}},
		{ams + "/belastingen-heffingen/hondenbelasting/", []string{"€ 123,45", "laag inkomen"}},
	}
	chrome := []string{"Hoe meld ik", "Bekijk ook", "Alle onderwerpen", "Ga direct naar", "gevonden wat u zocht",
		"Voor Nederland", "14 020", "Cookies", "Volg de gemeente", "Informatie Rijksoverheid"}
	for _, d := range docs {
		text, ok := texts[d.url]
		if !ok {
			t.Errorf("%s was not stored", d.url)
			continue
		}
		for _, w := range d.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: text lacks %q: %q", d.url, w, text)
			}
		}
		for _, n := range chrome {
			if strings.Contains(text, n) {
				t.Errorf("%s: text has page chrome %q: %q", d.url, n, text)
			}
		}
	}
	// Overview pages are followed and stored as kind overview without chunks: search
	// never returns them, so no answer cites them; the question pages are question pages.
	kinds := map[string]string{}
	krows, err := db.Pool.Query(ctx, `SELECT url, kind FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	for krows.Next() {
		var u, k string
		if err := krows.Scan(&u, &k); err != nil {
			t.Fatal(err)
		}
		kinds[u] = k
	}
	if err := krows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, overview := range []string{ro + "/", ro + "/onderwerpen", ro + "/onderwerpen/fietsbel", ro + "/onderwerpen/fietsbel/vraag-en-antwoord", ams + "/", ams + "/belastingen-heffingen/"} {
		if k, ok := kinds[overview]; !ok || k != "overview" {
			t.Errorf("overview page %s stored as kind %q (stored: %t), want overview", overview, k, ok)
		}
		if text := texts[overview]; text != "" {
			t.Errorf("overview page %s has searchable text: %q", overview, text)
		}
	}
	for _, d := range docs[:3] {
		if kinds[d.url] != "question" {
			t.Errorf("%s stored as kind %q, want question", d.url, kinds[d.url])
		}
	}
	// Questions in the words of the overview pages (their titles and link texts): neither
	// search nor the answer, with the built-in embedder and answerer, ever names one.
	svc := answertest.ServiceOver(t, store, vecs.Embedder, nil, log)
	cited := 0
	for _, q := range []string{"fietsbel", "hoe hard mag mijn fietsbel klinken?", "welke kleur moet mijn fietsbel hebben",
		"hondenbelasting", "belastingen en heffingen", "zeepkistrace aanmelden", "vraag en antwoord over de fietsbel"} {
		for _, muni := range []string{"", "GM0363"} {
			hits, err := store.Search(ctx, vecs.Embedder, retrieval.Query{Text: q, Municipality: muni})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				if kinds[h.URL] == "overview" {
					t.Errorf("search %q returned overview page %s", q, h.URL)
				}
			}
			a, _, err := svc.Answer(ctx, answer.Request{Question: q, Municipality: muni}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range a.Citations {
				cited++
				u, _, _ := strings.Cut(c.URL, "#")
				if k, ok := kinds[u]; !ok || k == "overview" {
					t.Errorf("answer to %q cites %s (kind %q, stored %t): %q", q, c.URL, k, ok, a.Text)
				}
			}
		}
	}
	if cited == 0 {
		t.Error("no answer cited anything: the check above checked nothing")
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM documents WHERE url LIKE '%/vraag-en-antwoord/%'`).Scan(&n); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("%d question pages stored, want 3", n)
	}
}
