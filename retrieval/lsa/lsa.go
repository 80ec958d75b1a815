// Package lsa owns Vraagbaak's built-in embedder: a latent semantic analysis
// model learned from the ingested corpus, which needs no network and no
// downloaded weights.
//
// A text becomes a bag of features: the stemmed Dutch terms of
// internal/dutch and the character 3- to 5-grams of those stems. Character
// n-grams let compounds meet their parts ("kinderopvangtoeslag" and
// "toeslag voor kinderopvang") and let typos land near the right word
// ("paspoord"). The features are TF-IDF weighted (sublinear tf), terms and
// n-grams each scaled to a fixed share of the text's unit-length feature
// vector. The embedding has two parts:
//   - the latent part (LatentDim dimensions): the projection onto the top
//     right singular vectors of the corpus' document-feature matrix, found
//     by a randomized truncated SVD, which brings co-occurring terms
//     together. Its length is the share of the text that the corpus' latent
//     space explains, so it fades for texts of words the model never saw;
//   - the hashed part (the other dimensions): a signed feature-hashing
//     projection of the same features, which needs no learning, so that
//     features unseen at fit time and tiny corpora still work.
//
// The latent part is weighted 0.9 and the hashed part 0.44 before the whole
// is scaled to unit length.
//
// The output dimension is fixed by Options.Dim whatever the corpus size. A
// Model satisfies the retrieval package's embedder interface (the two
// methods of langchaingo's embeddings.Embedder) and is safe for concurrent
// use. Fit is deterministic: the same texts and options give the same model
// bytes and vectors on the same platform.
//
// ingest imports it (it fits, stores and loads the model); it imports only
// internal/dutch from the module.
package lsa

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas/blas32"
)

// Name identifies this embedder and its feature scheme. It changes whenever
// vectors from the same texts would change.
const Name = "builtin-lsa-v1"

// Options configure Fit. The zero value gives the defaults.
type Options struct {
	// Dim is the output dimension, the N of the database's vector(N)
	// column. Default 384.
	Dim int
	// LatentDim is how many of the Dim dimensions the latent part gets; the
	// rest go to the hashed part. It is capped by the corpus' rank; unused
	// latent dimensions are zero. Default two thirds of Dim; negative means
	// no latent part.
	LatentDim int
	// MaxFeatures caps the vocabulary of the latent part: the features with
	// the highest document frequency are kept. Default 32768.
	MaxFeatures int
	// MinDF is the minimum document frequency of a vocabulary feature.
	// Default 2, or 1 for corpora of fewer than 50 texts.
	MinDF int
	// MaxFitTexts caps the texts Fit learns from: of a larger corpus it
	// takes this many, evenly spread, which bounds Fit's time and memory
	// (both grow linearly; about 4 s for 6,000 chunks of 180 words on 2
	// cores). Default 12000.
	MaxFitTexts int
	// Seed seeds the random projections. Default 1.
	Seed uint64
}

// Defaults and tuned constants. They were chosen by measuring recall on
// Dutch government question-and-answer pages; see the package tests.
const (
	defaultDim         = 384
	defaultMaxFeatures = 32768
	defaultMaxFitTexts = 12000
	defaultSeed        = 1
	// minHashedDim is the least number of dimensions of the hashed part.
	minHashedDim = 8

	// powerIters is the number of power iterations of the randomized SVD.
	powerIters = 1
	// oversample is how many extra random directions the randomized SVD
	// uses beyond LatentDim.
	oversample = 16
)

// tuning holds the weights of a model. They are stored with it so that a
// loaded model embeds exactly like the fitted one.
type tuning struct {
	// termWeight and gramWeight balance whole terms against n-grams; each
	// kind is scaled to unit length first.
	termWeight, gramWeight float64
	// latentWeight weighs the latent part of a text that lies wholly in
	// the latent space; the hashed part gets sqrt(1-latentWeight²).
	latentWeight float64
	// probes is how many distinct signed buckets of the hashed part each
	// feature adds to.
	probes int
}

var defaultTuning = tuning{
	termWeight:   0.6,
	gramWeight:   0.8,
	latentWeight: 0.9,
	probes:       2,
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults(nTexts int) (Options, error) {
	if o.Dim == 0 {
		o.Dim = defaultDim
	}
	if o.Dim < minHashedDim || o.Dim > maxDim {
		return o, fmt.Errorf("dim %d is not in [%d, %d]", o.Dim, minHashedDim, maxDim)
	}
	switch {
	case o.LatentDim == 0:
		o.LatentDim = o.Dim * 2 / 3
	case o.LatentDim < 0:
		o.LatentDim = 0
	}
	if o.LatentDim > o.Dim-minHashedDim {
		return o, fmt.Errorf("latent dim %d leaves fewer than %d of %d dimensions to the hashed part", o.LatentDim, minHashedDim, o.Dim)
	}
	if o.MaxFeatures == 0 {
		o.MaxFeatures = defaultMaxFeatures
	}
	if o.MaxFeatures < 0 {
		return o, fmt.Errorf("max features %d is negative", o.MaxFeatures)
	}
	if o.MinDF == 0 {
		o.MinDF = 2
		if nTexts < 50 {
			o.MinDF = 1
		}
	}
	if o.MaxFitTexts == 0 {
		o.MaxFitTexts = defaultMaxFitTexts
	}
	if o.MaxFitTexts < 0 {
		return o, fmt.Errorf("max fit texts %d is negative", o.MaxFitTexts)
	}
	if o.Seed == 0 {
		o.Seed = defaultSeed
	}
	return o, nil
}

// Model is a fitted embedder. It is immutable and safe for concurrent use.
type Model struct {
	dim       int // output dimension
	latentDim int // columns of proj; the hashed part has dim-latentDim
	nDocs     int // texts the model was fitted on
	seed      uint64

	vocab     map[uint64]int32 // feature hash → row of proj and idf
	hashes    []uint64         // vocabulary features in row order (ascending)
	idf       []float32        // per vocabulary feature
	idfUnseen float64          // idf of features outside the vocabulary
	proj      []float32        // len(hashes) × latentDim, row-major
	projScale []float32        // per row: proj = int8 value × scale

	t           tuning
	fingerprint string
	pool        sync.Pool // *scratch
}

// Dim returns the output dimension.
func (m *Model) Dim() int { return m.dim }

// Fingerprint returns a short hash of the model's serialized form. Vectors
// made by models with different fingerprints must not be compared.
func (m *Model) Fingerprint() string { return m.fingerprint }

// EmbedDocuments returns one unit vector per text, in order. It embeds on
// all CPUs and stops with ctx's error when ctx is cancelled.
func (m *Model) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lsa: embed documents: %w", err)
	}
	out := make([][]float32, len(texts))
	backing := make([]float32, len(texts)*m.dim)
	for i := range out {
		out[i] = backing[i*m.dim : (i+1)*m.dim : (i+1)*m.dim]
	}
	workers := min(runtime.GOMAXPROCS(0), (len(texts)+15)/16)
	if workers <= 1 {
		for i, t := range texts {
			if i%16 == 15 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("lsa: embed documents: %w", err)
				}
			}
			m.embed(t, out[i])
		}
		return out, nil
	}
	var (
		wg   sync.WaitGroup
		next = make(chan int)
		err  error
	)
	for range workers {
		wg.Go(func() {
			for i := range next {
				m.embed(texts[i], out[i])
			}
		})
	}
feed:
	for i := range texts {
		if err = ctx.Err(); err != nil {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("lsa: embed documents: %w", err)
	}
	return out, nil
}

// EmbedQuery returns the unit vector of text. A text without letters or
// digits gets one fixed unit vector, the same for all such texts and close
// to no real text; a text of stopwords only is embedded from its stopwords.
func (m *Model) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lsa: embed query: %w", err)
	}
	v := make([]float32, m.dim)
	m.embed(text, v)
	return v, nil
}

// embed writes the unit vector of text into dst, which has length m.dim.
func (m *Model) embed(text string, dst []float32) {
	sc, _ := m.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer m.pool.Put(sc)

	fc := sc.features(text)
	m.t.weigh(fc, m.idfOf)

	k := m.latentDim
	hd := m.dim - k
	latent, hashed := dst[:k], dst[k:]
	clear(dst)
	for _, f := range fc {
		v := float32(f.count)
		if row, ok := m.vocab[f.hash]; ok && k > 0 {
			axpy(v, m.proj[int(row)*k:int(row+1)*k], latent)
		}
		// Each feature adds to probes distinct buckets with random signs.
		h := mix(f.hash + 0x9e3779b97f4a7c15)
		b := int((h >> 1) % uint64(hd))
		for p := range m.t.probes {
			if p > 0 {
				h = mix(h + 0x9e3779b97f4a7c15)
				b = (b + 1 + int((h>>1)%uint64(hd-1))) % hd
			}
			if h&1 == 0 {
				hashed[b] += v
			} else {
				hashed[b] -= v
			}
		}
	}
	// The text's weighted features have unit length and the latent basis
	// is orthonormal, so the latent part's length is the share of the text
	// that the corpus' latent space explains. It is kept, not normalised:
	// a text made of words the model never saw leans on its hashed part.
	if hn := norm(hashed); hn > 0 {
		scale(hashed, math.Sqrt(1-m.t.latentWeight*m.t.latentWeight)/hn)
	}
	scale(latent, m.t.latentWeight)
	if n := norm(dst); n > 0 {
		scale(dst, 1/n)
	} else {
		dst[k] = 1 // unreachable in practice: features never cancel out exactly
	}
}

// idfOf returns the inverse document frequency of feature h.
func (m *Model) idfOf(h uint64) float64 {
	if row, ok := m.vocab[h]; ok {
		return float64(m.idf[row])
	}
	return m.idfUnseen
}

// idfValue is the smoothed inverse document frequency of a feature found in
// df of n texts.
func idfValue(df, n int) float64 {
	return math.Log(float64(n+1)/float64(df+1)) + 1
}

// axpy adds a·x to y.
func axpy(a float32, x, y []float32) {
	blas32.Axpy(a, blas32.Vector{N: len(x), Inc: 1, Data: x}, blas32.Vector{N: len(x), Inc: 1, Data: y})
}

func norm(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}

func scale(x []float32, a float64) {
	for i := range x {
		x[i] = float32(float64(x[i]) * a)
	}
}

// ErrCorrupt is returned by Load for data that is not a model.
var ErrCorrupt = errors.New("lsa: corrupt model data")
