package bench

import (
	"testing"
	"time"
)

func TestLatenessPercentile(t *testing.T) {
	l := Lateness{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	tests := []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {99, 10}, {90, 9}, {10, 1}, {1, 1}, {100, 10}}
	for _, tt := range tests {
		if got := l.Percentile(tt.p); got != tt.want {
			t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if l[0] != 5 {
		t.Errorf("Percentile sorted its receiver: %v", l)
	}
	if got := (Lateness{}).Percentile(50); got != 0 {
		t.Errorf("Percentile of nothing = %v, want 0", got)
	}
}
