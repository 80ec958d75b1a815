package staff

// CheapHashes makes s hash passwords with tiny argon2id costs, so that tests that are
// not about hashing do not spend seconds on it under the race detector.
func CheapHashes(s *Store) *Store {
	s.params = argonParams{memory: 64, time: 1, threads: 1}
	return s
}
