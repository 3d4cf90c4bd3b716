//go:build tinygo && (pico || pico2)

package machine

import (
	"errors"
	"machine"
	"strconv"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/hw/flashfs"
)

// numGPIO is the number of GPIOs of the RP2040 (GPIO 0–29); the RP2350A
// of a Pico 2 has as many.
const numGPIO = 30

// Board is a Raspberry Pi Pico as a coop program sees it. It implements
// hw.Board, hw.CounterBoard, hw.KeysBoard, hw.TimerBoard,
// hw.WatchdogBoard, hw.FlashBoard and, on the RP2040, hw.ResetBoard.
//
// A Board belongs to its loop: call its methods, and those of what it
// returns, from tasks and loop callbacks.
type Board struct {
	loop    *coop.Loop
	console hw.Console
	pins    [numGPIO]pin

	irq      irqState
	counters []*counter
	wdt      *watchdog
	radio    radio // the CYW43439 of a W board

	flashSize int         // Config.FlashSize
	flash     *flashfs.FS // mounted by Flash
}

var opened bool

var (
	errOpened  = errors.New("machine: NewBoard called twice: a program has one board")
	errVirtual = errors.New("machine: the loop runs on the virtual clock; a real board needs the real clock")
)

// NewBoard returns the board the program runs on, driven from loop, which
// must run on the real clock. A program has one board: a second call
// returns an error. Pins are untouched until the program asks for them.
func NewBoard(loop *coop.Loop, cfg Config) (*Board, error) {
	if loop.Virtual() {
		return nil, errVirtual
	}
	if opened {
		return nil, errOpened
	}
	opened = true
	b := &Board{loop: loop, flashSize: cfg.FlashSize}
	w := cfg.Console
	if w == nil {
		w = serialConsole{}
	}
	b.console = hw.NewConsole(w)
	for i := range b.pins {
		b.pins[i] = pin{b: b, gpio: machine.Pin(i), name: "GP" + strconv.Itoa(i)}
	}
	b.irq.init(b)
	if wireless {
		b.startRadio()
	}
	return b, nil
}

// Name returns the board's kind: "pico", "picow", "pico2" or "pico2w".
func (b *Board) Name() string { return boardName }

// Console returns the board's serial console.
func (b *Board) Console() hw.Console { return b.console }

// pin returns the pin called name ("GP14", "LED").
func (b *Board) pin(name string) (*pin, error) {
	if name == "LED" {
		g := ledGPIO // a variable: on a Pico W the constant is -1
		if g < 0 {
			return nil, b.noPin(name)
		}
		return &b.pins[g], nil
	}
	if len(name) < 3 || len(name) > 4 || name[:2] != "GP" || (len(name) == 4 && name[2] == '0') {
		return nil, b.noPin(name)
	}
	n, err := strconv.Atoi(name[2:])
	if err != nil || n < 0 || n > 28 || (wireless && n >= 23 && n <= 25) {
		return nil, b.noPin(name)
	}
	return &b.pins[n], nil
}

func (b *Board) noPin(name string) error {
	return &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrNoPin, Have: pinSummary}
}

// serialConsole writes to machine.Serial, ending lines with "\r\n" as a
// serial terminal expects (MicroPython's REPL and TinyGo's println do).
type serialConsole struct{}

var crlf = []byte("\r\n")

func (serialConsole) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		i := 0
		for i < len(p) && p[i] != '\n' {
			i++
		}
		if i > 0 {
			if _, err := machine.Serial.Write(p[:i]); err != nil {
				return n, err
			}
			n += i
		}
		if i == len(p) {
			break
		}
		if _, err := machine.Serial.Write(crlf); err != nil {
			return n, err
		}
		n++
		p = p[i+1:]
	}
	return n, nil
}

// The interfaces of package hw a Board implements on every chip.
var (
	_ hw.Board         = (*Board)(nil)
	_ hw.CounterBoard  = (*Board)(nil)
	_ hw.KeysBoard     = (*Board)(nil)
	_ hw.TimerBoard    = (*Board)(nil)
	_ hw.WatchdogBoard = (*Board)(nil)
)
