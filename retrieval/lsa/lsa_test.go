package lsa

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

func corpusTexts() []string {
	texts := make([]string, len(corpus))
	for i, p := range corpus {
		texts[i] = p.text
	}
	return texts
}

func fitCorpus(t testing.TB) *Model {
	t.Helper()
	m, err := Fit(corpusTexts(), Options{})
	if err != nil {
		t.Fatalf("Fit: %v", err)
	}
	return m
}

func embedAll(t testing.TB, m *Model, texts []string) [][]float32 {
	t.Helper()
	vecs, err := m.EmbedDocuments(context.Background(), texts)
	if err != nil {
		t.Fatalf("EmbedDocuments: %v", err)
	}
	return vecs
}

func embedQuery(t testing.TB, m *Model, q string) []float32 {
	t.Helper()
	v, err := m.EmbedQuery(context.Background(), q)
	if err != nil {
		t.Fatalf("EmbedQuery(%q): %v", q, err)
	}
	return v
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func passageIndex(t testing.TB, id string) int {
	t.Helper()
	i := slices.IndexFunc(corpus, func(p passage) bool { return p.id == id })
	if i < 0 {
		t.Fatalf("no passage %q", id)
	}
	return i
}

func TestRanking(t *testing.T) {
	m := fitCorpus(t)
	docs := embedAll(t, m, corpusTexts())
	for _, tc := range queries {
		t.Run(tc.query, func(t *testing.T) {
			want := passageIndex(t, tc.want)
			q := embedQuery(t, m, tc.query)
			best, bestScore := -1, math.Inf(-1)
			for i, d := range docs {
				if s := cosine(q, d); s > bestScore {
					best, bestScore = i, s
				}
			}
			if best != want {
				t.Errorf("top passage is %q (%.3f), want %q (%.3f)",
					corpus[best].id, bestScore, tc.want, cosine(q, docs[want]))
			}
		})
	}
}

func TestCompoundMeetsParts(t *testing.T) {
	m := fitCorpus(t)
	docs := embedAll(t, m, corpusTexts())
	tests := []struct {
		query   string
		related string
		// unrelated passages are all passages whose id does not contain
		// this topic.
		topic string
	}{
		{"toeslag voor kinderopvang", "kinderopvangtoeslag-aanvragen", "kinderopvang"},
		{"uitkering bijstand", "bijstand-aanvragen", "bijstand"},
		{"heffing voor afvalstoffen", "afvalstoffenheffing", "afval"},
		{"parkeerkaart voor gehandicapten", "gehandicaptenparkeerkaart", "parkeer"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q := embedQuery(t, m, tt.query)
			rel := cosine(q, docs[passageIndex(t, tt.related)])
			for i, p := range corpus {
				if strings.Contains(p.id, tt.topic) {
					continue
				}
				if s := cosine(q, docs[i]); s >= rel {
					t.Errorf("cosine with unrelated %q = %.3f >= %.3f with %q", p.id, s, rel, tt.related)
				}
			}
		})
	}
}

func TestTypoLandsNearWord(t *testing.T) {
	m := fitCorpus(t)
	tests := []struct {
		typo, word, other string
	}{
		{"paspoord", "paspoort", "rijbewijs"},
		{"kwijtscheling", "kwijtschelding", "betalingsregeling"},
		{"huurtoelsag", "huurtoeslag", "zorgtoeslag"},
		{"bijstant", "bijstand", "uitkering"},
	}
	for _, tt := range tests {
		t.Run(tt.typo, func(t *testing.T) {
			typo := embedQuery(t, m, tt.typo)
			near := cosine(typo, embedQuery(t, m, tt.word))
			far := cosine(typo, embedQuery(t, m, tt.other))
			if near <= far {
				t.Errorf("cosine(%q, %q) = %.3f <= cosine with %q = %.3f", tt.typo, tt.word, near, tt.other, far)
			}
		})
	}
}

func TestUnitVectors(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		opts  Options
	}{
		{"corpus", corpusTexts(), Options{}},
		{"small dim", corpusTexts(), Options{Dim: 64}},
		{"no latent part", corpusTexts(), Options{Dim: 64, LatentDim: -1}},
		{"one text", corpusTexts()[:1], Options{}},
		{"empty corpus", nil, Options{}},
		{"sampled corpus", corpusTexts(), Options{MaxFitTexts: 7}},
		{"widest latent part", corpusTexts(), Options{Dim: 64, LatentDim: 56}},
	}
	inputs := append(corpusTexts()[:5], "", "?!", "wie ben ik", "paspoord", "xyzzy onbekendwoord", "2026")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Fit(tt.texts, tt.opts)
			if err != nil {
				t.Fatalf("Fit: %v", err)
			}
			wantDim := cmpOr(tt.opts.Dim, 384)
			if m.Dim() != wantDim {
				t.Errorf("Dim() = %d, want %d", m.Dim(), wantDim)
			}
			for i, v := range embedAll(t, m, inputs) {
				if len(v) != wantDim {
					t.Fatalf("len(vector %d) = %d, want %d", i, len(v), wantDim)
				}
				if n := norm(v); math.Abs(n-1) > 1e-5 {
					t.Errorf("norm of vector for %q = %g, want 1", inputs[i], n)
				}
			}
		})
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func TestSmallCorporaStillMatch(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
	}{
		{"empty", nil},
		{"one text", []string{corpus[0].text}},
		{"three texts", corpusTexts()[:3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Fit(tt.texts, Options{})
			if err != nil {
				t.Fatalf("Fit: %v", err)
			}
			q := embedQuery(t, m, "paspoord kwijt")
			near := cosine(q, embedQuery(t, m, corpus[passageIndex(t, "paspoort-kwijt")].text))
			far := cosine(q, embedQuery(t, m, corpus[passageIndex(t, "grofvuil")].text))
			if near <= far {
				t.Errorf("cosine with paspoort passage %.3f <= with grofvuil passage %.3f", near, far)
			}
		})
	}
}

func TestEmptyText(t *testing.T) {
	m := fitCorpus(t)
	empty := embedQuery(t, m, "")
	tests := []struct {
		text      string
		sameAsNil bool
	}{
		{"   ", true},
		{"?! -- ...", true},
		{"wie ben ik", false},
		{"paspoort", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			v := embedQuery(t, m, tt.text)
			if same := slices.Equal(v, empty); same != tt.sameAsNil {
				t.Errorf("vector equals the empty text's: %v, want %v", same, tt.sameAsNil)
			}
		})
	}
	// The empty vector is close to no passage.
	for i, d := range embedAll(t, m, corpusTexts()) {
		if s := cosine(empty, d); math.Abs(s) > 0.3 {
			t.Errorf("cosine(empty, %q) = %.3f, want near 0", corpus[i].id, s)
		}
	}
}

func TestDeterminism(t *testing.T) {
	texts := corpusTexts()
	a, err := Fit(texts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A different number of CPUs must not change the model.
	prev := runtime.GOMAXPROCS(1)
	b, err := Fit(texts, Options{})
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := a.MarshalBinary()
	bb, _ := b.MarshalBinary()
	if !bytes.Equal(ab, bb) {
		t.Fatal("two fits of the same texts serialize differently")
	}
	if a.Fingerprint() != b.Fingerprint() || len(a.Fingerprint()) != 16 {
		t.Errorf("fingerprints %q and %q, want equal, 16 hex digits", a.Fingerprint(), b.Fingerprint())
	}
	va, vb := embedAll(t, a, texts), embedAll(t, b, texts)
	for i := range va {
		if !slices.Equal(va[i], vb[i]) {
			t.Fatalf("vector %d differs between fits", i)
		}
	}
	c, err := Fit(texts[1:], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Fingerprint() == a.Fingerprint() {
		t.Error("different corpora give the same fingerprint")
	}
}

func TestMarshalLoad(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
	}{
		{"corpus", corpusTexts()},
		{"one text", corpusTexts()[:1]},
		{"empty", nil},
	}
	probe := append(corpusTexts(), "", "toeslag voor kinderopvang", "paspoord")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Fit(tt.texts, Options{})
			if err != nil {
				t.Fatal(err)
			}
			data, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			l, err := Load(data)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if l.Fingerprint() != m.Fingerprint() || l.Dim() != m.Dim() {
				t.Errorf("loaded model %s/%d, want %s/%d", l.Fingerprint(), l.Dim(), m.Fingerprint(), m.Dim())
			}
			want, got := embedAll(t, m, probe), embedAll(t, l, probe)
			for i := range want {
				if !slices.Equal(want[i], got[i]) {
					t.Fatalf("vector for %q differs after Load", probe[i])
				}
			}
		})
	}
}

func TestLoadCorrupt(t *testing.T) {
	m := fitCorpus(t)
	good, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// resum returns b with a valid checksum, to reach the checks after it.
	resum := func(b []byte) []byte {
		b = slices.Clone(b)
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		return b
	}
	edit := func(off int, v uint32) []byte {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint32(b[off:], v)
		return resum(b)
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	tests := []struct {
		name string
		data []byte
	}{
		{"nil", nil},
		{"garbage", []byte("this is not a model at all, not even close")},
		{"magic only", []byte(magic)},
		{"truncated header", good[:40]},
		{"truncated body", good[:len(good)-100]},
		{"flipped bit", flipped},
		{"future version", edit(8, 99)},
		{"huge dim", edit(12, 1<<30)},
		{"latent dim too large", edit(16, 384)},
		{"vocabulary size mismatch", edit(68, uint32(len(m.hashes)+1))},
		{"trailing bytes", resum(append(slices.Clone(good), 0, 0, 0, 0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Load(tt.data)
			if err == nil || l != nil {
				t.Fatalf("Load = %v, %v; want an error", l, err)
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v does not wrap ErrCorrupt", err)
			}
		})
	}
}

func TestFitOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"dim too small", Options{Dim: 4}},
		{"latent dim equals dim", Options{Dim: 64, LatentDim: 64}},
		{"hashed part too small", Options{Dim: 64, LatentDim: 60}},
		{"dim too large", Options{Dim: 1 << 20}},
		{"negative max fit texts", Options{MaxFitTexts: -1}},
		{"negative max features", Options{MaxFeatures: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Fit(corpusTexts(), tt.opts); err == nil {
				t.Error("Fit succeeded, want an error")
			}
		})
	}
}

func TestEmbedDocumentsCancelled(t *testing.T) {
	m := fitCorpus(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	texts := generateCorpus(500, 50)
	if _, err := m.EmbedDocuments(ctx, texts); !errors.Is(err, context.Canceled) {
		t.Errorf("EmbedDocuments error = %v, want context.Canceled", err)
	}
	if _, err := m.EmbedQuery(ctx, "paspoort"); !errors.Is(err, context.Canceled) {
		t.Errorf("EmbedQuery error = %v, want context.Canceled", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := fitCorpus(t)
	texts := corpusTexts()
	want := embedAll(t, m, texts)
	var wg sync.WaitGroup
	errs := make(chan string, len(texts))
	for i, text := range texts {
		wg.Go(func() {
			v, err := m.EmbedQuery(context.Background(), text)
			if err != nil || !slices.Equal(v, want[i]) {
				errs <- corpus[i].id
			}
		})
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("concurrent EmbedQuery of %q differs", id)
	}
}

// generateCorpus returns n chunk texts of about words words each, made from
// the test corpus' words and a synthetic lexicon, both drawn with a Zipf
// distribution as in real text.
func generateCorpus(n, words int) []string {
	rng := rand.New(rand.NewPCG(7, 7))
	var real []string
	for _, p := range corpus {
		real = append(real, strings.Fields(p.text)...)
	}
	syll := []string{"be", "ver", "ge", "aan", "op", "uit", "in", "toe", "slag", "werk", "huis", "kind", "geld",
		"plaats", "recht", "vraag", "zorg", "school", "land", "stad", "hand", "heid", "ing", "lijk", "baar",
		"schap", "en", "er", "te", "ste", "dienst", "wet", "regel", "belas", "ting", "uit", "ke", "ring"}
	lexicon := make([]string, 20000)
	for i := range lexicon {
		var b strings.Builder
		for range 2 + rng.IntN(4) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		lexicon[i] = b.String()
	}
	zReal := rand.NewZipf(rng, 1.1, 2, uint64(len(real)-1))
	zLex := rand.NewZipf(rng, 1.1, 2, uint64(len(lexicon)-1))
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		for j := range words {
			if j > 0 {
				b.WriteByte(' ')
			}
			if rng.IntN(10) < 6 {
				b.WriteString(real[zReal.Uint64()])
			} else {
				b.WriteString(lexicon[zLex.Uint64()])
			}
		}
		texts[i] = b.String()
	}
	return texts
}

func BenchmarkFit(b *testing.B) {
	texts := generateCorpus(6000, 180)
	for b.Loop() {
		if _, err := Fit(texts, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbedDocuments(b *testing.B) {
	texts := generateCorpus(6000, 180)
	m, err := Fit(texts, Options{})
	if err != nil {
		b.Fatal(err)
	}
	batch := texts[:1000]
	for b.Loop() {
		if _, err := m.EmbedDocuments(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "chunks/s")
}

func BenchmarkEmbedQuery(b *testing.B) {
	m, err := Fit(generateCorpus(6000, 180), Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := m.EmbedQuery(ctx, "hoe vraag ik kinderopvangtoeslag aan voor mijn kind"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadDamagedNeverPanics(t *testing.T) {
	m, err := Fit(corpusTexts()[:10], Options{Dim: 32})
	if err != nil {
		t.Fatal(err)
	}
	good, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(good) {
		if _, err := Load(good[:i]); err == nil {
			t.Fatalf("Load of the first %d of %d bytes succeeded", i, len(good))
		}
	}
	// Damage with a valid checksum: Load may accept it, but must not panic
	// and must give unit vectors if it does.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := slices.Clone(good)
		b[rng.IntN(len(b)-4)] ^= byte(1 + rng.IntN(255))
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		l, err := Load(b)
		if err != nil {
			continue
		}
		v := embedQuery(t, l, "paspoort kwijt")
		if n := norm(v); math.Abs(n-1) > 1e-4 {
			t.Fatalf("damaged but accepted model gives a vector of norm %g", n)
		}
	}
}
