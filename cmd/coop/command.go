package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/coopgo/coop/sim/session/cli"
)

// parseOne parses the arguments of command cmd with fs: flags, and one
// positional argument, what ("DIR"), which it returns.
func parseOne(fs *flag.FlagSet, cmd, what string, args []string) (string, error) {
	pos, err := cli.ParseArgs(fs, cmd, args)
	switch {
	case err != nil:
		return "", err
	case len(pos) == 0:
		return "", fmt.Errorf("%s: missing %s", cmd, what)
	case len(pos) > 1:
		return "", fmt.Errorf("%s: unexpected argument %q after %q: %s takes one %s", cmd, pos[1], pos[0], cmd, what)
	}
	return pos[0], nil
}

// writeHelp writes a help text to stdout; it returns the exit status: 0,
// or 1 if it could not be written.
func writeHelp(stdout, stderr io.Writer, text string) int {
	return cli.WriteHelp(cli.Stdio{Out: stdout, Err: stderr}, text)
}
