package ingest

import (
	"fmt"
	"net/url"
	"strings"
)

// place is a URL as the allow-list compares it: scheme, lower-case host, port (the
// scheme's default when none is given) and the decoded path segments. A path that
// ends in "/" ends in an empty segment.
type place struct {
	scheme, host, port string
	segments           []string
}

// placeOf parses u for the allow-list; false for what the crawler never fetches: no
// http(s), no host, user info ("http://allowed.nl@evil.nl/"), backslashes, dot
// segments or an encoded "/" in the path.
func placeOf(u *url.URL) (place, bool) {
	p := place{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if (p.scheme != "http" && p.scheme != "https") || u.Opaque != "" || u.User != nil || p.host == "" ||
		strings.ContainsAny(p.host, `\@/%`) || strings.Contains(u.Host, `\`) {
		return place{}, false
	}
	if p.port == "" {
		p.port = map[string]string{"http": "80", "https": "443"}[p.scheme]
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if path[0] != '/' || strings.Contains(path, `\`) || strings.Contains(strings.ToLower(path), "%5c") {
		return place{}, false
	}
	for _, seg := range strings.Split(path[1:], "/") {
		d, err := url.PathUnescape(seg)
		if err != nil || d == "." || d == ".." || strings.ContainsAny(d, `/\`) {
			return place{}, false
		}
		p.segments = append(p.segments, d)
	}
	return p, true
}

// under reports whether p lies under the allow prefix a: the same scheme, host and
// port, and a's path segments whole. A prefix ending in "/" ("/foo/") covers what lies
// below it; one without ("/foo") covers "/foo" and what lies below "/foo/", but not
// "/foobar".
func (p place) under(a place) bool {
	if p.scheme != a.scheme || p.host != a.host || p.port != a.port {
		return false
	}
	whole := a.segments
	if n := len(whole); n > 0 && whole[n-1] == "" {
		whole = whole[:n-1] // a directory: any segment may follow
		if len(p.segments) <= len(whole) {
			return false // "/foo" is not under "/foo/"
		}
	}
	if len(p.segments) < len(whole) {
		return false
	}
	for i, s := range whole {
		if p.segments[i] != s {
			return false
		}
	}
	return true
}

// allowed reports whether u lies under one of the allow prefixes (see place.under).
func allowed(prefixes []string, u *url.URL) bool {
	p, ok := placeOf(u)
	if !ok {
		return false
	}
	for _, s := range prefixes {
		au, err := url.Parse(s)
		if err != nil {
			continue
		}
		if a, ok := placeOf(au); ok && p.under(a) {
			return true
		}
	}
	return false
}

// checkAllow validates one allow prefix of a sources file.
func checkAllow(s string) error {
	u, err := httpURL(s)
	if err != nil {
		return err
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return fmt.Errorf("%q: an allow prefix has no query or fragment", s)
	}
	if _, ok := placeOf(u); !ok {
		return fmt.Errorf("%q: an allow prefix has no user info, backslashes or dot segments", s)
	}
	return nil
}
