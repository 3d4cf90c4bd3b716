package bench

import "testing"

// withCPU runs fn and reports, beside the wall time testing measures, the
// process's CPU time per op as "cpu-ns/op": on a shared machine a run that
// was descheduled shows in ns/op but not in cpu-ns/op.
func withCPU(b *testing.B, fn func()) {
	b.Helper()
	start, ok := processCPU()
	fn()
	if end, ok2 := processCPU(); ok && ok2 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
