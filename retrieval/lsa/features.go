package lsa

import (
	"math"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// A feature is a 64-bit hash of a stemmed term or of a character n-gram of
// one. The top bit tells the two kinds apart.
const termBit = uint64(1) << 63

// Character n-grams are taken from "^stem$", the stem with boundary markers.
const (
	gramMin = 3
	gramMax = 5
)

// emptyFeature stands in for a text without any letters or digits, so that
// every text gets a unit vector (see Model.EmbedQuery).
const emptyFeature = 0x5bd1e9955bd1e995 &^ termBit

// featureCount is one distinct feature of a text and how often it occurs.
type featureCount struct {
	hash  uint64
	count float64
}

// scratch holds the reusable buffers of one embedding or fitting worker.
type scratch struct {
	counts []featureCount
	slots  []slot  // open-addressing table from hash to index in counts
	used   []int32 // occupied slots, to reset them cheaply
	word   []byte
}

type slot struct {
	hash uint64 // 0 means empty
	idx  int32
}

// features returns the distinct features of text with their counts, in
// order of first occurrence. The result aliases sc and is valid until the
// next call.
//
// The features are the stemmed non-stopword terms (dutch.Terms) and their
// character 3- to 5-grams. A text of stopwords only falls back to its plain
// tokens; a text without any token yields the single emptyFeature.
func (sc *scratch) features(text string) []featureCount {
	for _, i := range sc.used {
		sc.slots[i] = slot{}
	}
	sc.used = sc.used[:0]
	sc.counts = sc.counts[:0]
	if sc.slots == nil {
		sc.slots = make([]slot, 1024)
	}
	terms := dutch.Terms(text)
	if len(terms) == 0 {
		terms = dutch.Tokens(text)
	}
	for _, t := range terms {
		sc.addTerm(t)
	}
	if len(sc.counts) == 0 {
		sc.add(emptyFeature)
	}
	return sc.counts
}

// addTerm counts the term t and its n-grams.
func (sc *scratch) addTerm(t string) {
	sc.add(hashBytes(termSeed, t) | termBit)
	w := append(sc.word[:0], '^')
	w = append(w, t...)
	w = append(w, '$')
	sc.word = w
	for n := gramMin; n <= gramMax; n++ {
		if n > len(w) {
			break
		}
		for i := 0; i+n <= len(w); i++ {
			sc.add(hashBytes(gramSeed, w[i:i+n]) &^ termBit)
		}
	}
}

// add counts one occurrence of feature h.
func (sc *scratch) add(h uint64) {
	if h == 0 {
		h = 1
	}
	mask := len(sc.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := sc.slots[i]
		if s.hash == h {
			sc.counts[s.idx].count++
			return
		}
		if s.hash == 0 {
			sc.slots[i] = slot{hash: h, idx: int32(len(sc.counts))}
			sc.used = append(sc.used, int32(i))
			sc.counts = append(sc.counts, featureCount{hash: h, count: 1})
			if 2*len(sc.counts) > len(sc.slots) {
				sc.grow()
			}
			return
		}
	}
}

// grow doubles the table.
func (sc *scratch) grow() {
	sc.slots = make([]slot, 2*len(sc.slots))
	sc.used = sc.used[:0]
	mask := len(sc.slots) - 1
	for idx, c := range sc.counts {
		i := int(c.hash) & mask
		for sc.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		sc.slots[i] = slot{hash: c.hash, idx: int32(idx)}
		sc.used = append(sc.used, int32(i))
	}
}

const (
	termSeed = 0x9e3779b97f4a7c15
	gramSeed = 0xc2b2ae3d27d4eb4f
)

// hashBytes is FNV-1a over b, started from seed and finished with the
// SplitMix64 mixer so that every bit is usable.
func hashBytes[T string | []byte](seed uint64, b T) uint64 {
	h := seed ^ 0xcbf29ce484222325
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= 0x100000001b3
	}
	return mix(h)
}

// mix is the SplitMix64 finaliser.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// weigh turns counts into TF-IDF weights in place (sublinear tf) and scales
// the term and n-gram features to unit length each, times their weights. idf
// gives a feature's inverse document frequency.
func (w tuning) weigh(fc []featureCount, idf func(uint64) float64) {
	var termNorm, gramNorm float64
	for i := range fc {
		v := (1 + math.Log(fc[i].count)) * idf(fc[i].hash)
		fc[i].count = v
		if fc[i].hash&termBit != 0 {
			termNorm += v * v
		} else {
			gramNorm += v * v
		}
	}
	termScale, gramScale := 0.0, 0.0
	if termNorm > 0 {
		termScale = w.termWeight / math.Sqrt(termNorm)
	}
	if gramNorm > 0 {
		gramScale = w.gramWeight / math.Sqrt(gramNorm)
	}
	for i := range fc {
		if fc[i].hash&termBit != 0 {
			fc[i].count *= termScale
		} else {
			fc[i].count *= gramScale
		}
	}
}
