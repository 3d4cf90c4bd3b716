//go:build race

package main

// race: the race detector makes creating goroutines many times dearer, so
// coop's side of the million-task workload measures the detector.
const race = true
