// The page's DOM: everything the controller (chat.js) shows goes through here. Text from
// the network is only ever set as textContent, never parsed as HTML.

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const clock = (ts) => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function show(id, text) {
  const node = $(id);
  node.textContent = text ?? '';
  node.hidden = !text;
}

export const view = {
  // The controller's handlers for what the person does.
  bind({ login, logout, join, leave, open, send }) {
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      login($('username').value.trim(), $('password').value);
    });
    $('logout').addEventListener('click', logout);
    $('join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('join-name').value.trim();
      if (name) join(name);
      $('join-name').value = '';
    });
    $('send-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const text = $('send-text').value;
      if (text.trim() && send(text)) $('send-text').value = '';
    });
    this.handlers = { leave, open };
  },

  showLogin(error) {
    $('chat-view').hidden = true;
    $('who').hidden = true;
    $('login-view').hidden = false;
    this.loginBusy(false);
    show('login-error', error);
    $('username').focus();
  },

  loginBusy(busy) {
    $('login-button').disabled = busy;
    $('login-button').textContent = busy ? 'Logging in…' : 'Log in';
  },

  loginError(text) {
    this.loginBusy(false);
    show('login-error', text);
  },

  showChat(user) {
    $('login-view').hidden = true;
    $('chat-view').hidden = false;
    $('who').hidden = false;
    $('user-name').textContent = user;
    $('password').value = '';
    show('login-error', '');
  },

  // state: unknown | connecting | connected | reconnecting | down
  replica(state, text, id) {
    $('replica').dataset.state = state;
    $('replica').dataset.replicaId = id ?? '';
    $('replica-text').textContent = text;
  },

  banner(kind, text) {
    $('banner').dataset.kind = kind ?? 'info';
    show('banner', text);
  },

  replicas(self, replicas) {
    $('replica-list').replaceChildren(...replicas.map((r) => {
      const state = r.draining ? 'draining' : r.ready ? 'ready' : 'not ready';
      return el('li', { 'data-id': r.id, 'data-here': String(r.id === self) },
        el('span', {}, r.id), el('span', { class: 'state' }, r.id === self ? `${state} · this page` : state));
    }));
  },

  // Until the next list from the registry: recovery found this replica not answering.
  replicaUnreachable(id) {
    const state = document.querySelector(`#replica-list li[data-id="${CSS.escape(id)}"] .state`);
    if (state) state.textContent = 'not answering';
  },

  channels(session, states) {
    $('channel-list').replaceChildren(...session.channels.map((channel) => {
      const unread = session.unread[channel] || 0;
      return el('li', { 'data-channel': channel, 'data-state': states.get(channel) ?? 'joining',
        'aria-current': String(channel === session.current) },
      el('button', { type: 'button', class: 'open', onclick: () => this.handlers.open(channel) }, `# ${channel}`),
      unread ? el('span', { class: 'unread' }, String(unread)) : null,
      el('button', { type: 'button', class: 'quiet', title: `Leave #${channel}`, onclick: () => this.handlers.leave(channel) }, '×'));
    }));
  },

  conversation(session) {
    const channel = session.current;
    $('channel-title').textContent = channel ? `# ${channel}` : 'Join a channel to start';
    const lines = channel ? session.transcripts[channel] ?? [] : [];
    $('messages').replaceChildren(...lines.map((line) => this.messageItem(line, session.user)));
    $('messages').scrollTop = $('messages').scrollHeight;
  },

  messageItem(line, user) {
    if (line.system) return el('li', { class: 'system' }, line.text);
    return el('li', { class: line.sender === user ? 'message mine' : 'message', 'data-id': line.id },
      el('div', { class: 'meta' },
        el('span', { class: 'sender' }, line.sender), el('time', {}, clock(line.ts)),
        line.recovered ? el('span', { class: 'tag', title: 'missed while reconnecting, recovered with since' }, 'recovered') : null),
      el('div', { class: 'text' }, line.text));
  },

  sendEnabled(enabled) {
    $('send-text').disabled = !enabled;
    $('send-button').disabled = !enabled;
  },

  sendError(text) { show('send-error', text); },
  joinError(text) { show('join-error', text); },

  notifications(list) {
    $('notification-count').textContent = list.length ? String(list.length) : '';
    $('notifications').replaceChildren(...list.map((n) => (n.system
      ? el('li', { class: 'system' }, n.text)
      : el('li', { 'data-id': n.id },
        el('div', { class: 'meta' }, `${n.sender} in #${n.channel} · ${clock(n.ts)}`), el('div', {}, n.text)))));
  },
};
