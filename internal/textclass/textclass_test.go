package textclass

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestHash(t *testing.T) {
	tests := []struct {
		parts []string
		want  uint32
	}{
		{nil, 2166136261},
		{[]string{"a"}, 0xe40c292c},
		{[]string{"foobar"}, 0xbf9cf968},
		{[]string{"foo", "bar"}, 0xbf9cf968}, // the concatenation
	}
	for _, tt := range tests {
		if got := Hash(tt.parts...); got != tt.want {
			t.Errorf("Hash(%q) = %#x, want %#x", tt.parts, got, tt.want)
		}
	}
}

func TestHasher(t *testing.T) {
	h := NewHasher(1<<10, 4)
	h.Add(0.2, "w:", "x")
	h.Add(1, "w:x") // the same bucket: keeps the larger value
	h.Add(0.5, "w:", "x")
	h.Add(1, "w:y")
	got := h.Features()
	want := []Feature{{Hash("w:x") % (1 << 10), 1}, {Hash("w:y") % (1 << 10), 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Features() = %v, want %v", got, want)
	}
}

func TestShuffle(t *testing.T) {
	a := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	b := slices.Clone(a)
	ra, rb := Shuffle(a, 42), Shuffle(b, 42)
	if !slices.Equal(a, b) || ra != rb {
		t.Fatalf("the same state shuffled differently: %v %v", a, b)
	}
	if slices.Equal(a, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("Shuffle left the order as it was")
	}
	// Pinned: a change of the sequence changes every trained model.
	if want := []int{8, 9, 5, 6, 7, 0, 3, 2, 1, 4}; !slices.Equal(a, want) {
		t.Errorf("Shuffle(…, 42) = %v, want %v", a, want)
	}
	s := slices.Clone(a)
	slices.Sort(s)
	if !slices.Equal(s, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("not a permutation: %v", a)
	}
}

func TestTrainErrors(t *testing.T) {
	ok := []Example{{Features: []Feature{{1, 1}}, Class: 0}}
	tests := []struct {
		name     string
		examples []Example
		classes  int
		want     string
	}{
		{"one class", ok, 1, "need at least 2"},
		{"no examples", nil, 2, "no examples"},
		{"class out of range", []Example{{Class: 2}}, 2, "example 1: class 2"},
		{"negative class", []Example{{Class: -1}}, 2, "example 1: class -1"},
		{"feature out of range", []Example{{Features: []Feature{{16, 1}}}}, 2, "feature 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.examples, tt.classes, 16, Training{Epochs: 1, Rate: 0.1})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// words hashes each word of s as a feature.
func words(s string) []Feature {
	h := NewHasher(1<<8, 8)
	h.Add(1, "bias")
	for _, w := range strings.Fields(s) {
		h.Add(1, w)
	}
	return h.Features()
}

func TestTrain(t *testing.T) {
	texts := []struct {
		s     string
		class int
	}{
		{"red apple", 0}, {"red cherry", 0}, {"red rose", 0},
		{"green leaf", 1}, {"green grass", 1}, {"green frog", 1}, {"green pea", 1}, {"green lime", 1},
		{"blue sky", 2}, {"blue sea", 2},
	}
	var ex []Example
	for _, x := range texts {
		ex = append(ex, Example{words(x.s), x.class})
	}
	opt := Training{Seed: 7, Epochs: 30, Rate: 0.3, L2: 1e-5}
	m, err := Train(ex, 3, 1<<8, opt)
	if err != nil {
		t.Fatal(err)
	}
	if m.Classes() != 3 {
		t.Fatalf("Classes() = %d", m.Classes())
	}
	p := make([]float64, 3)
	for _, tt := range []struct {
		s    string
		want int
	}{{"red car", 0}, {"green car", 1}, {"blue car", 2}} {
		m.Probs(words(tt.s), p)
		if sum := p[0] + p[1] + p[2]; math.Abs(sum-1) > 1e-9 {
			t.Errorf("%q: probabilities sum to %v", tt.s, sum)
		}
		if got := slices.Index(p, slices.Max(p)); got != tt.want || p[tt.want] < 0.6 {
			t.Errorf("%q: probabilities %.2f, want class %d above 0.6", tt.s, p, tt.want)
		}
	}
	// Deterministic: the same data and settings give the same weights.
	m2, err := Train(ex, 3, 1<<8, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.w, m2.w) || !slices.Equal(m.bias, m2.bias) {
		t.Errorf("two trainings on the same data differ")
	}
	// Boost: a class weighted up wins a text that has only the bias.
	p0 := make([]float64, 3)
	m.Probs(words(""), p0)
	boosted, err := Train(ex, 3, 1<<8, Training{Seed: 7, Epochs: 30, Rate: 0.3, L2: 1e-5, Boost: []float32{0, 0, 8}})
	if err != nil {
		t.Fatal(err)
	}
	boosted.Probs(words(""), p)
	if p[2] <= p0[2] {
		t.Errorf("boosting class 2 did not raise its prior: %.3f → %.3f", p0[2], p[2])
	}
	// A feature outside the buckets is ignored, not a panic.
	m.Probs([]Feature{{1 << 20, 1}}, p)
}
