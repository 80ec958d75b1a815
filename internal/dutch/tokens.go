// Package dutch owns the analysis of Dutch text: tokenising, diacritic
// folding, stopwords and stemming. It is the one place that decides what a
// "word" and a "term" are, so that the embedder (retrieval/lsa), the
// extractive answerer and readability scoring agree.
//
// Any package in the module may import it; it imports nothing from the
// module itself. All functions are safe for concurrent use and hold no state.
package dutch

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokens splits s into lowercase word tokens made of letters and digits.
//
// The rules, in order of how often they matter:
//   - Letters are lowercased and folded to their base letter (é→e, ë→e,
//     ï→i, ç→c, ĳ→ij, ß→ss, æ→ae, ø→o). Letters of other scripts are
//     kept, lowercased.
//   - Whitespace, punctuation and symbols separate tokens.
//   - A hyphen between two letters or digits splits a compound into its
//     parts: "ESTA-reistoestemming" gives "esta", "reistoestemming". Tokens
//     never emits the joined form; Terms does (see there).
//   - A '.' or ',' between two digits is dropped and the digits are joined,
//     so thousands separators disappear: "1.345" gives "1345", "€ 1.345,50"
//     gives "134550" and "3,5" gives "35". Dates such as "01-02-2026" split
//     on the hyphens into "01", "02", "2026".
//   - An apostrophe followed by a lone "s" at the end of a word is a plural
//     or genitive ending and is dropped: "auto's" gives "auto". Any other
//     apostrophe separates: "zo'n" gives "zo", "n".
//
// Tokens mixing letters and digits stay whole ("a4", "2e").
func Tokens(s string) []string {
	var out []string
	scan(s, func(tok string, joined bool) {
		if !joined {
			out = append(out, tok)
		}
	})
	return out
}

// scan calls emit for every token of s in order. After the last part of a
// hyphenated compound it also calls emit with the parts joined and joined set
// to true ("e-mail" gives "e", "mail" and then "email" joined).
func scan(s string, emit func(tok string, joined bool)) {
	var (
		buf       = make([]byte, 0, 32) // the token being built
		compound  = make([]byte, 0, 32) // the parts of a hyphenated compound so far
		parts     int                   // number of parts in compound
		prevAlnum bool                  // the last rune read was a letter or digit
	)
	flushCompound := func() {
		if parts > 1 {
			emit(string(compound), true)
		}
		compound = compound[:0]
		parts = 0
	}
	// endToken ends the current token. hyphen says whether a hyphen joins it
	// to the next token.
	endToken := func(hyphen bool) {
		if len(buf) > 0 {
			emit(string(buf), false)
			compound = append(compound, buf...)
			parts++
			buf = buf[:0]
		}
		if !hyphen {
			flushCompound()
		}
	}

	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				buf = append(buf, c)
				prevAlnum = true
				i++
				continue
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+('a'-'A'))
				prevAlnum = true
				i++
				continue
			}
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		next := i + size
		switch {
		case r == '-' || r == '\u2010' || r == '\u2011':
			if prevAlnum && startsAlnum(s[next:]) {
				endToken(true)
			} else {
				endToken(false)
			}
			prevAlnum = false
		case (r == '.' || r == ',') && prevAlnum && isDigit(buf) && startsDigit(s[next:]):
			// Thousands or decimal separator: join the digits.
		case r == '\'' || r == '\u2019':
			if prevAlnum && len(s) > next && (s[next] == 's' || s[next] == 'S') && !startsAlnum(s[next+1:]) {
				// Plural or genitive "'s": drop it and end the word.
				endToken(false)
				next++
			} else {
				endToken(false)
			}
			prevAlnum = false
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)):
			n := len(buf)
			buf = appendFolded(buf, r)
			if len(buf) > n {
				prevAlnum = true
			}
		default:
			endToken(false)
			prevAlnum = false
		}
		i = next
	}
	endToken(false)
}

// appendFolded appends the lowercase, diacritic-free form of the non-ASCII
// letter or digit r to buf. Combining marks are dropped.
func appendFolded(buf []byte, r rune) []byte {
	switch r {
	case 'ß':
		return append(buf, "ss"...)
	case 'æ', 'Æ':
		return append(buf, "ae"...)
	case 'œ', 'Œ':
		return append(buf, "oe"...)
	case 'ø', 'Ø':
		return append(buf, 'o')
	case 'ł', 'Ł':
		return append(buf, 'l')
	case 'đ', 'Đ', 'ð', 'Ð':
		return append(buf, 'd')
	case 'þ', 'Þ':
		return append(buf, "th"...)
	case 'ı':
		return append(buf, 'i')
	}
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], r)
	var it norm.Iter
	it.Init(norm.NFKD, tmp[:n])
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			d, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			switch {
			case d < utf8.RuneSelf:
				if 'A' <= d && d <= 'Z' {
					d += 'a' - 'A'
				}
				if ('a' <= d && d <= 'z') || ('0' <= d && d <= '9') {
					buf = append(buf, byte(d))
				}
			case unicode.Is(unicode.Mn, d):
				// A diacritic: drop it.
			case unicode.IsLetter(d) || unicode.IsDigit(d):
				buf = utf8.AppendRune(buf, unicode.ToLower(d))
			}
		}
	}
	return buf
}

// startsAlnum reports whether s starts with a letter or digit.
func startsAlnum(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c < utf8.RuneSelf {
		return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// startsDigit reports whether s starts with an ASCII digit.
func startsDigit(s string) bool {
	return s != "" && '0' <= s[0] && s[0] <= '9'
}

// isDigit reports whether the last byte of b is an ASCII digit.
func isDigit(b []byte) bool {
	return len(b) > 0 && '0' <= b[len(b)-1] && b[len(b)-1] <= '9'
}
