// Command tinygosmoke runs the scheduler's basics — tasks, sleeps, a
// queue, cancellation, a timeout — on the virtual clock and prints what
// happens. scripts/tinygo-check.sh builds it with TinyGo for a Cortex-M
// board, runs it under QEMU and compares its output with expected.txt,
// which the Go test here holds the standard toolchain to as well: the
// package coop must behave the same on both.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coopgo/coop"
)

func main() {
	if err := demo(os.Stdout); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func demo(w io.Writer) error {
	return coop.Run(func(t *coop.Task) error {
		q := coop.NewQueue[int](2)
		t.Spawn("producer", func(t *coop.Task) error {
			for i := range 3 {
				if err := q.Put(t, i); err != nil {
					return err
				}
				if err := t.Sleep(100 * time.Millisecond); err != nil {
					return err
				}
			}
			return nil
		})
		worker := t.Spawn("worker", func(t *coop.Task) error {
			for {
				if err := t.Sleep(150 * time.Millisecond); err != nil {
					fmt.Fprintln(w, t.Now(), "worker cancelled")
					return err
				}
				fmt.Fprintln(w, t.Now(), "worker tick")
			}
		})
		for range 3 {
			v, err := q.Get(t)
			if err != nil {
				return err
			}
			fmt.Fprintln(w, t.Now(), "got", v)
		}
		worker.Cancel()
		fmt.Fprintln(w, t.Now(), "worker cancelled:", errors.Is(worker.Wait(t), coop.ErrCancelled))
		err := coop.WaitFor(t, 50*time.Millisecond, func(t *coop.Task) error { return t.Sleep(time.Second) })
		fmt.Fprintln(w, t.Now(), "wait for:", err)
		return nil
	}, coop.WithVirtualClock())
}
