//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import (
	"errors"
	"os"
)

// Keys and the dashboard's size need a Unix terminal: elsewhere keys do
// nothing and the dashboard assumes 80 × 24.

func cbreak(*os.File) (func() error, error) { return nil, errors.ErrUnsupported }

func foreground(*os.File) bool { return false }

func termSize(*os.File) (width, height int) { return 0, 0 }
