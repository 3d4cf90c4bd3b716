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
	WriteFile(name string, data []byte) error
	// Remove deletes the file name. For a file that does not exist the
	// error wraps fs.ErrNotExist.
	Remove(name string) error
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
