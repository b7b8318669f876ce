package gittest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Main runs a package's tests with their temporary folders in memory
// when the machine has a tmpfs with room (see [memoryTempRoot]): every
// test of reconnect writes through the same fsyncs the product makes,
// and on a disk those fsyncs are most of the suite's time (a third of
// sync's, two thirds of cmd's). On tmpfs an fsync returns at once, so
// the suite measures what the code does, not the disk; the kill tests
// lose nothing by it (a killed process does not lose the page cache),
// and the tests that check which files are synced hear the calls as
// before.
//
// It does nothing when TMPDIR is set (whoever set it chose), when
// RECONNECT_TEST_DISK=1 (to run the suite against the disk), or for a
// benchmark run (-test.bench), which must pay for its fsyncs.
func Main(m *testing.M) {
	UseMemoryTemp()
	os.Exit(m.Run())
}

// UseMemoryTemp points TMPDIR at memory, as [Main] does, for a TestMain
// that runs its tests another way (testscript.Main). It reads the
// command line rather than parsing flags, which such a TestMain leaves
// to its own code.
func UseMemoryTemp() {
	for _, arg := range os.Args[1:] {
		if v, ok := strings.CutPrefix(strings.TrimLeft(arg, "-"), "test.bench="); ok && v != "" {
			return
		}
		if strings.TrimLeft(arg, "-") == "test.bench" {
			return
		}
	}
	if os.Getenv("TMPDIR") != "" || os.Getenv("RECONNECT_TEST_DISK") == "1" {
		return
	}
	root, ok := memoryTempRoot()
	if !ok {
		return
	}
	dir := filepath.Join(root, fmt.Sprintf("reconnect-tests-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	os.Setenv("TMPDIR", dir)
}
