package pii

import "regexp"

// emailRe matches local@domain.tld.
var emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)

func acceptEmail(_ string, m []int) (int, int, bool) { return m[0], m[1], true }
