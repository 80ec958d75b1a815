// Package cbs knows the municipality codes of Statistics Netherlands (CBS), by which
// Vraagbaak names a municipality everywhere: in sources.yaml, in staff accounts, in the
// widget's ?municipality= and in the configuration. It imports nothing of Vraagbaak;
// chat, staff, ingest and cmd import it.
package cbs

// Valid reports whether code is a CBS municipality code: "GM" and four digits, such as
// GM0363 (Amsterdam). Nothing else is accepted: no lower case, spaces or other lengths.
func Valid(code string) bool {
	if len(code) != 6 || code[:2] != "GM" {
		return false
	}
	for i := 2; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
