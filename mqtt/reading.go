package mqtt

import (
	"strconv"
	"time"
)

// Reading is one record of telemetry as it travels to the broker: the
// device that took it, its sequence number on that device (1, 2, 3…, never
// reused, so that a consumer sees gaps and drops duplicates), the board
// time it was taken at, and the program's data, JSON.
type Reading struct {
	Device string
	Seq    uint64
	At     time.Duration
	Data   []byte // a JSON value, such as {"temp":21.5}
}

// AppendPayload appends the reading as the JSON object it is published
// as, {"device":"pico-1","seq":42,"ms":84000,"data":{"temp":21.5}}, to b.
// Device is written as given: keep it to letters, digits, '-' and '_'.
// An empty Data is written as null.
func (r Reading) AppendPayload(b []byte) []byte {
	b = append(b, `{"device":"`...)
	b = append(b, r.Device...)
	b = append(b, `","seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b = append(b, `,"ms":`...)
	b = strconv.AppendInt(b, r.At.Milliseconds(), 10)
	b = append(b, `,"data":`...)
	if len(r.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, r.Data...)
	}
	return append(b, '}')
}
