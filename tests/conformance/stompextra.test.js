'use strict';
// The rest of docs/protocol.md against a real node, with clients nobody here wrote
// (@stomp/stompjs, ws, node's http): STOMP transactions (BEGIN/SEND/COMMIT/ABORT), ACK/NACK
// on client-individual subscriptions, version and subprotocol negotiation (1.1 and 1.0),
// /topic/presence, refresh-token rotation, the per-user login rate limit, SSE replay with the
// ?lastEventId= query, and SSE keep-alive comments.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const WebSocket = require('ws');
const { Versions } = require('@stomp/stompjs');
const { startNode, request, login, publish, metrics, metric, within, sleep, eventually } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');
const { ticket, openStream } = require('./lib/sse');

function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}

async function loginPair(node, username, password = username) {
  const res = await request(node.base, 'POST', '/api/auth/login', { body: { username, password } });
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body);
}

// Sends a frame with a receipt and waits for that RECEIPT.
function withReceipt(client, receipt, send) {
  const confirmed = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  send(receipt);
  return within(5000, `RECEIPT ${receipt}`, confirmed);
}

// ------------------------------------------------------------------ a raw STOMP client over ws

// Parses STOMP frames out of WebSocket messages (NUL-terminated; EOLs between frames are
// heart-beats). Header values are not unescaped: the tests below use plain values only.
function parseFrames(buffer) {
  const frames = [];
  let rest = buffer;
  for (;;) {
    rest = rest.replace(/^(\r?\n)+/, '');
    const nul = rest.indexOf('\0');
    if (nul < 0) break;
    const text = rest.slice(0, nul);
    rest = rest.slice(nul + 1);
    const split = text.search(/\r?\n\r?\n/);
    const head = split < 0 ? text : text.slice(0, split);
    const body = split < 0 ? '' : text.slice(text.indexOf('\n', text.indexOf('\n', split) + 1) + 1);
    const [command, ...lines] = head.split(/\r?\n/);
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0 && !(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
    }
    frames.push({ command, headers, body });
  }
  return { frames, rest };
}

function frame(command, headers = {}, body = '') {
  return `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;
}

// Opens ws://…/ws offering `protocols`; resolves { ws, frames, next(command), closed } once open.
async function rawStomp(t, node, protocols) {
  const ws = new WebSocket(node.ws, protocols);
  t.after(() => ws.terminate());
  const state = { ws, frames: [], waiters: [], closeCode: null };
  let buffer = '';
  const wake = () => {
    for (const waiter of [...state.waiters]) {
      const index = state.frames.findIndex(waiter.match);
      if (index >= 0) {
        state.waiters.splice(state.waiters.indexOf(waiter), 1);
        waiter.resolve(state.frames.splice(index, 1)[0]);
      }
    }
  };
  ws.on('message', (data) => {
    buffer += data.toString('utf8');
    const parsed = parseFrames(buffer);
    buffer = parsed.rest;
    state.frames.push(...parsed.frames);
    wake();
  });
  state.closed = new Promise((resolve) => ws.on('close', (code) => { state.closeCode = code; resolve(code); }));
  // The next frame with this command (or any frame when command is omitted).
  state.next = (command, ms = 5000) => within(ms, `a ${command ?? 'STOMP'} frame`, new Promise((resolve) => {
    state.waiters.push({ match: (f) => !command || f.command === command, resolve });
    wake();
  }));
  state.send = (command, headers, body) => ws.send(frame(command, headers, body));
  await within(5000, 'the WebSocket upgrade', new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
  }));
  return state;
}

// ------------------------------------------------------------------ transactions

test('BEGIN/SEND/COMMIT delivers only at COMMIT; ABORT discards the transaction\'s SENDs', async (t) => {
  const node = await startNode(t);
  const alice = await connect(t, node.ws, bearer(await login(node, 'alice')));
  const bob = await connect(t, node.ws, bearer(await login(node, 'bob')));
  const got = [];
  await subscribe(bob.client, '/topic/channels.general', (m) => got.push(JSON.parse(m.body).text));

  const tx = alice.client.begin('tx-commit');
  const send = (text, headers = {}) => alice.client.publish({
    destination: '/app/channels.general',
    body: JSON.stringify({ text }),
    headers: { 'content-type': 'application/json', ...headers },
  });
  send('in tx 1', { transaction: tx.id });
  send('in tx 2', { transaction: tx.id });
  // A SEND with a receipt inside the transaction is handled (queued), not delivered.
  await withReceipt(alice.client, 'queued', (r) => send('in tx 3', { transaction: tx.id, receipt: r }));
  await sleep(400);
  assert.deepEqual(got, [], 'nothing may be delivered before COMMIT');

  // stompjs' commit()/abort() take no headers; frames of one session are handled in order,
  // so a RECEIPT for the next frame shows the COMMIT was handled.
  tx.commit();
  await withReceipt(alice.client, 'after-commit', (r) => alice.client.subscribe('/topic/presence', () => {}, { receipt: r }));
  await eventually(5000, 'the three committed messages', () => got.length >= 3);
  assert.deepEqual(got, ['in tx 1', 'in tx 2', 'in tx 3'], 'committed SENDs arrive in order');

  const aborted = alice.client.begin('tx-abort');
  send('aborted 1', { transaction: aborted.id });
  send('aborted 2', { transaction: aborted.id });
  aborted.abort();
  // A plain SEND after the ABORT: once it arrives, anything aborted would have arrived first.
  await withReceipt(alice.client, 'after-abort', (r) => send('after abort', { receipt: r }));
  await eventually(5000, 'the message after ABORT', () => got.includes('after abort'));
  await sleep(300);
  assert.deepEqual(got, ['in tx 1', 'in tx 2', 'in tx 3', 'after abort']);

  // COMMIT of a transaction that was aborted (so no longer open) is an ERROR.
  const errored = new Promise((resolve) => { alice.client.onStompError = resolve; });
  alice.client.commit('tx-abort');
  const error = await within(5000, 'ERROR for COMMIT of an unknown transaction', errored);
  assert.match(error.headers.message, /unknown transaction 'tx-abort'/);
  assert.deepEqual(bob.errors, []);
});

// ------------------------------------------------------------------ ACK / NACK

test('client-individual subscriptions: MESSAGE carries ack, ACK and NACK are accepted, an unknown id is accepted too', async (t) => {
  const node = await startNode(t);
  const alice = await connect(t, node.ws, bearer(await login(node, 'alice')));
  const bob = await connect(t, node.ws, bearer(await login(node, 'bob')));
  const aliceToken = await login(node, 'alice');
  const messages = [];
  const sub = await subscribe(bob.client, '/topic/channels.general', (m) => messages.push(m), { ack: 'client-individual' });
  const one = await publish(node, aliceToken, 'general', 'ack me');
  const two = await publish(node, aliceToken, 'general', 'nack me');
  await eventually(5000, 'two MESSAGEs', () => messages.length === 2);

  const [first, second] = messages;
  assert.equal(first.headers['message-id'], one.id);
  assert.equal(first.headers.ack, one.id, 'ack header = message-id on a non-auto subscription');
  assert.equal(second.headers.ack, two.id);
  assert.equal(first.headers.subscription, sub.id);

  await withReceipt(bob.client, 'ack-1', (r) => first.ack({ receipt: r }));
  await withReceipt(bob.client, 'nack-2', (r) => second.nack({ receipt: r }));
  // docs/protocol.md: "accepted; destinations are pub/sub, nothing is redelivered" — so an id
  // the node never sent is accepted as well (no ERROR, the session stays).
  await withReceipt(bob.client, 'ack-unknown', (r) => bob.client.ack('no-such-message', sub.id, { receipt: r }));
  await withReceipt(bob.client, 'nack-unknown', (r) => bob.client.nack('no-such-message-either', sub.id, { receipt: r }));
  await sleep(300);
  assert.equal(messages.length, 2, 'a NACKed message is not redelivered');
  assert.deepEqual(bob.errors, []);
  assert.deepEqual(bob.closes, []);

  // The session still works after all that.
  await publish(node, aliceToken, 'general', 'still here');
  await eventually(5000, 'the next MESSAGE', () => messages.length === 3);
  assert.deepEqual(alice.errors, []);
});

test('ACK without its id header (1.2) is an ERROR naming the header, then the close', async (t) => {
  const node = await startNode(t);
  const raw = await rawStomp(t, node, ['v12.stomp']);
  raw.send('CONNECT', { 'accept-version': '1.2', host: '127.0.0.1', Authorization: `Bearer ${await login(node, 'bob')}`, 'heart-beat': '0,0' });
  assert.equal((await raw.next('CONNECTED')).headers.version, '1.2');
  raw.send('ACK', { 'message-id': 'x', receipt: 'bad-ack' });
  const error = await raw.next('ERROR');
  assert.match(error.headers.message, /ACK needs the 'id' header/);
  assert.equal(error.headers['receipt-id'], 'bad-ack');
  await within(5000, 'the close after ERROR', raw.closed);
});

// ------------------------------------------------------------------ pipelining past a limit

// Issue 12 #5: 150 SUBSCRIBEs with receipts sent without waiting, past the limit of 100
// subscriptions, by a client busy sending (it reads nothing until it is done, and keeps
// sending heart-beats after the node has refused the 101st). It is owed 100 RECEIPTs, then
// the ERROR, then the close (1002) — not a reset (1006) that throws away what the node had
// already written. Long receipt ids make the node's answer larger than what the sockets
// hold in flight, so part of it is still in the node's kernel when the node closes (in one
// message they stay shorter: the message must stay under --limit-frame-bytes).
for (const [how, padding, sendAll] of [
  ['in one WebSocket message', 250, (raw, frames) => raw.ws.send(frames.join(''))],
  ['as 150 WebSocket messages back to back', 4000, (raw, frames) => frames.forEach((f) => raw.ws.send(f))],
]) {
  test(`150 pipelined SUBSCRIBEs ${how}: 100 RECEIPTs, then ERROR "too many subscriptions", then close 1002`, async (t) => {
    const node = await startNode(t);
    const raw = await rawStomp(t, node, ['v12.stomp']);
    raw.send('CONNECT', { 'accept-version': '1.2', host: '127.0.0.1', Authorization: `Bearer ${await login(node, 'alice')}`, 'heart-beat': '0,0' });
    await raw.next('CONNECTED');
    const receipt = (i) => `r${i}-${'x'.repeat(padding)}`;
    const frames = [];
    for (let i = 0; i < 150; i++) frames.push(frame('SUBSCRIBE', { id: `s${i}`, destination: '/topic/channels.general', receipt: receipt(i) }));
    raw.ws._socket.pause(); // busy: nothing is read from here on
    sendAll(raw, frames);
    await eventually(10000, 'the node refusing the 101st SUBSCRIBE',
      async () => metric(await metrics(node), 'sb_dropped_total{reason="too_many_subscriptions"}') >= 1);
    for (let i = 0; i < 100; i++) raw.ws.send('\n');
    raw.ws._socket.resume();
    assert.equal(await within(10000, 'the close', raw.closed), 1002);
    const receipts = raw.frames.filter((f) => f.command === 'RECEIPT').map((f) => f.headers['receipt-id']);
    assert.equal(receipts.length, 100);
    assert.deepEqual(receipts, Array.from({ length: 100 }, (_, i) => receipt(i)));
    const errors = raw.frames.filter((f) => f.command === 'ERROR');
    assert.equal(errors.length, 1);
    assert.match(errors[0].headers.message, /too many subscriptions \(limit 100/);
    assert.equal(errors[0].headers['receipt-id'], receipt(100));
    assert.equal(raw.frames.at(-1).command, 'ERROR', 'nothing after the ERROR');
  });
}

// ------------------------------------------------------------------ versions and subprotocols

test('ws offering only v11.stomp gets v11.stomp; accept-version:1.1 gets CONNECTED 1.1 and 1.1 ACK (message-id) works', async (t) => {
  const node = await startNode(t);
  const token = await login(node, 'bob');
  const raw = await rawStomp(t, node, ['v11.stomp']);
  assert.equal(raw.ws.protocol, 'v11.stomp');
  raw.send('CONNECT', { 'accept-version': '1.1', host: '127.0.0.1', Authorization: `Bearer ${token}`, 'heart-beat': '0,0' });
  const connected = await raw.next();
  assert.equal(connected.command, 'CONNECTED', JSON.stringify(connected));
  assert.equal(connected.headers.version, '1.1');
  assert.equal(connected.headers['user-name'], 'bob');

  raw.send('SUBSCRIBE', { id: 's1', destination: '/topic/channels.general', ack: 'client', receipt: 'sub' });
  assert.equal((await raw.next('RECEIPT')).headers['receipt-id'], 'sub');
  const sent = await publish(node, await login(node, 'alice'), 'general', 'for 1.1');
  const message = await raw.next('MESSAGE');
  assert.equal(message.headers['message-id'], sent.id);
  assert.equal(message.headers.subscription, 's1');
  assert.equal(JSON.parse(message.body).text, 'for 1.1');
  // STOMP 1.1 acknowledges by message-id (1.2's `id` is not required here).
  raw.send('ACK', { 'message-id': sent.id, subscription: 's1', receipt: 'ack11' });
  assert.equal((await raw.next('RECEIPT')).headers['receipt-id'], 'ack11');
  raw.send('DISCONNECT', { receipt: 'bye' });
  assert.equal((await raw.next('RECEIPT')).headers['receipt-id'], 'bye');
  await within(5000, 'the close after DISCONNECT', raw.closed);
});

test('stompjs limited to STOMP 1.1 negotiates v11.stomp and version 1.1', async (t) => {
  const node = await startNode(t);
  const { Client } = require('@stomp/stompjs');
  const client = new Client({
    brokerURL: node.ws,
    connectHeaders: bearer(await login(node, 'carol')),
    stompVersions: new Versions(['1.1']),
    heartbeatIncoming: 0,
    heartbeatOutgoing: 0,
    reconnectDelay: 0,
    debug: () => {},
  });
  t.after(() => client.deactivate({ force: true }));
  const connected = new Promise((resolve, reject) => {
    client.onConnect = resolve;
    client.onStompError = (f) => reject(new Error(`ERROR ${f.headers.message}`));
    client.onWebSocketClose = (e) => reject(new Error(`closed ${e.code}`));
  });
  client.activate();
  const frameIn = await within(5000, 'CONNECTED', connected);
  assert.equal(frameIn.headers.version, '1.1');
  assert.equal(client.webSocket.protocol, 'v11.stomp');
  assert.equal(client.connectedVersion, '1.1');
});

test('v10.stomp alone is chosen; CONNECT without accept-version is STOMP 1.0; an unsupported version gets ERROR with version: 1.0,1.1,1.2', async (t) => {
  const node = await startNode(t);
  const token = await login(node, 'alice');
  const v10 = await rawStomp(t, node, ['v10.stomp']);
  assert.equal(v10.ws.protocol, 'v10.stomp');
  v10.send('CONNECT', { Authorization: `Bearer ${token}` });
  const connected = await v10.next();
  assert.equal(connected.command, 'CONNECTED', JSON.stringify(connected));
  assert.equal(connected.headers.version, '1.0');

  const future = await rawStomp(t, node, ['v12.stomp']);
  future.send('CONNECT', { 'accept-version': '2.0,3.1', host: '127.0.0.1', Authorization: `Bearer ${token}` });
  const error = await future.next();
  assert.equal(error.command, 'ERROR');
  assert.equal(error.headers.version, '1.0,1.1,1.2');
  await within(5000, 'the close after the version ERROR', future.closed);
});

// ------------------------------------------------------------------ presence

test('/topic/presence: online at a user\'s first connection (STOMP or SSE), offline only after the last closes', async (t) => {
  const node = await startNode(t);
  const carol = await connect(t, node.ws, bearer(await login(node, 'carol')));
  const events = [];
  const frames = [];
  await subscribe(carol.client, '/topic/presence', (m) => {
    frames.push(m);
    const body = JSON.parse(m.body);
    if (body.user === 'bob') events.push(body);
  });

  const bobToken = await login(node, 'bob');
  const first = await connect(t, node.ws, bearer(bobToken));
  await eventually(5000, 'bob online', () => events.length >= 1);
  assert.deepEqual(events, [{ user: 'bob', status: 'online' }]);

  // A second connection (STOMP) and a third (SSE) announce nothing more.
  const second = await connect(t, node.ws, bearer(bobToken));
  const stream = openStream(t, node, bobToken);
  await eventually(5000, 'bob\'s SSE stream to open', () => stream.opens === 1);
  await sleep(300);
  assert.equal(events.length, 1, `only one online: ${JSON.stringify(events)}`);

  await first.client.deactivate();
  await second.client.deactivate();
  await sleep(400);
  assert.equal(events.length, 1, `the SSE stream is still open, so no offline yet: ${JSON.stringify(events)}`);

  stream.es.close();
  await eventually(5000, 'bob offline', () => events.length >= 2);
  await sleep(200);
  assert.deepEqual(events, [{ user: 'bob', status: 'online' }, { user: 'bob', status: 'offline' }]);

  // A new connection after that is a first connection again.
  await connect(t, node.ws, bearer(bobToken));
  await eventually(5000, 'bob online again', () => events.length >= 3);
  assert.deepEqual(events[2], { user: 'bob', status: 'online' });
  for (const m of frames) {
    assert.equal(m.headers.destination, '/topic/presence');
    assert.equal(m.headers['content-type'], 'application/json');
  }
  assert.deepEqual(carol.errors, []);
});

// ------------------------------------------------------------------ tokens and logins

test('POST /api/auth/refresh rotates: the new pair works, the old refresh token is refused afterwards', async (t) => {
  const node = await startNode(t);
  const first = await loginPair(node, 'alice');
  assert.equal(first.tokenType, 'Bearer');

  const rotated = await request(node.base, 'POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
  assert.equal(rotated.status, 200, rotated.body);
  const second = JSON.parse(rotated.body);
  assert.equal(second.tokenType, 'Bearer');
  assert.ok(second.expiresIn > 0);
  assert.notEqual(second.accessToken, first.accessToken);
  assert.notEqual(second.refreshToken, first.refreshToken);

  // The new access token works over HTTP and STOMP.
  const posted = await request(node.base, 'POST', '/api/channels/general/messages', { body: { text: 'refreshed' }, headers: bearer(second.accessToken) });
  assert.equal(posted.status, 201, posted.body);
  assert.equal(JSON.parse(posted.body).sender, 'alice');
  const { connected } = await connect(t, node.ws, bearer(second.accessToken));
  assert.equal(connected.headers['user-name'], 'alice');

  // The new refresh token works (once) ...
  const third = await request(node.base, 'POST', '/api/auth/refresh', { body: { refreshToken: second.refreshToken } });
  assert.equal(third.status, 200, third.body);

  // ... and the rotated-out ones are refused.
  const before = metric(await metrics(node), 'sb_auth_failures_total{reason="revoked"}');
  for (const old of [first.refreshToken, second.refreshToken]) {
    const reused = await request(node.base, 'POST', '/api/auth/refresh', { body: { refreshToken: old } });
    assert.equal(reused.status, 401, reused.body);
    assert.equal(JSON.parse(reused.body).status, 401);
  }
  assert.equal(metric(await metrics(node), 'sb_auth_failures_total{reason="revoked"}'), before + 2);

  // An access token is not a refresh token.
  const wrongType = await request(node.base, 'POST', '/api/auth/refresh', { body: { refreshToken: second.accessToken } });
  assert.equal(wrongType.status, 401, wrongType.body);
  // Nor is a refresh token an access token.
  const asAccess = await request(node.base, 'POST', '/api/sse/ticket', { headers: bearer(JSON.parse(third.body).refreshToken) });
  assert.equal(asAccess.status, 401, asAccess.body);
});

test('--limit-logins-per-user 3: the 4th attempt within a minute gets 429 with Retry-After, counted as rate_limited', async (t) => {
  const node = await startNode(t, ['--limit-logins-per-user', '3']);
  const before = metric(await metrics(node), 'sb_auth_failures_total{reason="rate_limited"}');
  const droppedBefore = metric(await metrics(node), 'sb_dropped_total{reason="login_rate_limited"}');
  const attempt = (password) => request(node.base, 'POST', '/api/auth/login', { body: { username: 'alice', password } });
  for (let i = 1; i <= 3; i += 1) {
    const res = await attempt(`wrong-${i}`);
    assert.equal(res.status, 401, `attempt ${i}: ${res.body}`);
  }
  const fourth = await attempt('wrong-4');
  assert.equal(fourth.status, 429, fourth.body);
  assert.equal(JSON.parse(fourth.body).status, 429);
  assert.match(fourth.headers['retry-after'], /^[1-9]\d*$/);
  assert.ok(Number(fourth.headers['retry-after']) <= 60, `Retry-After ${fourth.headers['retry-after']}`);
  // Even the right password is refused while the limit holds.
  const right = await attempt('alice');
  assert.equal(right.status, 429, right.body);

  const text = await metrics(node);
  assert.equal(metric(text, 'sb_auth_failures_total{reason="rate_limited"}'), before + 2, text);
  assert.equal(metric(text, 'sb_dropped_total{reason="login_rate_limited"}'), droppedBefore + 2, text);
  assert.ok(metric(text, 'sb_auth_failures_total{reason="bad_credentials"}') >= 3, text);
  // Another user from the same address is not limited by alice's attempts.
  assert.match(await login(node, 'bob'), /\S+\.\S+\.\S+/);
});

// ------------------------------------------------------------------ SSE

// Opens GET /api/sse with a raw http request; collects the text until stop() or the end.
function rawSse(t, node, path, headers = {}) {
  const state = { text: '', status: 0, headers: {}, ended: false, comments: [] };
  const opened = new Promise((resolve, reject) => {
    const req = http.get(`${node.base}${path}`, { headers, agent: false }, (res) => {
      state.status = res.statusCode;
      state.headers = res.headers;
      state.openedAt = Date.now();
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        state.text += chunk;
        const seen = (state.text.match(/^:keep-alive$/gm) ?? []).length;
        while (state.comments.length < seen) state.comments.push(Date.now());
      });
      res.on('end', () => { state.ended = true; });
      res.on('error', () => { state.ended = true; });
      resolve();
    });
    req.on('error', reject);
    state.stop = () => req.destroy();
  });
  t.after(() => state.stop?.());
  return within(5000, `the SSE response for ${path}`, opened).then(() => state);
}

function sseEvents(text) {
  const events = [];
  for (const block of text.split(/\n\n/)) {
    const event = {};
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      event[field] = event[field] === undefined ? value : `${event[field]}\n${value}`;
    }
    if (event.event || event.data) events.push(event);
  }
  return events;
}

test('SSE ?lastEventId= replays exactly like the Last-Event-ID header', async (t) => {
  const node = await startNode(t);
  const alice = await login(node, 'alice');
  const bob = await login(node, 'bob');
  const sent = [];
  for (let i = 0; i < 5; i += 1) sent.push((await publish(node, alice, 'general', `missed ${i}`)).id);
  const after = sent[1];
  const expected = sent.slice(2);

  // The header form, with the bearer token.
  const viaHeader = await rawSse(t, node, '/api/sse', { ...bearer(bob), 'Last-Event-ID': after });
  assert.equal(viaHeader.status, 200);
  // The query form, as a manual reconnect with a single-use ticket.
  const viaQuery = await rawSse(t, node, `/api/sse?ticket=${encodeURIComponent(await ticket(node, bob))}&lastEventId=${encodeURIComponent(after)}`);
  assert.equal(viaQuery.status, 200);
  assert.match(viaQuery.headers['content-type'], /^text\/event-stream/);

  const ids = (s) => sseEvents(s.text).filter((e) => e.event === 'notification').map((e) => e.id);
  await eventually(5000, 'the replayed events on both streams', () => ids(viaHeader).length >= 3 && ids(viaQuery).length >= 3);
  // Live after the replay, on both.
  const live = (await publish(node, alice, 'general', 'live')).id;
  await eventually(5000, 'the live event on both streams', () => ids(viaHeader).includes(live) && ids(viaQuery).includes(live));
  await sleep(200);
  assert.deepEqual(ids(viaHeader), [...expected, live]);
  assert.deepEqual(ids(viaQuery), [...expected, live]);
  const replayed = sseEvents(viaQuery.text).find((e) => e.id === expected[0]);
  const body = JSON.parse(replayed.data);
  assert.equal(body.text, 'missed 2');
  assert.equal(body.type, 'message');
  assert.ok(!sseEvents(viaQuery.text).some((e) => e.event === 'reset'), 'the id is in the store: no reset');

  // An unknown id in the query form gets the reset first, as the header would.
  const unknown = await rawSse(t, node, `/api/sse?lastEventId=0000000000001-000000000000`, bearer(bob));
  await eventually(5000, 'event: reset', () => sseEvents(unknown.text).some((e) => e.event === 'reset'));
  const [first] = sseEvents(unknown.text);
  assert.equal(first.event, 'reset');
  assert.equal(first.id, undefined, 'reset has no id');
  assert.equal(JSON.parse(first.data).lastEventId, '0000000000001-000000000000');
});

test('--sse-comment-seconds 1: :keep-alive comments arrive about every second on an idle stream', async (t) => {
  const node = await startNode(t, ['--sse-comment-seconds', '1']);
  const stream = await rawSse(t, node, '/api/sse', bearer(await login(node, 'bob')));
  assert.equal(stream.status, 200);
  await sleep(3300);
  const { comments } = stream;
  assert.ok(comments.length >= 2 && comments.length <= 5, `expected ~3 keep-alive comments in 3.3 s, got ${comments.length}: ${JSON.stringify(stream.text)}`);
  assert.match(stream.text, /^retry: ?3000$/m);
  // Spaced by the interval, not sent in a burst.
  for (let i = 1; i < comments.length; i += 1) {
    const gap = comments[i] - comments[i - 1];
    assert.ok(gap >= 600 && gap <= 1800, `gap ${gap} ms between comments`);
  }
  assert.ok(!stream.ended, 'the stream stays open');

  // The default is 15 s: no comment within 2 s.
  const quiet = await startNode(t);
  const idle = await rawSse(t, quiet, '/api/sse', bearer(await login(quiet, 'bob')));
  await sleep(2000);
  assert.equal(idle.status, 200);
  assert.ok(!/^:keep-alive$/m.test(idle.text), `no keep-alive within 2 s by default: ${JSON.stringify(idle.text)}`);
});
