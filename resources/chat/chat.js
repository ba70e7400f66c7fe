// The chat page's controller: log in, join channels, chat over STOMP, notifications over
// SSE, and stay connected: when this replica goes away the page reconnects here if it
// still answers, otherwise moves to another replica of the cluster (replicas.js), where
// STOMP resubscribes each channel with `since` and SSE resumes with its last event id, so
// nothing sent meanwhile is missed (docs/protocol.md, "Recovery after a reconnect").
import { NotificationStream } from './notifications.js';
import { ReplicaDirectory } from './replicas.js';
import { StompClient } from './stomp.js';
import { view } from './view.js';

const SESSION_KEY = 'switchboard.chat';
const MAX_LINES = 200; // per channel, in the page and in the handed-over session
const MAX_NOTIFICATIONS = 50;
const REPLICAS_POLL_MS = 5000;

const directory = new ReplicaDirectory();
const channelStates = new Map(); // channel -> joining | joined
const pendingSends = new Map(); // receipt -> {channel, text}
let session = null;
let stomp = null;
let recovering = false;
let failuresHere = 0; // sessions here that ended before CONNECTED, for the back-off
let movedFrom = null; // {id, reason} of the replica whose page handed this session over
let resumedAfter = null; // the replica lost when this page reconnected to its own
let receipts = 0;
let replicasTimer = 0;
let tokenTimer = 0;

const delay = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
const here = () => directory.self ?? location.host;

function save() {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

function render() {
  view.channels(session, channelStates);
  view.conversation(session);
  view.notifications(session.notifications);
}

function addLine(channel, line) {
  const lines = (session.transcripts[channel] ??= []);
  lines.push(line);
  if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
}

async function showReplicas() {
  try {
    await directory.refresh();
    view.replicas(directory.self, directory.replicas);
    if (!session) view.replica('unknown', `${directory.self} · ${location.host}`, directory.self);
    return true;
  } catch (error) {
    return error.status !== undefined; // it answered, if only with an error (e.g. 503)
  }
}

// ---------------------------------------------------------------- log in and out

async function login(username, password) {
  view.loginBusy(true);
  let response;
  try {
    response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(10000),
    });
  } catch {
    view.loginError(`${here()} does not answer. Reload the page from another replica, or retry.`);
    return;
  }
  if (response.ok) {
    const tokens = await response.json();
    session = { user: username, channels: [], current: null, lastIds: {}, lastEventId: null,
      transcripts: {}, unread: {}, notifications: [] };
    takeTokens(tokens);
    view.showChat(username);
    render();
    start();
    return;
  }
  const body = await response.json().catch(() => ({}));
  const retry = response.headers.get('Retry-After');
  view.loginError({
    401: 'Wrong user name or password.',
    429: `Too many login attempts; retry in ${retry ?? 'a few'} s.`,
    503: 'This replica cannot check logins right now (its session store is unreachable); retry shortly.',
  }[response.status] ?? `Login failed: ${body.error ?? response.status}`);
}

function takeTokens({ accessToken, refreshToken, expiresIn }) {
  Object.assign(session, { accessToken, refreshToken, expiresAt: Date.now() + expiresIn * 1000 });
  save();
  clearTimeout(tokenTimer);
  tokenTimer = setTimeout(() => refreshTokens().catch(() => {}), Math.max(5000, expiresIn * 800));
}

// True with new tokens, false when the session is over (refresh token revoked or expired);
// throws when the replica could not answer.
async function refreshTokens() {
  const response = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: session.refreshToken }),
    signal: AbortSignal.timeout(5000),
  });
  if (response.status === 401) return false;
  if (!response.ok) throw new Error(`refresh answered ${response.status}`);
  takeTokens(await response.json());
  return true;
}

function endSession(message) {
  stopLive();
  clearTimeout(tokenTimer);
  session = null;
  save();
  channelStates.clear();
  view.banner('info', '');
  view.showLogin(message);
}

function logout() {
  const { accessToken, refreshToken } = session;
  const client = stomp;
  stomp = null;
  client?.disconnect();
  fetch('/api/auth/logout', {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  }).catch(() => { /* the tokens expire anyway */ });
  endSession('');
}

// ---------------------------------------------------------------- channels and messages

function subscribe(channel) {
  channelStates.set(channel, 'joining');
  const since = session.lastIds[channel];
  stomp.subscribe(`ch-${channel}`, `/topic/channels.${channel}`, { receipt: `sub-${channel}`, ...(since ? { since } : {}) });
}

function join(channel) {
  view.joinError('');
  if (!session.channels.includes(channel)) {
    session.channels.push(channel);
    if (stomp?.connected) subscribe(channel);
  }
  open(channel);
}

function leave(channel) {
  session.channels = session.channels.filter((c) => c !== channel);
  delete session.transcripts[channel];
  delete session.lastIds[channel];
  channelStates.delete(channel);
  if (stomp?.connected) stomp.unsubscribe(`ch-${channel}`);
  if (session.current === channel) session.current = session.channels[0] ?? null;
  save();
  render();
}

function open(channel) {
  session.current = channel;
  session.unread[channel] = 0;
  save();
  render();
  view.sendEnabled(Boolean(stomp?.connected));
}

function send(text) {
  if (!stomp?.connected || !session.current) return false;
  const receipt = `send-${++receipts}`;
  pendingSends.set(receipt, { channel: session.current, text });
  stomp.send(`/app/channels.${session.current}`, JSON.stringify({ text }), { receipt });
  view.sendError('');
  return true;
}

function onMessage(frame) {
  const channel = (frame.headers.subscription ?? '').replace(/^ch-/, '');
  if (!session.channels.includes(channel)) return;
  if (frame.headers.recovery === 'reset') {
    addLine(channel, { system: true, text: 'Some messages sent while you were away are gone from the history and could not be recovered.' });
  } else {
    const id = frame.headers['message-id'];
    if ((session.transcripts[channel] ?? []).some((line) => line.id === id)) return;
    let message;
    try { message = JSON.parse(frame.body); } catch { return; }
    addLine(channel, { id, sender: message.sender, text: message.text, ts: message.ts, recovered: frame.headers.recovered === 'true' });
    session.lastIds[channel] = id;
    if (channel !== session.current) session.unread[channel] = (session.unread[channel] || 0) + 1;
  }
  save();
  render();
}

function onReceipt(id) {
  if (id.startsWith('sub-')) {
    channelStates.set(id.slice(4), 'joined');
    render();
  }
  pendingSends.delete(id);
}

// An ERROR names what it answers by receipt-id: a refused SUBSCRIBE drops that channel, a
// refused SEND gives its text back. The node closes the session after any ERROR.
function onError(frame) {
  const receipt = frame.headers['receipt-id'] ?? '';
  const message = frame.headers.message ?? 'error';
  if (receipt.startsWith('sub-')) {
    const channel = receipt.slice(4);
    view.joinError(`Cannot join #${channel}: ${message}.`);
    leave(channel);
  } else if (pendingSends.has(receipt)) {
    view.sendError(`Not sent: ${message}. "${pendingSends.get(receipt).text}"`);
    pendingSends.delete(receipt);
  }
}

// ---------------------------------------------------------------- notifications (SSE)

const stream = new NotificationStream({
  onNotification(notification, id) {
    session.lastEventId = id;
    session.notifications.unshift({ id, sender: notification.sender, channel: notification.channel,
      text: notification.text, ts: notification.ts });
    session.notifications.length = Math.min(session.notifications.length, MAX_NOTIFICATIONS);
    save();
    view.notifications(session.notifications);
  },
  onReset() {
    session.notifications.unshift({ system: true, text: 'Some notifications were missed and could not be replayed.' });
    view.notifications(session.notifications);
  },
  async onLost(why, { auth }) {
    if (recovering || !stomp?.connected) return; // the STOMP session's end is being handled
    if (auth && !(await refreshTokens().catch(() => true))) return endSession('Your session has ended; log in again.');
    if (!(await showReplicas())) return recover(why);
    await delay(1000); // the node said "retry" (a stream's lifetime, a slow consumer): not at once
    if (stomp?.connected && !recovering) stream.start(session.accessToken, session.lastEventId);
  },
});

// ---------------------------------------------------------------- connection and failover

function stopLive() {
  clearInterval(replicasTimer);
  stream.stop();
  const client = stomp;
  stomp = null;
  client?.close();
  view.sendEnabled(false);
}

// Opens a STOMP session to this page's replica; false when it does not answer at all.
async function connectHere() {
  view.replica('connecting', `connecting to ${here()}…`, directory.self);
  if (!(await showReplicas())) return false;
  const client = new StompClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, {
    token: session.accessToken,
    onConnected: () => onConnected(),
    onMessage,
    onReceipt,
    onError,
    onClose: (info) => onClosed(client, info),
  });
  stomp = client;
  client.open();
  return true;
}

async function start() {
  if (!(await connectHere())) recover(`${location.host} does not answer`);
}

function onConnected() {
  failuresHere = 0;
  view.replica('connected', `${here()} · ${location.host}`, directory.self);
  if (movedFrom) view.banner('info', `Moved to ${here()}: ${movedFrom.id} went away (${movedFrom.reason}).`);
  else if (resumedAfter) view.banner('info', `Reconnected to ${here()}.`);
  else view.banner('info', '');
  movedFrom = null;
  resumedAfter = null;
  for (const channel of session.channels) subscribe(channel);
  stream.start(session.accessToken, session.lastEventId);
  view.sendEnabled(Boolean(session.current));
  render();
  clearInterval(replicasTimer);
  replicasTimer = setInterval(showReplicas, REPLICAS_POLL_MS);
}

async function onClosed(client, { code, error }) {
  if (client !== stomp || !session) return; // a session this page ended itself
  stopLive();
  for (const { text } of pendingSends.values())
    view.sendError(`Not confirmed before the connection closed: "${text}". If it does not show up, send it again.`);
  pendingSends.clear();
  const message = error?.headers?.message ?? '';
  const receipt = error?.headers?.['receipt-id'] ?? '';
  // A refused channel or message (onError dealt with it): this replica is fine, come back.
  if ((receipt.startsWith('sub-') || receipt.startsWith('send-')) && (await connectHere())) return;
  if (/^(invalid token|authentication required)/.test(message)) {
    // An expired access token: a refresh gets a new one; a revoked session ends here.
    const refreshed = await refreshTokens().catch(() => null);
    if (refreshed === false) return endSession('Your session has ended; log in again.');
    if (refreshed && (await connectHere())) return;
  }
  if (!client.wasConnected) failuresHere++;
  recover(message || `connection lost, WebSocket code ${code}`);
}

// Does this page's origin serve sessions? Asked with /api/replicas rather than the probes:
// behind nginx the probes answer 404 (docs/operations.md), and a draining or Redis-less
// replica answers 503 here too. Through a proxy, another replica may answer: fine.
async function readyHere() {
  try {
    await directory.refresh();
    view.replicas(directory.self, directory.replicas);
    return true;
  } catch {
    return false;
  }
}

// Here again if this replica is ready (a dropped connection, a refused channel, a restart);
// otherwise the first other replica that takes sessions; otherwise wait and try again.
async function recover(reason) {
  if (recovering || !session) return;
  recovering = true;
  stopLive();
  const lost = here();
  for (let attempt = 0; session; attempt++) {
    view.replica('reconnecting', `lost ${lost}; reconnecting…`, directory.self);
    view.banner('warn', `Lost ${lost}: ${reason}. Reconnecting…`);
    if (failuresHere > 0) await delay(Math.min(10000, 500 * 2 ** failuresHere));
    if ((await readyHere()) && (await connectHere())) {
      resumedAfter = lost;
      recovering = false;
      return;
    }
    view.replicaUnreachable(lost);
    for (const replica of directory.candidates()) {
      view.banner('warn', `${lost} is not ready (${reason}). Trying ${replica.id}…`);
      if (await ReplicaDirectory.accepts(replica.url, 2000)) {
        ReplicaDirectory.moveTo(replica.url, { session, from: { id: lost, reason } });
        return; // this page is being replaced; `recovering` stays set so nothing else starts
      }
      view.replicaUnreachable(replica.id);
    }
    const waitMs = Math.min(10000, 1000 * 2 ** attempt);
    view.replica('down', `${lost} is down`, directory.self);
    view.banner('bad', `No replica answers (${lost}: ${reason}). Retrying in ${Math.round(waitMs / 1000)} s…`);
    await delay(waitMs);
  }
  recovering = false;
}

// ---------------------------------------------------------------- start

view.bind({ login, logout, join, leave, open, send });
const handedOver = ReplicaDirectory.takeHandOver();
if (handedOver?.session) {
  session = handedOver.session;
  movedFrom = handedOver.from;
  save();
} else {
  try { session = JSON.parse(sessionStorage.getItem(SESSION_KEY)); } catch { session = null; }
}
if (session) {
  view.showChat(session.user);
  render();
  takeTokens({ accessToken: session.accessToken, refreshToken: session.refreshToken,
    expiresIn: Math.max(0, (session.expiresAt - Date.now()) / 1000) });
  start();
} else {
  view.showLogin();
  showReplicas().then((answers) => {
    if (!answers) view.replica('down', `${location.host} does not answer`);
  });
}
