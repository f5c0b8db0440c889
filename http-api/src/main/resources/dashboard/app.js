// Switchboard's live dashboard: one Server-Sent Events stream (/dashboard/events), one JSON
// picture of the node per event. Every value is written with textContent, never as HTML: From/To
// and log messages come from callers and applications.
"use strict";

const HISTORY = 120;
const series = { webhook: [], ari: [], cps: [] };

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

function badge(text, prefix) {
  const td = el("td", null, prefix);
  const span = el("span", text, prefix + "-" + text);
  td.appendChild(span);
  return td;
}

function seconds(s) {
  if (s === null || s === undefined) return "";
  if (s < 60) return s + " s";
  const m = Math.floor(s / 60);
  return m + " min " + (s % 60) + " s";
}

function ms(v) {
  return v === null || v === undefined ? "–" : v.toFixed(1) + " ms";
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "";
}

function fill(tableId, rows, emptyId) {
  const body = document.querySelector("#" + tableId + " tbody");
  body.replaceChildren(...rows);
  if (emptyId) document.getElementById(emptyId).hidden = rows.length > 0;
}

function renderLinks(links) {
  fill("links", links.map(l => {
    const tr = el("tr");
    tr.dataset.server = l.serverId;
    tr.append(el("td", l.serverId), badge(l.state, "state"), el("td", time(l.since)),
      el("td", l.node), el("td", ms(l.eventLagMs), "lag"), el("td", l.connects),
      el("td", l.lastError || "", "message"));
    return tr;
  }));
}

function renderCalls(calls, node) {
  document.getElementById("calls-total").textContent = calls.total;
  document.getElementById("legs-total").textContent =
    node.ringingLegs ? node.ringingLegs + " leg(s) ringing" : "";
  fill("calls", calls.shown.map(c => {
    const tr = el("tr");
    tr.dataset.callSid = c.callSid;
    tr.dataset.from = c.from;
    tr.append(el("td", c.callSid, "sid"), el("td", c.from, "from"), el("td", c.to, "to"),
      el("td", c.parentCallSid ? c.direction + " ← " + c.parentCallSid.slice(0, 10) + "…" : c.direction),
      badge(c.status, "status"), el("td", c.verb || "", "verb"),
      el("td", seconds(c.durationSeconds), "duration"), el("td", c.legsRinging, "legs"));
    return tr;
  }), "calls-empty");
}

function renderEnded(ended) {
  fill("ended", ended.map(c => {
    const tr = el("tr");
    tr.dataset.endedSid = c.callSid;
    tr.append(el("td", c.callSid, "sid"), el("td", c.from), el("td", c.to),
      el("td", c.status, "status"), el("td", seconds(c.durationSeconds)), el("td", time(c.endTime)));
    return tr;
  }));
}

function renderQueues(queues) {
  fill("queues", queues.map(q => {
    const tr = el("tr");
    tr.dataset.queue = q.name;
    tr.append(el("td", q.name), el("td", q.size, "size"), el("td", seconds(q.longestWaitSeconds), "longest"),
      el("td", seconds(q.averageWaitSeconds), "average"), el("td", q.maxSize));
    return tr;
  }), "queues-empty");
}

function renderErrors(errors) {
  fill("errors", errors.map(e => {
    const tr = el("tr");
    tr.append(el("td", time(e.at)), el("td", e.level, "level-" + e.level),
      el("td", e.code === null ? "" : e.code, "code"), el("td", e.callSid || "", "sid"),
      el("td", e.message, "message"));
    return tr;
  }), "errors-empty");
}

function renderMembers(members) {
  fill("members", members.map(m => {
    const tr = el("tr");
    tr.append(el("td", m.address + (m.self ? " (this node)" : "")), el("td", m.status),
      el("td", m.reachable ? "yes" : "NO"), el("td", m.roles.join(", ")));
    return tr;
  }));
}

function push(name, value) {
  const s = series[name];
  s.push(value);
  if (s.length > HISTORY) s.shift();
}

// A line chart of the last HISTORY points, scaled to its own maximum; gaps (null) are skipped.
function draw(name, unit) {
  const canvas = document.getElementById("chart-" + name);
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const values = series[name];
  const max = Math.max(1e-9, ...values.filter(v => v !== null));
  g.fillStyle = "#6b7385";
  g.font = "10px system-ui, sans-serif";
  g.fillText("max " + (max < 1e-6 ? 0 : max.toFixed(max < 10 ? 1 : 0)) + " " + unit, 4, 11);
  g.strokeStyle = "#2f6fde";
  g.lineWidth = 1.5;
  g.beginPath();
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) { pen = false; return; }
    const x = w - (values.length - 1 - i) * (w / (HISTORY - 1));
    const y = h - 4 - (v / max) * (h - 18);
    if (pen) g.lineTo(x, y); else g.moveTo(x, y);
    pen = true;
  });
  g.stroke();
}

function renderRates(rates) {
  push("webhook", rates.webhookMs);
  push("ari", rates.ariMs);
  push("cps", rates.callsPerSecond);
  document.getElementById("value-webhook").textContent = ms(rates.webhookMs);
  document.getElementById("value-ari").textContent = ms(rates.ariMs);
  document.getElementById("value-cps").textContent = rates.callsPerSecond.toFixed(2);
  draw("webhook", "ms");
  draw("ari", "ms");
  draw("cps", "/s");
}

function render(p) {
  if (p.error) {
    document.getElementById("updated").textContent = p.error;
    return;
  }
  document.getElementById("node").textContent =
    p.node.address + " · up " + seconds(p.node.uptimeSeconds) + (p.node.draining ? " · DRAINING" : "");
  renderLinks(p.links);
  renderCalls(p.calls, p.node);
  renderEnded(p.ended);
  renderQueues(p.queues);
  renderErrors(p.errors);
  renderMembers(p.members);
  renderRates(p.rates);
  document.getElementById("updated").textContent = "updated " + time(p.at);
  document.body.dataset.snapshots = String(Number(document.body.dataset.snapshots || 0) + 1);
}

function connect() {
  const status = document.getElementById("connection");
  const source = new EventSource("/dashboard/events");
  source.addEventListener("open", () => {
    status.textContent = "live";
    status.className = "badge up";
  });
  source.addEventListener("error", () => {
    status.textContent = "reconnecting…";
    status.className = "badge down";
  });
  source.addEventListener("snapshot", e => render(JSON.parse(e.data)));
}

document.addEventListener("DOMContentLoaded", connect);
