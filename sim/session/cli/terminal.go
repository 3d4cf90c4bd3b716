package cli

import "io"

// IsTerminal reports whether w is a terminal: where a command draws a
// progress bar or a status line.
func IsTerminal(w io.Writer) bool { return isTerminal(w) }
