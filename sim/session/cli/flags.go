package cli

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/mqtt/broker"
	"github.com/coopgo/coop/sim"
)

// noScenario is the --scenario value that runs without the program's
// default scenario.
const noScenario = "none"

// MaxFor is the longest --for, a hundred years of board time: the loop's
// clock counts nanoseconds in an int64, which holds 292 years.
const MaxFor = 100 * 365 * 24 * time.Hour

// runConfig is what the flags of a run ask for.
type runConfig struct {
	board       string        // --board, or ""
	wiring      string        // --wiring, or ""
	scenario    string        // --scenario, or ""
	duration    time.Duration // --for, or 0
	virtual     bool          // --virtual
	timestamps  bool          // --timestamps
	pins        bool          // --pins
	seed        uint64        // --seed
	trace       string        // --trace, or ""
	timeline    string        // --timeline, or ""
	stepCost    time.Duration // --step-cost
	broker      string        // --broker, or "": an embedded broker (network.go)
	brokerCA    string        // --broker-ca, or "": the system's roots
	brokerTLS   *tls.Config   // from --broker-ca, for an mqtts:// --broker
	watchConfig               // --top, --stats, --stats-every, --blocking (live.go)
	webConfig                 // --web, --web-token (web.go)
}

// Flags are the flags of a run, parsed by [Parse]: `coop run`'s and a
// program's own under device.Main are the same.
type Flags struct {
	c   runConfig
	set []*flag.Flag // the flags of the run that were given, in order of name
}

// pathFlags are the flags whose value is a file: Args makes them absolute.
var pathFlags = map[string]bool{"wiring": true, "scenario": true, "trace": true, "timeline": true, "stats": true, "broker-ca": true}

// Args returns the flags that were given as arguments again, --name=value,
// with the paths of files made absolute, for a program run in another
// directory (`coop run ./DIR`).
func (f Flags) Args() ([]string, error) {
	var args []string
	for _, fl := range f.set {
		v := fl.Value.String()
		if pathFlags[fl.Name] && !(fl.Name == "scenario" && v == noScenario) {
			a, err := filepath.Abs(v)
			if err != nil {
				return nil, fmt.Errorf("--%s %s: %w", fl.Name, v, err)
			}
			v = a
		}
		args = append(args, "--"+fl.Name+"="+v)
	}
	return args, nil
}

// For returns --for, or 0.
func (f Flags) For() time.Duration { return f.c.duration }

// Seed returns --seed.
func (f Flags) Seed() uint64 { return f.c.seed }

// Virtual returns --virtual.
func (f Flags) Virtual() bool { return f.c.virtual }

// Wiring returns --wiring, or "".
func (f Flags) Wiring() string { return f.c.wiring }

// Scenario returns --scenario, or "".
func (f Flags) Scenario() string { return f.c.scenario }

// flagSet is the flags of a run in a flag.FlagSet, with the checks of
// their values once parsed.
type flagSet struct {
	fs     *flag.FlagSet
	checks []func(set map[string]bool) error
}

// newFlagSet defines the flags of a run for c, each with its usage, which
// the help prints.
func newFlagSet(name string, c *runConfig) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	s := &flagSet{fs: fs}
	fs.StringVar(&c.board, "board", "", "board `kind`: metro_m4, pico2w or pyboard (default: the wiring's)")
	fs.StringVar(&c.wiring, "wiring", "", "Wokwi diagram.json `file` to wire the board (default: the program's)")
	fs.StringVar(&c.scenario, "scenario", "", "scenario YAML `file` that drives the world (default: the program's, if it has one, but none with --web, whose page drives the board; none: no scenario, press buttons with keys)")
	forText := fs.String("for", "", "run for `D` of board time, such as 500ms, 10s or 1m30s, even past the scenario's end (sooner if the program returns; a scenario still going is stopped, not failed)")
	fs.BoolVar(&c.virtual, "virtual", false, "run in virtual time, as fast as possible, instead of real time")
	fs.BoolVar(&c.timestamps, "timestamps", false, `prefix each console line with its board time: "[   1.500s] "`)
	fs.BoolVar(&c.pins, "pins", false, `print each pin change as a line of the console, with its board time and the part it drives: "[   0.500s] GP15 (led1) on"; a PWM output's frequency and duty, a part's state (a servo's angle)`)
	seedText := fs.String("seed", "0", "seed `N` of the simulator's randomness")
	fs.StringVar(&c.trace, "trace", "", "write pins and tasks as a VCD `file` (GTKWave, PulseView)")
	fs.StringVar(&c.timeline, "timeline", "", "write an SVG timeline `file` of pins, tasks and console")
	stepCost := fs.String("step-cost", "0s", "in virtual time, make each task step take `D` of board time, as a processor would")
	fs.StringVar(&c.broker, "broker", "", "the MQTT broker the board's network reaches, `URL` mqtt://[user:password@]host:port or mqtts://… (default: one in coop, started when the program first dials; credentials also from COOP_MQTT_USER, COOP_MQTT_PASSWORD)")
	fs.StringVar(&c.brokerCA, "broker-ca", "", "for an mqtts:// --broker, trust only the certificate authorities in this PEM `file` (a private broker's CA) instead of the system's")
	s.checks = append(s.checks, c.watchConfig.flags(fs), c.webConfig.flags(fs, c), func(set map[string]bool) error {
		if set["for"] {
			d, err := parseDuration("for", *forText, "such as 500ms, 10s, 1m30s")
			switch {
			case err != nil:
				return err
			case d <= 0:
				return fmt.Errorf("--for %s: the duration must be more than zero", *forText)
			case d > MaxFor:
				return fmt.Errorf("--for %s: the duration must be at most %v", *forText, MaxFor)
			}
			c.duration = d
		}
		d, err := parseDuration("step-cost", *stepCost, "such as 10us, 1ms")
		switch {
		case err != nil:
			return err
		case d < 0:
			return fmt.Errorf("--step-cost %s: the cost must not be negative", *stepCost)
		}
		c.stepCost = d
		seed, err := strconv.ParseUint(*seedText, 10, 64)
		if err != nil {
			return fmt.Errorf("--seed %q: not a whole number from 0 to %d", *seedText, uint64(1<<64-1))
		}
		c.seed = seed
		for _, f := range []struct{ name, value string }{
			{"board", c.board}, {"wiring", c.wiring}, {"scenario", c.scenario},
			{"trace", c.trace}, {"timeline", c.timeline}, {"broker", c.broker}, {"broker-ca", c.brokerCA},
		} {
			if set[f.name] && f.value == "" {
				return fmt.Errorf("--%s: the value is empty", f.name)
			}
		}
		if c.board != "" && !slices.Contains(sim.Boards(), c.board) {
			return fmt.Errorf("--board %q: unknown board (%sboards: %s)", c.board, suggest.Hint(c.board, sim.Boards()), strings.Join(sim.Boards(), ", "))
		}
		if c.broker != "" {
			u, err := mqtt.ParseURL(c.broker)
			if err != nil {
				return fmt.Errorf("--broker: %w", err)
			}
			if c.brokerTLS, err = BrokerTLS(u, c.brokerCA); err != nil {
				return err
			}
		} else if c.brokerCA != "" {
			return errors.New("--broker-ca: give it with an mqtts:// --broker")
		}
		if c.trace != "" && c.trace == c.timeline {
			return fmt.Errorf("--trace and --timeline both write %s: give each its own file", c.trace)
		}
		return nil
	})
	return s
}

// BrokerTLS returns the TLS configuration of --broker-ca caFile for the
// broker at u (nil for mqtt://, which takes no CA), or the line to print
// after "coop: ": a CA file that cannot be read or holds no certificate,
// or one given for a broker without TLS. The commands that reach a broker
// (run, telemetry, fleet) share it.
func BrokerTLS(u mqtt.BrokerURL, caFile string) (*tls.Config, error) {
	if !u.TLS {
		if caFile != "" {
			return nil, fmt.Errorf("--broker-ca: %s has no TLS: give an mqtts:// --broker", u)
		}
		return nil, nil
	}
	cfg, err := broker.TLSConfig(u, caFile)
	if err != nil {
		return nil, fmt.Errorf("--broker-ca: %w", err)
	}
	return cfg, nil
}

// parseDuration parses the value of the duration flag name; its error
// says what is allowed, with examples, or the largest duration allowed.
func parseDuration(name, text, examples string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	if err != nil {
		if durationSyntax.MatchString(text) {
			// Well formed, so too large for time.Duration.
			return 0, fmt.Errorf("--%s %s: the duration must be at most %v", name, text, MaxFor)
		}
		return 0, fmt.Errorf("--%s %q: not a duration (%s)", name, text, examples)
	}
	return d, nil
}

// durationSyntax is what time.ParseDuration reads, whatever the numbers.
var durationSyntax = regexp.MustCompile(`^[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$`)

// ParseArgs parses args with fs, flags before and after the positional
// arguments, which it returns. Its error wraps flag.ErrHelp for -h and
// --help; otherwise it is one line, after "coop: ", that names cmd and
// says what is allowed.
func ParseArgs(fs *flag.FlagSet, cmd string, args []string) ([]string, error) {
	fs.SetOutput(io.Discard) // errors are reported in one line, here
	// flag stops at the first argument that is not a flag: take it as a
	// positional argument and parse the rest again.
	var pos []string
	for {
		if err := checkArgs(fs, cmd, args); err != nil {
			return nil, err
		}
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", cmd, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// ExtraFlags defines more flags in fs, for a command that takes more than
// a run's (`coop run`'s railroad flags). check is called once fs has
// parsed the arguments, with the names of the flags that were set.
type ExtraFlags func(fs *flag.FlagSet) (check func(set map[string]bool) error)

// Parse parses the arguments of a run: flags, before and after the
// positional arguments, which it returns. It returns an error wrapping
// flag.ErrHelp for -h and --help, and otherwise one whose message is the
// line to print after "coop: ". name is the command ("run") for messages.
func Parse(name string, args []string, extra ExtraFlags) (Flags, []string, error) {
	var f Flags
	s := newFlagSet(name, &f.c)
	own := map[string]bool{}
	s.fs.VisitAll(func(fl *flag.Flag) { own[fl.Name] = true })
	if extra != nil {
		s.checks = append(s.checks, extra(s.fs))
	}
	pos, err := ParseArgs(s.fs, name, joinWebAddr(args))
	if err != nil {
		return f, nil, err
	}
	set := map[string]bool{}
	s.fs.Visit(func(fl *flag.Flag) {
		set[fl.Name] = true
		if own[fl.Name] {
			f.set = append(f.set, fl)
		}
	})
	for _, check := range s.checks {
		if err := check(set); err != nil {
			return f, pos, err
		}
	}
	return f, pos, nil
}

// joinWebAddr returns args with `--web ADDR` written `--web=ADDR`. --web
// may stand alone, so package flag takes no value after it; an argument
// after it that has a colon and is neither a flag nor a path (":8080",
// "127.0.0.1:0") is its address: no example's name has a colon.
func joinWebAddr(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "--web" || a == "-web") && i+1 < len(args) {
			if next := args[i+1]; strings.Contains(next, ":") && !strings.ContainsAny(next[:1], "-./") {
				out = append(out, a+"="+next)
				i++
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// checkArgs finds what package flag would stop at, to say it in one
// line with the flags spelt --name as the usage spells them: a flag that
// is not defined, or one without its value. Package flag's errors are
// text only, so the arguments are read here rather than its messages.
func checkArgs(fs *flag.FlagSet, cmd string, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		name, value, hasValue := strings.Cut(name, "=")
		if name == "h" || name == "help" {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
			if len(names) == 0 {
				return fmt.Errorf("%s: unknown flag --%s (%s takes no flags)", cmd, name, cmd)
			}
			return fmt.Errorf("%s: unknown flag --%s (flags: %s)", cmd, name, strings.Join(names, ", "))
		}
		if g, ok := f.Value.(flag.Getter); ok && hasValue {
			if _, isBool := g.Get().(bool); isBool {
				if _, err := strconv.ParseBool(value); err != nil {
					return fmt.Errorf("%s: --%s=%s: not true or false (--%s alone is true)", cmd, name, value, name)
				}
			}
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return fmt.Errorf("%s: flag --%s needs a value", cmd, name)
			}
			i++ // the value
			value = args[i]
		}
		if err := checkValue(f, value); err != nil {
			return fmt.Errorf("%s: --%s %q: %w", cmd, name, value, err)
		}
	}
	return nil
}

// checkValue says what is wrong with value for flag f, of one of package
// flag's number or duration types, as package flag would refuse it.
func checkValue(f *flag.Flag, value string) error {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return nil
	}
	var err error
	switch g.Get().(type) { // the types whose Set can fail
	case time.Duration:
		if _, err = time.ParseDuration(value); err != nil {
			return errors.New("not a duration (such as 500ms, 10s, 1m30s)")
		}
	case int:
		if _, err = strconv.ParseInt(value, 0, strconv.IntSize); err != nil {
			return errors.New("not a whole number")
		}
	case int64:
		if _, err = strconv.ParseInt(value, 0, 64); err != nil {
			return errors.New("not a whole number")
		}
	case uint:
		if _, err = strconv.ParseUint(value, 0, strconv.IntSize); err != nil {
			return fmt.Errorf("not a whole number from 0 to %d", uint64(^uint(0)))
		}
	case uint64:
		if _, err = strconv.ParseUint(value, 0, 64); err != nil {
			return fmt.Errorf("not a whole number from 0 to %d", uint64(1<<64-1))
		}
	case float64:
		if _, err = strconv.ParseFloat(value, 64); err != nil {
			return errors.New("not a number")
		}
	}
	return nil
}

// Usage writes the flags of a run, with the extra ones, one paragraph per
// flag from its usage string, wrapped at 80 columns.
func Usage(w io.Writer, extra ExtraFlags) error {
	var c runConfig
	s := newFlagSet("", &c)
	if extra != nil {
		extra(s.fs)
	}
	_, err := io.WriteString(w, FlagHelp(s.fs))
	return err
}

// FlagHelp describes the flags of fs, one paragraph per flag from its
// usage string (a `quoted` word names its value), with its default,
// wrapped at 80 columns: the help of every command is written this way.
func FlagHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if arg != "" {
			head += " " + arg
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0s" && def != "0" {
			usage += " (default " + def + ")"
		}
		b.WriteString(wrap(head, usage, 18, 80))
	})
	return b.String()
}

// wrap lays out a flag's head and its usage: the usage starts at column
// indent, on the head's line if it fits, and wraps at width.
func wrap(head, usage string, indent, width int) string {
	var b strings.Builder
	b.WriteString(head)
	col := len(head)
	if col+2 > indent {
		b.WriteString("\n")
		col = 0
	}
	b.WriteString(strings.Repeat(" ", indent-col))
	col = indent
	// Words are split at single spaces: a run of spaces inside the text
	// ("[   0.500s]") stays, with the word after it.
	var words []string
	lead := ""
	for _, w := range strings.Split(usage, " ") {
		if w == "" {
			lead += " "
			continue
		}
		words = append(words, lead+w)
		lead = ""
	}
	for i, word := range words {
		if i > 0 {
			if col+1+len(word) > width {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else {
				b.WriteString(" ")
				col++
			}
		}
		b.WriteString(word)
		col += len(word)
	}
	b.WriteString("\n")
	return b.String()
}
