// The live page of a coop run: the board, its console, its tasks and
// their timing, on one board timeline. Plain JavaScript, no build step.
// The server sends a hello, then a batch every 50 ms (see web/stream.go
// for the message format); the page sends inputs and clock commands.
"use strict";

const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
const LANE_MAX = 20000;     // changes kept per timeline lane
const CONSOLE_MAX = 5000;   // console lines kept

// ---- state ----------------------------------------------------------------

let ws = null;
let S = null; // the run as the page knows it; reset by each hello

function fresh(h) {
  return {
    program: h.program, board: h.board, parts: h.parts,
    partState: Object.fromEntries(h.parts.map((p) => [p.id, p.state])),
    pins: {},            // pin → level now
    lanes: new Map(),    // key → {name, kind, ch: [[t, v]...], gaps: [[from, to]...]}
    tasks: new Map(),    // id → row
    inputs: [],
    clock: h.clock, ended: h.ended, oldest: h.oldest || 0,
    // value signals now (an access point's outage "SSID.down"), and what
    // the Wi-Fi station last did ("connected", "link lost")
    values: Object.fromEntries((h.board.wifi || []).map((w) => [w.signal, w.down ? 1 : 0])),
    station: h.station || "",
    console: [],         // [t, text, cls]
    past: null,          // the snapshot shown while looking back
  };
}

// ---- formatting -------------------------------------------------------------

function fmtDur(ns) {
  if (ns === 0) return "0";
  const a = Math.abs(ns);
  if (a < 1e3) return ns + "ns";
  if (a < 1e6) return +(ns / 1e3).toPrecision(4) + "µs";
  if (a < 1e9) return +(ns / 1e6).toPrecision(4) + "ms";
  return +(ns / 1e9).toPrecision(6) + "s";
}

// fmtTime writes board time in seconds with every nanosecond: 2.150 000 001 s.
function fmtTime(ns) {
  const s = Math.floor(ns / 1e9), frac = String(ns % 1e9).padStart(9, "0");
  let f = frac.replace(/0+$/, "");
  if (f.length <= 3) f = frac.slice(0, 3);
  else if (f.length <= 6) f = frac.slice(0, 3) + " " + frac.slice(3, 6);
  else f = frac.slice(0, 3) + " " + frac.slice(3, 6) + " " + frac.slice(6);
  return s + "." + f + " s";
}

function stamp(ns) {
  const ms = Math.floor(ns / 1e6);
  return "[" + String(Math.floor(ms / 1000)).padStart(4, " ") + "." + String(ms % 1000).padStart(3, "0") + "s]";
}

function parseDur(s) {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(ns|us|µs|ms|s|m)?\s*$/.exec(s);
  if (!m) return null;
  const mult = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9 }[m[2] || "ms"];
  return Math.round(parseFloat(m[1]) * mult);
}

// ---- connection -------------------------------------------------------------

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  ws = new WebSocket(proto + "//" + location.host + "/ws");
  ws.onmessage = (e) => receive(JSON.parse(e.data));
  ws.onclose = () => {
    $("status").textContent = "disconnected: reconnecting…";
    setTimeout(connect, 1000);
  };
  ws.onopen = () => { $("status").textContent = "connected"; };
}

function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function receive(m) {
  switch (m.t) {
  case "hello":
    S = fresh(m);
    for (const tr of taskRows.values()) tr.remove();
    taskRows.clear();
    drawBoard();
    drawControls();
    $("console").textContent = "";
    apply(m);
    break;
  case "batch":
    if (S) {
      try { apply(m); } catch (err) { $("status").textContent = "page error: " + err; throw err; }
    }
    break;
  case "past":
    if (S && view.looking) { S.past = m; showPast(); }
    break;
  case "error":
    $("status").textContent = "error: " + m.msg;
    break;
  }
}

// apply takes in the events and numbers of a hello or a batch.
function apply(m) {
  if (m.state) { // after a loss: the board as the lost changes left it
    S.pins = Object.assign({}, m.state.pins);
    Object.assign(S.partState, m.state.parts);
    Object.assign(S.values, m.state.values);
    S.station = m.state.station || "";
  }
  for (const g of m.gaps || []) gap(g); // the older changes of a lane, before its events
  for (const e of m.events || []) event(e);
  if (m.lost) sysLine(S.clock.now, m.lost + " events were dropped from the history before they could be shown");
  // The table is the server's, which keeps the last finished tasks only:
  // a task it no longer lists leaves the table and the timeline.
  S.tasks = new Map((m.tasks || []).map((t) => [t.id, t]));
  for (const k of S.lanes.keys()) if (k[0] === "t" && !S.tasks.has(+k.slice(1))) S.lanes.delete(k);
  for (const i of m.inputs || []) S.inputs.push(i);
  S.clock = m.clock;
  S.ended = m.ended;
  S.oldest = m.oldest || 0;
  flushConsole();
  showClock();
  if (!view.looking) { showParts(); showPins(); showWifi(); }
  showTasks();
  fillUntil();
  scheduleDraw();
}

function lane(key, name, kind) {
  let l = S.lanes.get(key);
  if (!l) {
    l = { key, name, kind, ch: [], gaps: [] };
    S.lanes.set(key, l);
  }
  return l;
}

function push(l, t, v) {
  l.ch.push([t, v]);
  if (l.ch.length > LANE_MAX) l.ch.splice(0, l.ch.length - LANE_MAX);
}

function event(e) {
  const t = e[0];
  switch (e[1]) {
  case "p":
    S.pins[e[2]] = e[3] === 1;
    push(lane("p" + e[2], e[2], "pin"), t, e[3]);
    break;
  case "c":
    consoleLine(t, e[2], "");
    break;
  case "t": {
    const row = S.tasks.get(e[2]);
    push(lane("t" + e[2], row ? row.name : "task " + e[2], "task"), t, e[3]);
    break;
  }
  case "s":
    S.partState[e[2]] = e[3];
    break;
  case "u":
    consoleLine(t, "» " + e[2] + " " + e[3], "in");
    break;
  case "v":
    S.values[e[2]] = e[3];
    push(lane("v" + e[2], e[2], "value"), t, e[3]);
    break;
  case "i":
    if (e[2] === "WLAN") S.station = e[3];
    break;
  case "r":
    sysLine(t, e[2]);
    break;
  case "w":
    sysLine(t, "warning: " + e[3]);
    break;
  }
}

function gap(g) {
  const [from, to, kind, src, count, last] = g;
  if (kind === "c") {
    consoleLine(to, "… " + count + " earlier lines, too many to show live (see the downloads)", "sys");
    return;
  }
  if (kind === "s") { S.partState[src] = last; return; }
  const l = kind === "p" ? lane("p" + src, src, "pin")
    : kind === "v" ? lane("v" + src, src, "value")
    : lane("t" + src, (S.tasks.get(src) || { name: "task " + src }).name, "task");
  l.gaps.push([from, to]);
  if (l.gaps.length > 2000) l.gaps.shift();
  push(l, to, last);
  if (kind === "p") S.pins[src] = last === 1;
  if (kind === "v") S.values[src] = last;
}

// ---- console ----------------------------------------------------------------

let pendingLines = [];

function consoleLine(t, text, cls) {
  S.console.push([t, text, cls]);
  pendingLines.push([t, text, cls]);
}

function sysLine(t, text) { consoleLine(t, "coop: " + text, "sys"); }

function flushConsole() {
  const box = $("console");
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  const frag = document.createDocumentFragment();
  for (const [t, text, cls] of pendingLines) {
    const div = document.createElement("div");
    div.className = "line" + (cls ? " " + cls : "");
    div.dataset.at = t;
    const ts = document.createElement("span");
    ts.className = "t";
    ts.textContent = stamp(t) + " ";
    div.append(ts, text);
    frag.append(div);
  }
  pendingLines = [];
  box.append(frag);
  while (box.childElementCount > CONSOLE_MAX) box.firstElementChild.remove();
  if (S.console.length > CONSOLE_MAX) S.console.splice(0, S.console.length - CONSOLE_MAX);
  if (atBottom) box.scrollTop = box.scrollHeight;
}

$("console").addEventListener("click", (e) => {
  const line = e.target.closest(".line");
  if (!line) return;
  const t = +line.dataset.at;
  view.cursorA = t;
  view.live = false;
  view.end = t + view.span / 2;
  showCursors();
  scheduleDraw();
});

// ---- clock ------------------------------------------------------------------

function showClock() {
  const c = S.clock;
  const now = $("now");
  now.textContent = fmtTime(c.now);
  now.dataset.ns = c.now;
  $("ratio").textContent = c.paused || c.ended ? "" : "×" + c.ratio.toFixed(c.ratio < 1 ? 3 : 2);
  const st = $("state");
  st.className = "badge";
  if (S.ended || c.ended) { st.textContent = "ended"; st.classList.add("ended"); }
  else if (c.stepping) st.textContent = "stepping";
  else if (c.paused) { st.textContent = "paused"; st.classList.add("paused"); }
  else st.textContent = "running";
  st.dataset.state = st.textContent;
  $("pause").classList.toggle("on", c.paused && !c.stepping);
  $("run").classList.toggle("on", !c.paused && !c.ended);
  const sel = $("speed");
  if (document.activeElement !== sel && String(c.speed) !== sel.value) sel.value = String(c.speed);
  $("program").textContent = S.program;
  document.title = S.program + " · coop";
}

$("pause").onclick = () => send({ t: "clock", op: "pause" });
$("run").onclick = () => send({ t: "clock", op: "run" });
$("speed").onchange = (e) => send({ t: "clock", op: "speed", speed: parseFloat(e.target.value) });
$("stepTask").onclick = () => send({ t: "clock", op: "step", step: "task" });
$("stepEdge").onclick = () => send({ t: "clock", op: "step", step: "edge" });
$("stepFor").onclick = () => {
  const d = parseDur($("stepBy").value);
  if (!d) { $("status").textContent = "step by: give a duration such as 100ms, 2s, 500us"; return; }
  send({ t: "clock", op: "step", step: "for", d });
};
$("until").onclick = () => {
  const what = $("untilWhat").value;
  if (!what) return;
  const [kind, name] = [what.slice(0, 1), what.slice(2)];
  if (kind === "t") send({ t: "clock", op: "until", task: name, state: $("untilState").value });
  else send({ t: "clock", op: "until", pin: name });
};
document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
  if (e.key === " ") {
    e.preventDefault();
    send({ t: "clock", op: S && S.clock.paused ? "run" : "pause" });
  }
});

function fillUntil() {
  const sel = $("untilWhat");
  const opts = [];
  for (const row of [...S.tasks.values()].sort((a, b) => a.id - b.id)) opts.push(["t:" + row.name, "task " + row.name]);
  for (const l of S.lanes.values()) if (l.kind === "pin") opts.push(["p:" + l.name, "pin " + l.name]);
  const sig = opts.map((o) => o[0]).join("|");
  if (sel.dataset.sig === sig) return;
  const keep = sel.value;
  sel.textContent = "";
  for (const [v, label] of opts) {
    const o = document.createElement("option");
    o.value = v; o.textContent = label;
    sel.append(o);
  }
  sel.dataset.sig = sig;
  if (opts.some((o) => o[0] === keep)) sel.value = keep;
}

// ---- the board --------------------------------------------------------------

const boardColors = { pico2w: "#1b7a3a", pyboard: "#23407a", metro_m4: "#222a33" };

function el(name, attrs, parent) {
  const e = document.createElementNS(SVGNS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.append(e);
  return e;
}

// drawBoard draws the board and its parts from their descriptions: the
// board's pins as pads down its two sides, each part beside it by its
// kind, a wire from each part to its pin.
function drawBoard() {
  const svg = $("board");
  svg.textContent = "";
  const defs = el("defs", {}, svg);
  const f = el("filter", { id: "glow", x: "-100%", y: "-100%", width: "300%", height: "300%" }, defs);
  el("feGaussianBlur", { stdDeviation: "4", result: "b" }, f);
  const m = el("feMerge", {}, f);
  el("feMergeNode", { in: "b" }, m);
  el("feMergeNode", { in: "SourceGraphic" }, m);

  const pins = S.board.pins;
  const half = Math.ceil(pins.length / 2);
  const pitch = 16, bx = 40, by = 40, bw = 150, bh = Math.max(half * pitch + 30, 160);
  el("rect", { class: "pcb", x: bx, y: by, width: bw, height: bh, rx: 8, fill: boardColors[S.board.name] || "#333" }, svg);
  const title = el("text", { class: "title", x: bx + bw / 2, y: by - 10, "text-anchor": "middle" }, svg);
  title.textContent = S.board.title;
  const padAt = {};
  pins.forEach((name, i) => {
    const left = i < half;
    const x = left ? bx + 10 : bx + bw - 10;
    const y = by + 20 + (left ? i : i - half) * pitch;
    const pad = el("circle", { class: "pad", id: "pin-" + name, cx: x, cy: y, r: 5 }, svg);
    pad.dataset.pin = name;
    const lbl = el("text", { x: left ? x + 9 : x - 9, y: y + 4, "text-anchor": left ? "start" : "end" }, svg);
    lbl.textContent = name;
    padAt[name] = { x, y, left };
  });

  drawWifi(svg, bx, by + bh + 36);

  const partsX = bx + bw + 90;
  let py = by;
  const wires = el("g", {}, svg);
  for (const p of S.parts) {
    const g = el("g", { transform: `translate(${partsX},${py})` }, svg);
    g.dataset.part = p.id;
    const kind = p.type ? p.type.kind : "part";
    g.dataset.kind = kind;
    let h = 44;
    switch (kind) {
    case "led":
      el("circle", { class: "led-body", cx: 18, cy: 18, r: 12, fill: (p.state && p.state.color) || "red" }, g);
      break;
    case "button":
      el("rect", { class: "partbox", x: 0, y: 0, width: 36, height: 36, rx: 4 }, g);
      el("circle", { class: "cap", cx: 18, cy: 18, r: 11 }, g);
      if (p.type.inputs.some((i) => i.name === "press") && p.type.inputs.some((i) => i.name === "release")) wireButton(g, p.id);
      break;
    case "sensor":
      h = 64;
      el("rect", { x: 0, y: 0, width: 40, height: 56, rx: 4, fill: "#e8e8e8", stroke: "#000" }, g);
      for (let i = 0; i < 4; i++) el("rect", { x: 6, y: 6 + i * 10, width: 28, height: 5, fill: "#bbb" }, g);
      break;
    case "potentiometer":
      h = 48;
      el("circle", { cx: 18, cy: 20, r: 16, fill: "#2d5fa8", stroke: "#000" }, g);
      el("line", { class: "pointer", x1: 18, y1: 20, x2: 18, y2: 7, stroke: "#fff", "stroke-width": 3 }, g);
      break;
    case "servo":
      h = 52;
      el("rect", { x: 0, y: 8, width: 40, height: 28, rx: 3, fill: "#2a72c9", stroke: "#000" }, g);
      el("rect", { class: "arm", x: 18, y: 2, width: 4, height: 22, rx: 2, fill: "#eee", stroke: "#000" }, g);
      break;
    case "resistor":
      h = 30;
      el("path", { d: "M0,12 h6 l3,-6 l6,12 l6,-12 l6,12 l6,-12 l3,6 h6", fill: "none", stroke: "#c9a36a", "stroke-width": 2 }, g);
      break;
    default:
      el("rect", { class: "partbox", x: 0, y: 0, width: 36, height: 36, rx: 4 }, g);
    }
    const v = el("text", { class: "reading", x: 48, y: 38 }, g);
    v.dataset.reading = p.id;
    const name = el("text", { x: 48, y: 22 }, g);
    name.textContent = p.id + (p.pins && p.pins.length ? " · " + p.pins.join(", ") : "");
    for (const pin of p.pins || []) {
      const a = padAt[pin];
      if (!a) continue;
      const pad = $("pin-" + pin);
      if (pad) pad.classList.add("used");
      const x2 = partsX, y2 = py + 18;
      const x1 = a.left ? a.x - 5 : a.x + 5;
      const d = a.left
        ? `M${x1},${a.y} H${bx - 15 - (py % 20)} V${by + bh + 12 + (py % 40) / 4} H${bx + bw + 40} V${y2} H${x2}`
        : `M${x1},${a.y} H${bx + bw + 20 + (py % 30)} V${y2} H${x2}`;
      el("path", { class: "wire", d }, wires);
    }
    py += h;
  }
  const H = Math.max(by + bh + 30 + (S.board.wifi || []).length * WIFI_ROW, py + 10);
  svg.setAttribute("viewBox", `0 0 ${partsX + 260} ${H}`);
  svg.style.height = Math.min(H, 560) + "px";
  showParts();
  showPins();
}

// drawWifi draws, below the board, each access point in range of a board
// with Wi-Fi: its signal, its SSID, its state and the station's, and a
// switch that takes it off the air or back (the scenario's wifi-down and
// wifi-up steps), stamped with the board time it lands at.
const WIFI_ROW = 44;
function drawWifi(svg, x, y) {
  (S.board.wifi || []).forEach((w, i) => {
    const g = el("g", { transform: `translate(${x},${y + i * WIFI_ROW})` }, svg);
    g.dataset.kind = "wifi";
    g.dataset.ssid = w.ssid;
    g.dataset.signal = w.signal;
    const icon = el("g", { class: "wifi-icon" }, g);
    el("circle", { cx: 14, cy: 22, r: 2.5 }, icon);
    for (const r of [7, 12, 17]) el("path", { d: `M${14 - r * 0.7},${22 - r * 0.7} A${r},${r} 0 0 1 ${14 + r * 0.7},${22 - r * 0.7}` }, icon);
    const sw = el("g", { class: "toggle" }, g);
    el("rect", { x: 36, y: 0, width: 78, height: 20, rx: 4 }, sw);
    el("text", { x: 75, y: 14, "text-anchor": "middle" }, sw);
    const name = el("text", { x: 122, y: 14 }, g);
    name.textContent = "Wi-Fi " + w.ssid;
    el("text", { class: "wifi-state", x: 36, y: 34 }, g);
    sw.addEventListener("click", (e) => {
      e.preventDefault();
      send({ t: "input", part: w.ssid, input: g.dataset.down === "1" ? "wifi-up" : "wifi-down" });
    });
  });
  showWifi();
}

// showWifi shows each access point up or down, and the station's last
// state: live, or as it was at the cursor.
function showWifi() {
  const values = S.past ? S.past.values : S.values;
  const station = S.past ? S.past.station : S.station;
  for (const g of document.querySelectorAll('#board [data-kind="wifi"]')) {
    const down = values[g.dataset.signal] === 1;
    g.dataset.down = down ? "1" : "0";
    g.dataset.station = station || "";
    g.classList.toggle("past", !!S.past);
    g.querySelector(".wifi-state").textContent = (down ? "off the air" : "on the air") + " · board: " + (station || "not used");
    g.querySelector(".toggle text").textContent = down ? "bring up" : "take down";
    g.querySelector(".toggle").setAttribute("title", down ? "Put the access point back on the air (wifi-up)" : "Take the access point off the air (wifi-down)");
  }
}

// wireButton makes a drawn button pressable: held while the mouse button
// or the finger is down (a click holds it at least 100 ms of board time).
function wireButton(g, id) {
  let down = false;
  const press = (e) => {
    e.preventDefault();
    if (down) return;
    down = true;
    send({ t: "input", part: id, input: "press" });
  };
  const release = (e) => {
    if (!down) return;
    e.preventDefault();
    down = false;
    send({ t: "input", part: id, input: "release" });
  };
  g.addEventListener("mousedown", press);
  g.addEventListener("touchstart", press, { passive: false });
  g.addEventListener("mouseup", release);
  g.addEventListener("mouseleave", release);
  g.addEventListener("touchend", release);
  g.addEventListener("touchcancel", release);
}

// showParts shows each part's state: live, or as it was at the cursor.
function showParts() {
  const states = S.past ? Object.assign({}, S.partState, S.past.parts) : S.partState;
  for (const g of document.querySelectorAll("#board [data-part]")) {
    const id = g.dataset.part;
    const st = states[id];
    const p = S.parts.find((q) => q.id === id);
    if (!st || !p) continue;
    g.classList.toggle("past", !!S.past);
    switch (g.dataset.kind) {
    case "led": g.dataset.on = st.on ? "1" : "0"; break;
    case "button": g.dataset.pressed = st.pressed ? "1" : "0"; break;
    case "potentiometer":
      g.querySelector(".pointer").setAttribute("transform", `rotate(${-135 + 270 * (st.position || 0)} 18 20)`);
      break;
    case "servo":
      g.querySelector(".arm").setAttribute("transform", `rotate(${(st.angle || 0) - 90} 20 22)`);
      break;
    }
    const r = g.querySelector("[data-reading]");
    if (r) r.textContent = stateText(p, st);
    syncControls(p, st);
  }
}

// stateText writes the fields of a part's state its type shows as text,
// as the status line does: "24.0°C 58.0%", "down".
function stateText(p, st) {
  if (!p.type || !p.type.state) return "";
  const out = [];
  for (const f of p.type.state) {
    const v = st[f.name];
    if (v === undefined || v === null || f.show === "hidden" || f.show === "light") continue;
    if (typeof v === "boolean") out.push(v ? (f.true || f.name) : (f.false || "not " + f.name));
    else if (typeof v === "number") out.push(v.toFixed(f.digits || 0) + (f.unit || ""));
    else out.push(String(v));
  }
  return out.join("  ");
}

function showPins() {
  const pins = S.past ? S.past.pins : S.pins;
  for (const pad of document.querySelectorAll("#board .pad")) {
    pad.classList.toggle("high", !!pins[pad.dataset.pin]);
  }
}

// drawControls adds, from each part's type, a slider or a switch for each
// of its controls (set-control), a menu for each input whose arguments
// are choices (a DHT22's sensor-fail), and a button for each input that
// takes none, but for a button's press and release, which its drawing
// takes (a part of the program's own: a tilt switch's tilt and level).
function drawControls() {
  const box = $("controls");
  box.textContent = "";
  for (const p of S.parts) {
    if (!p.type) continue;
    const fs = document.createElement("fieldset");
    fs.dataset.part = p.id;
    const lg = document.createElement("legend");
    lg.textContent = p.id;
    fs.append(lg);
    for (const c of p.type.controls || []) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.id = "ctl-" + p.id + "-" + c.name;
      input.title = c.doc || "";
      if (c.kind === "number") {
        const lo = c.min || 0, hi = c.max || 0; // zeros are left out of the JSON
        input.type = "range";
        input.min = lo; input.max = hi;
        input.step = (hi - lo) / 1000 >= 0.1 ? 0.1 : (hi - lo) / 100;
        const out = document.createElement("output");
        const unit = c.unit ? " " + c.unit : "";
        input.oninput = () => { out.textContent = (+input.value).toFixed(2).replace(/\.?0+$/, "") + unit; input.dataset.busy = "1"; };
        input.onchange = () => {
          delete input.dataset.busy;
          send({ t: "input", part: p.id, input: "set-control", args: { [c.name]: +input.value } });
        };
        label.append(c.name + " ", input, " ", out);
      } else if (c.kind === "bool") {
        input.type = "checkbox";
        input.onchange = () => send({ t: "input", part: p.id, input: "set-control", args: { [c.name]: input.checked } });
        label.append(input, " " + c.name);
      } else continue;
      fs.append(label);
    }
    const drawnPress = p.type.kind === "button" && p.type.inputs.some((i) => i.name === "press") &&
      p.type.inputs.some((i) => i.name === "release");
    for (const i of p.type.inputs || []) {
      const args = i.args || [];
      if (!args.length && !(drawnPress && (i.name === "press" || i.name === "release"))) {
        const btn = document.createElement("button");
        btn.id = "ctl-" + p.id + "-" + i.name;
        btn.textContent = i.name;
        btn.title = i.doc || "";
        btn.onclick = () => send({ t: "input", part: p.id, input: i.name });
        fs.append(btn);
        continue;
      }
      if (!args.length || !args.every((a) => a.kind === "choice")) continue;
      for (const a of args) {
        const label = document.createElement("label");
        const sel = document.createElement("select");
        sel.id = "ctl-" + p.id + "-" + i.name + "-" + a.name;
        sel.title = i.doc || "";
        const none = document.createElement("option");
        none.value = ""; none.textContent = "—";
        sel.append(none);
        for (const ch of a.choices) {
          const o = document.createElement("option");
          o.value = o.textContent = ch;
          sel.append(o);
        }
        sel.onchange = () => {
          if (sel.value) send({ t: "input", part: p.id, input: i.name, args: { [a.name]: sel.value } });
        };
        label.append(i.name + " ", sel);
        fs.append(label);
      }
    }
    if (fs.childElementCount > 1) box.append(fs);
  }
}

// syncControls moves a part's sliders and switches to its state, unless a
// person is moving them.
function syncControls(p, st) {
  if (!p.type) return;
  for (const c of p.type.controls || []) {
    const input = $("ctl-" + p.id + "-" + c.name);
    const v = st[c.name];
    if (!input || v === undefined || v === null || input.dataset.busy || document.activeElement === input) continue;
    if (c.kind === "bool") input.checked = !!v;
    else {
      input.value = v;
      if (input.nextElementSibling) input.nextElementSibling.textContent = (+v).toFixed(2).replace(/\.?0+$/, "") + (c.unit ? " " + c.unit : "");
    }
  }
  for (const i of p.type.inputs || []) {
    for (const a of i.args || []) {
      const sel = $("ctl-" + p.id + "-" + i.name + "-" + a.name);
      if (!sel || document.activeElement === sel) continue;
      const last = S.inputs.filter((x) => x.part === p.id && x.input === i.name).at(-1);
      if (last && last.args) sel.value = last.args[a.name];
    }
  }
}

// ---- tasks ------------------------------------------------------------------

const sort = { key: "id", up: true };
let selectedTask = null;

const taskRows = new Map(); // id → tr, kept so that a row is the same node while it lives

function showTasks() {
  const tb = document.querySelector("#tasks tbody");
  const now = S.clock.now;
  const rows = [...S.tasks.values()].map((r) => {
    const alive = (r.ended || now) - r.spawned;
    return Object.assign({}, r, { cpu: alive > 0 ? r.busy / alive : 0,
      note: r.warning ? "⚠ " + r.warning : r.err || r.waitingOn || "" });
  });
  rows.sort((a, b) => {
    const x = a[sort.key], y = b[sort.key];
    const c = typeof x === "string" ? String(x).localeCompare(y) : (x || 0) - (y || 0);
    return (sort.up ? c : -c) || a.id - b.id;
  });
  const past = S.past ? S.past.taskStates : null;
  const seen = new Set();
  let pos = 0;
  for (const r of rows) {
    seen.add(r.id);
    let tr = taskRows.get(r.id);
    if (!tr) {
      tr = document.createElement("tr");
      for (let i = 0; i < 14; i++) tr.append(document.createElement("td"));
      const id = r.id;
      tr.onclick = () => { selectedTask = selectedTask === id ? null : id; showTasks(); scheduleDraw(); };
      taskRows.set(r.id, tr);
    }
    tr.dataset.task = r.name;
    tr.dataset.id = r.id;
    const state = past ? (past[r.id] || "not yet") : r.state;
    tr.dataset.state = state;
    tr.classList.toggle("selected", r.id === selectedTask);
    const parent = r.parent ? S.tasks.get(r.parent) : null;
    const cells = [r.id, r.name, parent ? parent.name : r.parent || "", state, r.steps, fmtDur(r.busy), fmtDur(r.ready), fmtDur(r.waiting),
      (r.cpu * 100).toFixed(1) + "%", fmtDur(r.longest), fmtDur(r.lateness) + " / " + fmtDur(r.maxLate), r.misses || "", null, r.note];
    cells.forEach((v, i) => {
      const td = tr.children[i];
      if (i === 12) {
        const sig = (r.spark || []).join(",");
        if (td.dataset.sig !== sig) { td.textContent = ""; td.append(spark(r.spark || [])); td.dataset.sig = sig; }
        return;
      }
      const text = String(v);
      if (td.textContent !== text) td.textContent = text;
      if (i === 3) td.className = "st-" + state;
      if (i === 13) td.className = r.err || r.warning ? "warn" : "";
    });
    if (tb.children[pos] !== tr) tb.insertBefore(tr, tb.children[pos] || null); // only rows out of order move
    pos++;
  }
  for (const [id, tr] of taskRows) if (!seen.has(id)) { tr.remove(); taskRows.delete(id); }
}

function spark(vals) {
  const w = 96, h = 16, s = el("svg", { width: w, height: h });
  const mx = Math.max(1, ...vals);
  const pts = vals.map((v, i) => `${(i / Math.max(1, sparkLen - 1)) * w},${h - 1 - (v / mx) * (h - 2)}`).join(" ");
  el("polyline", { points: pts, fill: "none", stroke: "#4fb3ff", "stroke-width": 1 }, s);
  return s;
}
const sparkLen = 32;

for (const th of document.querySelectorAll("#tasks th[data-key]")) {
  th.onclick = () => {
    const k = th.dataset.key;
    if (sort.key === k) sort.up = !sort.up; else { sort.key = k; sort.up = k === "name" || k === "id"; }
    for (const o of document.querySelectorAll("#tasks th")) o.classList.remove("sorted", "up");
    th.classList.add("sorted");
    if (sort.up) th.classList.add("up");
    if (S) showTasks();
  };
}

// ---- timing diagram ---------------------------------------------------------

const view = { live: true, end: 0, span: 2e9, cursorA: null, cursorB: null, looking: false };
const LANE_H = 18, LABEL_W = 110, AXIS_H = 18;
let drawQueued = false;

function scheduleDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => { drawQueued = false; drawTimeline(); });
}

function laneList() {
  const pins = [], tasks = [];
  for (const l of S.lanes.values()) (l.kind === "task" ? tasks : pins).push(l);
  pins.sort((a, b) => a.name.localeCompare(b.name));
  tasks.sort((a, b) => +a.key.slice(1) - +b.key.slice(1));
  for (const l of tasks) { const r = S.tasks.get(+l.key.slice(1)); if (r) l.name = r.name; }
  return pins.concat(tasks);
}

const stateColor = { running: "#4caf50", ready: "#e6c84c", sleeping: "#3a414d", waiting: "#5b6b8c" };

function drawTimeline() {
  if (!S) return;
  const cv = $("timeline");
  const lanes = laneList();
  const dpr = window.devicePixelRatio || 1;
  const W = cv.clientWidth, H = AXIS_H + lanes.length * LANE_H + 6;
  if (cv.width !== W * dpr || cv.height !== H * dpr) {
    cv.width = W * dpr; cv.height = H * dpr; cv.style.height = H + "px";
  }
  const g = cv.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, W, H);
  if (view.live) view.end = S.clock.now;
  const t1 = view.end, t0 = t1 - view.span, pw = W - LABEL_W - 8;
  const x = (t) => LABEL_W + ((t - t0) / view.span) * pw;
  g.font = "11px ui-monospace, monospace";

  // Axis.
  g.fillStyle = "#7d8694";
  g.strokeStyle = "#2c323c";
  const step = niceStep(view.span / 8);
  for (let t = Math.ceil(Math.max(t0, 0) / step) * step; t <= t1; t += step) {
    const xx = x(t);
    g.beginPath(); g.moveTo(xx, AXIS_H - 4); g.lineTo(xx, H); g.stroke();
    g.fillText(axisLabel(t, step), xx + 2, 11);
  }
  if (S.oldest > t0) { // before the history
    g.fillStyle = "rgba(255,255,255,0.04)";
    g.fillRect(LABEL_W, AXIS_H, Math.max(0, x(S.oldest) - LABEL_W), H);
  }

  lanes.forEach((l, i) => {
    const y = AXIS_H + i * LANE_H;
    const sel = l.kind === "task" && +l.key.slice(1) === selectedTask;
    if (sel) { g.fillStyle = "#263247"; g.fillRect(0, y, W, LANE_H); }
    g.fillStyle = l.kind === "pin" ? "#9fd8a8" : l.kind === "value" ? "#9fc8ff" : "#d8dde5";
    g.fillText(l.name.slice(0, 15), 4, y + 13);
    g.save();
    g.beginPath(); g.rect(LABEL_W, y, pw, LANE_H); g.clip();
    const ch = l.ch;
    // First change at or before t0.
    let lo = 0, hi = ch.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (ch[mid][0] <= t0) lo = mid + 1; else hi = mid; }
    let k = Math.max(0, lo - 1);
    if (l.kind === "value") {
      let lo = Infinity, hi = -Infinity;
      for (const c of ch) { if (c[1] !== null) { lo = Math.min(lo, c[1]); hi = Math.max(hi, c[1]); } }
      if (hi === lo) { hi = lo + 1; }
      const yv = (v) => y + LANE_H - 3 - ((v - lo) / (hi - lo)) * (LANE_H - 6);
      g.strokeStyle = "#4fb3ff";
      g.beginPath();
      let started = false, prevY = 0;
      for (; k < ch.length && ch[k][0] <= t1; k++) {
        if (ch[k][1] === null) continue;
        const xx = Math.max(LABEL_W, x(ch[k][0])), yy = yv(ch[k][1]);
        if (!started) { g.moveTo(xx, yy); started = true; } else { g.lineTo(xx, prevY); g.lineTo(xx, yy); }
        prevY = yy;
      }
      if (started) g.lineTo(Math.min(x(S.clock.now), LABEL_W + pw), prevY);
      g.stroke();
    } else if (l.kind === "pin") {
      g.strokeStyle = "#7bd88f";
      g.beginPath();
      let started = false, prevY = 0;
      for (; k < ch.length && ch[k][0] <= t1; k++) {
        const xx = Math.max(LABEL_W, x(ch[k][0])), yy = ch[k][1] ? y + 3 : y + LANE_H - 3;
        if (!started) { g.moveTo(xx, yy); started = true; } else { g.lineTo(xx, prevY); g.lineTo(xx, yy); }
        prevY = yy;
      }
      if (started) g.lineTo(Math.min(x(S.clock.now), LABEL_W + pw), prevY);
      g.stroke();
    } else {
      for (; k < ch.length && ch[k][0] <= t1; k++) {
        const st = ch[k][1], from = ch[k][0], to = k + 1 < ch.length ? ch[k + 1][0] : S.clock.now;
        const c = stateColor[st];
        if (!c) continue;
        const xa = x(from), xb = Math.max(x(to), xa + (st === "running" ? 1.5 : 0));
        const hh = st === "running" ? LANE_H - 4 : st === "ready" ? LANE_H - 8 : 3;
        g.fillStyle = c;
        g.fillRect(xa, y + (LANE_H - hh) / 2, xb - xa, hh);
      }
    }
    g.fillStyle = "rgba(230,200,76,0.35)"; // busy spans summed up in a batch
    for (const [a, b] of l.gaps) if (b >= t0 && a <= t1) g.fillRect(x(a), y + 2, Math.max(2, x(b) - x(a)), LANE_H - 4);
    g.restore();
    g.strokeStyle = "#22272f";
    g.beginPath(); g.moveTo(0, y + LANE_H); g.lineTo(W, y + LANE_H); g.stroke();
  });

  for (const [t, c, name] of [[view.cursorA, "#4fb3ff", "A"], [view.cursorB, "#ff7ad9", "B"]]) {
    if (t === null || t < t0 || t > t1) continue;
    g.strokeStyle = c; g.fillStyle = c;
    g.beginPath(); g.moveTo(x(t), AXIS_H - 14); g.lineTo(x(t), H); g.stroke();
    g.fillText(name, x(t) + 3, AXIS_H + 10);
  }
}

// axisLabel writes the time of a tick of the timeline's axis, ticks step
// apart: in seconds with the decimals the step needs past a board second,
// so that ticks 5 ms apart two hours in read 7200.005s and 7200.010s.
function axisLabel(t, step) {
  if (t < 1e9) return fmtDur(t);
  const decimals = step >= 1e9 ? 0 : Math.min(9, Math.ceil(-Math.log10(step / 1e9) - 1e-9));
  return (t / 1e9).toFixed(decimals) + "s";
}

function niceStep(d) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(d, 1))));
  for (const m of [1, 2, 5, 10]) if (p * m >= d) return p * m;
  return p * 10;
}

function timeAt(ev) {
  const cv = $("timeline");
  const r = cv.getBoundingClientRect();
  const pw = r.width - LABEL_W - 8;
  const t = view.end - view.span + ((ev.clientX - r.left - LABEL_W) / pw) * view.span;
  return Math.round(Math.max(0, t));
}

function showCursors() {
  const a = view.cursorA, b = view.cursorB;
  let s = "A " + (a === null ? "–" : fmtTime(a)) + " · B " + (b === null ? "–" : fmtTime(b));
  if (a !== null && b !== null) s += " · Δt " + fmtDur(Math.abs(b - a));
  $("cursors").textContent = s;
  $("cursors").dataset.dt = a !== null && b !== null ? Math.abs(b - a) : "";
}

// Look back: while the cursor is dragged, the board, the table and the
// console show the run as it was at the cursor; releasing returns to live.
function lookBack(t) {
  view.looking = true;
  send({ t: "lookback", at: t });
}

function showPast() {
  $("past").textContent = "as at " + fmtTime(S.past.at) + (S.past.at < S.past.oldest ? " (before the history kept)" : "");
  showParts(); showPins(); showTasks();
  for (const line of $("console").children) line.classList.toggle("future", +line.dataset.at > S.past.at);
  showWifi();
}

function endLookBack() {
  view.looking = false;
  S.past = null;
  $("past").textContent = "";
  for (const line of $("console").querySelectorAll(".future")) line.classList.remove("future");
  showParts(); showPins(); showTasks(); showWifi();
}

{
  const cv = $("timeline");
  let drag = null;
  cv.addEventListener("pointerdown", (e) => {
    if (!S) return;
    cv.setPointerCapture(e.pointerId);
    const t = timeAt(e);
    drag = { x: e.clientX, moved: false, shift: e.shiftKey, t };
  });
  cv.addEventListener("pointermove", (e) => {
    if (!drag) return;
    if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
    if (drag.moved && !drag.shift) {
      view.cursorA = Math.min(timeAt(e), S.clock.now);
      showCursors(); scheduleDraw();
      lookBack(view.cursorA);
    }
  });
  cv.addEventListener("pointerup", (e) => {
    if (!drag) return;
    const t = timeAt(e);
    if (drag.shift) view.cursorB = t;
    else view.cursorA = Math.min(t, S.clock.now);
    if (view.looking) endLookBack();
    drag = null;
    showCursors(); scheduleDraw();
  });
  cv.addEventListener("wheel", (e) => {
    e.preventDefault();
    zoom(e.deltaY < 0 ? 0.8 : 1.25, timeAt(e));
  }, { passive: false });
}

function zoom(f, around) {
  const span = Math.min(Math.max(view.span * f, 1e3), 1e13);
  if (around === undefined) around = view.end - view.span / 2;
  const frac = (view.end - around) / view.span;
  view.span = span;
  if (!view.live) view.end = around + frac * span;
  scheduleDraw();
}

$("zoomIn").onclick = () => zoom(0.5);
$("zoomOut").onclick = () => zoom(2);
$("live").onclick = () => { view.live = true; scheduleDraw(); };
window.addEventListener("resize", scheduleDraw);

connect();
