//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// cbreak puts terminal f in cbreak mode, for keys: each key reaches the
// program as it is typed, without echo, and a read with no key for a tenth
// of a second returns nothing (io.EOF from os.File), so that a reader can
// stop. Unlike raw mode, Ctrl-C still sends SIGINT and output still turns
// "\n" into a new line, so the rest of coop works as without it. It
// returns the function that puts f back as it was.
func cbreak(f *os.File) (restore func() error, err error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	t := *old
	t.Lflag &^= unix.ICANON | unix.ECHO
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 0, 1
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &t); err != nil {
		return nil, err
	}
	return func() error { return unix.IoctlSetTermios(fd, ioctlSetTermios, old) }, nil
}

// isTTY reports whether f is a terminal: a character device that answers
// a terminal's ioctl, which /dev/null, also a character device, does not.
func isTTY(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
	return err == nil
}

// foreground reports whether coop may change the modes of terminal f:
// from the background of its controlling terminal that would stop it
// (SIGTTOU). A terminal that is not coop's controlling terminal has no
// foreground for coop, and reports an error.
func foreground(f *os.File) bool {
	pgrp, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCGPGRP)
	return err != nil || pgrp == unix.Getpgrp()
}

// termSize returns the size of terminal f in characters, or 0, 0.
func termSize(f *os.File) (width, height int) {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0
	}
	return int(ws.Col), int(ws.Row)
}
