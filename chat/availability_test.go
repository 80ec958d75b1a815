package chat

import (
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

func TestHoursNextAndReopensText(t *testing.T) {
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, 12, day, hour, minute, 0, 0, amsterdam()) // 2026-12-04 is a Friday
	}
	tests := []struct {
		name, hours string
		now         time.Time
		next        time.Time
		text        string
	}{
		{"friday evening", "ma-vr 09:00-17:00", at(4, 20, 0), at(7, 9, 0), "Het contactcentrum is weer open op maandag vanaf 9.00 uur."},
		{"saturday", "ma-vr 08:30-17:00", at(5, 11, 0), at(7, 8, 30), "Het contactcentrum is weer open op maandag vanaf 8.30 uur."},
		{"sunday", "ma-vr 08:30-17:00", at(6, 11, 0), at(7, 8, 30), "Het contactcentrum is morgen weer open vanaf 8.30 uur."},
		{"early morning", "ma-vr 09:00-17:00", at(7, 6, 15), at(7, 9, 0), "Het contactcentrum is vandaag weer open vanaf 9.00 uur."},
		{"closing time", "ma-vr 09:00-17:00", at(7, 17, 0), at(8, 9, 0), "Het contactcentrum is morgen weer open vanaf 9.00 uur."},
		{"open", "ma-vr 09:00-17:00", at(7, 10, 0), at(7, 10, 0), ""},
		{"a week ahead", "vr 09:00-12:00", at(4, 13, 0), at(11, 9, 0), "Het contactcentrum is weer open op vrijdag 11 december vanaf 9.00 uur."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHours(tt.hours)
			if err != nil {
				t.Fatal(err)
			}
			next := h.Next(tt.now)
			if !next.Equal(tt.next) {
				t.Fatalf("Next(%v) = %v, want %v", tt.now, next, tt.next)
			}
			if tt.text == "" {
				return
			}
			if got := reopensText(tt.now, next); got != tt.text {
				t.Errorf("reopensText = %q, want %q", got, tt.text)
			}
		})
	}
}

func TestAvailabilityTexts(t *testing.T) {
	friday := time.Date(2026, 12, 4, 20, 0, 0, 0, amsterdam())
	monday := time.Date(2026, 12, 7, 9, 0, 0, 0, amsterdam())
	tests := []struct {
		name    string
		av      availability
		offline string
		offer   string
	}{
		{"closed", availability{now: friday, next: monday},
			"Er is nu geen medewerker beschikbaar. Het contactcentrum is weer open op maandag vanaf 9.00 uur. " + callbackOffer, offerCallback},
		{"open, nobody online", availability{open: true, now: friday},
			"Er is nu geen medewerker beschikbaar. " + callbackOffer, offerCallback},
		{"staffed", availability{open: true, online: 2, now: friday}, promiseText + " " + callbackOffer, offerAgent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.av.offlineText(); got != tt.offline {
				t.Errorf("offlineText = %q, want %q", got, tt.offline)
			}
			if s := dutch.Score(tt.av.offlineText()); !s.B1() {
				t.Errorf("not B1: %+v", s)
			}
			if got := tt.av.offer(); got != tt.offer {
				t.Errorf("offer = %q, want %q", got, tt.offer)
			}
		})
	}
}

func TestGraver(t *testing.T) {
	suicide := answer.Triage{Reason: answer.ReasonEmergencySuicide, Topic: "zelfdoding"}
	violence := answer.Triage{Reason: answer.ReasonEmergencyViolence, Topic: "huiselijk_geweld"}
	request := answer.Triage{Reason: answer.ReasonRequest, Priority: 4, Topic: "verzoek"}
	tests := []struct {
		name string
		a, b answer.Triage
		want answer.HandoffReason
	}{
		{"a later request keeps the emergency", suicide, request, answer.ReasonEmergencySuicide},
		{"an emergency outranks a request", request, suicide, answer.ReasonEmergencySuicide},
		{"suicide outranks violence", violence, suicide, answer.ReasonEmergencySuicide},
		{"an unknown reason counts least", request, answer.Triage{Reason: "nonsense"}, answer.ReasonRequest},
		{"equal: the first", request, answer.Triage{Reason: answer.ReasonRequest, Topic: "ander"}, answer.ReasonRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graver(tt.a, tt.b)
			if g.Reason != tt.want || g.Priority != tt.want.Priority() {
				t.Errorf("graver = %+v, want %s with priority %d", g, tt.want, tt.want.Priority())
			}
		})
	}
}

func TestHandoffMessages(t *testing.T) {
	friday := time.Date(2026, 12, 4, 20, 0, 0, 0, amsterdam())
	monday := time.Date(2026, 12, 7, 9, 0, 0, 0, amsterdam())
	avs := map[string]availability{
		"staffed": {open: true, online: 1, now: friday},
		"closed":  {now: friday, next: monday},
		"nobody":  {open: true, now: friday},
	}
	for _, r := range answer.HandoffReasons() {
		if m := r.Message(); strings.Contains(m, "zo snel mogelijk") || strings.Contains(m, "neemt dit gesprek") {
			t.Errorf("%s: the reason's text promises a person whether or not one can come: %s", r, m)
		}
		for name, av := range avs {
			t.Run(string(r)+"/"+name, func(t *testing.T) {
				m := handoffText(r, r.Message(), av)
				if r.Message() == "" {
					t.Fatal("no message")
				}
				if s := dutch.Score(m); !s.B1() {
					t.Errorf("not B1: %+v\n%s", s, m)
				}
				if strings.Contains(" "+strings.ToLower(m), " je ") || strings.Contains(" "+strings.ToLower(m), " jij ") {
					t.Errorf("addresses the citizen as je/jij: %s", m)
				}
				if promise := strings.Contains(m, promiseText); promise != av.staffed() {
					t.Errorf("promises a person: %v, one can come: %v: %s", promise, av.staffed(), m)
				}
				if !av.staffed() && !strings.Contains(m, "geen medewerker beschikbaar") {
					t.Errorf("does not say nobody is available: %s", m)
				}
				if reopens := strings.Contains(m, "Het contactcentrum is weer open op maandag vanaf 9.00 uur."); reopens != (name == "closed") {
					t.Errorf("says when the contact centre opens: %v: %s", reopens, m)
				}
			})
		}
	}
	// Emergencies: the numbers come first, before any word about the
	// municipality taking over.
	firstNumbers := map[answer.HandoffReason][]string{
		answer.ReasonEmergencySuicide:  {"113 Zelfmoordpreventie", "0800-0113", "113.nl", "112"},
		answer.ReasonEmergencyViolence: {"Veilig Thuis", "0800-2000", "112"},
		answer.ReasonEmergencyDanger:   {"112"},
	}
	for r, numbers := range firstNumbers {
		for _, av := range avs {
			m := handoffText(r, r.Message(), av)
			colleague := strings.Index(m, "medewerker")
			for _, n := range numbers {
				if i := strings.Index(m, n); i < 0 || i > colleague {
					t.Errorf("%s message: %q missing or after the hand-off sentence: %s", r, n, m)
				}
			}
			if !strings.Contains(m, "(gratis, dag en nacht)") {
				t.Errorf("%s message does not say the line is free day and night: %s", r, m)
			}
		}
	}
}
