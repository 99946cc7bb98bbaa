/// The agent console: one self-contained HTML page (CSS and JS inline) that plays the human
/// agent against the emulator's `/emulator/api/` — waiting tasks, accept, the live chat,
/// `/commands`, complete, cancel, and the webhook log.
///
/// It is a Swift string so the emulator is one binary with nothing to install; it has no
/// Swift dependencies, so it can move to an embedded resource file unchanged.
enum AgentConsolePage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flex emulator · Agent console</title>
<style>
:root { --ink:#1d2433; --muted:#667085; --line:#e4e7ec; --bg:#f5f6f8; --card:#fff; --brand:#0263e0;
        --agent:#0263e0; --customer:#eef1f5; --bot:#f3ecff; --ok:#12805c; --warn:#b54708; --bad:#c4320a; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg);
       height:100vh; display:flex; flex-direction:column; }
.banner { background:repeating-linear-gradient(45deg,#ffd84d,#ffd84d 14px,#ffe27a 14px,#ffe27a 28px); color:#3d2e00;
          padding:6px 16px; font-weight:600; font-size:13px; display:flex; gap:12px; align-items:center; }
.banner .conn { margin-left:auto; font-weight:500; }
header { background:var(--card); border-bottom:1px solid var(--line); padding:10px 16px; display:flex; align-items:center; gap:12px; }
header h1 { font-size:16px; margin:0; }
header .who { margin-left:auto; color:var(--muted); }
main { flex:1; display:grid; grid-template-columns:320px 1fr 340px; min-height:0; }
section { min-height:0; display:flex; flex-direction:column; border-right:1px solid var(--line); }
section h2 { font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:0; padding:12px 16px 8px; }
.scroll { overflow:auto; flex:1; padding:0 12px 12px; }
.task { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:10px 12px; margin-bottom:8px; cursor:pointer; }
.task:hover { border-color:#b2c7f0; }
.task.selected { border-color:var(--brand); box-shadow:0 0 0 2px #0263e022; }
.task .name { font-weight:600; }
.task .meta { color:var(--muted); font-size:12px; margin-top:2px; }
.task .actions { margin-top:8px; display:flex; gap:6px; }
.chips { margin-top:6px; display:flex; flex-wrap:wrap; gap:4px; }
.chip { font-size:11px; background:#f2f4f7; border-radius:6px; padding:1px 6px; color:#344054; max-width:100%; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.pill { display:inline-block; font-size:11px; font-weight:600; padding:1px 8px; border-radius:99px; background:#eef1f5; color:#344054; }
.pill.pending, .pill.reserved { background:#fff4e5; color:var(--warn); }
.pill.assigned, .pill.wrapping { background:#e7f0ff; color:var(--brand); }
.pill.completed, .pill.delivered { background:#e6f6ee; color:var(--ok); }
.pill.canceled, .pill.failed { background:#feeceb; color:var(--bad); }
.pill.skipped { background:#f2f4f7; color:var(--muted); }
button { font:inherit; border:1px solid var(--line); background:var(--card); border-radius:8px; padding:5px 12px; cursor:pointer; }
button.primary { background:var(--brand); color:#fff; border-color:var(--brand); }
button.danger { color:var(--bad); }
button:disabled { opacity:.45; cursor:default; }
.chat { flex:1; display:flex; flex-direction:column; min-height:0; }
.chat-head { padding:12px 16px; background:var(--card); border-bottom:1px solid var(--line); display:flex; gap:10px; align-items:center; }
.chat-head .title { font-weight:600; font-size:15px; }
.chat-head .actions { margin-left:auto; display:flex; gap:6px; }
details.attrs { padding:8px 16px; border-bottom:1px solid var(--line); background:#fbfcfd; }
details.attrs pre { margin:6px 0 0; font-size:12px; white-space:pre-wrap; word-break:break-word; }
.transcript { flex:1; overflow:auto; padding:16px; display:flex; flex-direction:column; gap:6px; }
.msg { max-width:72%; padding:8px 12px; border-radius:14px; white-space:pre-wrap; word-break:break-word; }
.msg .from { font-size:11px; color:var(--muted); margin-bottom:2px; }
.msg.customer { background:var(--customer); align-self:flex-start; border-bottom-left-radius:4px; }
.msg.bot { background:var(--bot); align-self:flex-start; border-bottom-left-radius:4px; }
.msg.agent { background:var(--agent); color:#fff; align-self:flex-end; border-bottom-right-radius:4px; }
.msg.agent .from { color:#d6e4ff; }
.msg.command { font-family:ui-monospace,Menlo,monospace; }
.composer { display:flex; gap:8px; padding:12px 16px; border-top:1px solid var(--line); background:var(--card); }
.composer input { flex:1; font:inherit; padding:8px 12px; border:1px solid var(--line); border-radius:8px; }
.hint { color:var(--muted); font-size:12px; padding:0 16px 10px; background:var(--card); }
.empty { color:var(--muted); text-align:center; margin:auto; padding:24px; }
.event { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:7px 10px; margin-bottom:6px; font-size:12px; }
.event .type { font-weight:600; font-family:ui-monospace,Menlo,monospace; }
.event .url { color:var(--muted); word-break:break-all; }
.error { color:var(--bad); padding:0 16px 8px; background:var(--card); min-height:0; }
</style>
</head>
<body>
<div class="banner">⚠ Development emulator — not Twilio. Nothing here reaches a real Flex account.
  <span class="conn" id="conn">connecting…</span></div>
<header><h1>Flex agent console</h1><span class="who" id="who"></span></header>
<main>
  <section><h2>Tasks</h2><div class="scroll" id="tasks"></div></section>
  <section class="chat" id="chat"><div class="empty">Select a task. Waiting tasks appear here as the bot hands chats off.</div></section>
  <section style="border-right:0"><h2>Webhooks sent</h2><div class="scroll" id="events"></div></section>
</main>
<script>
"use strict";
const api = "/emulator/api";
let version = -1, tasks = [], selected = null, sending = false;
const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}
async function call(method, path, body) {
  const response = await fetch(api + path, { method, headers: body ? { "Content-Type": "application/json" } : {},
                                             body: body ? JSON.stringify(body) : undefined });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || ("HTTP " + response.status));
  return json;
}
function age(seconds) {
  if (seconds < 60) return seconds + "s";
  if (seconds < 3600) return Math.floor(seconds / 60) + "m";
  return Math.floor(seconds / 3600) + "h";
}
// Flex's own task attributes; the rest came from the bot and are shown on the card.
const flexKeys = new Set(["channelSid", "channelType", "name", "from", "conversations"]);
function chips(attributes) {
  const entries = Object.entries(attributes || {}).filter(([key]) => !flexKeys.has(key)).slice(0, 6);
  if (!entries.length) return null;
  return el("div", { class: "chips" }, entries.map(([key, value]) =>
    el("span", { class: "chip", title: key + ": " + JSON.stringify(value) }, key + ": " + (typeof value === "string" ? value : JSON.stringify(value)))));
}
const waiting = (t) => t.status === "pending" || t.status === "reserved";
const open = (t) => t.status === "assigned" || t.status === "wrapping";
async function act(label, fn) {
  try { await fn(); showError(""); return true; } catch (e) { showError(label + ": " + e.message); return false; }
}
function showError(text) { const box = $("error"); if (box) box.textContent = text; }
function renderTasks() {
  const order = (t) => (waiting(t) ? 0 : open(t) ? 1 : 2);
  const sorted = [...tasks].sort((a, b) => order(a) - order(b) || (b.date_created < a.date_created ? -1 : 1));
  const list = $("tasks");
  list.replaceChildren(...(sorted.length ? sorted.map((t) => {
    const who = t.customer ? t.customer.friendly_name : "";
    const actions = [];
    if (t.status === "reserved") actions.push(el("button", { class: "primary", onclick: (e) => { e.stopPropagation(); act("accept", async () => { await call("POST", `/tasks/${t.sid}/accept`); selected = t.sid; }); } }, "Accept"));
    if (waiting(t)) actions.push(el("button", { class: "danger", onclick: (e) => { e.stopPropagation(); cancelTask(t); } }, "Cancel"));
    return el("div", { class: "task" + (t.sid === selected ? " selected" : ""), onclick: () => { selected = t.sid; renderTasks(); renderChat(); } },
      el("div", {}, el("span", { class: "name" }, t.friendly_name || t.sid), " ", el("span", { class: "pill " + t.status }, t.status)),
      el("div", { class: "meta" }, `${who} · ${age(t.age)} ago` + (t.worker ? ` · ${t.worker.display_name}` : "")),
      chips(t.attributes),
      actions.length ? el("div", { class: "actions" }, actions) : null);
  }) : [el("div", { class: "empty" }, "No tasks yet.")]));
}
function cancelTask(t) {
  const reason = prompt("Cancel this task — reason:", "Canceled by agent");
  if (reason !== null) act("cancel", () => call("POST", `/tasks/${t.sid}/cancel`, { reason }));
}
async function renderChat() {
  const task = tasks.find((t) => t.sid === selected);
  const chat = $("chat");
  if (!task) { chat.replaceChildren(el("div", { class: "empty" }, "Select a task. Waiting tasks appear here as the bot hands chats off.")); return; }
  let transcript = { messages: [], channel: null };
  try { transcript = await call("GET", `/channels/${task.channel_sid}/messages`); } catch (e) { /* channel deleted */ }
  const input = el("input", { id: "composer", placeholder: open(task) ? "Type a message, or a /command…" : "Accept the task to chat", disabled: !open(task), autocomplete: "off" });
  const send = async () => {
    const body = input.value.trim();
    if (!body || sending) return;
    sending = true;
    // Cleared at once: the chat may be drawn again before the answer, and would keep it as a draft.
    input.value = "";
    if (!(await act("send", () => call("POST", `/channels/${task.channel_sid}/messages`, { body })))) {
      const composer = $("composer");
      if (composer && !composer.value) composer.value = body;
    }
    sending = false;
  };
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") send(); });
  const previous = document.getElementById("composer");
  const draft = previous && previous.value, focused = previous && document.activeElement === previous;
  const actions = [];
  if (task.status === "reserved") actions.push(el("button", { class: "primary", onclick: () => act("accept", () => call("POST", `/tasks/${task.sid}/accept`)) }, "Accept"));
  if (open(task)) actions.push(el("button", { class: "primary", onclick: () => { const reason = prompt("Complete — reason:", "Chat completed by agent"); if (reason !== null) act("complete", () => call("POST", `/tasks/${task.sid}/complete`, { reason })); } }, "Complete"));
  if (waiting(task)) actions.push(el("button", { class: "danger", onclick: () => cancelTask(task) }, "Cancel task"));
  const messages = transcript.messages.map((m) => el("div", { class: `msg ${m.role}` + (m.body.startsWith("/") ? " command" : "") },
    el("div", { class: "from" }, m.role === "agent" ? "You" : m.role === "customer" && task.customer ? task.customer.friendly_name : m.from), m.body || (m.media_sid ? `[media ${m.media_sid}]` : "")));
  const box = el("div", { class: "transcript" }, messages.length ? messages : [el("div", { class: "empty" }, "No messages yet.")]);
  chat.replaceChildren(
    el("div", { class: "chat-head" }, el("span", { class: "title" }, task.friendly_name), el("span", { class: "pill " + task.status }, task.status),
       task.reason ? el("span", { class: "meta" }, task.reason) : null, el("div", { class: "actions" }, actions)),
    el("details", { class: "attrs" }, el("summary", {}, "Task attributes · " + task.sid), el("pre", {}, JSON.stringify(task.attributes, null, 2))),
    box,
    el("div", { class: "error", id: "error" }),
    el("div", { class: "composer" }, input, el("button", { class: "primary", disabled: !open(task), onclick: send }, "Send")),
    el("div", { class: "hint" }, "Messages starting with / (such as /bot or /end) reach the bot as agent commands."));
  if (draft) input.value = draft;
  if (focused || open(task)) input.focus();
  box.scrollTop = box.scrollHeight;
}
async function renderEvents() {
  const { deliveries } = await call("GET", "/events");
  const recent = deliveries.slice(-60).reverse();
  $("events").replaceChildren(...(recent.length ? recent.map((d) => {
    const last = d.attempts[d.attempts.length - 1];
    const outcome = last ? (last.status_code ? "HTTP " + last.status_code : last.error) : "";
    return el("div", { class: "event", title: d.fields.map(([k, v]) => k + "=" + v).join("\n") },
      el("div", {}, el("span", { class: "type" }, d.event_type), " ", el("span", { class: "pill " + d.status }, d.status)),
      el("div", { class: "url" }, d.url || "no webhook URL configured"),
      outcome ? el("div", { class: "url" }, `${d.attempts.length} attempt${d.attempts.length === 1 ? "" : "s"} · ${outcome}`) : null);
  }) : [el("div", { class: "empty" }, "No webhooks yet.")]));
}
async function loop() {
  const info = await call("GET", "/info").catch(() => null);
  if (info) $("who").textContent = "Agents: " + info.workers.map((w) => w.display_name).join(", ");
  for (;;) {
    try {
      const answer = await call("GET", `/tasks?after=${version}&wait=25`);
      $("conn").textContent = "live";
      if (answer.version !== version) {
        version = answer.version;
        tasks = answer.tasks;
        if (!selected) { const first = tasks.find(open) || tasks.find(waiting); if (first) selected = first.sid; }
        renderTasks();
        await renderChat();
        await renderEvents();
      }
    } catch (e) {
      $("conn").textContent = "emulator unreachable — retrying";
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
loop();
</script>
</body>
</html>
"""#
}
