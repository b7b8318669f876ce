//go:build !race

package sync

// raceDetector: see race_on_test.go.
const raceDetector = false
