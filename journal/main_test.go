package journal

import (
	"testing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// TestMain puts the tests' temporary folders in memory when it can (see
// gittest.Main).
func TestMain(m *testing.M) { gittest.Main(m) }
