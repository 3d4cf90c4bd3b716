package examples

// exercises returns the hands-on exercises, the mini challenge and the
// further practice of the uasyncio course on the Pico 2 W (seed 000,
// sections 7 to 14).
func exercises() []Program {
	return nil
}
