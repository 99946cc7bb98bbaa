// Parley web chat: a client of the server's WebSocket channel,
// GET /ws?user=U&token=TOKEN&thread=T&after=ID.
//
// Out, one JSON object per frame, each with a message_id the server acknowledges once its
// turn is over ({"ack": ID, "id": SEQ}, after the turn's own events):
//   {"message": TEXT}                     the user typed TEXT
//   {"button": BUTTON_ID, "text": LABEL}  the user clicked a button
//   {"form": {"id": FORM_ID, "fields": {NAME: VALUE}}}  the user sent a form
//   {"event": "page_open", "url": PAGE}   this page opened, once per thread: a reload of a
//                                         conversation that began does not greet again
//                                         (?page_open=each_load sends it on every load, as
//                                         Meya's web client does)
// In: the thread's events as they happen, {"id", "type", "sender", "text"?, "status"?,
// "buttons"?, "agent_name"?, "button_id"?, "image"?, "tiles"?, "form"?, "form_id"? with
// "errors"?, "composer"?, "header"?, "markdown"? (chat-presentation.js)}, and {"error": …} for
// what went wrong.
//
// After a dropped connection it reconnects by itself (backing off up to 30 s) with
// after=<the last event id it saw>: what it missed is replayed, then live events follow.
// Frames not yet acknowledged are sent again with the same message_id, which the server
// takes once. Who the user is, the server says: POST /webchat/identity issues a user id and a
// token proving it, which persist in localStorage with the thread id (?thread= picks another
// thread of the same user). A token the server no longer takes (its key was replaced: the
// socket closes with 4401) is dropped for a new identity.
'use strict';

(() => {
  const TYPES = {
    click: 'meya.button.event.click',
    error: 'meya.error.event',
    typingOn: 'meya.presence.event.typing.on',
    typingOff: 'meya.presence.event.typing.off',
  };
  const KEYS = { user: 'parley.chat.user', token: 'parley.chat.token', thread: 'parley.chat.thread', opened: 'parley.chat.opened' };
  const IDENTITY_PATH = '/webchat/identity';
  const MAX_RETRY_MS = 30000;

  const app = document.getElementById('app');
  const conversation = document.getElementById('conversation');
  const log = document.getElementById('log');
  const typing = document.getElementById('typing');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const sendButton = document.getElementById('send');
  const connectionText = document.getElementById('connection-text');
  const botName = app.dataset.botName || 'Parley';
  // The parts a message's composer and header settings change (chat-presentation.js).
  const presentation = window.parleyPresentation
    || { apply() {}, renderText(node, text, features, asWritten) { asWritten(node, text); } };
  const page = {
    form, input, title: document.getElementById('title'), progress: document.getElementById('progress'),
    progressBar: document.getElementById('progress-bar'), progressText: document.getElementById('progress-text'),
    milestones: document.getElementById('milestones'), links: document.getElementById('header-links'),
  };
  // Tiles, forms, images and files (chat-cards.js), drawn with this file's helpers.
  const { showTiles, showForm, showFormResult, picture, download } = window.parleyCards({
    element, groupFor, bubble, appendLinkified, choices, scrollToEnd, send, botName,
  });

  // Who is chatting, in which conversation.
  const storage = (() => {
    try {
      window.localStorage.getItem(KEYS.user);
      return window.localStorage;
    } catch {
      return null; // storage blocked: a new conversation on each load
    }
  })();
  const query = new URLSearchParams(location.search);
  const thread = query.get('thread') || remembered(KEYS.thread, 'thread-');
  /** {user, token}, as the server issued them; kept in localStorage. */
  let identity = storage && storage.getItem(KEYS.user) && storage.getItem(KEYS.token)
    ? { user: storage.getItem(KEYS.user), token: storage.getItem(KEYS.token) }
    : null;

  async function ensureIdentity() {
    if (identity) return identity;
    const response = await fetch(IDENTITY_PATH, { method: 'POST' });
    if (!response.ok) throw new Error(`the server issued no identity (${response.status})`);
    const issued = await response.json();
    identity = { user: issued.user, token: issued.token };
    if (storage) {
      storage.setItem(KEYS.user, identity.user);
      storage.setItem(KEYS.token, identity.token);
    }
    return identity;
  }

  /** Forgets an identity the server no longer takes: the next connection gets a new one. */
  function forgetIdentity() {
    identity = null;
    if (storage) {
      storage.removeItem(KEYS.user);
      storage.removeItem(KEYS.token);
    }
  }

  function randomID(prefix) {
    const bytes = new Uint8Array(9);
    crypto.getRandomValues(bytes);
    return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function remembered(key, prefix) {
    let value = storage && storage.getItem(key);
    if (!value) {
      value = randomID(prefix);
      if (storage) storage.setItem(key, value);
    }
    return value;
  }

  // Connection state.
  const pageID = randomID('p');
  let sent = 0;
  let socket = null;
  let lastSeen = 0; // the last event id shown; a reconnect asks for what came after it
  let attempts = 0;
  let retryTimer = 0;
  let remoteTyping = false;
  /** Frames sent and not yet acknowledged, in order: message_id → {frame, bubble, replayed}. */
  const outbox = new Map();

  let connecting = false;

  async function connect() {
    clearTimeout(retryTimer);
    if (socket || connecting) return;
    connecting = true;
    setConnection('connecting', attempts ? 'Reconnecting…' : 'Connecting…');
    let user, token;
    try {
      ({ user, token } = await ensureIdentity());
    } catch {
      connecting = false;
      retryLater();
      return;
    }
    connecting = false;
    if (socket) return;
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ user, token, thread, after: String(lastSeen) }).toString();
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      attempts = 0;
      setConnection('online', 'Online');
      for (const entry of outbox.values()) ws.send(JSON.stringify(entry.frame));
      updateTyping();
    });
    ws.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      receive(frame);
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      // 4401: the server no longer takes this identity (its key was replaced).
      if (event.code === 4401) forgetIdentity();
      retryLater();
    });
  }

  function retryLater() {
    const delay = Math.min(MAX_RETRY_MS, 500 * 2 ** attempts) * (0.75 + Math.random() * 0.5);
    attempts += 1;
    setConnection('offline', `Offline · reconnecting in ${Math.max(1, Math.round(delay / 1000))} s`);
    updateTyping();
    retryTimer = setTimeout(connect, delay);
  }

  function setConnection(state, text) {
    app.dataset.connection = state;
    connectionText.textContent = text;
  }

  // Back sooner when the network or the tab comes back.
  window.addEventListener('online', () => { if (!socket) connect(); });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !socket) connect();
  });

  /** Sends `frame` now if connected (else once connected) until the server acknowledges it. */
  function send(frame, bubble) {
    sent += 1;
    const id = `${pageID}-${sent}`;
    const entry = { frame: { ...frame, message_id: id }, bubble, replayed: false };
    outbox.set(id, entry);
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(entry.frame));
    updateTyping();
  }

  // Frames from the server.
  function receive(frame) {
    if (typeof frame.ack === 'string') {
      settle(frame.ack);
      if (typeof frame.id === 'number') lastSeen = Math.max(lastSeen, frame.id);
      return;
    }
    if (typeof frame.error === 'string') {
      if (typeof frame.message_id === 'string') {
        // This frame's turn failed: say so; nothing will acknowledge it.
        settle(frame.message_id);
        showNotice(capitalised(frame.error), 'error');
      } else {
        // A refused frame, or "reconnect": nothing the person can act on.
        console.warn('parley chat:', frame.error);
      }
      return;
    }
    if (typeof frame.id === 'number') {
      if (frame.id <= lastSeen) return; // shown already
      lastSeen = frame.id;
    }
    showEvent(frame);
  }

  function settle(messageID) {
    const entry = outbox.get(messageID);
    if (!entry) return;
    outbox.delete(messageID);
    if (entry.frame.event === 'page_open') rememberOpened();
    if (entry.bubble) entry.bubble.classList.remove('pending');
    updateTyping();
  }

  function showEvent(frame) {
    switch (frame.type) {
      case TYPES.typingOn: remoteTyping = true; updateTyping(); return;
      case TYPES.typingOff: remoteTyping = false; updateTyping(); return;
    }
    if (frame.sender === 'user') {
      showOwnReplay(frame);
      return;
    }
    remoteTyping = false;
    if (frame.type !== TYPES.error && typeof frame.form_id !== 'string') presentation.apply(frame, page);
    if (typeof frame.status === 'string') {
      showNotice(frame.status, 'status');
      // A status may offer quick replies (Meya's status is interactive).
      if (Array.isArray(frame.buttons) && frame.buttons.length) log.append(choices(frame.buttons));
    } else if (frame.type === TYPES.error) {
      showNotice(frame.text || 'Something went wrong.', 'error');
    } else if (Array.isArray(frame.tiles)) {
      showTiles(frame);
    } else if (frame.form && typeof frame.form === 'object') {
      showForm(frame);
    } else if (typeof frame.form_id === 'string') {
      showFormResult(frame.form_id, frame.errors || {});
    } else if (typeof frame.text === 'string' || Array.isArray(frame.buttons) || typeof frame.image === 'string'
               || typeof frame.file === 'string') {
      showIncoming(frame);
    }
    updateTyping();
  }

  /** The user's own event from the ledger: history, or sent from here before a reconnect. */
  function showOwnReplay(frame) {
    const isClick = frame.type === TYPES.click;
    for (const entry of outbox.values()) {
      const same = isClick ? entry.frame.button === frame.button_id : entry.frame.message === frame.text;
      if (same && entry.bubble && !entry.replayed) {
        entry.replayed = true; // on screen already
        return;
      }
    }
    const text = isClick ? frame.text || labelOf(frame.button_id) || frame.button_id : frame.text;
    if (!text) return;
    markAnswered(isClick ? frame.button_id : null);
    showOutgoing(text, false);
  }

  // Rendering.
  let group = null; // the last message group: {key, body}

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function capitalised(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function initial(name) {
    return (name.trim()[0] || '?').toUpperCase();
  }

  /** The group for consecutive messages of one sender, new when the sender changes. */
  function groupFor(sender, name) {
    const key = `${sender}\u0000${name}`;
    if (group && group.key === key && group.body.parentElement.nextSibling === null) return group.body;
    const row = element('div', `group group-${sender}`);
    row.dataset.sender = sender;
    const body = element('div', 'group-body');
    if (sender !== 'user') {
      const avatar = element('div', `avatar avatar-${sender}`, initial(name));
      avatar.setAttribute('aria-hidden', 'true');
      row.append(avatar);
      const label = element('div', 'name', name);
      label.setAttribute('aria-hidden', 'true');
      if (sender === 'agent') label.append(element('span', 'role', 'Agent'));
      body.append(label);
    }
    row.append(body);
    log.append(row);
    group = { key, body };
    return body;
  }

  /** A message bubble: its text as written (links clickable), or as the markdown it says it is. */
  function bubble(body, who, text, markdown) {
    const node = element('div', 'bubble');
    node.append(element('span', 'visually-hidden', `${who}: `));
    const content = element('span', 'text');
    presentation.renderText(content, text, markdown, appendLinkified);
    node.append(content);
    body.append(node);
    return node;
  }

  function showIncoming(frame) {
    const sender = frame.sender === 'agent' ? 'agent' : 'bot';
    const name = sender === 'agent' ? frame.agent_name || 'Agent' : botName;
    const body = groupFor(sender, name);
    if (typeof frame.id === 'number') body.parentElement.dataset.lastEventId = String(frame.id);
    if (typeof frame.image === 'string') body.append(picture(frame.image, frame.alt));
    if (typeof frame.file === 'string') body.append(download(frame.file, frame.filename));
    if (typeof frame.text === 'string' && frame.text !== '') bubble(body, name, frame.text, frame.markdown);
    if (Array.isArray(frame.buttons) && frame.buttons.length) body.append(choices(frame.buttons));
    scrollToEnd();
  }

  function showOutgoing(text, pending) {
    const node = bubble(groupFor('user', 'You'), 'You', text);
    if (pending) node.classList.add('pending');
    scrollToEnd(true);
    return node;
  }

  function showNotice(text, kind) {
    const node = element('div', `notice notice-${kind}`);
    node.append(element('span', 'notice-text', text));
    if (kind === 'error') node.setAttribute('role', 'alert');
    log.append(node);
    group = null;
    scrollToEnd();
  }

  function choices(buttons) {
    const row = element('div', 'buttons');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', 'Answers');
    for (const choice of buttons) {
      const label = typeof choice.text === 'string' ? choice.text : '';
      if (typeof choice.url === 'string' && !choice.button_id) {
        const link = element('a', 'choice choice-link', label);
        link.href = choice.url;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        row.append(link);
        continue;
      }
      const button = element('button', 'choice', label);
      button.type = 'button';
      if (choice.button_id) button.dataset.buttonId = choice.button_id;
      button.addEventListener('click', () => choose(row, button, choice, label));
      row.append(button);
    }
    return row;
  }

  function choose(row, button, choice, label) {
    if (row.classList.contains('answered')) return;
    markAnswered(null, button);
    const node = showOutgoing(label, true);
    // A button without an id answers with its text, as if typed.
    send(choice.button_id ? { button: choice.button_id, text: label } : { message: label }, node);
  }

  /** Buttons already offered are answered once the user says anything. */
  function markAnswered(buttonID, chosen) {
    for (const row of log.querySelectorAll('.buttons:not(.answered)')) {
      row.classList.add('answered');
      for (const button of row.querySelectorAll('button.choice')) {
        button.disabled = true;
        if (button === chosen || (buttonID && button.dataset.buttonId === buttonID)) {
          button.classList.add('chosen');
          button.setAttribute('aria-pressed', 'true');
        }
      }
    }
  }

  function labelOf(buttonID) {
    if (!buttonID) return null;
    for (const button of log.querySelectorAll('button.choice')) {
      if (button.dataset.buttonId === buttonID) return button.textContent;
    }
    return null;
  }

  const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/g;

  function appendLinkified(node, text) {
    let at = 0;
    for (const match of text.matchAll(URL_PATTERN)) {
      node.append(text.slice(at, match.index));
      const link = element('a', null, match[0]);
      link.href = match[0];
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      node.append(link);
      at = match.index + match[0].length;
    }
    node.append(text.slice(at));
  }

  /** Typing while a frame of ours waits for its turn to end, or the bot or agent says so. */
  function updateTyping() {
    const online = socket !== null && socket.readyState === WebSocket.OPEN;
    const show = online && (outbox.size > 0 || remoteTyping);
    if (typing.hidden === !show) return;
    typing.hidden = !show;
    if (show) scrollToEnd();
  }

  // The view follows the latest message while the person is at the end of the conversation;
  // scrolling up to read stops that until they are back near the end. Judged from how they
  // scrolled, not from the distance to the end after an append: on a phone-wide screen one
  // replayed message can be taller than the margin, which left the page mid-replay.
  let followEnd = true;
  let lastScrollTop = 0;
  conversation.addEventListener('scroll', () => {
    const top = conversation.scrollTop;
    if (top < lastScrollTop) followEnd = false;
    if (conversation.scrollHeight - top - conversation.clientHeight < 120) followEnd = true;
    lastScrollTop = top;
  });

  function scrollToEnd(always) {
    if (always) followEnd = true;
    if (followEnd) conversation.scrollTop = conversation.scrollHeight;
  }

  // The composer: Enter sends, Shift+Enter starts a new line.
  function resize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
    sendButton.disabled = input.value.trim() === '';
  }

  input.addEventListener('input', resize);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    resize();
    markAnswered(null);
    send({ message: text }, showOutgoing(text, true));
    input.focus();
  });

  for (const avatar of document.querySelectorAll('.avatar-bot')) avatar.textContent = initial(botName);
  // page_open, before anything else is sent: once per thread (remembered once the server
  // took it), or on every load with ?page_open=each_load.
  function openedThreads() {
    try {
      const list = JSON.parse((storage && storage.getItem(KEYS.opened)) || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }
  function rememberOpened() {
    if (!storage) return;
    // The 50 threads opened last are enough to tell a reload from a new conversation.
    const list = openedThreads().filter((id) => id !== thread).concat(thread).slice(-50);
    storage.setItem(KEYS.opened, JSON.stringify(list));
  }
  if (query.get('page_open') === 'each_load' || !openedThreads().includes(thread)) {
    send({ event: 'page_open', url: location.href }, null);
  }
  connect();
  input.focus();
})();
