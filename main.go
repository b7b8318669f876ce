// Command reconnect keeps a couple's journal of small daily rituals in a
// shared git repository. See README.md.
package main

import (
	"os"

	"github.com/reconnect-app/reconnect/cmd"
)

// version and date are stamped by the release build (-X main.version=...
// -X main.date=...); unstamped, the build info says what it can.
var (
	version = "dev"
	date    = ""
)

func main() {
	os.Exit(cmd.Main(os.Args[1:], cmd.SystemStreams(os.Getenv), version, date))
}
