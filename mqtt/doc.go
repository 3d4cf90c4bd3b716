// Package mqtt is the device side of coop's telemetry: an MQTT 3.1.1
// client on coop tasks and an outbox in flash that loses no reading.
//
// [Client] speaks QoS 0 and 1 over an [hw.Network] stream from tasks of
// the loop: keepalive on the loop's clock, retransmission after
// AckTimeout, reconnection with backoff and jitter, a persistent session
// with its subscriptions restored. Packets are encoded by
// paho.mqtt.golang's packets package (no goroutines, locks or clock); the
// state machine is written for the cooperative loop, as Peter Hinch's
// mqtt_as is for uasyncio.
//
// [Outbox] keeps readings in the board's flash, with checksums, and
// forgets one only when the broker has acknowledged it: an outage, a
// watchdog reset or a power cut in the middle of a write loses at most
// the record being written, never the others. [Uplink] puts it all
// together for a program: Wi-Fi kept joined, the client, the outbox
// forwarded in order.
//
// Each reading travels as a [Reading]: device id, sequence number, board
// time and data, so that a consumer (package mqtt/telemetry on the host)
// sees gaps and drops the duplicates QoS 1 may bring.
//
// The package imports only coop, hw and the packet codec, and runs on the
// simulator and on a board under TinyGo. The host's side lives in
// mqtt/broker (an embedded broker), mqtt/telemetry (the consumer) and
// mqtt/mqtttest (a Mosquitto for tests).
package mqtt
