package device

// Option configures [Main]. On the host, [WithParts] gives the simulator
// the program's own parts; on a board there is none to give, and Main
// takes the options a program's host build passes and has no use for
// them.
type Option func(*config)
