package prim_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/prim"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, topic string
		want           bool
	}{
		{"a/b/c", "a/b/c", true},
		{"a/b/c", "a/b", false},
		{"a/b", "a/b/c", false},
		{"a/b/c", "a/b/d", false},
		{"a/b/c", "A/b/c", false},
		{"a/b/", "a/b/", true},
		{"a/b/", "a/b", false},

		{"a/+/c", "a/b/c", true},
		{"a/+/c", "a/x/c", true},
		{"a/+/c", "a//c", true},
		{"a/+/c", "a/c", false},
		{"a/+/c", "a/b/b/c", false},
		{"a/+/c", "a/b/c/d", false},
		{"a/+", "a/b", true},
		{"a/+", "a/", true},
		{"a/+", "a", false},
		{"+", "a", true},
		{"+", "a/b", false},
		{"+/+", "/x", true},
		{"+/b/+", "a/b/c", true},

		{"a/#", "a", true},
		{"a/#", "a/b", true},
		{"a/#", "a/b/c", true},
		{"a/#", "ab", false},
		{"a/#", "b/a", false},
		{"a/+/#", "a/b", true},
		{"a/+/#", "a", false},
		{"#", "a", true},
		{"#", "a/b/c", true},
		{"#", "/", true},

		{"#", "$SYS/uptime", false},
		{"+/uptime", "$SYS/uptime", false},
		{"$SYS/#", "$SYS/uptime", true},
		{"$SYS/+", "$SYS/uptime", true},
		{"a/#", "a/$x", true},
	}
	for _, tt := range tests {
		if got := prim.Match(tt.pattern, tt.topic); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.topic, got, tt.want)
		}
	}
}

func TestSubscribeBadPattern(t *testing.T) {
	var b prim.Broker[int]
	for _, p := range []string{"", "a/#/b", "#/", "a#", "a/b#", "a+", "a/+b/c", "+a"} {
		if _, err := b.SubscribeQueue(p, 1, prim.DropNewest); !errors.Is(err, prim.ErrBadPattern) {
			t.Errorf("SubscribeQueue(%q) error = %v, want ErrBadPattern", p, err)
		}
	}
	for _, p := range []string{"a", "#", "+", "a/+/#", "/", "+/+", "a//b"} {
		if _, err := b.Subscribe(p, func(string, int) {}); err != nil {
			t.Errorf("Subscribe(%q) error = %v, want nil", p, err)
		}
	}
	badPatterns := []struct{ pattern, want string }{
		{"a/#/b", `prim: bad topic pattern "a/#/b": '#' must be a whole level, the last one, such as coop/#`},
		{"a+", `prim: bad topic pattern "a+": '+' must be a whole level, such as coop/+/t`},
		{"", `prim: bad topic pattern "": empty, want a topic filter such as coop/#`},
		{"a/\x00", `prim: bad topic pattern "a/\x00": has a NUL character (U+0000), which MQTT does not allow`},
		{"a/\xff/#", `prim: bad topic pattern "a/\xff/#": is not valid UTF-8, which MQTT requires`},
		{strings.Repeat("a", 70000), `prim: bad topic pattern "` + strings.Repeat("a", 64) + `"… (70000 bytes): longer than 65535 bytes, the most MQTT allows`},
	}
	for _, tt := range badPatterns {
		if _, err := b.Subscribe(tt.pattern, func(string, int) {}); !errors.Is(err, prim.ErrBadPattern) || err.Error() != tt.want {
			t.Errorf("Subscribe(%.20q) error = %v, want %s", tt.pattern, err, tt.want)
		}
	}
	badTopics := []struct{ topic, want string }{
		{"", `prim: bad topic "": empty, want a topic name such as coop/pico-1/temp`},
		{"a/+", `prim: bad topic "a/+": has a wildcard ('+' or '#'), which filters to subscribe with may have, not topic names to publish to, such as coop/pico-1/temp`},
		{"#", `prim: bad topic "#": has a wildcard ('+' or '#'), which filters to subscribe with may have, not topic names to publish to, such as coop/pico-1/temp`},
		{"a/b#", `prim: bad topic "a/b#": has a wildcard ('+' or '#'), which filters to subscribe with may have, not topic names to publish to, such as coop/pico-1/temp`},
		{"a/\x00", `prim: bad topic "a/\x00": has a NUL character (U+0000), which MQTT does not allow`},
		{"a/\xff", `prim: bad topic "a/\xff": is not valid UTF-8, which MQTT requires`},
		{strings.Repeat("a", 65536), `prim: bad topic "` + strings.Repeat("a", 64) + `"… (65536 bytes): longer than 65535 bytes, the most MQTT allows`},
	}
	for _, tt := range badTopics {
		if n, err := b.Publish(tt.topic, 1); !errors.Is(err, prim.ErrBadTopic) || n != 0 || err.Error() != tt.want {
			t.Errorf("Publish(%.20q) = %d, %v, want 0, %s", tt.topic, n, err, tt.want)
		}
	}
}

// Every subscriber whose pattern matches gets the publication, in the order
// they subscribed; Publish counts them.
func TestBrokerCallbacks(t *testing.T) {
	var b prim.Broker[string]
	var got []string
	sub := func(name, pattern string) *prim.Subscription[string] {
		s, err := b.Subscribe(pattern, func(topic, payload string) {
			got = append(got, name+" "+topic+" "+payload)
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sub("exact", "a/b/c")
	plus := sub("plus", "a/+/c")
	sub("hash", "a/#")
	sub("all", "#")
	pubs := []struct {
		topic string
		n     int
	}{{"a/b/c", 4}, {"a/x/c", 3}, {"a", 2}, {"b", 1}}
	for _, p := range pubs {
		if n, err := b.Publish(p.topic, "!"); n != p.n || err != nil {
			t.Errorf("Publish(%q) = %d, %v, want %d, nil", p.topic, n, err, p.n)
		}
	}
	want := []string{
		"exact a/b/c !", "plus a/b/c !", "hash a/b/c !", "all a/b/c !",
		"plus a/x/c !", "hash a/x/c !", "all a/x/c !",
		"hash a !", "all a !",
		"all b !",
	}
	if !slices.Equal(got, want) {
		t.Errorf("deliveries = %q, want %q", got, want)
	}
	if !plus.Unsubscribe() || plus.Unsubscribe() {
		t.Error("Unsubscribe() twice did not return true, false")
	}
	got = nil
	b.Publish("a/b/c", "?")
	if want := []string{"exact a/b/c ?", "hash a/b/c ?", "all a/b/c ?"}; !slices.Equal(got, want) {
		t.Errorf("after Unsubscribe: deliveries = %q, want %q", got, want)
	}
	if b.Len() != 3 {
		t.Errorf("Len() = %d, want 3", b.Len())
	}
}

// A callback that subscribes or unsubscribes during Publish changes who
// gets the next publication, not the current one (beyond skipping a
// subscriber cancelled before its turn).
func TestBrokerChangeDuringPublish(t *testing.T) {
	var b prim.Broker[int]
	var got []string
	var second *prim.Subscription[int]
	b.Subscribe("t", func(_ string, v int) {
		got = append(got, fmt.Sprint("first ", v))
		if v == 1 {
			second.Unsubscribe()
			b.Subscribe("t", func(_ string, v int) { got = append(got, fmt.Sprint("third ", v)) })
		}
	})
	second, _ = b.Subscribe("t", func(_ string, v int) { got = append(got, fmt.Sprint("second ", v)) })
	if n, _ := b.Publish("t", 1); n != 1 {
		t.Errorf("Publish = %d, want 1", n)
	}
	b.Publish("t", 2)
	if want := []string{"first 1", "first 2", "third 2"}; !slices.Equal(got, want) {
		t.Errorf("deliveries = %q, want %q", got, want)
	}
}

// A full queue loses a publication, which one its Overflow says, and the
// loss is counted by the subscription and the broker.
func TestBrokerQueueFull(t *testing.T) {
	tests := []struct {
		full prim.Overflow
		want []int
	}{
		{prim.DropNewest, []int{1, 2, 3}},
		{prim.DropOldest, []int{3, 4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.full.String(), func(t *testing.T) {
			var b prim.Broker[int]
			s, err := b.SubscribeQueue("sensor/+", 3, tt.full)
			if err != nil {
				t.Fatal(err)
			}
			roomy, _ := b.SubscribeQueue("sensor/#", 0, tt.full) // DefaultQueueSize
			delivered := 0
			for v := 1; v <= 5; v++ {
				n, _ := b.Publish("sensor/t", v)
				delivered += n
			}
			if delivered != 5+3 {
				t.Errorf("Publish delivered %d in all, want 8 (5 to the roomy queue, 3 without a drop)", delivered)
			}
			if s.Len() != 3 || s.Dropped() != 2 || roomy.Dropped() != 0 || b.Dropped() != 2 {
				t.Errorf("Len() = %d, Dropped() = %d, roomy Dropped() = %d, broker Dropped() = %d; want 3, 2, 0, 2",
					s.Len(), s.Dropped(), roomy.Dropped(), b.Dropped())
			}
			var got []int
			for {
				p, ok := s.TryNext()
				if !ok {
					break
				}
				if p.Topic != "sensor/t" {
					t.Errorf("Topic = %q, want sensor/t", p.Topic)
				}
				got = append(got, p.Payload)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("queued payloads = %v, want %v", got, tt.want)
			}
			if roomy.Len() != 5 {
				t.Errorf("roomy Len() = %d, want 5", roomy.Len())
			}
		})
	}
}

// A task reads a queue subscription with Next; Unsubscribe lets it drain
// what was queued, then Next returns ErrUnsubscribed, also to a task that
// was waiting.
func TestSubscriptionNext(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var b prim.Broker[string]
	s, _ := b.SubscribeQueue("cmd/#", 4, prim.DropNewest)
	var got []string
	main := l.Spawn("main", func(t *coop.Task) error {
		reader := t.Spawn("reader", func(t *coop.Task) error {
			for {
				p, err := s.Next(t)
				if err != nil {
					got = append(got, fmt.Sprint(err, " at ", t.Now()))
					return nil
				}
				got = append(got, fmt.Sprint(p.Topic, " ", p.Payload, " at ", t.Now()))
			}
		})
		t.Sleep(100 * ms)
		b.Publish("cmd/led", "on")
		t.Sleep(100 * ms)
		b.Publish("cmd/led", "off")
		b.Publish("cmd", "reset")
		s.Unsubscribe()
		b.Publish("cmd/led", "lost")
		return reader.Wait(t)
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cmd/led on at 100ms", "cmd/led off at 200ms", "cmd reset at 200ms",
		"prim: unsubscribed at 200ms",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Next gave %q, want %q", got, want)
	}
	if _, ok := s.TryNext(); ok {
		t.Error("TryNext() after the drain = true")
	}

	// A waiting reader is woken by Unsubscribe.
	s2, _ := b.SubscribeQueue("x", 1, prim.DropOldest)
	var end error
	var at time.Duration
	main = l.Spawn("main2", func(t *coop.Task) error {
		r := t.Spawn("reader", func(t *coop.Task) error {
			_, end = s2.Next(t)
			at = t.Now()
			return nil
		})
		t.Sleep(time.Second)
		s2.Unsubscribe()
		return r.Wait(t)
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(end, prim.ErrUnsubscribed) || at != 1200*ms {
		t.Errorf("waiting Next = %v at %v, want ErrUnsubscribed at 1.2s", end, at)
	}
}

func TestSubscriptionMisuse(t *testing.T) {
	var b prim.Broker[int]
	s, _ := b.Subscribe("a", func(string, int) {})
	if s.Len() != 0 || s.Dropped() != 0 || s.Pattern() != "a" {
		t.Errorf("callback subscription: Len() = %d, Dropped() = %d, Pattern() = %q", s.Len(), s.Dropped(), s.Pattern())
	}
	defer func() {
		if recover() == nil {
			t.Error("TryNext on a callback subscription did not panic")
		}
	}()
	s.TryNext()
}
