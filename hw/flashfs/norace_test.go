//go:build !race

package flashfs_test

const race = false
