package answer

import "strings"

// The unsure band of the crisis detector. Between "clearly not" and "hand off as an
// emergency" (CrisisThresholds.NoteSuicide, NoteEmergency up to Suicide, Emergency)
// the citizen gets the answer (or refusal, or hand-off) the question gets anyway, with
// a short safety note that names the numbers of the most probable emergency, and the
// offer of a person. Nothing is queued: a note is not a hand-off. So when the detector
// is unsure, the citizen sees the numbers, and an information question is not handed
// off for it.

// crisisNote is the safety note added to an answer: the emergency class whose
// numbers it names and the detector's probability for it.
type crisisNote struct {
	Class CrisisClass
	Score float64
}

// safetyNotes are the notes per emergency class, in B1 Dutch (TestSafetyNotes), the
// numbers as in the hand-off messages.
var safetyNotes = map[CrisisClass]string{
	CrisisSuicide: "Gaat het niet goed met u? Praat erover met 113 Zelfmoordpreventie: bel 0800-0113 (gratis, dag en nacht) " +
		"of chat op 113.nl. Bij direct gevaar: bel 112.",
	CrisisViolence: "Is er thuis geweld, of bent u bang voor iemand? Bel Veilig Thuis via 0800-2000 (gratis, dag en nacht). " +
		"Bij direct gevaar: bel 112.",
	CrisisDanger: "Is er direct gevaar? Bel meteen 112 (gratis, dag en nacht).",
}

// safetyNoteNumbers are what a text must hold to have given a class's numbers already.
var safetyNoteNumbers = map[CrisisClass]string{
	CrisisSuicide:  "0800-0113",
	CrisisViolence: "0800-2000",
	CrisisDanger:   "112",
}

// Text is the note the citizen reads.
func (n crisisNote) Text() string { return safetyNotes[n.Class] }

// note returns the safety note for a message with score s whose triage is t, and
// whether there is one: none for an emergency hand-off (its message has the
// numbers), none below the band, and none when t's message already gives the
// numbers (the distress message gives 113). Suicide comes first, as in Decide: its
// note also gives 112.
func (s CrisisScore) note(th CrisisThresholds, t Triage) (crisisNote, bool) {
	if t.Reason.Emergency() {
		return crisisNote{}, false
	}
	var n crisisNote
	switch {
	case th.NoteSuicide > 0 && s.P[CrisisSuicide] >= th.NoteSuicide:
		n = crisisNote{CrisisSuicide, s.P[CrisisSuicide]}
	case th.NoteEmergency > 0 && s.Emergency() >= th.NoteEmergency:
		n = crisisNote{s.leadEmergency(), s.Emergency()}
	default:
		return crisisNote{}, false
	}
	if t.Message != "" && strings.Contains(t.Message, safetyNoteNumbers[n.Class]) {
		return crisisNote{}, false
	}
	return n, true
}

// withNote adds the safety note n to a: at the end of its text, after a blank line,
// and streamed to onDelta when a was streamed (an answer), so that what was shown is
// what is stored. A refusal or a hand-off is not streamed; its text carries the note.
func withNote(a Answer, n crisisNote, onDelta func(string)) Answer {
	piece := n.Text()
	if a.Text != "" {
		piece = "\n\n" + piece
	}
	a.Text += piece
	if a.Outcome == Answered && onDelta != nil {
		onDelta(piece)
	}
	a.SafetyNote = n.Class.String()
	a.SafetyNoteScore = round2(n.Score)
	return a
}
