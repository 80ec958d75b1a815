//go:build race

package answer

// raceEnabled: the race detector makes the classifiers' training loops about twenty
// times slower, so the cross-validations (five trainings each) run in the separate
// run without -race that scripts/test.sh makes.
const raceEnabled = true
