package chat

import (
	"testing"
	"time"

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
	suicide := Triage{Reason: ReasonEmergencySuicide, Topic: "zelfdoding"}
	violence := Triage{Reason: ReasonEmergencyViolence, Topic: "huiselijk_geweld"}
	request := Triage{Reason: ReasonRequest, Priority: 4, Topic: "verzoek"}
	tests := []struct {
		name string
		a, b Triage
		want HandoffReason
	}{
		{"a later request keeps the emergency", suicide, request, ReasonEmergencySuicide},
		{"an emergency outranks a request", request, suicide, ReasonEmergencySuicide},
		{"suicide outranks violence", violence, suicide, ReasonEmergencySuicide},
		{"an unknown reason counts least", request, Triage{Reason: "nonsense"}, ReasonRequest},
		{"equal: the first", request, Triage{Reason: ReasonRequest, Topic: "ander"}, ReasonRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graver(tt.a, tt.b)
			if g.Reason != tt.want || g.Priority != tt.want.priority() {
				t.Errorf("graver = %+v, want %s with priority %d", g, tt.want, tt.want.priority())
			}
		})
	}
}
