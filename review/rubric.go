package review

import (
	"errors"
	"fmt"
)

// RubricItem is one question evaluators answer about an answer, on the scale Min..Max.
type RubricItem struct {
	Key   string `json:"key"`
	Label string `json:"label"` // Dutch, for evaluators
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// Rubric returns the rubric items in the order of Rating's fields.
func Rubric() []RubricItem {
	return []RubricItem{
		{"correct", "Juist", 1, 5},
		{"complete", "Volledig", 1, 5},
		{"plain_language", "Begrijpelijke taal", 1, 5},
		{"citations_support", "Bronnen onderbouwen het antwoord", 1, 5},
		{"should_have_handed_off", "Had moeten doorverbinden", 0, 1},
		{"tone", "Toon", 1, 5},
	}
}

// Rating is one evaluator's judgement of one answer. The db tags are the columns of
// eval_scores.
type Rating struct {
	Correct             int    `json:"correct" db:"correct"`
	Complete            int    `json:"complete" db:"complete"`
	PlainLanguage       int    `json:"plain_language" db:"plain_language"`
	CitationsSupport    int    `json:"citations_support" db:"citations_support"`
	ShouldHaveHandedOff int    `json:"should_have_handed_off" db:"should_have_handed_off"`
	Tone                int    `json:"tone" db:"tone"`
	Comment             string `json:"comment" db:"comment"`
}

// values returns the rubric values in the order of Rubric.
func (s Rating) values() []int {
	return []int{s.Correct, s.Complete, s.PlainLanguage, s.CitationsSupport, s.ShouldHaveHandedOff, s.Tone}
}

// Validate reports the first rubric value outside its scale.
func (s Rating) Validate() error {
	for i, item := range Rubric() {
		if v := s.values()[i]; v < item.Min || v > item.Max {
			return fmt.Errorf("review: score: %s is %d, not %d to %d", item.Key, v, item.Min, item.Max)
		}
	}
	if len(s.Comment) > 4000 {
		return errors.New("review: score: comment longer than 4000 bytes")
	}
	return nil
}
