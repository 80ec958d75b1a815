package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id's cost parameters. The defaults are OWASP's first choice
// (46 MiB, one pass, one lane): about 50 ms on a server core. Stored hashes carry
// their own parameters, so raising these later only affects new and rehashed ones.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

func defaultArgonParams() argonParams {
	return argonParams{memory: 46 * 1024, time: 1, threads: 1}
}

const (
	saltBytes = 16
	keyBytes  = 32
)

// hashPassword returns password's argon2id hash in PHC string format:
// $argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>, both in unpadded standard base64.
func hashPassword(p argonParams, password string) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("staff: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// verifyPassword reports whether password matches the PHC string encoded, and whether
// the hash was made with other parameters than want (and should be replaced).
func verifyPassword(want argonParams, encoded, password string) (ok, rehash bool, err error) {
	p, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, ok && p != want, nil
}

func parseHash(encoded string) (p argonParams, salt, key []byte, err error) {
	bad := func(what string) error { return fmt.Errorf("staff: stored password hash: %s", what) }
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, bad("not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, bad("unsupported version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, bad("unreadable parameters")
	}
	// Bounds keep a damaged row from making one login take minutes or gigabytes.
	if p.memory < 8 || p.memory > 1<<20 || p.time < 1 || p.time > 16 || p.threads < 1 {
		return p, nil, nil, bad("parameters out of range")
	}
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, bad("bad salt")
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, bad("bad hash")
	}
	return p, salt, key, nil
}
