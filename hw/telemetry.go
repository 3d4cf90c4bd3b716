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

// TelemetryDropBoard is a [TelemetryBoard] that also wants to know of
// the readings the program dropped before the broker acknowledged them
// (an outbox full after a long outage): a fleet counts them lost even
// when no later reading arrives to show the gap. mqtt.Uplink reports
// them through [ReportDropped].
type TelemetryDropBoard interface {
	TelemetryBoard
	// ReadingsDropped is told that the readings numbered from to to,
	// both included, were dropped unacknowledged.
	ReadingsDropped(from, to uint64)
}

// ReportDropped tells b, if it is a [TelemetryDropBoard], that the
// readings numbered from to to were dropped unacknowledged.
func ReportDropped(b Board, from, to uint64) {
	if tb, ok := b.(TelemetryDropBoard); ok {
		tb.ReadingsDropped(from, to)
	}
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
