//go:build race

package flashfs_test

// race: the race detector makes these tests ten times slower; the long
// ones do less under it.
const race = true
