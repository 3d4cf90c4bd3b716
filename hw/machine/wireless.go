//go:build tinygo && (pico || pico2) && cyw43439

package machine

import (
	"context"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/soypat/cyw43439"
	"github.com/soypat/lneto/x/xnet"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The network a W board joins, set at build time so that no credential
// lives in the source or is ever printed:
//
//	tinygo flash -target=pico-w -ldflags="-X 'github.com/coopgo/coop/hw/machine.WiFiSSID=home' -X 'github.com/coopgo/coop/hw/machine.WiFiPassword=secret'" .
//
// When WiFiSSID is set, WLAN.Connect joins it with WiFiPassword whatever
// network the program names (the simulator's "Wokwi-GUEST", say), so a
// program joins the simulated network and the real one unchanged. When it
// is empty, Connect joins the network the program names.
var (
	WiFiSSID     string
	WiFiPassword string
)

// ledWLGPIO is the CYW43439 GPIO the on-board LED hangs off.
const ledWLGPIO = 0

// How the radio waits.
const (
	dhcpTimeout = 10 * time.Second      // for a DHCP lease after the join
	pollEvery   = 2 * time.Millisecond  // packet polling while the link is up
	idleEvery   = 50 * time.Millisecond // link checks while idle
)

// radio owns the CYW43439: one goroutine (run) initialises the chip and
// then alone talks to it, so the loop never waits on the chip's bus. The
// loop hands it the LED's level (an atomic and a kick) and join and leave
// requests (channels); WLAN.Connect waits for a join through
// coop.Offload, so the tasks keep running meanwhile.
type radio struct {
	initDone chan struct{} // closed when Init has returned
	initErr  error         // Init's error, read after initDone

	led  atomic.Uint32 // level wanted: 0 off, 1 on
	kick chan struct{} // loop to radio: the LED changed

	join  chan joinRequest
	leave chan struct{}

	status atomic.Int32 // hw.WLANStatus

	dev   *cyw43439.Device
	stack xnet.StackAsync
	frame []byte
	wlan  *wlan     // made by the first Board.WLAN
	out   *radioLED // made by the first Output("LED")
}

type joinRequest struct {
	ssid, password string
	done           chan error
}

func (b *Board) startRadio() {
	r := &b.radio
	r.initDone = make(chan struct{})
	r.kick = make(chan struct{}, 1)
	r.join = make(chan joinRequest)
	r.leave = make(chan struct{}, 1)
	go r.run()
}

// run is the radio's goroutine.
func (r *radio) run() {
	r.dev = cyw43439.NewPicoWDevice()
	r.initErr = r.dev.Init(cyw43439.DefaultWifiConfig())
	close(r.initDone)
	if r.initErr != nil {
		return
	}
	r.frame = make([]byte, cyw43439.MaxFrameSize)
	applied := uint32(2) // neither level: the first pass sets the LED
	tick := time.NewTimer(idleEvery)
	for {
		if l := r.led.Load(); l != applied {
			if r.dev.GPIOSet(ledWLGPIO, l == 1) == nil {
				applied = l
			}
		}
		every := idleEvery
		if hw.WLANStatus(r.status.Load()) == hw.StatusGotIP {
			if !r.dev.IsLinkUp() {
				r.status.Store(int32(hw.StatusLinkLost))
			} else {
				r.pump()
				every = pollEvery
			}
		}
		tick.Reset(every)
		select {
		case <-r.kick:
		case req := <-r.join:
			req.done <- r.connect(req.ssid, req.password)
		case <-r.leave:
			r.status.Store(int32(hw.StatusIdle))
		case <-tick.C:
		}
	}
}

// pump moves packets between the chip and the network stack: one frame
// in, if there is one, and one frame out.
func (r *radio) pump() {
	r.dev.PollOne()
	n, err := r.stack.EgressEthernet(r.frame)
	if err == nil && n > 0 {
		r.dev.SendEth(r.frame[:n])
	}
}

// connect joins the network and asks for an address over DHCP. It runs
// on the radio's goroutine.
func (r *radio) connect(ssid, password string) error {
	r.status.Store(int32(hw.StatusConnecting))
	err := r.dev.Join(ssid, cyw43439.JoinOptions{Passphrase: password})
	if err != nil {
		code := hw.ErrJoinTimeout
		switch {
		case err.Error() == "join:SET_SSID failed":
			code = hw.ErrNoAP
		case password != "" && err.Error() == "join:failed":
			// The chip saw the network but the key exchange did not
			// finish: the password, nearly always.
			code = hw.ErrWrongPassword
		}
		r.status.Store(int32(statusOf(code)))
		return fmt.Errorf("machine: cyw43439: %v: %w", err, code)
	}
	if err := r.dhcp(); err != nil {
		r.status.Store(int32(hw.StatusConnectFail))
		return err
	}
	r.status.Store(int32(hw.StatusGotIP))
	return nil
}

// dhcp sets up the network stack on the joined link and takes an address.
func (r *radio) dhcp() error {
	mac, err := r.dev.HardwareAddr6()
	if err != nil {
		return fmt.Errorf("machine: cyw43439: %w", err)
	}
	err = r.stack.Reset(xnet.StackConfig{
		Hostname:          "coop",
		MaxActiveTCPPorts: 2,
		MaxActiveUDPPorts: 2,
		RandSeed:          time.Now().UnixNano(),
		HardwareAddress:   mac,
		MTU:               cyw43439.MTU,
	})
	if err != nil {
		return fmt.Errorf("machine: network stack: %w", err)
	}
	r.dev.RecvEthHandle(r.stack.IngressEthernet)
	if err := r.stack.StartDHCPv4Request([4]byte{}); err != nil {
		return fmt.Errorf("machine: DHCP: %w", err)
	}
	deadline := time.Now().Add(dhcpTimeout)
	for time.Now().Before(deadline) {
		r.pump()
		if res, err := r.stack.ResultDHCP(); err == nil && res != nil {
			if err := r.stack.AssimilateDHCPResults(res); err != nil {
				return fmt.Errorf("machine: DHCP: %w", err)
			}
			return r.gateway(res.Router, deadline)
		}
		time.Sleep(pollEvery)
	}
	return fmt.Errorf("machine: DHCP: no lease in %v: %w", dhcpTimeout, hw.ErrJoinTimeout)
}

// gateway resolves the router's hardware address, where the stack sends
// every packet for outside the subnet.
func (r *radio) gateway(router netip.Addr, deadline time.Time) error {
	if !router.IsValid() {
		return nil
	}
	if err := r.stack.StartResolveHardwareAddress6(router); err != nil {
		return fmt.Errorf("machine: ARP for the gateway: %w", err)
	}
	for time.Now().Before(deadline) {
		r.pump()
		if mac, err := r.stack.ResultResolveHardwareAddress6(router); err == nil {
			r.stack.SetGateway6(mac)
			return nil
		}
		time.Sleep(pollEvery)
	}
	return fmt.Errorf("machine: ARP for the gateway: no answer: %w", hw.ErrJoinTimeout)
}

func statusOf(code hw.ErrorCode) hw.WLANStatus {
	switch code {
	case hw.ErrNoAP:
		return hw.StatusNoAPFound
	case hw.ErrWrongPassword:
		return hw.StatusWrongPassword
	}
	return hw.StatusConnectFail
}

// startErr is the error of a chip that failed to start, or nil; it
// does not wait for the start.
func (r *radio) startErr() error {
	select {
	case <-r.initDone:
		if r.initErr != nil {
			return fmt.Errorf("machine: the CYW43439 did not start: %w", r.initErr)
		}
	default:
	}
	return nil
}

// ledOutput returns the LED on the CYW43439. Levels set before the chip
// has started are applied once it has.
func (b *Board) ledOutput() (hw.Output, error) {
	if err := b.radio.startErr(); err != nil {
		return nil, err
	}
	r := &b.radio
	if r.out == nil {
		r.out = &radioLED{r: r}
		r.out.Set(false)
	}
	return r.out, nil
}

// radioLED is the W boards' LED, on GPIO 0 of the CYW43439.
type radioLED struct {
	r     *radio
	level bool
}

// Set turns the LED on (true) or off.
func (l *radioLED) Set(high bool) {
	l.level = high
	v := uint32(0)
	if high {
		v = 1
	}
	l.r.led.Store(v)
	select {
	case l.r.kick <- struct{}{}:
	default:
	}
}

// Get returns the level the LED is set to.
func (l *radioLED) Get() bool { return l.level }

// Toggle inverts the LED.
func (l *radioLED) Toggle() { l.Set(!l.level) }

// String returns "LED".
func (l *radioLED) String() string { return "LED" }

// WLAN implements hw.WLANBoard: the CYW43439's station interface.
func (b *Board) WLAN() (hw.WLAN, error) {
	if err := b.radio.startErr(); err != nil {
		return nil, err
	}
	if b.radio.wlan == nil {
		b.radio.wlan = &wlan{r: &b.radio}
	}
	return b.radio.wlan, nil
}

// wlan is the station interface, on the loop's side.
type wlan struct{ r *radio }

// Connect joins the network set at build time (WiFiSSID, WiFiPassword),
// or else ssid with password, and takes an address over DHCP; other
// tasks run meanwhile. See hw.WLAN.
func (w *wlan) Connect(self *coop.Task, ssid, password string) error {
	if WiFiSSID != "" {
		ssid, password = WiFiSSID, WiFiPassword
	}
	r := w.r
	_, err := coop.Offload(self, func(ctx context.Context) (struct{}, error) {
		select {
		case <-r.initDone:
		case <-ctx.Done():
			return struct{}{}, ctx.Err()
		}
		if r.initErr != nil {
			return struct{}{}, fmt.Errorf("machine: the CYW43439 did not start: %w", r.initErr)
		}
		req := joinRequest{ssid: ssid, password: password, done: make(chan error, 1)}
		select {
		case r.join <- req:
		case <-ctx.Done():
			return struct{}{}, ctx.Err()
		}
		select {
		case err := <-req.done:
			return struct{}{}, err
		case <-ctx.Done():
			// The join cannot be stopped half way: let it finish, then
			// leave, so the status goes back to idle.
			<-req.done
			r.requestLeave()
			return struct{}{}, ctx.Err()
		}
	})
	return err
}

// Status returns the state of the link.
func (w *wlan) Status() hw.WLANStatus { return hw.WLANStatus(w.r.status.Load()) }

// Disconnect leaves the network: the board stops exchanging packets and
// the status becomes idle.
func (w *wlan) Disconnect() {
	w.r.status.Store(int32(hw.StatusIdle))
	w.r.requestLeave()
}

func (r *radio) requestLeave() {
	select {
	case r.leave <- struct{}{}:
	default:
	}
}

var (
	_ hw.WLANBoard = (*Board)(nil)
	_ hw.Output    = (*radioLED)(nil)
)
