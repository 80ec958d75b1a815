package cbs_test

import (
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/cbs"
)

func TestValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want bool
	}{
		{"GM0363", true},
		{"GM9001", true},
		{"GM0000", true},
		{"", false},
		{"GM", false},
		{"GM036", false},
		{"GM03630", false},
		{"gm0363", false},
		{"Gm0363", false},
		{"GM036a", false},
		{"GM 363", false},
		{" GM0363", false},
		{"GM0363\n", false},
		{"PV0363", false},
		{"0363", false},
		{"GM٠٣٦٣", false}, // Arabic-Indic digits are not digits here
		{"GM-363", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			if got := cbs.Valid(tt.code); got != tt.want {
				t.Errorf("Valid(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}
