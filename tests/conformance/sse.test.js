'use strict';
// Server-Sent Events with the `eventsource` package (a WHATWG EventSource for Node): a
// ticket-authenticated stream, notification events whose id is the message-id, the
// library's own reconnect with Last-Event-ID (no gap, no duplicate at the seam, in order)
// and `event: reset` when the id is older than the replay store holds.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startNode, request, login, publish, within, sleep, eventually } = require('./lib/harness');
const { EventSource } = require('eventsource');
const { ticket, openStream } = require('./lib/sse');

test('ticket + EventSource: bob receives a notification event whose id is the message-id', async (t) => {
  const node = await startNode(t);
  const alice = await login(node, 'alice');
  const bob = await login(node, 'bob');
  const stream = openStream(t, node, bob);
  await eventually(5000, 'the stream to open', () => stream.opens === 1);
  const message = await publish(node, alice, 'general', 'hi bob');
  await eventually(5000, 'the notification', () => stream.events.length === 1);
  const [event] = stream.events;
  assert.equal(event.type, 'notification');
  assert.equal(event.id, message.id);
  const data = JSON.parse(event.data);
  assert.equal(data.sender, 'alice');
  assert.equal(data.channel, 'general');
  assert.equal(stream.es.readyState, EventSource.OPEN);
});

test('the SSE response has the documented headers and starts with retry:', async (t) => {
  const node = await startNode(t);
  const bob = await login(node, 'bob');
  const first = await new Promise((resolve, reject) => {
    const req = http.get(`${node.base}/api/sse`, { headers: { Authorization: `Bearer ${bob}` }, agent: false }, (res) => {
      res.setEncoding('utf8');
      res.once('data', (chunk) => { resolve({ res, chunk }); req.destroy(); });
    });
    req.setTimeout(5000, () => req.destroy(new Error('no SSE response in 5 s')));
    req.on('error', (e) => { if (!req.destroyed || e.message.includes('no SSE')) reject(e); });
  });
  assert.equal(first.res.statusCode, 200);
  assert.match(first.res.headers['content-type'], /^text\/event-stream/);
  assert.equal(first.res.headers['cache-control'], 'no-cache');
  assert.equal(first.res.headers['x-accel-buffering'], 'no');
  assert.match(first.chunk, /^retry: ?3000\n/);
});

test('a ticket is single-use', async (t) => {
  const node = await startNode(t);
  const bob = await login(node, 'bob');
  const once = await ticket(node, bob);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const firstUse = await fetch(`${node.base}/api/sse?ticket=${once}`, { signal: controller.signal });
  assert.equal(firstUse.status, 200);
  const secondUse = await request(node.base, 'GET', `/api/sse?ticket=${once}`);
  assert.equal(secondUse.status, 401);
  assert.match(secondUse.body, /ticket/);
});

test('a ticket opens a stream and nothing else: publish, logout and /admin/stats refuse it', async (t) => {
  const node = await startNode(t);
  const admin = await login(node, 'admin');
  for (const [method, path] of [['POST', '/api/channels/general/messages'], ['POST', '/api/auth/logout'], ['GET', '/admin/stats']]) {
    const res = await request(node.base, method, `${path}?ticket=${await ticket(node, admin)}`, method === 'POST' ? { body: { text: 'x' } } : {});
    assert.equal(res.status, 401, `${method} ${path} with a ticket: ${res.status} ${res.body}`);
  }
  // The admin's access token still works: the logout above did not revoke it.
  assert.equal((await request(node.base, 'GET', '/admin/stats', { headers: { Authorization: `Bearer ${admin}` } })).status, 200);
});

test('reconnect with Last-Event-ID: exactly the missed events, in order, none twice at the seam', async (t) => {
  // The node ends every stream after 2 s with `retry: 3000`; eventsource reconnects on its
  // own with Last-Event-ID. Events are published while connected, while disconnected and
  // while the reconnect is in flight.
  const node = await startNode(t, ['--sse-lifetime-seconds', '2']);
  const alice = await login(node, 'alice');
  const bob = await login(node, 'bob');
  const phases = { live: [], disconnected: [], reconnecting: [], after: [] };
  const send = (phase, text) => publish(node, alice, 'general', text).then((m) => { phases[phase].push(m.id); return m; });
  let reconnectStarted;
  const reconnecting = new Promise((resolve) => { reconnectStarted = resolve; });
  let burst = Promise.resolve();
  const stream = openStream(t, node, bob, {
    beforeConnect: async (n) => {
      if (n === 2) {
        // Published while the client is reconnecting, concurrently: some land before the
        // replay is read, some while it is read, some after the stream is live again.
        burst = Promise.all([0, 1, 2, 3, 4].map((i) => send('reconnecting', `reconnecting ${i}`)));
        reconnectStarted();
        await sleep(10);
      }
    },
  });
  await eventually(5000, 'the stream to open', () => stream.opens === 1);
  for (let i = 0; i < 3; i += 1) await send('live', `live ${i}`);
  await eventually(5000, 'three live events', () => stream.events.length === 3);

  // The server closes the stream at ~2 s; the client waits retry (3 s) before reconnecting.
  await eventually(5000, 'the server to end the stream', () => stream.errors > 0);
  for (let i = 0; i < 4; i += 1) await send('disconnected', `disconnected ${i}`);
  await within(8000, 'the reconnect', reconnecting);
  await eventually(5000, 'the stream to reopen', () => stream.opens === 2);
  await within(5000, 'the publishes during the reconnect', burst);
  for (let i = 0; i < 3; i += 1) await send('after', `after ${i}`);

  const total = 3 + 4 + 5 + 3;
  await eventually(8000, `${total} events`, () => stream.events.length >= total);
  await sleep(300); // a duplicate would arrive now
  assert.equal(stream.lastEventIdsSent[0], null);
  assert.equal(stream.lastEventIdsSent[1], phases.live[2], 'the library resumed from the last event it saw');
  const ids = stream.events.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(' ')}`);
  assert.equal(ids.length, total);
  assert.ok(stream.events.every((e) => e.type === 'notification'), 'no reset: the id was still in the store');
  // Sequential publishes arrive in publication order; the concurrent burst in some order,
  // but between the events missed while disconnected and those published after.
  assert.deepEqual(ids.slice(0, 7), [...phases.live, ...phases.disconnected]);
  assert.deepEqual(new Set(ids.slice(7, 12)), new Set(phases.reconnecting));
  assert.deepEqual(ids.slice(12), phases.after);
  // Message ids are time-ordered (docs/protocol.md): one replica's ids sort in creation order.
  const sequential = [...phases.live, ...phases.disconnected];
  assert.deepEqual([...sequential].sort(), sequential);
});

test('a Last-Event-ID older than the replay store holds gets event: reset first, then what is stored', async (t) => {
  const node = await startNode(t);
  const alice = await login(node, 'alice');
  const bob = await login(node, 'bob');
  // The store keeps 1000 events per user; the first of 1005 is gone by the end.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const post = (text) => new Promise((resolve, reject) => {
    const body = JSON.stringify({ text });
    const req = http.request(`${node.base}/api/channels/general/messages`, {
      method: 'POST', agent,
      headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(data)) : reject(new Error(`HTTP ${res.statusCode} ${data}`))));
    });
    req.setTimeout(5000, () => req.destroy(new Error('publish timed out')));
    req.on('error', reject);
    req.end(body);
  });
  const ids = [];
  for (let i = 0; i < 1005; i += 1) ids.push((await post(`m ${i}`)).id);
  const first = { id: ids[0] };
  const stream = openStream(t, node, bob, { initialLastEventId: first.id });
  await eventually(10000, 'reset and 1000 replayed events', () => stream.events.length >= 1001);
  await sleep(200);
  assert.equal(stream.events[0].type, 'reset');
  assert.equal(stream.events[0].id, '', 'reset carries no id, so the client keeps its Last-Event-ID');
  assert.match(JSON.parse(stream.events[0].data).reason, /older than the replay store/);
  const replayed = stream.events.slice(1);
  assert.equal(replayed.length, 1000);
  assert.ok(replayed.every((e) => e.type === 'notification'));
  assert.deepEqual(replayed.map((e) => e.id), ids.slice(5));
});

test('a Last-Event-ID that is the newest event replays nothing and stays live', async (t) => {
  const node = await startNode(t);
  const alice = await login(node, 'alice');
  const bob = await login(node, 'bob');
  const last = await publish(node, alice, 'general', 'seen already');
  const stream = openStream(t, node, bob, { initialLastEventId: last.id });
  await eventually(5000, 'the stream to open', () => stream.opens === 1);
  await sleep(300);
  assert.deepEqual(stream.events, []);
  const next = await publish(node, alice, 'general', 'new');
  await eventually(5000, 'the live event', () => stream.events.length === 1);
  assert.equal(stream.events[0].id, next.id);
});
