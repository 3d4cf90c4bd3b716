package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Wi-Fi timings.
const (
	// DefaultJoinTime is how long joining an access point takes, from
	// Connect to an address, unless its APConfig says otherwise.
	DefaultJoinTime = 2 * time.Second
	// ScanTime is how long a WLAN looks for an SSID before giving up with
	// hw.ErrNoAP.
	ScanTime = time.Second
)

// APConfig configures an [AccessPoint].
type APConfig struct {
	SSID     string
	Password string // "" for an open network
	// JoinTime is how long a station takes to join, and to be refused a
	// wrong password; zero means DefaultJoinTime.
	JoinTime time.Duration
}

// AccessPoint is a Wi-Fi network in range of the board. It starts online.
// Its outages are traced as the value signal "SSID.down" (see
// [AccessPoint.Signal]): 1 from the instant it goes off the air, 0 from
// the instant it is back.
type AccessPoint struct {
	b      *Board
	cfg    APConfig
	online bool
}

// AddAccessPoint puts a Wi-Fi network in range of the board.
func (b *Board) AddAccessPoint(cfg APConfig) (*AccessPoint, error) {
	if cfg.SSID == "" {
		return nil, errors.New("sim: an access point needs an SSID")
	}
	if b.AccessPoint(cfg.SSID) != nil {
		return nil, fmt.Errorf("sim: access point %q exists already", cfg.SSID)
	}
	if cfg.JoinTime <= 0 {
		cfg.JoinTime = DefaultJoinTime
	}
	ap := &AccessPoint{b: b, cfg: cfg, online: true}
	b.aps = append(b.aps, ap)
	return ap, nil
}

// AccessPoints returns the access points in range of the board, in the
// order they were added.
func (b *Board) AccessPoints() []*AccessPoint { return append([]*AccessPoint(nil), b.aps...) }

// AccessPoint returns the access point called ssid, or nil.
func (b *Board) AccessPoint(ssid string) *AccessPoint {
	for _, ap := range b.aps {
		if ap.cfg.SSID == ssid {
			return ap
		}
	}
	return nil
}

// SSID returns the network's name.
func (ap *AccessPoint) SSID() string { return ap.cfg.SSID }

// Online reports whether the access point is up.
func (ap *AccessPoint) Online() bool { return ap.online }

// Signal returns the name of the value signal that traces the access
// point's outages: "SSID.down".
func (ap *AccessPoint) Signal() string { return ap.cfg.SSID + ".down" }

// Down takes the access point off the air now: a station joined to it
// loses its link (hw.StatusLinkLost), a join in progress fails with
// hw.ErrNoAP.
func (ap *AccessPoint) Down() {
	if !ap.online {
		return
	}
	ap.online = false
	ap.b.emitValue(ap.b.now(), ap.Signal(), 1)
	if w := ap.b.wlan; w != nil {
		w.apDown(ap)
	}
}

// Up puts the access point back on the air now. Stations do not rejoin by
// themselves: a program calls Connect again, as on a Pico.
func (ap *AccessPoint) Up() {
	if ap.online {
		return
	}
	ap.online = true
	ap.b.emitValue(ap.b.now(), ap.Signal(), 0)
}

// OutageAt takes the access point down at board time from and back up at
// to.
func (ap *AccessPoint) OutageAt(from, to time.Duration) {
	ap.b.loop.CallAt(from, ap.Down)
	ap.b.loop.CallAt(to, ap.Up)
}

// WLAN implements [hw.WLANBoard] on a board with Wi-Fi (a Pico 2 W). Its
// changes of state are traced as interrupts of source "WLAN".
//
// Connect decides its outcome when it starts: no such SSID, or its access
// point down, fails with hw.ErrNoAP after ScanTime; a wrong password fails
// with hw.ErrWrongPassword after the AP's JoinTime; otherwise the link is
// up after JoinTime. An outcome later than Config.JoinTimeout is
// hw.ErrJoinTimeout at the timeout. An access point going down during
// the join fails it at once with hw.ErrNoAP.
func (b *Board) WLAN() (hw.WLAN, error) {
	if !b.kind.wlan {
		return nil, &hw.DeviceError{Board: b.kind.name, Device: "WLAN"}
	}
	if b.wlan == nil {
		b.wlan = &wlan{b: b}
	}
	return b.wlan, nil
}

// wlan is the station interface of a board.
type wlan struct {
	b      *Board
	status hw.WLANStatus
	ap     *AccessPoint // joined or joining
	join   *join
}

// join is a Connect in progress.
type join struct {
	done coop.Event
	err  error
	h    *coop.Handle
}

var (
	errJoinReplaced = errors.New("sim: join abandoned for another Connect")
	errJoinAborted  = errors.New("sim: join abandoned by Disconnect")
)

func (w *wlan) note(what string) { w.b.emitInterrupt(w.b.now(), "WLAN", what) }

func (w *wlan) Connect(self *coop.Task, ssid, password string) error {
	w.abort(errJoinReplaced)
	if w.status == hw.StatusGotIP {
		w.note("disconnected")
		w.b.linkDown()
	}
	w.ap = nil
	w.status = hw.StatusConnecting
	w.note("joining " + ssid)

	ap := w.b.AccessPoint(ssid)
	timeout := w.b.cfg.JoinTimeout
	var after time.Duration
	var status hw.WLANStatus
	var err error
	switch {
	case ap == nil || !ap.online:
		after, status, err = ScanTime, hw.StatusNoAPFound, hw.ErrNoAP
		ap = nil
	case ap.cfg.Password != password:
		after, status, err = ap.cfg.JoinTime, hw.StatusWrongPassword, hw.ErrWrongPassword
	default:
		after, status, err = ap.cfg.JoinTime, hw.StatusGotIP, nil
	}
	if after > timeout {
		after, status, err = timeout, hw.StatusConnectFail, hw.ErrJoinTimeout
	}
	w.ap = ap
	j := &join{}
	w.join = j
	j.h = w.b.loop.CallAt(w.b.now()+after, func() { w.finish(j, status, err) })
	if werr := j.done.Wait(self); werr != nil {
		if w.join == j {
			j.h.Cancel()
			w.join, w.ap = nil, nil
			w.status = hw.StatusIdle
			w.note("join cancelled")
		}
		return werr
	}
	return j.err
}

// finish ends join j with a status and error.
func (w *wlan) finish(j *join, status hw.WLANStatus, err error) {
	if w.join != j {
		return
	}
	w.join = nil
	w.status = status
	if err != nil {
		w.ap = nil
		w.note(status.String())
	} else {
		w.note("connected")
	}
	j.err = err
	j.done.Set()
}

// abort ends a join in progress with err.
func (w *wlan) abort(err error) {
	if j := w.join; j != nil {
		j.h.Cancel()
		w.join = nil
		j.err = err
		j.done.Set()
	}
}

func (w *wlan) apDown(ap *AccessPoint) {
	if w.ap != ap {
		return
	}
	if j := w.join; j != nil {
		j.h.Cancel()
		w.finish(j, hw.StatusNoAPFound, hw.ErrNoAP)
		return
	}
	if w.status == hw.StatusGotIP {
		w.status = hw.StatusLinkLost
		w.ap = nil
		w.note("link lost")
		w.b.linkDown()
	}
}

func (w *wlan) Status() hw.WLANStatus { return w.status }

func (w *wlan) Disconnect() {
	w.abort(errJoinAborted)
	if w.status == hw.StatusGotIP {
		w.note("disconnected")
		w.b.linkDown()
	}
	w.ap = nil
	w.status = hw.StatusIdle
}
