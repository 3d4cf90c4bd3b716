package prim_test

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/prim"
	"github.com/coopgo/coop/sim"
)

// A bouncing button on GP14 (to GND, with the pull-up) is clicked, double
// clicked and held. Each gesture gives its events once, at the board time
// of the poll that saw it.
func ExamplePushbutton() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{Seed: 1})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
	b.Attach("GP14", btn)
	btn.ClickAt(1010*time.Millisecond, 100*time.Millisecond) // click
	btn.ClickAt(3010*time.Millisecond, 100*time.Millisecond) // double click
	btn.ClickAt(3210*time.Millisecond, 100*time.Millisecond)
	btn.ClickAt(5010*time.Millisecond, 1500*time.Millisecond) // long press

	in, _ := b.Input("GP14", hw.PullUp)
	say := func(what string) func() { return func() { fmt.Println(l.Now(), what) } }
	prim.NewPushbutton(l, in, prim.PushbuttonConfig{
		OnPress:   say("press"),
		OnRelease: say("release"),
		OnLong:    say("long"),
		OnDouble:  say("double"),
	})
	l.RunFor(8 * time.Second)
	// Output:
	// 1.05s press
	// 1.15s release
	// 3.05s press
	// 3.15s release
	// 3.25s press
	// 3.25s double
	// 3.35s release
	// 5.05s press
	// 6.05s long
	// 6.55s release
}

// With Suppress, ButtonRelease means a single click: it waits until the
// double-click window has closed, and long presses and double clicks give
// none. A task reads the events with Next.
func ExamplePushbutton_suppress() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{Seed: 1})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
	b.Attach("GP14", btn)
	btn.ClickAt(1010*time.Millisecond, 100*time.Millisecond)
	btn.ClickAt(3010*time.Millisecond, 100*time.Millisecond)
	btn.ClickAt(3210*time.Millisecond, 100*time.Millisecond)
	btn.ClickAt(5010*time.Millisecond, 1500*time.Millisecond)

	in, _ := b.Input("GP14", hw.PullUp)
	pb := prim.NewPushbutton(l, in, prim.PushbuttonConfig{Suppress: true})
	l.Spawn("buttons", func(t *coop.Task) error {
		for {
			e, err := pb.Next(t)
			if err != nil {
				return err
			}
			switch e.Kind {
			case prim.ButtonRelease:
				fmt.Println(e.At, "click: next page")
			case prim.ButtonDouble:
				fmt.Println(e.At, "double click: back")
			case prim.ButtonLong:
				fmt.Println(e.At, "long press: home")
			}
		}
	})
	l.RunFor(8 * time.Second)
	// Output:
	// 1.45s click: next page
	// 3.25s double click: back
	// 6.05s long press: home
}

// A broker passes readings by topic to a callback and to a task's queue.
// The queue holds two; what does not fit is counted, not lost silently.
func ExampleBroker() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var b prim.Broker[float64]
	b.Subscribe("sensors/+/temp", func(topic string, c float64) {
		fmt.Printf("display: %s %.1f\n", topic, c)
	})
	logger, _ := b.SubscribeQueue("sensors/#", 2, prim.DropNewest)

	main := l.Spawn("main", func(t *coop.Task) error {
		b.Publish("sensors/kitchen/temp", 21.5)
		b.Publish("sensors/kitchen/humidity", 40)
		b.Publish("sensors/garage/temp", 12.0)
		b.Publish("lights/garage", 1)
		for logger.Len() > 0 {
			p, _ := logger.Next(t)
			fmt.Println("log:", p.Topic, p.Payload)
		}
		fmt.Println("dropped:", logger.Dropped())
		return nil
	})
	l.RunUntilComplete(main)
	// Output:
	// display: sensors/kitchen/temp 21.5
	// display: sensors/garage/temp 12.0
	// log: sensors/kitchen/temp 21.5
	// log: sensors/kitchen/humidity 40
	// dropped: 1
}

// A Delay as a software watchdog: a task feeds it every 300 ms, then
// hangs; the watchdog bites 1 s after the last feed.
func ExampleDelay_watchdog() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	dog := prim.NewDelay(l, prim.DelayConfig{
		Duration: time.Second,
		OnExpire: func() { fmt.Println(l.Now(), "watchdog: worker hung") },
	})
	l.Spawn("worker", func(t *coop.Task) error {
		for i := range 5 {
			dog.Trigger(0)
			fmt.Println(t.Now(), "feed", i)
			t.Sleep(300 * time.Millisecond)
		}
		return t.Sleep(time.Hour) // hangs
	})
	l.RunFor(3 * time.Second)
	// Output:
	// 0s feed 0
	// 300ms feed 1
	// 600ms feed 2
	// 900ms feed 3
	// 1.2s feed 4
	// 2.2s watchdog: worker hung
}

// A Message hands a payload from another goroutine (an interrupt handler,
// a network callback) to the tasks waiting on it.
func ExampleMessage() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var reading prim.Message[int]
	main := l.Spawn("main", func(t *coop.Task) error {
		for _, name := range []string{"display", "logger"} {
			t.Spawn(name, func(t *coop.Task) error {
				v, err := reading.Wait(t)
				fmt.Println(t.Now(), name, "got", v)
				return err
			})
		}
		t.Sleep(500 * time.Millisecond)
		release := t.Loop().Hold() // the clock waits for the goroutine
		go func() {
			defer release()
			reading.Set(1234)
		}()
		return t.Sleep(time.Second)
	})
	l.RunUntilComplete(main)
	// Output:
	// 500ms display got 1234
	// 500ms logger got 1234
}

// A debounced switch closes and opens; a task follows it with Next.
func ExampleSwitch() {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, _ := sim.NewBoard(l, "pico2w", sim.Config{})
	door := sim.NewButton(sim.ButtonConfig{Name: "door", Bounce: sim.DefaultBounce})
	b.Attach("GP14", door)
	door.ClickAt(1020*time.Millisecond, 2*time.Second)

	in, _ := b.Input("GP14", hw.PullUp)
	sw := prim.NewSwitch(l, in, prim.SwitchConfig{})
	l.Spawn("door", func(t *coop.Task) error {
		for {
			e, err := sw.Next(t)
			if err != nil {
				return err
			}
			fmt.Println(e)
		}
	})
	l.RunFor(5 * time.Second)
	// Output:
	// closed at 1.05s
	// opened at 3.05s
}
