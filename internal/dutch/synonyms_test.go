package dutch

import "testing"

func TestSynonymsFile(t *testing.T) {
	if _, err := parseSynonyms(synonymsText); err != nil {
		t.Fatal(err)
	}
	if _, err := parseSynonyms("huurtoeslag huursubsidie"); err == nil {
		t.Error("a line without a colon was accepted")
	}
}

func TestExpand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mn paspoort is gejat", "mn paspoort is gejat gestolen"},
		{"huursubsidie aanvragen", "huursubsidie aanvragen huurtoeslag"},
		{"ik zit krap bij kas", "ik zit krap bij kas geldzorgen"},
		{"Mijn wasmachine is kapot!", "Mijn wasmachine is kapot! witgoed"},
		{"paspoort gestolen, ik ben het gejat", "paspoort gestolen, ik ben het gejat"}, // has the official word
		{"hoe vraag ik huurtoeslag aan", "hoe vraag ik huurtoeslag aan"},               // nothing colloquial
		{"schoonmaakhulp via de gemeente", "schoonmaakhulp via de gemeente huishoudelijke hulp"},
	}
	for _, tc := range tests {
		got := Expand(tc.in)
		if got != tc.want {
			t.Errorf("Expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Expand(got); again != got {
			t.Errorf("Expand is not idempotent: %q then %q", got, again)
		}
	}
}

func TestOfficial(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mn paspoort is gejat!", "mn paspoort is gestolen"},
		{"how much rent allowance", "hoeveel huurtoeslag"},
		{"huurtoeslag aanvragen", "huurtoeslag aanvragen"},
		{"wat kost een id kaart", "wat kost een identiteitskaart"},
		{"how much zorgtoeslag if i earn 36000 a year and live alone", "hoeveel zorgtoeslag if i inkomen 36000 a jaar and alleenstaand"},
		{"passport photo", "pasfoto"}, // the longest variant wins: not "paspoort photo"
	}
	for _, tc := range tests {
		if got := Official(tc.in); got != tc.want {
			t.Errorf("Official(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
