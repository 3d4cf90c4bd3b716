package examples

// video returns the button-and-queue program of the video "How to Use Asyncio in MicroPython
// (Raspberry Pi Pico)" (seed 001).
func video() []Program {
	return nil
}
