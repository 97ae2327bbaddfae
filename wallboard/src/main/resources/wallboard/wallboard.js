// The wallboard's script: polls /api/board and writes every value as text (never as markup), so a
// name that comes from the data is shown exactly as it is written.
"use strict";

const RULES = {
  backlog: "超期积压 · overdue backlog",
  backlog_size: "在办积压 · open backlog",
  due_soon: "即将到期 · due soon",
  bouncing_ticket: "反复流转 · bouncing ticket",
  concentrated_returns: "集中退单 · concentrated returns",
  emerging_hotspot: "新兴热点 · emerging hotspot",
  connection_rate: "接通率低 · low connection rate",
  long_wait: "等待过长 · long wait",
};
const SEVERITY = { warning: "预警 warning", critical: "严重 critical" };
const DIMENSION = { category: "类别", topic: "话题" };

let refreshMs = 1500;
let lastOk = 0;

function number(n) { return Number(n).toLocaleString("en-US"); }
function pct(n) { return Number(n).toFixed(2) + "\u00a0%"; }
function duration(s) { // a wait: 45 s, 1 min 05 s, 22 min, 1 h 05 min (never m:ss, which reads as a clock time)
  s = Math.floor(Number(s));
  const two = (n) => String(n).padStart(2, "0");
  if (s < 60) return s + " s";
  if (s < 600) return Math.floor(s / 60) + " min " + two(s % 60) + " s";
  if (s < 3600) return Math.floor(s / 60) + " min";
  return Math.floor(s / 3600) + " h " + two(Math.floor((s % 3600) / 60)) + " min";
}
function age(s) { // how long a ticket has been open
  s = Number(s);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (s < 3600) return m + " min";
  if (s < 2 * 86400) return (d * 24 + h) + " h " + m + " min";
  return d + " d " + h + " h";
}
const FORMATS = { pct, duration, age, number };

function get(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function renderFields(board) {
  for (const el of document.querySelectorAll("[data-field]")) {
    const key = el.dataset.field;
    if (key === "status") continue;
    const v = get(board, key);
    if (v === undefined) continue;
    if (v === null) { // no figure: a rate of 0 of 0
      el.textContent = "—";
      continue;
    }
    const format = FORMATS[el.dataset.format] || (typeof v === "number" ? number : String);
    el.textContent = format(v);
  }
}

function renderUnits(units) {
  const body = document.getElementById("units");
  body.replaceChildren();
  for (const u of units) {
    const tr = document.createElement("tr");
    tr.dataset.unit = u.unit_id;
    cell(tr, u.name, "name");
    cell(tr, number(u.open_backlog), "open");
    cell(tr, number(u.overdue), u.overdue > 0 ? "overdue" : "");
    cell(tr, number(u.due_within_24h), u.due_within_24h > 0 ? "due-soon" : "");
    cell(tr, age(u.oldest_open_age_s), "age");
    body.appendChild(tr);
  }
}

function renderHotspots(hotspots) {
  const body = document.getElementById("hotspots");
  body.replaceChildren();
  for (const dimension of ["category", "topic"]) {
    for (const h of hotspots[dimension] || []) {
      const tr = document.createElement("tr");
      tr.dataset.dimension = dimension;
      const name = cell(tr, "", "name");
      const tag = document.createElement("span");
      tag.className = "en";
      tag.textContent = DIMENSION[dimension] + " ";
      name.appendChild(tag);
      name.appendChild(document.createTextNode(h.value));
      cell(tr, number(h.current), "current");
      cell(tr, (h.rise > 0 ? "▲ +" : h.rise < 0 ? "▼ " : "") + number(h.rise), h.rise > 0 ? "rise up" : "rise down");
      body.appendChild(tr);
    }
  }
}

const GROUPS = { district: "县市区 districts", park: "园区 parks", department: "市直部门 departments",
  enterprise: "公共企业 companies" };

function renderStanding(standing) { // a table per group (and tier), as the bulletin ranks them
  const box = document.getElementById("standing");
  box.replaceChildren();
  let cohort = null;
  let body = null;
  for (const s of standing) {
    const name = (GROUPS[s.group] || s.group) + (s.tier ? " · " + s.tier : "");
    if (name !== cohort) {
      cohort = name;
      const table = document.createElement("table");
      table.className = "list";
      table.createCaption().textContent = name;
      const head = table.createTHead().insertRow();
      for (const h of ["名次 rank", "单位 unit", "总分 total", "工单 tickets"]) {
        const th = document.createElement("th");
        th.textContent = h;
        head.appendChild(th);
      }
      body = table.createTBody();
      box.appendChild(table);
    }
    const tr = document.createElement("tr");
    tr.dataset.unit = s.unit_id;
    cell(tr, String(s.rank), "rank");
    cell(tr, s.name, "name");
    cell(tr, Number(s.total).toFixed(2), "total");
    cell(tr, number(s.tickets), "tickets");
    body.appendChild(tr);
  }
}

function renderAlerts(alerts) {
  const list = document.getElementById("alerts");
  list.replaceChildren();
  for (const a of alerts) {
    const li = document.createElement("li");
    li.className = a.severity === "critical" ? "critical" : "warning";
    li.dataset.rule = a.rule;
    const parts = [
      ["rule", RULES[a.rule] || a.rule],
      ["severity", SEVERITY[a.severity] || a.severity],
      ["subject", a.subject],
      ["figure", number(Math.round(a.value * 100) / 100) + " / " + number(a.threshold)],
      ["when", a.since],
    ];
    parts.forEach(([cls, text], i) => {
      if (i > 0 && i < 3) li.appendChild(document.createTextNode(" · "));
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      li.appendChild(span);
    });
    list.appendChild(li);
  }
  document.getElementById("no-alerts").hidden = alerts.length > 0;
}

// Today's calls per quarter hour as bars, yesterday's as a line; below, both days' connection rates (0-100 %).
function renderQuarters(quarters) {
  const svg = document.getElementById("quarters");
  if (!svg) return;
  const ns = "http://www.w3.org/2000/svg";
  const w = 960 / 96, top = 110, rateTop = 130, rateHeight = 45;
  let max = 1;
  for (const q of quarters) for (const d of [q.today, q.yesterday]) if (d) max = Math.max(max, d.offered);
  const shapes = [];
  const line = (points, cls) => {
    if (points.length < 2) return;
    const p = document.createElementNS(ns, "polyline");
    p.setAttribute("points", points.join(" "));
    p.setAttribute("class", cls);
    shapes.push(p);
  };
  const yesterday = [], rateToday = [], rateYesterday = [];
  quarters.forEach((q, i) => {
    const x = i * w;
    if (q.today) {
      const r = document.createElementNS(ns, "rect");
      const h = top * q.today.offered / max;
      r.setAttribute("x", x + 1); r.setAttribute("width", w - 2);
      r.setAttribute("y", top - h); r.setAttribute("height", h);
      r.setAttribute("class", "today");
      const title = document.createElementNS(ns, "title");
      title.textContent = q.time + " " + q.today.offered + (q.today.connection_rate_pct == null ? "" : " · " + pct(q.today.connection_rate_pct));
      r.appendChild(title);
      shapes.push(r);
      if (q.today.connection_rate_pct != null) rateToday.push((x + w / 2) + "," + (rateTop + rateHeight * (1 - q.today.connection_rate_pct / 100)));
    }
    if (q.yesterday) {
      yesterday.push((x + w / 2) + "," + (top - top * q.yesterday.offered / max));
      if (q.yesterday.connection_rate_pct != null) rateYesterday.push((x + w / 2) + "," + (rateTop + rateHeight * (1 - q.yesterday.connection_rate_pct / 100)));
    }
  });
  line(yesterday, "yesterday");
  line(rateYesterday, "yesterday rate");
  line(rateToday, "today rate");
  for (const hour of [0, 6, 12, 18]) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", hour * 4 * w + 2); t.setAttribute("y", top + 12);
    t.textContent = String(hour).padStart(2, "0") + ":00";
    shapes.push(t);
  }
  svg.replaceChildren(...shapes);
}

function showStatus(stale, reason) {
  const status = document.getElementById("status");
  status.className = "status " + (stale ? "stale" : "live");
  status.textContent = stale ? "停滞 · stale" : "实时 · live";
  document.body.classList.toggle("stale", stale);
  document.getElementById("stale-banner").hidden = !stale;
  document.getElementById("stale-reason").textContent = stale ? reason : "";
}

function render(board) {
  renderFields(board);
  renderQuarters((board.calls || {}).quarters || []);
  renderUnits(board.units || []);
  renderHotspots(board.hotspots || {});
  renderAlerts(board.alerts || []);
  renderStanding(board.standing || []);
  const s = board.status || {};
  let reason = "";
  if (s.error) reason = s.error;
  else if (s.unchanged_for_s < 0) reason = "还没有数据 · no figures yet";
  else reason = "数据已 " + s.unchanged_for_s + " 秒未变化 · no new figures for " + s.unchanged_for_s + " s";
  showStatus(Boolean(s.stale), reason);
}

async function poll() {
  try {
    const response = await fetch("api/board", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const board = await response.json();
    refreshMs = board.refresh_ms || refreshMs;
    lastOk = Date.now();
    render(board);
  } catch (e) {
    const since = lastOk ? Math.round((Date.now() - lastOk) / 1000) + " s" : "start";
    showStatus(true, "看板服务无法访问 · wallboard server unreachable since " + since + " (" + e.message + ")");
  } finally {
    setTimeout(poll, refreshMs);
  }
}

poll();
