//go:build !windows

package sync

import "os"

// syncDir makes the names in a folder durable: a file created or renamed
// into it survives a power cut once this returns.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	serr := f.Sync()
	cerr := f.Close()
	if serr != nil {
		return serr
	}
	return cerr
}
