// Package textclass owns the small text classifier that the answering code
// trains at start from labelled phrasings: feature hashing (FNV-1a into a
// fixed number of buckets, each bucket once per text), a multinomial
// logistic regression trained with AdaGrad on the class-weighted log loss
// with L2 regularisation, a deterministic shuffle that gives the same model
// whatever the Go version, and the class probabilities of a text.
//
// What the features are (words, stems, pairs, character n-grams, word
// groups) belongs to the caller: the crisis detector and the guard
// classifier in chat build their own with a Hasher. textclass imports only
// the standard library; chat (or answer) imports it, nothing here imports
// them.
package textclass

import (
	"fmt"
	"math"
	"slices"
)

// Feature is one hashed feature of a text and its value.
type Feature struct {
	Idx uint32
	Val float32
}

// Hash is FNV-1a over the concatenation of parts.
func Hash(parts ...string) uint32 {
	h := uint32(2166136261)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint32(p[i])
			h *= 16777619
		}
	}
	return h
}

// Hasher collects the features of one text: each bucket once, with the
// largest value added to it.
type Hasher struct {
	buckets uint32
	seen    map[uint32]int
	out     []Feature
}

// NewHasher returns a Hasher over buckets buckets; hint is the expected
// number of features.
func NewHasher(buckets uint32, hint int) *Hasher {
	return &Hasher{buckets: buckets, seen: make(map[uint32]int, hint)}
}

// Add adds the feature named by the concatenation of parts with value val.
// A bucket already present keeps the larger value.
func (h *Hasher) Add(val float32, parts ...string) {
	i := Hash(parts...) % h.buckets
	if j, ok := h.seen[i]; ok {
		h.out[j].Val = max(h.out[j].Val, val)
		return
	}
	h.seen[i] = len(h.out)
	h.out = append(h.out, Feature{i, val})
}

// Features returns the features added so far, in the order first added.
func (h *Hasher) Features() []Feature { return h.out }

// Example is one training text: its features and its class.
type Example struct {
	Features []Feature
	Class    int
}

// Training are the settings of Train.
type Training struct {
	Seed     uint64
	Epochs   int
	Rate, L2 float32
	// Boost multiplies the weight of a class (the classes are first
	// weighted to count equally); nil, or 0 for a class, leaves it as is.
	Boost []float32
}

// MinGrad is the smallest gradient training still applies: skipping learnt
// examples makes training several times faster.
const MinGrad = 1e-3

// Model is a trained multinomial logistic regression. It is read-only after
// Train and safe for concurrent use.
type Model struct {
	classes int
	buckets uint32
	w       []float32 // buckets × classes
	bias    []float32
}

// Classes returns the number of classes.
func (m *Model) Classes() int { return m.classes }

// Shuffle permutes order in place with Fisher-Yates driven by the xorshift
// state rng, and returns the new state: deterministic whatever the Go
// version.
func Shuffle(order []int, rng uint64) uint64 {
	for i := len(order) - 1; i > 0; i-- {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		j := int(rng % uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	return rng
}

// Train trains a model with classes classes over buckets buckets. Every
// feature index must be below buckets and every class below classes. The
// same examples in the same order with the same settings give the same
// model.
func Train(examples []Example, classes int, buckets uint32, opt Training) (*Model, error) {
	if classes < 2 {
		return nil, fmt.Errorf("textclass: train: %d classes, need at least 2", classes)
	}
	if len(examples) == 0 {
		return nil, fmt.Errorf("textclass: train: no examples")
	}
	count := make([]int, classes)
	for i, e := range examples {
		if e.Class < 0 || e.Class >= classes {
			return nil, fmt.Errorf("textclass: train: example %d: class %d out of range", i+1, e.Class)
		}
		for _, f := range e.Features {
			if f.Idx >= buckets {
				return nil, fmt.Errorf("textclass: train: example %d: feature %d out of range", i+1, f.Idx)
			}
		}
		count[e.Class]++
	}
	weight := make([]float32, classes)
	for c, n := range count {
		if n > 0 {
			weight[c] = float32(len(examples)) / float32(classes*n)
			if c < len(opt.Boost) && opt.Boost[c] > 0 {
				weight[c] *= opt.Boost[c]
			}
		}
	}
	m := &Model{classes: classes, buckets: buckets, w: make([]float32, int(buckets)*classes), bias: make([]float32, classes)}
	g2 := make([]float32, len(m.w)) // AdaGrad: summed squared gradients
	bg2 := make([]float32, classes)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := uint64(0x9e3779b97f4a7c15) ^ opt.Seed
	p := make([]float64, classes)
	for range opt.Epochs {
		rng = Shuffle(order, rng)
		for _, i := range order {
			r := examples[i]
			m.Probs(r.Features, p)
			for c := range classes {
				y := float32(0)
				if c == r.Class {
					y = 1
				}
				grad := (float32(p[c]) - y) * weight[r.Class]
				if grad > -MinGrad && grad < MinGrad {
					continue
				}
				bg2[c] += grad * grad
				m.bias[c] -= opt.Rate * grad / float32(math.Sqrt(float64(bg2[c]))+1e-6)
				for _, f := range r.Features {
					k := int(f.Idx)*classes + c
					gk := grad*f.Val + opt.L2*m.w[k]
					g2[k] += gk * gk
					m.w[k] -= opt.Rate * gk / float32(math.Sqrt(float64(g2[k]))+1e-6)
				}
			}
		}
	}
	return m, nil
}

// Probs sets p (of length Classes) to the class probabilities of a text
// with features f. Features outside the model's buckets are ignored.
func (m *Model) Probs(f []Feature, p []float64) {
	z := p[:m.classes]
	for c := range m.classes {
		z[c] = float64(m.bias[c])
	}
	for _, x := range f {
		if x.Idx >= m.buckets {
			continue
		}
		base := int(x.Idx) * m.classes
		for c := range m.classes {
			z[c] += float64(m.w[base+c] * x.Val)
		}
	}
	mx := slices.Max(z)
	sum := 0.0
	for c := range m.classes {
		z[c] = math.Exp(z[c] - mx)
		sum += z[c]
	}
	for c := range m.classes {
		z[c] /= sum
	}
}
