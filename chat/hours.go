package chat

import (
	"fmt"
	"strings"
	"time"
)

// Hours are a municipality's contact-centre opening hours: the same times on a set of
// weekdays, in Dutch time.
type Hours struct {
	days     [7]bool // indexed by time.Weekday
	from, to int     // minutes after midnight, to exclusive
}

var dayNames = map[string]time.Weekday{
	"zo": time.Sunday, "ma": time.Monday, "di": time.Tuesday, "wo": time.Wednesday,
	"do": time.Thursday, "vr": time.Friday, "za": time.Saturday,
}

// ParseHours reads "ma-vr 08:30-17:00" (days zo ma di wo do vr za, a range or a
// comma list; 24:00 is the end of the day).
func ParseHours(s string) (Hours, error) {
	var h Hours
	days, times, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return h, fmt.Errorf("opening hours %q: want days and times such as ma-vr 08:30-17:00", s)
	}
	for _, part := range strings.Split(days, ",") {
		first, last, isRange := strings.Cut(part, "-")
		a, ok1 := dayNames[first]
		b, ok2 := dayNames[last]
		if !isRange {
			b, ok2 = a, ok1
		}
		if !ok1 || !ok2 {
			return h, fmt.Errorf("opening hours %q: unknown day in %q (use zo ma di wo do vr za)", s, part)
		}
		for d := a; ; d = (d + 1) % 7 {
			h.days[d] = true
			if d == b {
				break
			}
		}
	}
	from, to, ok := strings.Cut(strings.TrimSpace(times), "-")
	var err1, err2 error
	h.from, err1 = minutes(from)
	h.to, err2 = minutes(to)
	if !ok || err1 != nil || err2 != nil || h.from >= h.to {
		return h, fmt.Errorf("opening hours %q: want times such as 08:30-17:00", s)
	}
	return h, nil
}

func minutes(s string) (int, error) {
	var hh, mm int
	if _, err := fmt.Sscanf(s, "%d:%d", &hh, &mm); err != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm > 0) {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return hh*60 + mm, nil
}

// ParseOpeningHours reads "GM0363=ma-vr 08:30-17:00;*=ma-vr 09:00-17:00".
func ParseOpeningHours(s string) (map[string]Hours, error) {
	out := map[string]Hours{}
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		key, spec, ok := strings.Cut(part, "=")
		key = strings.TrimSpace(key)
		if !ok || (key != "*" && !cbsCode.MatchString(key)) {
			return nil, fmt.Errorf("opening hours %q: want GM0363=ma-vr 08:30-17:00", part)
		}
		h, err := ParseHours(spec)
		if err != nil {
			return nil, err
		}
		out[key] = h
	}
	return out, nil
}

// amsterdam is Dutch time; time/tzdata is linked in by main.
func amsterdam() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// Open reports whether t falls within the hours.
func (h Hours) Open(t time.Time) bool {
	t = t.In(amsterdam())
	m := t.Hour()*60 + t.Minute()
	return h.days[t.Weekday()] && m >= h.from && m < h.to
}

// open reports whether the municipality's contact centre is open at t.
func (c ServerConfig) open(municipality string, t time.Time) bool {
	if h, ok := c.OpeningHours[municipality]; ok {
		return h.Open(t)
	}
	if h, ok := c.OpeningHours["*"]; ok {
		return h.Open(t)
	}
	return true
}
