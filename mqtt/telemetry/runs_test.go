package telemetry_test

import (
	"slices"
	"testing"

	"github.com/coopgo/coop/mqtt/telemetry"
)

func TestRuns(t *testing.T) {
	type step struct {
		add  uint64
		new  bool   // Add's answer
		runs string // the set after it
	}
	for _, tc := range []struct {
		name  string
		steps []step
		// After the steps:
		len        int
		max        uint64
		has, hasnt []uint64
		all        uint64 // HasAll(all) holds, HasAll(all+1) does not
		above      uint64 // CountAbove(above) is aboveN
		aboveN     int
	}{
		{name: "in order", steps: []step{{1, true, "1"}, {2, true, "1-2"}, {3, true, "1-3"}, {4, true, "1-4"}, {5, true, "1-5"}},
			len: 5, max: 5, has: []uint64{1, 3, 5}, hasnt: []uint64{0, 6}, all: 5, above: 2, aboveN: 3},
		{name: "duplicates", steps: []step{{1, true, "1"}, {2, true, "1-2"}, {2, false, "1-2"}, {3, true, "1-3"}, {1, false, "1-3"}, {3, false, "1-3"}},
			len: 3, max: 3, has: []uint64{1, 2, 3}, hasnt: []uint64{4}, all: 3, above: 3, aboveN: 0},
		{name: "gap filled later", steps: []step{{1, true, "1"}, {2, true, "1-2"}, {4, true, "1-2,4"}, {5, true, "1-2,4-5"}, {3, true, "1-5"}, {6, true, "1-6"}},
			len: 6, max: 6, has: []uint64{3}, hasnt: []uint64{7}, all: 6, above: 0, aboveN: 6},
		{name: "gap left", steps: []step{{1, true, "1"}, {3, true, "1,3"}, {4, true, "1,3-4"}, {7, true, "1,3-4,7"}},
			len: 4, max: 7, has: []uint64{1, 3, 4, 7}, hasnt: []uint64{2, 5, 6, 8}, all: 1, above: 3, aboveN: 2},
		{name: "out of order", steps: []step{{5, true, "5"}, {3, true, "3,5"}, {1, true, "1,3,5"}, {4, true, "1,3-5"}, {2, true, "1-5"}},
			len: 5, max: 5, has: []uint64{2, 4}, hasnt: []uint64{6}, all: 5, above: 4, aboveN: 1},
		{name: "out of order, duplicates", steps: []step{{10, true, "10"}, {8, true, "8,10"}, {9, true, "8-10"}, {8, false, "8-10"}, {10, false, "8-10"}, {7, true, "7-10"}, {1, true, "1,7-10"}},
			len: 5, max: 10, has: []uint64{1, 7, 10}, hasnt: []uint64{2, 6, 11}, all: 1, above: 8, aboveN: 2},
		{name: "empty", len: 0, max: 0, hasnt: []uint64{0, 1}, all: 0, above: 0, aboveN: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s telemetry.Runs
			var seqs []uint64
			for i, st := range tc.steps {
				if got := s.Add(st.add); got != st.new {
					t.Errorf("step %d: Add(%d) = %v, want %v", i, st.add, got, st.new)
				}
				if got := s.String(); got != st.runs {
					t.Errorf("step %d: after Add(%d): %q, want %q", i, st.add, got, st.runs)
				}
				if !slices.Contains(seqs, st.add) {
					seqs = append(seqs, st.add)
				}
			}
			slices.Sort(seqs)
			if got := s.Seqs(nil); !slices.Equal(got, seqs) {
				t.Errorf("Seqs() = %v, want %v", got, seqs)
			}
			if s.Len() != tc.len || s.Max() != tc.max {
				t.Errorf("Len() = %d, Max() = %d, want %d, %d", s.Len(), s.Max(), tc.len, tc.max)
			}
			for _, n := range tc.has {
				if !s.Has(n) {
					t.Errorf("Has(%d) = false", n)
				}
			}
			for _, n := range tc.hasnt {
				if s.Has(n) {
					t.Errorf("Has(%d) = true", n)
				}
			}
			if !s.HasAll(tc.all) || s.HasAll(tc.all+1) {
				t.Errorf("HasAll(%d) = %v, HasAll(%d) = %v, want true, false", tc.all, s.HasAll(tc.all), tc.all+1, s.HasAll(tc.all+1))
			}
			if got := s.CountAbove(tc.above); got != tc.aboveN {
				t.Errorf("CountAbove(%d) = %d, want %d", tc.above, got, tc.aboveN)
			}
		})
	}
}

// A long stream in order, with resends, keeps one run.
func TestRunsInOrderIsOneRun(t *testing.T) {
	var s telemetry.Runs
	for n := uint64(1); n <= 100000; n++ {
		s.Add(n)
		if n%10 == 0 {
			s.Add(n - 1) // a QoS 1 resend
		}
	}
	if s.String() != "1-100000" || s.Len() != 100000 || !s.HasAll(100000) {
		t.Errorf("runs %q, len %d", s.String(), s.Len())
	}
	if a := testing.AllocsPerRun(1000, func() { s.Add(s.Max() + 1) }); a != 0 {
		t.Errorf("adding the next number allocates %v times", a)
	}
}

func TestRunsContains(t *testing.T) {
	set := func(seqs ...uint64) *telemetry.Runs {
		var r telemetry.Runs
		for _, s := range seqs {
			r.Add(s)
		}
		return &r
	}
	s := set(1, 2, 3, 4, 7, 8, 9, 12)
	for _, tt := range []struct {
		o    *telemetry.Runs
		want bool
	}{
		{set(), true},
		{set(1, 2, 3, 4), true},
		{set(2, 3, 8, 12), true},
		{set(1, 2, 3, 4, 7, 8, 9, 12), true},
		{set(4, 5), false},
		{set(6, 7), false},
		{set(13), false},
		{set(10), false},
		{set(0), false},
	} {
		if got := s.Contains(tt.o); got != tt.want {
			t.Errorf("%s contains %s: %v, want %v", s, tt.o, got, tt.want)
		}
	}
}
