package sim

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

func TestWLANConnect(t *testing.T) {
	tests := []struct {
		name       string
		ap         APConfig
		ssid, pass string
		timeout    time.Duration
		wantAt     time.Duration
		wantErr    error
		wantStatus hw.WLANStatus
	}{
		{"joins", APConfig{SSID: "home", Password: "pw"}, "home", "pw", 0, 2 * time.Second, nil, hw.StatusGotIP},
		{"slow AP", APConfig{SSID: "home", Password: "pw", JoinTime: 4500 * time.Millisecond}, "home", "pw", 0,
			4500 * time.Millisecond, nil, hw.StatusGotIP},
		{"open network", APConfig{SSID: "cafe"}, "cafe", "", 0, 2 * time.Second, nil, hw.StatusGotIP},
		{"wrong password", APConfig{SSID: "home", Password: "pw"}, "home", "nope", 0,
			2 * time.Second, hw.ErrWrongPassword, hw.StatusWrongPassword},
		{"no AP", APConfig{SSID: "home", Password: "pw"}, "work", "pw", 0, time.Second, hw.ErrNoAP, hw.StatusNoAPFound},
		{"timeout", APConfig{SSID: "home", Password: "pw", JoinTime: 15 * time.Second}, "home", "pw", 0,
			10 * time.Second, hw.ErrJoinTimeout, hw.StatusConnectFail},
		{"short timeout", APConfig{SSID: "home", Password: "pw"}, "home", "pw", 1500 * time.Millisecond,
			1500 * time.Millisecond, hw.ErrJoinTimeout, hw.StatusConnectFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := coop.NewLoop(coop.WithVirtualClock())
			defer l.Close()
			b, _ := NewBoard(l, "pico2w", Config{JoinTimeout: tt.timeout})
			if _, err := b.AddAccessPoint(tt.ap); err != nil {
				t.Fatal(err)
			}
			var at time.Duration
			var during hw.WLANStatus
			err := l.RunUntilComplete(l.Spawn("main", func(t *coop.Task) error {
				w, err := hw.OpenWLAN(b)
				if err != nil {
					return err
				}
				t.Spawn("peek", func(t *coop.Task) error {
					during = w.Status()
					return nil
				})
				err = w.Connect(t, tt.ssid, tt.pass)
				at = t.Now()
				if w.Status() != tt.wantStatus {
					return errors.New("status " + w.Status().String() + ", want " + tt.wantStatus.String())
				}
				return err
			}))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("Connect = %v, want %v", err, tt.wantErr)
			}
			if at != tt.wantAt {
				t.Errorf("Connect returned at %v, want %v", at, tt.wantAt)
			}
			if during != hw.StatusConnecting {
				t.Errorf("status while joining = %v, want connecting", during)
			}
		})
	}
}

func TestWLANOutage(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	ap, _ := r.b.AddAccessPoint(APConfig{SSID: "home", Password: "pw"})
	ap.OutageAt(30*time.Second, 40*time.Second)
	type obs struct {
		at     time.Duration
		status hw.WLANStatus
		err    error
	}
	var log []obs
	err := r.run(func(t *coop.Task) error {
		w, _ := r.b.WLAN()
		status := w.Status()
		err := w.Connect(t, "home", "pw")
		log = append(log, obs{0, status, err})
		for w.Status().Connected() {
			t.Sleep(time.Second)
		}
		log = append(log, obs{t.Now(), w.Status(), nil})
		// Rejoin while the AP is down: no AP; then after it is back.
		err = w.Connect(t, "home", "pw")
		log = append(log, obs{t.Now(), 0, err})
		t.SleepUntil(40 * time.Second)
		err = w.Connect(t, "home", "pw")
		log = append(log, obs{t.Now(), w.Status(), err})
		w.Disconnect()
		log = append(log, obs{t.Now(), w.Status(), nil})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []obs{
		{0, hw.StatusIdle, nil},
		{30 * time.Second, hw.StatusLinkLost, nil},
		{31 * time.Second, 0, hw.ErrNoAP},
		{42 * time.Second, hw.StatusGotIP, nil},
		{42 * time.Second, hw.StatusIdle, nil},
	}
	if len(log) != len(want) {
		t.Fatalf("log = %+v", log)
	}
	for i := range want {
		if log[i].at != want[i].at || log[i].status != want[i].status || !errors.Is(log[i].err, want[i].err) ||
			(want[i].err == nil && log[i].err != nil) {
			t.Errorf("step %d = %+v, want %+v", i, log[i], want[i])
		}
	}
	wantTrace := `0s interrupt WLAN "joining home"
2s interrupt WLAN "connected"
30s interrupt WLAN "link lost"
30s interrupt WLAN "joining home"
31s interrupt WLAN "no ap found"
40s interrupt WLAN "joining home"
42s interrupt WLAN "connected"
42s interrupt WLAN "disconnected"`
	if got := lines(r.events(3)); got != wantTrace {
		t.Errorf("trace =\n%s\nwant\n%s", got, wantTrace)
	}
	// The outage is the value signal home.down; bringing up an AP that is
	// up changes nothing.
	ap.Up()
	wantValues := "30s value home.down 1\n40s value home.down 0"
	if got := lines(r.events(trace.KindValue)); got != wantValues || ap.Signal() != "home.down" {
		t.Errorf("values =\n%s\nwant\n%s (signal %q)", got, wantValues, ap.Signal())
	}
	if aps := r.b.AccessPoints(); len(aps) != 1 || aps[0] != ap || !ap.Online() {
		t.Errorf("AccessPoints() = %v, want [home], online", aps)
	}
}

// The AP going down during a join fails it at once; a cancelled Connect
// leaves the interface idle.
func TestWLANJoinInterrupted(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	ap, _ := r.b.AddAccessPoint(APConfig{SSID: "home", Password: "pw", JoinTime: 5 * time.Second})
	r.l.CallAt(time.Second, ap.Down)
	var at time.Duration
	var cerr, werr error
	var status hw.WLANStatus
	err := r.run(func(t *coop.Task) error {
		w, _ := r.b.WLAN()
		err := w.Connect(t, "home", "pw")
		at = t.Now()
		if !errors.Is(err, hw.ErrNoAP) {
			return errors.New("join with AP going down: " + err.Error())
		}
		ap.Up()
		c := t.Spawn("connect", func(t *coop.Task) error { return w.Connect(t, "home", "pw") })
		t.Sleep(time.Second)
		c.Cancel()
		cerr = c.Wait(t)
		status = w.Status()
		werr = w.Connect(t, "home", "pw")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if at != time.Second {
		t.Errorf("failed join returned at %v, want 1s", at)
	}
	if !errors.Is(cerr, coop.ErrCancelled) || status != hw.StatusIdle || werr != nil {
		t.Errorf("cancelled Connect = %v, status %v, next Connect %v; want ErrCancelled, idle, nil", cerr, status, werr)
	}
}

func TestAccessPointErrors(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	if _, err := r.b.AddAccessPoint(APConfig{}); err == nil {
		t.Error("AddAccessPoint without SSID succeeded")
	}
	r.b.AddAccessPoint(APConfig{SSID: "a"})
	if _, err := r.b.AddAccessPoint(APConfig{SSID: "a"}); err == nil {
		t.Error("AddAccessPoint twice succeeded")
	}
	if r.b.AccessPoint("a").SSID() != "a" || r.b.AccessPoint("b") != nil {
		t.Error("AccessPoint lookup wrong")
	}
}
