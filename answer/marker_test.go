package answer

import "testing"

func TestWithMarker(t *testing.T) {
	tests := []struct{ in, want string }{
		{"U betaalt € 88,15.", "U betaalt € 88,15 [1]."},
		{"Moet ik terugbetalen? Meestal niet", "Moet ik terugbetalen? Meestal niet [1]."},
		{"De balie is open op:\n- maandag\n- dinsdag", "De balie is open op:\n- maandag\n- dinsdag [1]."},
		{"U heeft recht als:\n- u hier woont.\n- …", "U heeft recht als:\n- u hier woont [1].\n- …"},
	}
	for _, tc := range tests {
		if got := withMarker(tc.in, 1); got != tc.want {
			t.Errorf("withMarker(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
