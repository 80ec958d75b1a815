package lsa

// Temporary local evaluation on /work/shared; deleted before hand-off.

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func chunkWords(text string, size int) []string {
	w := strings.Fields(text)
	var out []string
	for i := 0; i < len(w); i += size {
		out = append(out, strings.Join(w[i:min(i+size, len(w))], " "))
	}
	return out
}

func typo(q string) string {
	ws := strings.Fields(strings.ToLower(strings.Trim(q, "?")))
	li := 0
	for i, w := range ws {
		if len(w) > len(ws[li]) {
			li = i
		}
	}
	w := []byte(ws[li])
	if len(w) > 5 {
		m := len(w) / 2
		w[m], w[m+1] = w[m+1], w[m]
	}
	ws[li] = string(w)
	return strings.Join(ws, " ")
}

func TestLocalEval(t *testing.T) {
	if os.Getenv("LSA_EVAL") == "" {
		t.Skip()
	}
	root := "/work/shared/corpus/raw"
	var texts []string
	var owner []int // answer index per chunk, -1 distractor
	var qs []string
	for _, f := range []string{"govbench-rijksoverheid-vac/rijksoverheid_vacs_bzk.csv", "govbench-rijksoverheid-vac/rijksoverheid_vacs_omgevingswet.csv"} {
		fh, err := os.Open(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(fh)
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs[1:] {
			qi := len(qs)
			qs = append(qs, rec[1])
			for _, c := range chunkWords(rec[2], 150) {
				texts = append(texts, c)
				owner = append(owner, qi)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "amsterdam-rag-belastingen/*.txt"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, c := range chunkWords(string(b), 150) {
			texts = append(texts, c)
			owner = append(owner, -1)
		}
	}
	t.Logf("%d chunks, %d questions", len(texts), len(qs))
	variants := map[string][]string{"clean": qs}
	var noisy []string
	for _, q := range qs {
		noisy = append(noisy, typo(q))
	}
	variants["typo"] = noisy

	type cfg struct {
		name string
		o    Options
		t    tuning
	}
	base := defaultTuning
	var cfgs []cfg
	add := func(name string, o Options, f func(*tuning)) {
		tt := base
		if f != nil {
			f(&tt)
		}
		cfgs = append(cfgs, cfg{name, o, tt})
	}
	add("default", Options{}, nil)
	add("hashed-only", Options{LatentDim: -1}, nil)
	add("lsa-only", Options{}, func(t *tuning) { t.latentWeight = 1 })
	add("dim768", Options{Dim: 768}, nil)
	if only := os.Getenv("LSA_EVAL_ONLY"); only != "" {
		var keep []cfg
		for _, c := range cfgs {
			if strings.Contains(c.name, only) {
				keep = append(keep, c)
			}
		}
		cfgs = keep
	}
	for _, c := range cfgs {
		var exact func(string) []float64
		t0 := time.Now()
		fitTexts := texts
		if step := os.Getenv("LSA_EVAL_SAMPLE"); step != "" {
			var n int
			fmt.Sscan(step, &n)
			fitTexts = nil
			for i := 0; i < len(texts); i += n {
				fitTexts = append(fitTexts, texts[i])
			}
		}
		m, err := fit(fitTexts, c.o, c.t)
		if err != nil {
			t.Fatal(err)
		}
		ft := time.Since(t0)
		docs, _ := m.EmbedDocuments(context.Background(), texts)
		if os.Getenv("LSA_EVAL_EXACT") != "" {
			// Exact cosine over the sparse weighted features, no projection.
			sparse := func(text string) map[uint64]float64 {
				var sc scratch
				fc := sc.features(text)
				m.t.weigh(fc, m.idfOf)
				out := map[uint64]float64{}
				for _, f := range fc {
					out[f.hash] = f.count
				}
				return out
			}
			var sd []map[uint64]float64
			for _, tx := range texts {
				sd = append(sd, sparse(tx))
			}
			ex := func(q string) []float64 {
				qv := sparse(q)
				var out []float64
				for _, d := range sd {
					var s float64
					for h, v := range qv {
						s += v * d[h]
					}
					out = append(out, s)
				}
				return out
			}
			_ = ex
			exact = ex
		}
		data, _ := m.MarshalBinary()
		line := fmt.Sprintf("%-14s fit=%-6v size=%dKB", c.name, ft.Round(time.Millisecond), len(data)/1024)
		for _, vn := range []string{"clean", "typo"} {
			r1, r5, mrr := 0, 0, 0.0
			for qi, q := range variants[vn] {
				qv, _ := m.EmbedQuery(context.Background(), q)
				type sc struct {
					o int
					s float64
				}
				var scores []sc
				if exact != nil {
					for i, s := range exact(q) {
						scores = append(scores, sc{owner[i], s})
					}
				} else {
					for i, d := range docs {
						scores = append(scores, sc{owner[i], cosine(qv, d)})
					}
				}
				sort.SliceStable(scores, func(a, b int) bool { return scores[a].s > scores[b].s })
				seen := map[int]bool{}
				rank := 0
				for _, s := range scores {
					if seen[s.o] {
						continue
					}
					seen[s.o] = true
					rank++
					if s.o == qi {
						break
					}
				}
				if rank == 1 {
					r1++
				}
				if rank <= 5 {
					r5++
				}
				mrr += 1 / float64(rank)
			}
			n := float64(len(qs))
			line += fmt.Sprintf("  %s r@1=%.3f r@5=%.3f mrr=%.3f", vn, float64(r1)/n, float64(r5)/n, mrr/n)
		}
		t.Log(line)
	}
}

func sqrt1(x float64) float64 {
	v := 1 - x*x
	if v < 0 {
		return 0
	}
	r := v
	for range 30 {
		r = (r + v/r) / 2
	}
	return r
}
