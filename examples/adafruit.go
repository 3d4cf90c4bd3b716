package examples

// adafruit returns the programs of Adafruit's CircuitPython "Concurrent Tasks" guides
// on the Metro M4 (seeds 003 and 004).
func adafruit() []Program {
	return nil
}
