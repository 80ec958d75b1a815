package ingest

import (
	"net/url"
	"testing"
)

func TestAllowed(t *testing.T) {
	prefixes := []string{"http://127.0.0.1:8081", "https://www.gemeente.nl/loket/", "https://www.gemeente.nl/foo"}
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8081/", true},
		{"http://127.0.0.1:8081", true},
		{"http://127.0.0.1:8081/x/y?q=1", true},
		{"http://127.0.0.1:8081@evil.nl/x", false}, // user info: the host is evil.nl
		{"http://evil.nl@127.0.0.1:8081/x", false}, // user info, even with the right host
		{"http://127.0.0.1:8081.evil.nl/x", false},
		{"http://127.0.0.1:8082/x", false},
		{"http://127.0.0.1/x", false},
		{"https://127.0.0.1:8081/x", false},
		{"http://127.0.0.1:8081\\@evil.nl/x", false},
		{"https://www.gemeente.nl/loket/paspoort", true},
		{"https://WWW.Gemeente.NL/loket/paspoort", true}, // host names are case-insensitive
		{"https://www.gemeente.nl:443/loket/paspoort", true},
		{"https://www.gemeente.nl:8443/loket/paspoort", false},
		{"https://www.gemeente.nl.evil.nl/loket/paspoort", false},
		{"https://www.gemeente.nl./loket/paspoort", false},
		{"https://www.gemeente.nl/loket", false}, // the prefix is the directory /loket/
		{"https://www.gemeente.nl/loketten/x", false},
		{"https://www.gemeente.nl/Loket/paspoort", false}, // paths are case-sensitive
		{"https://www.gemeente.nl/foo", true},
		{"https://www.gemeente.nl/foo/", true},
		{"https://www.gemeente.nl/foo/bar", true},
		{"https://www.gemeente.nl/foobar", false},
		{"https://www.gemeente.nl/foo.html", false},
		{"https://www.gemeente.nl/%6Coket/paspoort", true}, // %6C is "l": the same path
		{"https://www.gemeente.nl/loket/..%2f..%2fadmin", false},
		{"https://www.gemeente.nl/loket%2Fpaspoort", false},
		{"https://www.gemeente.nl/loket/%2e%2e/admin", false},
		{"https://www.gemeente.nl/loket/../admin", false},
		{"https://www.gemeente.nl/loket\\..\\admin", false},
		{"https://www.gemeente.nl/loket/%5c..%5cadmin", false},
		{"https://www.gemeente.nl/loket/%zz", false},
		{"ftp://www.gemeente.nl/loket/x", false},
		{"https:www.gemeente.nl/loket/x", false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				if tc.want {
					t.Fatalf("parse: %v", err)
				}
				return // what does not parse is never fetched
			}
			if got := allowed(prefixes, u); got != tc.want {
				t.Errorf("allowed(%s) = %v, want %v", tc.url, got, tc.want)
			}
			// The crawler normalizes before it asks.
			if got := allowed(prefixes, normalize(u)); got != tc.want {
				t.Errorf("allowed(normalize(%s)) = %v, want %v", tc.url, got, tc.want)
			}
		})
	}
}

func TestCheckAllow(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"https://www.gemeente.nl/", true},
		{"https://www.gemeente.nl/loket", true},
		{"https://user@www.gemeente.nl/", false},
		{"https://www.gemeente.nl/?q=1", false},
		{"https://www.gemeente.nl/#top", false},
		{"https://www.gemeente.nl/a/../b/", false},
		{"www.gemeente.nl/", false},
	} {
		if err := checkAllow(tc.prefix); (err == nil) != tc.ok {
			t.Errorf("checkAllow(%s) = %v, want ok %v", tc.prefix, err, tc.ok)
		}
	}
}
