package lsa

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// Fit learns a model from texts, typically all chunks of the corpus. An
// empty or tiny corpus gives a working model whose latent part is partly or
// wholly zero; its vectors then come from the hashed part.
func Fit(texts []string, opts Options) (*Model, error) {
	m, err := fit(texts, opts, defaultTuning)
	if err != nil {
		return nil, fmt.Errorf("lsa: fit: %w", err)
	}
	return m, nil
}

func fit(texts []string, opts Options, t tuning) (*Model, error) {
	o, err := opts.withDefaults(len(texts))
	if err != nil {
		return nil, err
	}
	if len(texts) > o.MaxFitTexts {
		sample := make([]string, o.MaxFitTexts)
		for i := range sample {
			sample[i] = texts[i*len(texts)/o.MaxFitTexts]
		}
		texts = sample
	}
	n := len(texts)
	docs := extract(texts)

	// Document frequencies and the vocabulary: the MaxFeatures most frequent
	// features with df >= MinDF, ties broken by hash. Counts are integers,
	// so merging the partial counts in any order gives the same result.
	df := make(map[uint64]int32, 1<<16)
	var mu sync.Mutex
	parallel(n, func(lo, hi int) {
		local := make(map[uint64]int32, 1<<12)
		for _, d := range docs[lo:hi] {
			for _, f := range d {
				local[f.hash]++
			}
		}
		mu.Lock()
		for h, c := range local {
			df[h] += c
		}
		mu.Unlock()
	})
	type entry struct {
		hash uint64
		df   int32
	}
	cands := make([]entry, 0, len(df))
	for h, c := range df {
		if int(c) >= o.MinDF && h != emptyFeature {
			cands = append(cands, entry{h, c})
		}
	}
	slices.SortFunc(cands, func(a, b entry) int {
		if c := cmp.Compare(b.df, a.df); c != 0 {
			return c
		}
		return cmp.Compare(a.hash, b.hash)
	})
	if len(cands) > o.MaxFeatures {
		cands = cands[:o.MaxFeatures]
	}
	slices.SortFunc(cands, func(a, b entry) int { return cmp.Compare(a.hash, b.hash) })

	m := &Model{
		dim:       o.Dim,
		latentDim: o.LatentDim,
		nDocs:     n,
		seed:      o.Seed,
		vocab:     make(map[uint64]int32, len(cands)),
		hashes:    make([]uint64, len(cands)),
		idf:       make([]float32, len(cands)),
		idfUnseen: idfValue(0, n),
		t:         t,
	}
	for i, c := range cands {
		m.vocab[c.hash] = int32(i)
		m.hashes[i] = c.hash
		m.idf[i] = float32(idfValue(int(c.df), n))
	}

	// The document-feature matrix over the vocabulary, rows weighted as
	// at embedding time. Each document's row is built in place (the hash
	// field then holds the column), then the rows are concatenated.
	parallel(n, func(lo, hi int) {
		for i, d := range docs[lo:hi] {
			t.weigh(d, m.idfOf)
			row := d[:0]
			for _, f := range d {
				if c, ok := m.vocab[f.hash]; ok {
					row = append(row, featureCount{hash: uint64(c), count: f.count})
				}
			}
			docs[lo+i] = row
		}
	})
	nnz := 0
	for _, d := range docs {
		nnz += len(d)
	}
	x := &csr{rows: n, cols: len(cands), ptr: make([]int, 1, n+1), idx: make([]int32, 0, nnz), val: make([]float32, 0, nnz)}
	for i, d := range docs {
		for _, f := range d {
			x.idx = append(x.idx, int32(f.hash))
			x.val = append(x.val, float32(f.count))
		}
		x.ptr = append(x.ptr, len(x.idx))
		docs[i] = nil
	}

	proj, k := latentProjection(x, o.LatentDim, o.Seed)
	m.setProjection(proj, k)

	data, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	m.fingerprint = fingerprint(data)
	return m, nil
}

// extract returns the feature counts of every text, on all CPUs.
func extract(texts []string) [][]featureCount {
	docs := make([][]featureCount, len(texts))
	parallel(len(texts), func(lo, hi int) {
		var sc scratch
		for i := lo; i < hi; i++ {
			docs[i] = slices.Clone(sc.features(texts[i]))
		}
	})
	return docs
}

// setProjection stores proj (rows × k, row-major, k ≤ m.latentDim)
// quantised to 8 bits per value with one scale per row, padding unused
// latent dimensions with zeros. The stored values are the dequantised ones,
// so a fitted and a loaded model embed identically.
func (m *Model) setProjection(proj []float64, k int) {
	rows, ld := len(m.hashes), m.latentDim
	m.projScale = make([]float32, rows)
	m.proj = make([]float32, rows*ld)
	for r := range rows {
		src := proj[r*k : (r+1)*k]
		var peak float64
		for _, v := range src {
			peak = max(peak, math.Abs(v))
		}
		s := float32(peak / 127)
		m.projScale[r] = s
		if s == 0 {
			continue
		}
		dst := m.proj[r*ld : r*ld+k]
		for j, v := range src {
			dst[j] = float32(quantise(v, s)) * s
		}
	}
}

// quantise returns v/s rounded to an int8.
func quantise(v float64, s float32) int8 {
	q := math.Round(v / float64(s))
	return int8(max(-127, min(127, q)))
}

// latentProjection returns the map from vocabulary features to latent
// dimensions: the top right singular vectors of x, an orthonormal basis, as
// a cols×k row-major matrix with k ≤ want. It uses a randomized SVD (Halko,
// Martinsson and Tropp 2011): sketch x's range with a sparse random sign
// matrix, refine it with a power iteration, orthonormalise, and solve the
// small eigenproblem of Qᵀ X Xᵀ Q. Components with a negligible singular
// value are left out, so k is below want when the corpus' rank is.
func latentProjection(x *csr, want int, seed uint64) ([]float64, int) {
	n, v := x.rows, x.cols
	l := min(want+oversample, n, v)
	if l == 0 || len(x.val) == 0 {
		return nil, 0
	}
	xt := x.transpose()

	// Range finder: Y = X Ω, one power iteration Y = X Xᵀ Q, Q = orth(Y).
	// The sparse products run in float32, which halves their memory
	// traffic; orthonormalisation and the eigenproblem run in float64.
	y := widen(x.sketch(l, seed)) // n×l
	for range powerIters {
		orthonormalise(y, n, l)
		y = widen(x.mul(xt.mul(narrow(y), l), l))
	}
	q := y
	orthonormalise(q, n, l)
	w := widen(xt.mul(narrow(q), l)) // Bᵀ = Xᵀ Q, v×l

	// C = B Bᵀ = Wᵀ W, l×l; its eigenvectors are B's left singular vectors.
	c := make([]float64, l*l)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, general(w, v, l), general(w, v, l), 0, general(c, l, l))
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(l, c), true) {
		return nil, 0
	}
	lambda := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)

	// Keep the top components whose singular value is not negligible.
	top := lambda[l-1]
	k := 0
	for k < min(want, l) && lambda[l-1-k] > top*1e-6 && lambda[l-1-k] > 0 {
		k++
	}
	if k == 0 {
		return nil, 0
	}
	// V_k = W U_k diag(1/sigma).
	uk := make([]float64, l*k)
	for j := range k {
		col := l - 1 - j
		sigma := math.Sqrt(lambda[col])
		s := 1 / sigma
		for i := range l {
			uk[i*k+j] = vecs.At(i, col) * s
		}
	}
	proj := make([]float64, v*k)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, general(w, v, l), general(uk, l, k), 0, general(proj, v, k))
	// Fix each component's sign so that it does not depend on the
	// eigensolver's choice: the largest entry is positive.
	for j := range k {
		var big float64
		for i := range v {
			if e := proj[i*k+j]; math.Abs(e) > math.Abs(big) {
				big = e
			}
		}
		if big < 0 {
			for i := range v {
				proj[i*k+j] = -proj[i*k+j]
			}
		}
	}
	return proj, k
}

func widen(a []float32) []float64 {
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = float64(v)
	}
	return out
}

func narrow(a []float64) []float32 {
	out := make([]float32, len(a))
	for i, v := range a {
		out[i] = float32(v)
	}
	return out
}

// orthonormalise replaces the r×c row-major matrix a (r ≥ c) by an
// orthonormal basis of its columns (thin QR).
func orthonormalise(a []float64, r, c int) {
	g := general(a, r, c)
	tau := make([]float64, c)
	work := make([]float64, 1)
	lapack64.Geqrf(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Geqrf(g, tau, work, len(work))
	lapack64.Orgqr(g, tau, work[:1], -1)
	if need := int(work[0]); need > len(work) {
		work = make([]float64, need)
	}
	lapack64.Orgqr(g, tau, work, len(work))
}

func general(a []float64, r, c int) blas64.General {
	return blas64.General{Rows: r, Cols: c, Stride: c, Data: a}
}

// csr is a sparse matrix in compressed sparse row form.
type csr struct {
	rows, cols int
	ptr        []int // row i holds idx[ptr[i]:ptr[i+1]]
	idx        []int32
	val        []float32
}

// sketch returns a·Ω for a random sparse sign matrix Ω (cols×l) with
// sketchNonzeros nonzeros ±1 per row, derived from seed, as a rows×l
// row-major matrix. It costs a fraction of a product with a dense Gaussian Ω
// and serves a randomized range finder as well.
func (a *csr) sketch(l int, seed uint64) []float32 {
	// omega[c*sketchNonzeros+j] is the column of the j-th nonzero of row c
	// of Ω, plus l if it is -1.
	omega := make([]uint32, a.cols*sketchNonzeros)
	for c := range a.cols {
		h := mix(seed ^ uint64(c))
		for j := range sketchNonzeros {
			h = mix(h + 0x9e3779b97f4a7c15)
			omega[c*sketchNonzeros+j] = uint32((h>>1)%uint64(l)) + uint32(h&1)*uint32(l)
		}
	}
	out := make([]float32, a.rows*l)
	parallel(a.rows, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dst := out[i*l : (i+1)*l]
			for p := a.ptr[i]; p < a.ptr[i+1]; p++ {
				v := a.val[p]
				for _, o := range omega[int(a.idx[p])*sketchNonzeros:][:sketchNonzeros] {
					if int(o) < l {
						dst[o] += v
					} else {
						dst[int(o)-l] -= v
					}
				}
			}
		}
	})
	return out
}

// sketchNonzeros is the number of nonzeros per row of the sketching matrix.
const sketchNonzeros = 8

// mul returns a·b for the dense cols×l row-major matrix b, as a rows×l
// row-major matrix. Each output row is computed by one goroutine in a fixed
// order, so the result does not depend on the number of CPUs.
func (a *csr) mul(b []float32, l int) []float32 {
	out := make([]float32, a.rows*l)
	parallel(a.rows, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dst := out[i*l : (i+1)*l]
			for p := a.ptr[i]; p < a.ptr[i+1]; p++ {
				c := int(a.idx[p])
				axpy(a.val[p], b[c*l:(c+1)*l], dst)
			}
		}
	})
	return out
}

// transpose returns aᵀ.
func (a *csr) transpose() *csr {
	t := &csr{rows: a.cols, cols: a.rows, ptr: make([]int, a.cols+1), idx: make([]int32, len(a.idx)), val: make([]float32, len(a.val))}
	for _, c := range a.idx {
		t.ptr[c+1]++
	}
	for i := range a.cols {
		t.ptr[i+1] += t.ptr[i]
	}
	next := slices.Clone(t.ptr[:a.cols])
	for r := range a.rows {
		for p := a.ptr[r]; p < a.ptr[r+1]; p++ {
			c := a.idx[p]
			t.idx[next[c]] = int32(r)
			t.val[next[c]] = a.val[p]
			next[c]++
		}
	}
	return t
}

// parallel calls fn on consecutive ranges covering [0, n), on all CPUs, and
// returns when all calls have returned.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		fn(0, n)
		return
	}
	// Many small ranges balance uneven rows.
	step := max(1, n/(workers*8))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				lo := next
				next += step
				mu.Unlock()
				if lo >= n {
					return
				}
				fn(lo, min(lo+step, n))
			}
		})
	}
	wg.Wait()
}
