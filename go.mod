module github.com/coopgo/coop

// Dependency policy: the scheduler, package coop at the root, uses only the
// standard library and stays TinyGo-friendly. Other packages take a
// well-kept library made for the job, pinned here:
//   - go.yaml.in/yaml/v3: scenario files (sim/scenario), for its node
//     positions, which give line:column errors;
//   - golang.org/x/sys: terminal modes for key presses in `coop run`;
//   - github.com/google/go-cmp: the readable diffs of simtest.Equal;
//   - github.com/coder/websocket: the web view's stream (package web);
//   - github.com/chromedp/chromedp: the web view's tests in a real
//     browser (tests only; internal/browsertest);
//   - github.com/eclipse/paho.mqtt.golang: its packets package is the MQTT
//     codec of package mqtt (no goroutines, locks or clock); its client is
//     the host's subscriber (mqtt/telemetry);
//   - github.com/mochi-mqtt/server/v2 and go.etcd.io/bbolt (its storage
//     hook's store): the embedded broker of mqtt/broker, host only;
//   - github.com/soypat/cyw43439 v0.1.1 and its network stack
//     github.com/soypat/lneto v0.1.0: the Wi-Fi chip of the Pico W and
//     Pico 2 W, which also holds their LED (hw/machine, TinyGo builds only).
//     v0.2.0 needs lneto v0.4.0, which the module proxy here does not serve.

go 1.26

require (
	github.com/chromedp/cdproto v0.160.1
	github.com/chromedp/chromedp v0.23.1
	github.com/coder/websocket v1.8.15
	github.com/eclipse/paho.mqtt.golang v1.5.1
	github.com/google/go-cmp v0.7.0
	github.com/mochi-mqtt/server/v2 v2.7.9
	github.com/soypat/cyw43439 v0.1.1
	github.com/soypat/lneto v0.1.0
	go.etcd.io/bbolt v1.3.5
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/sys v0.47.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/rs/xid v1.4.0 // indirect
	github.com/soypat/seqs v0.0.0-20250124201400-0d65bc7c1710 // indirect
	github.com/tinygo-org/pio v0.2.0 // indirect
	golang.org/x/exp v0.0.0-20240808152545-0cdaa3abc0fa // indirect
	golang.org/x/net v0.44.0 // indirect
	golang.org/x/sync v0.17.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
