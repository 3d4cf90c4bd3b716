//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cli

import (
	"errors"
	"os"
)

// Keys and the dashboard's size need a Unix terminal: elsewhere keys do
// nothing and the dashboard assumes 80 × 24.

func cbreak(*os.File) (func() error, error) { return nil, errors.ErrUnsupported }

func foreground(*os.File) bool { return false }

// isTTY reports whether f is a character device: the best guess at a
// terminal without a Unix terminal's ioctl.
func isTTY(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func termSize(*os.File) (width, height int) { return 0, 0 }
