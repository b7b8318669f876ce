//go:build race

package sync

// raceDetector is set when the tests run with -race: tests that only
// measure allocations of big inputs, and have no goroutines of their own,
// skip then (under the detector they take a minute, to show nothing more).
const raceDetector = true
