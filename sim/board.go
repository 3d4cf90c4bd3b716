package sim

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Config configures a [Board]. The zero value is a board with seed 0 and
// default timings.
type Config struct {
	// Seed drives every random thing on the board: contact bounce,
	// floating inputs, sensor failures. The same seed, program and
	// stimuli give the same run.
	Seed uint64
	// JoinTimeout is how long the board's WLAN waits for a join before
	// Connect fails with hw.ErrJoinTimeout; zero means 10 s.
	JoinTimeout time.Duration
	// DeviceID is the board's id ([hw.DeviceID]); "" means the kind's
	// name and the seed, "pico2w-0".
	DeviceID string
}

// Board is a simulated board. It implements [hw.Board] and the optional
// device interfaces of package hw its kind has ([hw.TimerBoard],
// [hw.CounterBoard], [hw.KeysBoard], [hw.DHT22Board], [hw.WatchdogBoard],
// [hw.FlashBoard], [hw.ResetBoard], [hw.TelemetryBoard], and [hw.WLANBoard]
// on a Pico 2 W).
//
// A Board belongs to its loop: call its methods, and those of its parts,
// from tasks, loop callbacks, or before the loop runs. Other goroutines (a
// web page, a terminal) hand calls to the loop with [coop.Loop.CallSoon].
// The world moves in board time: schedule stimuli with [coop.Loop.CallAt]
// or the parts' …At methods.
type Board struct {
	loop   *coop.Loop
	kind   *kind
	cfg    Config
	pins   map[string]*pin // canonical name → pin
	order  []*pin
	parts  []Part
	byName map[string]Part

	obs      []*observerEntry
	console  *console
	wlan     *wlan
	aps      []*AccessPoint
	vtimers  int
	hwTimers map[int]*timer

	irqQueue []func()
	inIRQ    bool

	// Resets, the watchdog and the flash (firmware.go, watchdog.go,
	// flash.go).
	boot      uint64 // bumped at each reset: timers and scanners of an earlier boot stop
	cause     hw.ResetCause
	resetHook func(Reset) // the Firmware's, which restarts the program
	wdt       *watchdog
	flash     *flash
	goingDown bool // a reset was requested: the processor has stopped
	tearArmed bool // the next flash write is cut after tearAt bytes
	tearAt    int

	// The network (net.go).
	netCfg    NetConfig
	openConns map[*conn]bool
	connSeq   uint64
}

type observerEntry struct{ o Observer }

// NewBoard returns a simulated board of the given kind on loop, with the
// parts soldered on it attached: the built-in LED of a Pico 2 W ("LED") and
// of a Metro M4 (on D13, also called "LED"), the four LEDs of a pyboard
// (red, green, yellow, blue on "LED(1)"…"LED(4)") and its USR button (to
// GND, bouncing). Kinds are listed by [Boards]: "metro_m4", "pico2w",
// "pyboard".
func NewBoard(loop *coop.Loop, kindName string, cfg Config) (*Board, error) {
	if loop == nil {
		return nil, fmt.Errorf("sim: NewBoard needs a loop")
	}
	k, ok := kinds()[kindName]
	if !ok {
		return nil, fmt.Errorf("sim: unknown board %q (boards: %s)", kindName, strings.Join(Boards(), ", "))
	}
	if cfg.JoinTimeout <= 0 {
		cfg.JoinTimeout = 10 * time.Second
	}
	b := &Board{
		loop:   loop,
		kind:   k,
		cfg:    cfg,
		pins:   make(map[string]*pin, len(k.pins)),
		byName: make(map[string]Part),
	}
	for _, n := range k.pins {
		p := &pin{b: b, name: n}
		b.pins[n] = p
		b.order = append(b.order, p)
	}
	b.console = &console{b: b}
	if k.builtin != nil {
		k.builtin(b)
	}
	return b, nil
}

func (b *Board) mustAttach(pin string, p Part) {
	if err := b.Attach(pin, p); err != nil {
		panic(err)
	}
}

// Name returns the board's kind, such as "pico2w".
func (b *Board) Name() string { return b.kind.name }

// Title returns the board's full name, such as "Raspberry Pi Pico 2 W".
func (b *Board) Title() string { return b.kind.title }

// Machine returns the board and its chip as MicroPython's
// sys.implementation._machine names them, such as "Raspberry Pi Pico 2 W
// with RP2350".
func (b *Board) Machine() string { return b.kind.machine }

// Loop returns the loop the board runs on.
func (b *Board) Loop() *coop.Loop { return b.loop }

// DeviceID implements [hw.IDBoard].
func (b *Board) DeviceID() string {
	if b.cfg.DeviceID != "" {
		return b.cfg.DeviceID
	}
	return b.kind.name + "-" + strconv.FormatUint(b.cfg.Seed, 10)
}

// Seed returns the board's seed.
func (b *Board) Seed() uint64 { return b.cfg.Seed }

// Pins returns the board's pin names, without aliases ("LED" of a Metro M4
// is "D13"), in the board's order.
func (b *Board) Pins() []string {
	names := make([]string, len(b.order))
	for i, p := range b.order {
		names[i] = p.name
	}
	return names
}

// PinName returns the canonical name of pin: "D13" for "LED" on a Metro
// M4, the name itself for a pin without alias. The error wraps
// hw.ErrNoPin.
func (b *Board) PinName(pin string) (string, error) {
	p, err := b.pin(pin)
	if err != nil {
		return "", err
	}
	return p.name, nil
}

// pin finds a pin by name or alias.
func (b *Board) pin(name string) (*pin, error) {
	if p, ok := b.pins[name]; ok {
		return p, nil
	}
	if c, ok := b.kind.alias[name]; ok {
		return b.pins[c], nil
	}
	return nil, &hw.PinError{Board: b.kind.name, Pin: name, Err: hw.ErrNoPin, Have: b.pinSummary(), Meant: b.meant(name)}
}

// meant returns the pin or alias a program most likely meant by name, a
// name the board does not have, or "": the one that differs only in case
// ("gp15", "led"), or else the only pin with name's number after its
// letters ("15" as MicroPython's Pin(15) takes it, "GPIO15" as TinyGo's
// machine names it: GP15 on a Pico).
func (b *Board) meant(name string) string {
	for _, p := range b.order {
		if strings.EqualFold(p.name, name) {
			return p.name
		}
	}
	for a := range b.kind.alias {
		if strings.EqualFold(a, name) {
			return a
		}
	}
	num, ok := pinNumber(name)
	if !ok {
		return ""
	}
	found := ""
	for _, p := range b.order {
		if n, ok := pinNumber(p.name); ok && n == num {
			if found != "" {
				return "" // X1 or Y1: no guess
			}
			found = p.name
		}
	}
	return found
}

// pinNumber returns the number of a pin name made of letters then digits
// ("15" for "GP15" or "15"), without leading zeros; ok is false for
// another form ("LED", "LED(1)", "GND.1").
func pinNumber(name string) (num string, ok bool) {
	i := strings.IndexAny(name, "0123456789")
	if i < 0 {
		return "", false
	}
	for _, c := range name[:i] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", false
		}
	}
	for _, c := range name[i:] {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if num = strings.TrimLeft(name[i:], "0"); num == "" {
		num = "0"
	}
	return num, true
}

func (b *Board) pinSummary() string {
	names := b.Pins()
	for a := range b.kind.alias {
		names = append(names, a)
	}
	// Aliases after the pins, sorted, so the summary is stable.
	tail := names[len(b.order):]
	sortStrings(tail)
	return summary(names)
}

// Level returns the level of pin now, as the program would read it: driven
// by the program or a part, pulled, or, floating, whatever noise it picks
// up. The error wraps hw.ErrNoPin.
func (b *Board) Level(pin string) (bool, error) {
	p, err := b.pin(pin)
	if err != nil {
		return false, err
	}
	return p.read(), nil
}

// Floating reports whether nothing drives or pulls pin now, so that it
// reads noise. The error wraps hw.ErrNoPin.
func (b *Board) Floating(pin string) (bool, error) {
	p, err := b.pin(pin)
	if err != nil {
		return false, err
	}
	p.ensure()
	return p.floating, nil
}

// Attach wires part p to pin. Part names are unique on a board; the parts
// soldered on it are named after their pins ("LED", "LED(1)", "USR").
func (b *Board) Attach(pin string, p Part) error {
	if p == nil {
		return fmt.Errorf("sim: Attach(%q, nil)", pin)
	}
	pp, err := b.pin(pin)
	if err != nil {
		return err
	}
	name := p.Name()
	if name == "" {
		return fmt.Errorf("sim: attach to %s: the part has no name", pp.name)
	}
	if _, dup := b.byName[name]; dup {
		return fmt.Errorf("sim: attach %q to %s: board %q has a part of that name already", name, pp.name, b.kind.name)
	}
	w := &Wire{p: pp, part: p}
	if err := p.Connect(w); err != nil {
		return fmt.Errorf("sim: attach %q to %s: %w", name, pp.name, err)
	}
	pp.wires = append(pp.wires, w)
	b.parts = append(b.parts, p)
	b.byName[name] = p
	pp.update()
	return nil
}

// Part returns the part called name, or nil if there is none.
func (b *Board) Part(name string) Part { return b.byName[name] }

// Parts returns the board's parts in the order they were attached.
func (b *Board) Parts() []Part { return append([]Part(nil), b.parts...) }

// Rand returns a random source for stream, derived from the board's seed
// and the stream's name, so that each part draws its own numbers: adding a
// part does not change how another one behaves.
func (b *Board) Rand(stream string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rand.New(rand.NewPCG(b.cfg.Seed, h.Sum64()))
}

// At runs fn on the loop at board time at (now if at has passed): the way
// to script the world. It is [coop.Loop.CallAt].
func (b *Board) At(at time.Duration, fn func()) *coop.Handle { return b.loop.CallAt(at, fn) }

func (b *Board) now() time.Duration { return b.loop.Now() }

// interrupt runs fn in interrupt context: at once if the loop is between
// steps (a callback), after the current step otherwise. Handlers that an
// interrupt handler triggers run after it, in order, never nested.
func (b *Board) interrupt(source, what string, fn func()) {
	run := func() {
		b.emitInterrupt(b.now(), source, what)
		fn()
	}
	if b.loop.Current() != nil {
		b.loop.CallSoon(run)
		return
	}
	b.irqQueue = append(b.irqQueue, run)
	if b.inIRQ {
		return
	}
	b.inIRQ = true
	defer func() { b.inIRQ = false }()
	for len(b.irqQueue) > 0 {
		f := b.irqQueue[0]
		b.irqQueue = b.irqQueue[1:]
		f()
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// The interfaces of package hw a Board implements.
var (
	_ hw.Board        = (*Board)(nil)
	_ hw.TimerBoard   = (*Board)(nil)
	_ hw.CounterBoard = (*Board)(nil)
	_ hw.KeysBoard    = (*Board)(nil)
	_ hw.DHT22Board   = (*Board)(nil)
	_ hw.WLANBoard    = (*Board)(nil)
	_ hw.ADCBoard     = (*Board)(nil)
	_ hw.PWMBoard     = (*Board)(nil)
)
