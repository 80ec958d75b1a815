package chat

import (
	"context"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
)

// availability is whether a person of the contact centre can take a conversation
// over now. Every text about a hand-off is composed from it at the moment of the
// hand-off: a person is promised only when one can come.
type availability struct {
	open   bool      // within the municipality's opening hours (or it has none)
	online int       // agents of the municipality online; counted only when open
	now    time.Time // when it was looked up
	next   time.Time // when the contact centre opens again; zero when open or unknown
}

// staffed reports whether someone can take over now: the contact centre is open and
// an agent of the municipality is online.
func (a availability) staffed() bool { return a.open && a.online > 0 }

// Texts of the availability, in B1 Dutch. promiseText is the only sentence that
// promises a person; it is used only when one can come.
const (
	promiseText   = "Een medewerker neemt dit gesprek zo snel mogelijk over."
	alsoTalkText  = "Wilt u ook met de gemeente praten?"
	nobodyText    = "Er is nu geen medewerker beschikbaar."
	callbackOffer = "Laat hieronder een terugbelverzoek achter. Dan neemt de gemeente contact met u op."
)

// Offers under a refusal (answer.offer): a person can take over now, or nobody can
// and the call-back form is offered.
const (
	offerAgent    = "agent"
	offerCallback = "callback"
)

// sentence says honestly whether a person can take over: the promise when one can,
// otherwise that nobody is available and, outside opening hours, when the contact
// centre opens again. After an emergency's numbers it first asks whether the citizen
// also wants to talk to the municipality.
func (a availability) sentence(emergency bool) string {
	s := ""
	if emergency {
		s = alsoTalkText + " "
	}
	if a.staffed() {
		return s + promiseText
	}
	s += nobodyText
	if !a.next.IsZero() {
		s += " " + reopensText(a.now, a.next)
	}
	return s
}

// handoffText composes what the citizen reads when a conversation goes to a person:
// the reason's text (handoffMessages) and the availability.
func handoffText(reason answer.HandoffReason, reasonText string, a availability) string {
	if reasonText == "" {
		return a.sentence(false)
	}
	return reasonText + " " + a.sentence(reason.Emergency())
}

// offlineText is the hand-off message for a citizen nobody can take over now.
func (a availability) offlineText() string { return a.sentence(false) + " " + callbackOffer }

// offer is what a refusal offers: a person, or the call-back when nobody can come.
func (a availability) offer() string {
	if a.staffed() {
		return offerAgent
	}
	return offerCallback
}

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// availability looks up whether a person of the municipality can take over now. When
// the number of agents online cannot be read, nobody is counted: the citizen is then
// not promised a person.
func (s *Server) availability(ctx context.Context, municipality string) availability {
	now := s.now()
	a := availability{open: s.cfg.open(municipality, now), now: now}
	if !a.open {
		if h, ok := s.cfg.hours(municipality); ok {
			a.next = h.Next(now)
		}
		return a
	}
	n, err := s.convs.AgentsOnline(ctx, municipality)
	if err != nil {
		s.log.Warn("agents online unknown; promising nobody", "municipality", municipality, "err", err)
		return a
	}
	a.online = n
	return a
}
