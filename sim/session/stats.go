package session

import (
	"time"

	"github.com/coopgo/coop"
)

// TaskStats is what a task dashboard shows of a task (coop run's --top
// and --stats, a live view): its snapshot, with rates over an interval.
type TaskStats struct {
	coop.TaskInfo
	StepsPerS float64 // steps per second of board time
	BusyShare float64 // share of the interval its steps held the loop, 0 to 1
}

// TaskRates returns the stats of the tasks in cur (snapshots of
// [coop.Loop.Tasks]), coop's own left out, with rates over the dt of board
// time since prev, the snapshots of the tasks then by ID ([ByID]; a task
// missing there is new). With dt 0 the rates are 0.
func TaskRates(prev map[uint64]coop.TaskInfo, cur []coop.TaskInfo, dt time.Duration) []TaskStats {
	rows := make([]TaskStats, 0, len(cur))
	for _, ti := range cur {
		if ti.Name == ScenarioTask {
			continue
		}
		row := TaskStats{TaskInfo: ti}
		if dt > 0 {
			p := prev[ti.ID]
			row.StepsPerS = float64(ti.Steps-p.Steps) / dt.Seconds()
			row.BusyShare = float64(ti.Busy-p.Busy) / float64(dt)
		}
		rows = append(rows, row)
	}
	return rows
}

// ByID indexes snapshots of tasks by task ID.
func ByID(infos []coop.TaskInfo) map[uint64]coop.TaskInfo {
	m := make(map[uint64]coop.TaskInfo, len(infos))
	for _, ti := range infos {
		m[ti.ID] = ti
	}
	return m
}
