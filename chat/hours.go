package chat

import (
	"fmt"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/cbs"
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
		if !ok || (key != "*" && !cbs.Valid(key)) {
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
	h, ok := c.hours(municipality)
	return !ok || h.Open(t)
}

// Next returns the first moment at or after t at which the hours are open: t itself
// when they are open at t, and the zero time when they never open.
func (h Hours) Next(t time.Time) time.Time {
	loc := amsterdam()
	t = t.In(loc)
	if h.Open(t) {
		return t
	}
	for d := range 8 {
		day := time.Date(t.Year(), t.Month(), t.Day()+d, 0, 0, 0, 0, loc)
		if !h.days[day.Weekday()] {
			continue
		}
		if start := day.Add(time.Duration(h.from) * time.Minute); !start.Before(t) {
			return start
		}
	}
	return time.Time{}
}

// hours returns the municipality's opening hours; false when it has none (always open).
func (c ServerConfig) hours(municipality string) (Hours, bool) {
	if h, ok := c.OpeningHours[municipality]; ok {
		return h, true
	}
	h, ok := c.OpeningHours["*"]
	return h, ok
}

// dutchDays are the names of the weekdays, indexed by time.Weekday.
var dutchDays = [7]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// reopensText says in B1 Dutch when the contact centre opens again, from now to
// next: "Het contactcentrum is weer open op maandag vanaf 9.00 uur."
func reopensText(now, next time.Time) string {
	loc := amsterdam()
	now, next = now.In(loc), next.In(loc)
	at := fmt.Sprintf("%d.%02d uur", next.Hour(), next.Minute())
	noon := func(t time.Time) time.Time { y, m, d := t.Date(); return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	days := int(noon(next).Sub(noon(now)).Hours()/24 + 0.5)
	switch {
	case days == 0:
		return "Het contactcentrum is vandaag weer open vanaf " + at + "."
	case days == 1:
		return "Het contactcentrum is morgen weer open vanaf " + at + "."
	case days < 7:
		return "Het contactcentrum is weer open op " + dutchDays[next.Weekday()] + " vanaf " + at + "."
	}
	return "Het contactcentrum is weer open op " + dutchDays[next.Weekday()] + " " + fmt.Sprintf("%d %s", next.Day(), dutchMonths[next.Month()-1]) + " vanaf " + at + "."
}

var dutchMonths = [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
	"september", "oktober", "november", "december"}
