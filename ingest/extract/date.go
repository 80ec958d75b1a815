package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// isoLayouts are the machine-readable date layouts of <meta>, JSON-LD and <time datetime>.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC1123,
	time.RFC1123Z,
}

// months maps Dutch (and English) month names and their abbreviations.
var months = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "feb": 2, "febr": 2, "february": 2,
	"maart": 3, "mrt": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"augustus": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

var (
	dateDMY     = regexp.MustCompile(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`)
	dateYMD     = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	dateInWords = regexp.MustCompile(`\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b`)
)

// parseDate reads a machine-readable date, or else the first human-written date in s
// ("3 september 2026", "3 sept. 2026", "12-09-2026", "2026-09-12"). Dates without a time
// zone are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, plausible(t)
		}
	}
	t, at := firstDate(s)
	return t, at >= 0
}

// firstDate finds the first written date in s and returns it with its byte offset, or -1.
func firstDate(s string) (time.Time, int) {
	best, at := time.Time{}, -1
	try := func(m []int, t time.Time) {
		if plausible(t) && (at < 0 || m[0] < at) {
			best, at = t, m[0]
		}
	}
	if m := dateDMY.FindStringSubmatchIndex(s); m != nil {
		d, mo, y := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		try(m, date(y, time.Month(mo), d))
	}
	if m := dateYMD.FindStringSubmatchIndex(s); m != nil {
		y, mo, d := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		try(m, date(y, time.Month(mo), d))
	}
	for _, m := range dateInWords.FindAllStringSubmatchIndex(s, -1) {
		mo, ok := months[strings.ToLower(s[m[4]:m[5]])]
		if !ok {
			continue
		}
		d, y := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]])
		try(m, date(y, mo, d))
		break
	}
	return best, at
}

// date builds a UTC date, or the zero time for an impossible one (31 februari).
func date(y int, m time.Month, d int) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != m {
		return time.Time{}
	}
	return t
}

func plausible(t time.Time) bool {
	return t.Year() >= 1990 && t.Year() <= 2100
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// modifiedWords introduce a page's modification date in Dutch or English text.
var modifiedWords = []string{
	"gewijzigd", "wijziging", "bijgewerkt", "aangepast", "geactualiseerd",
	"last modified", "last updated", "updated",
}

// modifiedFromText finds the first date that a phrase like "Laatst gewijzigd: 3 september
// 2026", "Laatst gewijzigd op 14 oktober 2026" or "Bijgewerkt op 12-09-2026" gives.
func modifiedFromText(text string) (time.Time, bool) {
	lower := asciiLower(text)
	best, bestAt := time.Time{}, -1
	for _, w := range modifiedWords {
		for from := 0; ; {
			i := strings.Index(lower[from:], w)
			if i < 0 || (bestAt >= 0 && from+i > bestAt) {
				break
			}
			i += from
			end := i + len(w)
			rest := text[end:min(len(text), end+64)]
			if t, at := firstDate(rest); at >= 0 && at <= 24 && !strings.ContainsAny(rest[:at], "0123456789") {
				best, bestAt = t, i
				break
			}
			from = end
		}
	}
	return best, bestAt >= 0
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid for the original.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// modifiedPrefixes start a line that only states when the page was changed.
var modifiedPrefixes = []string{
	"laatst", "gewijzigd", "bijgewerkt", "aangepast", "geactualiseerd", "datum", "wijziging",
	"pagina", "deze pagina", "last", "updated",
}

// time records the datetime of a <time> element. One marked as the modification date
// (itemprop="dateModified", or a class such as "modified") becomes the page date.
func (r *renderer) time(n *html.Node) {
	dt := strings.TrimSpace(attr(n, "datetime"))
	if dt == "" {
		return
	}
	r.times = append(r.times, dt)
	r.paraTime = dt
	if strings.EqualFold(attr(n, "itemprop"), "dateModified") || modifiedClass(attr(n, "class")) {
		if t, ok := parseDate(dt); ok && r.modified.IsZero() {
			r.modified = t
		}
	}
}

func modifiedClass(class string) bool {
	c := strings.ToLower(class)
	return strings.Contains(c, "modified") || strings.Contains(c, "updated") || strings.Contains(c, "gewijzigd")
}

// modifiedLine reads a short line that only says when the page was last changed.
func modifiedLine(p string) (time.Time, bool) {
	if len(p) > 100 {
		return time.Time{}, false
	}
	lower := asciiLower(p)
	for _, prefix := range modifiedPrefixes {
		if strings.HasPrefix(lower, prefix) {
			return modifiedFromText(p)
		}
	}
	return time.Time{}, false
}

// modifiedInBlocks returns the date of the first block of n (a paragraph, a footer line)
// that only says when the page was last changed.
func modifiedInBlocks(n *html.Node) time.Time {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if hardChrome[n.Data] {
				return
			}
		}
		block := n.Type == html.ElementNode && !inlineTags[n.Data]
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	walk(n)
	for _, line := range strings.Split(b.String(), "\n") {
		if t, ok := modifiedLine(collapse(line)); ok {
			return t
		}
	}
	return time.Time{}
}
