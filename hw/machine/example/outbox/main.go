// Command outbox keeps readings in an mqtt.Outbox in the board's flash,
// with no network: each boot is recorded, then an uptime reading every 5
// s, and the oldest are acknowledged once more than 50 wait, as a broker
// would. Unplug the board and plug it in again: the count goes on where
// it was, nothing kept is lost.
//
//	tinygo flash -target=pico ./hw/machine/example/outbox
//	tinygo monitor
//
// The same source runs on the simulated board: `go run
// ./hw/machine/example/outbox --board pico2w --virtual --for 30s`.
package main

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/device"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
)

// App opens the flash and the outbox, and records.
func App(t *coop.Task, b hw.Board) error {
	f, err := hw.OpenFlash(b)
	if err != nil {
		return err
	}
	o, err := mqtt.OpenOutbox(f, mqtt.OutboxConfig{})
	if err != nil {
		return err
	}
	con := b.Console()
	st := o.Stats()
	con.Printf("outbox: %d kept from #%d, %d torn\n", st.Pending, st.Acked+1, st.Torn)
	seq, err := o.Append("coop/pico/boot", t.Now(), []byte(`{"boot":true}`))
	if err != nil {
		return err
	}
	con.Printf("boot recorded as #%d\n", seq)
	for {
		if err := t.Sleep(5 * time.Second); err != nil {
			return err
		}
		up := fmt.Appendf(nil, `{"uptime_s":%d}`, t.Now()/time.Second)
		if seq, err = o.Append("coop/pico/uptime", t.Now(), up); err != nil {
			return err
		}
		if st := o.Stats(); st.Pending > 50 {
			if err := o.Ack(seq - 50); err != nil {
				return err
			}
		}
		st := o.Stats()
		con.Printf("#%d kept: %d pending, %d bytes of flash\n", seq, st.Pending, st.FlashUsed)
	}
}

func main() { device.Main(App) }
