package dutch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits Dutch text into sentences, trimmed, with every run of
// whitespace inside a sentence collapsed to one space. Pieces without a
// letter or digit (a lone bullet, "...") are dropped.
//
// Line breaks:
//   - An empty line (a break between blocks) always ends a sentence.
//   - A single line break ends a sentence too, unless it is a hard wrap in
//     the middle of one: the line ends in a letter, digit or comma and the
//     next line starts with a lowercase letter and is not a list item.
//   - A list item ("- item", "* item", "• item", "1. item", "2) item",
//     "a) item") starts a sentence; its marker is removed. A table row as
//     the extractor writes it ("Kolom: waarde; Kolom: waarde") is one line,
//     so it is one sentence. Semicolons never split.
//
// Within a line, '?' and '!' followed by whitespace end a sentence. A '.' or
// an ellipsis ("...", "…") ends one only when whitespace follows and the next
// sentence visibly starts: an uppercase letter, a digit or an opening quote
// or bracket. So "o.a. de huur", an ellipsis inside a sentence and numbers
// such as "€ 1.401,50", "0,0812%", "7.30 uur" and "9.00-17.00" never split.
// After a known abbreviation (abbreviations below) a '.' does not end a
// sentence, not even before a capital ("dhr. Jansen", "incl. BTW", "art. 3").
// Abbreviations that often close a sentence ("enz.", "etc.", "e.d.") and
// month abbreviations ("3 sept. 2026") end one before an uppercase letter but
// not before a digit. A single capital with a period ("J. de Vries") is an
// initial and unknown dotted abbreviations ("t.z.t.") do not split either.
func Sentences(text string) []string {
	var out []string
	add := func(s string) {
		s = strings.Join(strings.Fields(s), " ")
		if hasAlnum(s) {
			out = append(out, s)
		}
	}
	for _, block := range blocks(text) {
		splitLine(block, add)
	}
	return out
}

// blocks joins hard-wrapped lines and returns the pieces of text between
// line-break boundaries, with list markers removed.
func blocks(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var (
		out []string
		cur strings.Builder
	)
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		rest, item := ListItem(line)
		if cur.Len() > 0 && !item && continues(cur.String(), line) {
			cur.WriteByte(' ')
			cur.WriteString(line)
			continue
		}
		flush()
		cur.WriteString(rest)
	}
	flush()
	return out
}

// continues reports whether next is a hard-wrapped continuation of prev.
func continues(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	return (unicode.IsLetter(last) || unicode.IsDigit(last) || last == ',') && unicode.IsLower(first)
}

// ListItem reports whether line starts with a list marker followed by a space
// and returns the line without it.
func ListItem(line string) (string, bool) {
	r, size := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '*', '•', '·', '–', '—', '▪', '◦':
		if rest, ok := afterSpace(line[size:]); ok {
			return rest, true
		}
		return line, false
	}
	// "1. ", "12) ", "a) "
	i := 0
	for i < len(line) && i < 2 && '0' <= line[i] && line[i] <= '9' {
		i++
	}
	if i == 0 && len(line) > 1 && 'a' <= line[0] && line[0] <= 'z' && line[1] == ')' {
		if rest, ok := afterSpace(line[2:]); ok {
			return rest, true
		}
	}
	if i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') {
		if rest, ok := afterSpace(line[i+1:]); ok {
			return rest, true
		}
	}
	return line, false
}

func afterSpace(s string) (string, bool) {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if len(t) == len(s) || t == "" {
		return "", false
	}
	return t, true
}

// closers may follow a sentence's final punctuation and belong to it.
const closers = ")]}\"'”’»"

// openers may start a sentence.
const openers = "([{\"'“‘„«"

// splitLine splits one block of text (no line breaks left that matter) into
// sentences and passes each to add.
func splitLine(s string, add func(string)) {
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		end := i + size // end of the terminator run
		switch {
		case r == '?' || r == '!':
			for end < len(s) && (s[end] == '?' || s[end] == '!') {
				end++
			}
		case r == '.' || r == '…':
		default:
			i = end
			continue
		}
		ellipsis := r == '…'
		if r == '.' {
			for end < len(s) && s[end] == '.' {
				end++
				ellipsis = true
			}
		}
		for end < len(s) && strings.ContainsRune(closers, rune(s[end])) {
			end++
		}
		next := strings.TrimLeftFunc(s[end:], unicode.IsSpace)
		if len(next) == len(s[end:]) && next != "" {
			// No whitespace after the terminator: "1.401", "o.a", "www.x.nl".
			i = end
			continue
		}
		if next == "" || r == '?' || r == '!' || (ellipsis && startsUpper(next)) ||
			(!ellipsis && periodEnds(s[start:i], next)) {
			add(s[start:end])
			start = end
			i = len(s) - len(next)
			continue
		}
		i = end
	}
	add(s[start:])
}

// periodEnds reports whether a period after before, followed by whitespace
// and next, ends a sentence.
func periodEnds(before, next string) bool {
	word := lastWord(before)
	if word == "" {
		return false
	}
	key := strings.ToLower(word) + "."
	switch abbreviations[key] {
	case never:
		return false
	case beforeUpper:
		return startsUpper(next)
	}
	if r, _ := utf8.DecodeRuneInString(word); utf8.RuneCountInString(word) == 1 && unicode.IsUpper(r) {
		return false // an initial: "J. de Vries"
	}
	if dotted(word) {
		return false // an unknown dotted abbreviation: "t.z.t."
	}
	first, _ := utf8.DecodeRuneInString(next)
	return startsUpper(next) || unicode.IsDigit(first)
}

// dotted reports whether word looks like a dotted abbreviation: letters in
// groups of one or two separated by periods ("t.z.t", "z.g.a.n", "n.v.t"),
// unlike a host name ("rijksoverheid.nl").
func dotted(word string) bool {
	if !strings.Contains(word, ".") {
		return false
	}
	for part := range strings.SplitSeq(word, ".") {
		n := utf8.RuneCountInString(part)
		if n == 0 || n > 2 || strings.IndexFunc(part, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return false
		}
	}
	return true
}

// lastWord returns the word just before the end of s, without opening
// punctuation: for "zie (o.a" it returns "o.a".
func lastWord(s string) string {
	i := strings.LastIndexFunc(s, unicode.IsSpace)
	w := s[i+1:]
	return strings.TrimLeft(w, openers)
}

// startsUpper reports whether s starts with an uppercase letter, possibly
// after opening quotes or brackets.
func startsUpper(s string) bool {
	s = strings.TrimLeft(s, openers)
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// abbrevKind says when a period after an abbreviation ends a sentence.
type abbrevKind uint8

const (
	notAbbrev   abbrevKind = iota
	never                  // never: "dhr. Jansen", "incl. BTW"
	beforeUpper            // before an uppercase letter only: "enz. De", not "sept. 2026"
)

// abbreviations found in Dutch government text, lowercased, with their final
// period.
var abbreviations = func() map[string]abbrevKind {
	m := make(map[string]abbrevKind)
	for _, a := range strings.Fields(`
		a.d.h.v. aanv. afd. afl. alg. art. bijv. blz. bv. bijz. ca. cf. d.d.
		d.m.v. d.w.z. dhr. dr. drs. e.e.a. evt. excl. fa. gem. hfdst. hr. i.c.m.
		i.h.a. i.o.m. i.p.v. i.s.m. i.v.m. ing. ir. incl. jr. m.b.t. m.b.v.
		m.i.v. m.n. m.u.v. mevr. mr. mw. nl. nr. nrs. o.a. o.b.v. o.g.v. o.i.d.
		o.l.v. o.m. o.v.v. p. pag. prof. resp. sr. st. t.a.v. t.b.v. t.g.v.
		t.o.v. t.w. t.z.t. tel. v. vgl. vnl. vs. zgn. z.g.a.n. str. c.q.`) {
		m[a] = never
	}
	for _, a := range strings.Fields(`
		a.s. a.u.b. e.a. e.d. e.v. enz. etc. jl. max. min. n.v.t. z.s.m.
		jan. feb. febr. mrt. apr. jun. jul. aug. sep. sept. okt. nov. dec.
		ma. di. wo. do. vr. za. zo.`) {
		m[a] = beforeUpper
	}
	return m
}()
