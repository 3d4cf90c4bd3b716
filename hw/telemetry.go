package hw

import "time"

// TelemetryBoard is a [Board] that wants to know how the program's
// telemetry fares: which readings the broker acknowledged, and how many
// still wait in the program's outbox. The simulator passes it on to its
// observers, so that a fleet of simulated devices counts deliveries and
// latency for a program it did not write. mqtt.Uplink reports to it
// through [ReportDelivered] and [ReportPending]; a board without it (a
// real one) is told nothing, at the cost of a type assertion.
type TelemetryBoard interface {
	// ReadingDelivered is told that the broker acknowledged the reading
	// numbered seq, taken at board time taken, now.
	ReadingDelivered(seq uint64, taken time.Duration)
	// ReadingsPending is told how many readings the outbox keeps, not
	// yet acknowledged, each time the number may have changed.
	ReadingsPending(n int)
}

// ReportDelivered tells b, if it is a [TelemetryBoard], that the broker
// acknowledged the reading numbered seq, taken at board time taken.
func ReportDelivered(b Board, seq uint64, taken time.Duration) {
	if tb, ok := b.(TelemetryBoard); ok {
		tb.ReadingDelivered(seq, taken)
	}
}

// ReportPending tells b, if it is a [TelemetryBoard], that n readings
// wait in the outbox, not yet acknowledged.
func ReportPending(b Board, n int) {
	if tb, ok := b.(TelemetryBoard); ok {
		tb.ReadingsPending(n)
	}
}
