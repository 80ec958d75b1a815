//go:build !race

package answer

// raceEnabled: see race_on_test.go.
const raceEnabled = false
