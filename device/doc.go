// Package device is a program's entry point: its main function is one
// line, and the same source runs on the simulator on the host and, built
// with TinyGo, on the real board.
//
//	func App(t *coop.Task, b hw.Board) error { … }
//
//	func main() { device.Main(App) }
//
// On the host, `go run . --virtual --for 5s --pins` runs App on the
// simulated board, as `coop run ./DIR` does, and
// `go run . --devices 100 --for 1h` runs it as a fleet of simulated
// devices, as `coop fleet --app ./DIR` does.
package device
