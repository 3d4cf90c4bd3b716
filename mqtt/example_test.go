package mqtt_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/sim"
)

// A simulated Pico 2 W joins Wi-Fi and publishes three readings at QoS 1
// to a broker 20 ms away, in board time.
func ExampleClient() {
	br, err := broker.Start(broker.Config{})
	if err != nil {
		panic(err)
	}
	defer br.Close()

	err = coop.Run(func(t *coop.Task) error {
		b, _ := sim.NewBoard(t.Loop(), "pico2w", sim.Config{})
		b.SetNetwork(sim.NetConfig{Dial: br.Dial, RTT: 20 * time.Millisecond})
		b.AddAccessPoint(sim.APConfig{SSID: "home"})
		wlan, _ := hw.OpenWLAN(b)
		if err := wlan.Connect(t, "home", ""); err != nil {
			return err
		}
		n, _ := hw.OpenNetwork(b)
		c := mqtt.New(n, mqtt.Config{Addr: "broker.local:1883", ClientID: "pico-1"})
		run := t.Spawn("mqtt", c.Run)
		defer run.Cancel()
		for seq := uint64(1); seq <= 3; seq++ {
			r := mqtt.Reading{Device: "pico-1", Seq: seq, At: t.Now(), Data: []byte(`{"temp":21}`)}
			if err := c.Publish(t, "coop/pico-1/temp", r.AppendPayload(nil), 1); err != nil {
				return err
			}
			fmt.Printf("#%d acknowledged at %v\n", seq, t.Now())
			if err := t.Sleep(2 * time.Second); err != nil {
				return err
			}
		}
		return nil
	}, coop.WithVirtualClock())
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// #1 acknowledged at 2.06s
	// #2 acknowledged at 4.08s
	// #3 acknowledged at 6.1s
}

// An outbox keeps readings in flash until they are acknowledged; a new
// boot finds those that were not.
func ExampleOutbox() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{})
	f, _ := b.Flash()

	o, _ := mqtt.OpenOutbox(f, mqtt.OutboxConfig{})
	for i := 1; i <= 5; i++ {
		o.Append("coop/pico-1/temp", time.Duration(i)*2*time.Second, []byte(`{"temp":21}`))
	}
	o.Ack(3) // the broker acknowledged #1 to #3

	// The board resets: the next boot opens the outbox again.
	again, _ := mqtt.OpenOutbox(f, mqtt.OutboxConfig{})
	st := again.Stats()
	fmt.Printf("%d pending after #%d, next #%d\n", st.Pending, st.Acked, st.NextSeq)
	// Output:
	// 2 pending after #3, next #6
}
