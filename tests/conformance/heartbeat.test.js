'use strict';
// STOMP heart-beats (STOMP 1.2 §Heart-beating): negotiation with @stomp/stompjs, the
// server's EOLs when idle, and the close of a peer that promised heart-beats and went
// silent (3 negotiated intervals), counted in sb_heartbeat_timeouts_total.
//
// Header semantics, per spec: CONNECT heart-beat "cx,cy" — cx is how often the CLIENT can
// send (0: never), cy how often it wants to RECEIVE. So "500,0" is a client that promises
// to send and must be timed out when it stops; "0,500" promises nothing and must be left
// alone while the server beats to it.

const test = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { startNode, login, sleep, within, metrics, metric } = require('./lib/harness');
const { connect } = require('./lib/stomp');

// A raw client (no STOMP library): CONNECT with the given heart-beat, then silence.
function rawConnect(t, node, token, heartBeat) {
  const ws = new WebSocket(node.ws, ['v12.stomp']);
  t.after(() => ws.terminate());
  const messages = [];
  const state = { ws, messages, connectedAt: 0, closedAt: 0, closeCode: 0 };
  state.closed = new Promise((resolve) => ws.on('close', (code) => {
    state.closedAt = Date.now();
    state.closeCode = code;
    resolve(code);
  }));
  state.connected = new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => {
      ws.send(`CONNECT\naccept-version:1.2\nhost:127.0.0.1\nAuthorization:Bearer ${token}\nheart-beat:${heartBeat}\n\n\0`);
    });
    ws.on('message', (data) => {
      const text = data.toString();
      messages.push({ at: Date.now(), text });
      if (text.startsWith('CONNECTED')) {
        state.connectedAt = Date.now();
        resolve(text);
      } else if (text.startsWith('ERROR')) {
        reject(new Error(text));
      }
    });
  });
  return state;
}

test('stompjs 1000,1000 against --heartbeat-ms 1000: negotiated, and an idle connection stays up', async (t) => {
  const node = await startNode(t, ['--heartbeat-ms', '1000']);
  const { client, connected, closes, errors } = await connect(
    t, node.ws, { Authorization: `Bearer ${await login(node, 'alice')}` },
    { heartbeatIncoming: 1000, heartbeatOutgoing: 1000 });
  assert.equal(connected.headers['heart-beat'], '1000,1000');
  // stompjs closes when the server is silent for 2 intervals; the server closes when the
  // client is silent for 3. Idle for 3.5 intervals, both sides must have kept beating.
  await sleep(3500);
  assert.equal(client.connected, true, 'the connection survived 3.5 idle intervals');
  assert.deepEqual(closes, []);
  assert.deepEqual(errors, []);
  assert.equal(metric(await metrics(node), 'sb_heartbeat_timeouts_total'), 0);
});

test('a client that offers 500,0 and goes silent is closed after ~3 intervals and counted', async (t) => {
  const node = await startNode(t, ['--heartbeat-ms', '1000']);
  const token = await login(node, 'alice');
  const before = metric(await metrics(node), 'sb_heartbeat_timeouts_total');
  const raw = rawConnect(t, node, token, '500,0');
  const connectedFrame = await within(5000, 'CONNECTED', raw.connected);
  assert.match(connectedFrame, /\nheart-beat:1000,1000\n/);
  // Incoming interval = max(client 500, server 1000) = 1000 ms; closed after 3 of them.
  await within(8000, 'the server to close the silent connection', raw.closed);
  const elapsed = raw.closedAt - raw.connectedAt;
  assert.ok(elapsed >= 2800 && elapsed <= 5000, `closed after ${elapsed} ms, expected about 3000`);
  assert.equal(metric(await metrics(node), 'sb_heartbeat_timeouts_total'), before + 1);
});

test('a client that offers 0,500 is not timed out and receives EOL heart-beats when idle', async (t) => {
  const node = await startNode(t, ['--heartbeat-ms', '1000']);
  const token = await login(node, 'bob');
  const raw = rawConnect(t, node, token, '0,500');
  await within(5000, 'CONNECTED', raw.connected);
  await sleep(3600);
  assert.equal(raw.closedAt, 0, 'the server must not expect heart-beats the client never promised');
  // Outgoing interval = max(server 1000, client 500) = 1000 ms: about 3 EOLs in 3.6 s.
  const beats = raw.messages.filter((m) => m.text === '\n' || m.text === '\r\n');
  assert.ok(beats.length >= 2 && beats.length <= 5, `got ${beats.length} heart-beats in 3.6 s`);
  // Never silent for longer than the negotiated interval (plus scheduling slack).
  const times = [raw.connectedAt, ...beats.map((b) => b.at)];
  const gaps = times.slice(1).map((at, i) => at - times[i]);
  assert.ok(Math.max(...gaps) <= 1250, `silent gaps ${gaps.join(', ')} ms against a 1000 ms interval`);
  assert.equal(metric(await metrics(node), 'sb_heartbeat_timeouts_total'), 0);
});

test('heart-beat 0,0 disables both directions', async (t) => {
  const node = await startNode(t, ['--heartbeat-ms', '500']);
  const token = await login(node, 'bob');
  const raw = rawConnect(t, node, token, '0,0');
  await within(5000, 'CONNECTED', raw.connected);
  await sleep(2000);
  assert.equal(raw.closedAt, 0);
  assert.equal(raw.messages.filter((m) => m.text.trim() === '').length, 0, 'no heart-beats were asked for');
});
