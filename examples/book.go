package examples

// book returns the railroad programs of the book chapter "Managing Real-Time Tasks"
// on the pyboard (seed 002).
func book() []Program {
	return nil
}
