//go:build !unix

package journal

import "os"

// readFileInto reads a whole file; buf is not needed where os.ReadFile is
// as direct as it gets.
func readFileInto(name string, _ []byte) ([]byte, error) {
	return os.ReadFile(name)
}
