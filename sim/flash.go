package sim

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/coopgo/coop/hw"
)

// Flash implements [hw.FlashBoard]: the board's flash file system, a set
// of small files that outlive resets (a [Firmware] restarting the program
// keeps them) for as long as the board lives. It starts empty; a test or a
// runner may put files in it before the program starts.
func (b *Board) Flash() (hw.Flash, error) {
	if b.flash == nil {
		b.flash = &flash{files: make(map[string][]byte)}
	}
	return b.flash, nil
}

// FlashFiles returns the names of the files in the board's flash, sorted.
func (b *Board) FlashFiles() []string {
	if b.flash == nil {
		return nil
	}
	var names []string
	for n := range b.flash.files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// flash is a board's flash file system. Reads and writes copy, so that a
// program that changes a slice afterwards does not change the file.
type flash struct {
	files map[string][]byte
}

// checkName refuses names that are not plain file names.
func checkName(op, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return nil
}

func (f *flash) ReadFile(name string) ([]byte, error) {
	if err := checkName("open", name); err != nil {
		return nil, err
	}
	data, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(data), nil
}

func (f *flash) WriteFile(name string, data []byte) error {
	if err := checkName("open", name); err != nil {
		return err
	}
	f.files[name] = append([]byte{}, data...)
	return nil
}

func (f *flash) Remove(name string) error {
	if err := checkName("remove", name); err != nil {
		return err
	}
	if _, ok := f.files[name]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	delete(f.files, name)
	return nil
}

var _ hw.FlashBoard = (*Board)(nil)
