package hw

// Flash is a board's internal flash file system (MicroPython's /flash):
// small files that outlive resets, such as a boot counter or settings.
// Names are plain file names, such as "boots.txt".
type Flash interface {
	// ReadFile returns the contents of the file name. For a file that
	// does not exist the error wraps fs.ErrNotExist, as os.ReadFile's
	// does.
	ReadFile(name string) ([]byte, error)
	// WriteFile writes data as the file name, replacing it if it exists.
	// When the flash has no room the error wraps ErrFlashFull and the
	// file is as it was. A power cut in the middle of the write may
	// leave the file with only the first bytes of data over the old
	// contents: code that must survive one keeps checksums.
	WriteFile(name string, data []byte) error
	// Remove deletes the file name. For a file that does not exist the
	// error wraps fs.ErrNotExist.
	Remove(name string) error
}

// FlashAppender is a [Flash] that appends to a file in place
// (open(name, "ab") in MicroPython), without rewriting it: the way to keep
// a log. A power cut in the middle of an append may leave the file with
// only the first bytes of data at its end.
type FlashAppender interface {
	// AppendFile appends data to the file name, creating it if it does
	// not exist. When the flash has no room the error wraps
	// ErrFlashFull and the file is as it was.
	AppendFile(name string, data []byte) error
}

// FlashBoard is a [Board] with a flash file system.
type FlashBoard interface {
	// Flash returns the board's flash file system, the same at each
	// call.
	Flash() (Flash, error)
}

// OpenFlash returns the flash file system of b, or a *DeviceError wrapping
// [ErrNoDevice] if b has none.
func OpenFlash(b Board) (Flash, error) {
	if fb, ok := b.(FlashBoard); ok {
		return fb.Flash()
	}
	return nil, &DeviceError{Board: b.Name(), Device: "flash"}
}
