package rt

import (
	"testing"
	"time"
)

func TestDist(t *testing.T) {
	tests := []struct {
		name    string
		samples []time.Duration
		want    Dist
	}{
		{"empty", nil, Dist{}},
		{"one", []time.Duration{7}, Dist{N: 1, Min: 7, Max: 7, Sum: 7, Mean: 7, P50: 7, P99: 7}},
		{"nearest rank", []time.Duration{4, 1, 3, 2}, Dist{N: 4, Min: 1, Max: 4, Sum: 10, Mean: 2, P50: 2, P99: 4}},
		{"p99 of 100", seq(100), Dist{N: 100, Min: 1, Max: 100, Sum: 5050, Mean: 50, P50: 50, P99: 99}},
	}
	for _, tt := range tests {
		var s sampler
		for _, d := range tt.samples {
			s.add(d)
		}
		if got := s.dist(); got != tt.want {
			t.Errorf("%s: dist() = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDistKeepsLatestSamples(t *testing.T) {
	var s sampler
	for _, d := range seq(3 * keptSamples) {
		s.add(d)
	}
	got := s.dist()
	// Percentiles over the last keptSamples: 2049…3072.
	want := Dist{N: 3 * keptSamples, Min: 1, Max: 3 * keptSamples, Sum: 3 * keptSamples * (3*keptSamples + 1) / 2,
		Mean: (3*keptSamples + 1) / 2, P50: 2*keptSamples + keptSamples/2, P99: 2*keptSamples + 1014}
	if got != want {
		t.Errorf("dist() = %+v, want %+v", got, want)
	}
	if len(s.buf) != keptSamples {
		t.Errorf("kept %d samples, want %d", len(s.buf), keptSamples)
	}
}

func TestDistString(t *testing.T) {
	if got := (Dist{}).String(); got != "none" {
		t.Errorf("String() = %q, want none", got)
	}
	d := Dist{N: 3, P50: time.Millisecond, P99: 2 * time.Millisecond, Max: 3 * time.Millisecond}
	if got, want := d.String(), "p50=1ms p99=2ms max=3ms"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestSamplerMerge(t *testing.T) {
	var a, b, m sampler
	for _, d := range []time.Duration{5, 1} {
		a.add(d)
	}
	for _, d := range []time.Duration{9, 3} {
		b.add(d)
	}
	m.merge(&a)
	m.merge(&b)
	m.merge(&sampler{})
	want := Dist{N: 4, Min: 1, Max: 9, Sum: 18, Mean: 4, P50: 3, P99: 9}
	if got := m.dist(); got != want {
		t.Errorf("merged dist() = %+v, want %+v", got, want)
	}
}

func seq(n int) []time.Duration {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = time.Duration(i + 1)
	}
	return s
}
