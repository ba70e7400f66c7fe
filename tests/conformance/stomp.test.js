'use strict';
// @stomp/stompjs (over the ws package) against a real node: header auth, CONNECTED,
// subscribe/send/receipt, fan-out with one message-id, notifications to the other members
// only, and the ERROR frames for an unauthorised SUBSCRIBE and a bad token.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startNode, login, sleep, within, metrics, metric } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

test('CONNECT with Authorization: Bearer gets CONNECTED 1.2 with the heart-beat offer', async (t) => {
  const node = await startNode(t);
  const token = await login(node, 'alice');
  const { connected } = await connect(t, node.ws, { Authorization: `Bearer ${token}` });
  assert.equal(connected.command, 'CONNECTED');
  assert.equal(connected.headers.version, '1.2');
  assert.equal(connected.headers['heart-beat'], '10000,10000');
  assert.match(connected.headers.session, /\S+/);
  assert.match(connected.headers.server, /^switchboard\//);
  assert.equal(connected.headers['user-name'], 'alice');
});

test('the token in passcode is accepted too (clients that can only set login/passcode)', async (t) => {
  const node = await startNode(t);
  const token = await login(node, 'bob');
  const { connected } = await connect(t, node.ws, { login: 'bob', passcode: token });
  assert.equal(connected.headers['user-name'], 'bob');
});

test('SEND with receipt: RECEIPT, one MESSAGE per subscriber with the same message-id, notification to the other member only', async (t) => {
  const node = await startNode(t);
  const alice = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'alice')}` });
  const bob = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'bob')}` });

  const got = { alice: [], bob: [], aliceNotes: [], bobNotes: [] };
  const aliceTopic = deferred();
  const bobTopic = deferred();
  const bobNote = deferred();
  // Each subscribe() waits for its RECEIPT, so all four are registered before the SEND.
  await subscribe(bob.client, '/topic/channels.general', (m) => { got.bob.push(m); bobTopic.resolve(); });
  await subscribe(alice.client, '/topic/channels.general', (m) => { got.alice.push(m); aliceTopic.resolve(); });
  await subscribe(bob.client, '/user/queue/notifications', (m) => { got.bobNotes.push(m); bobNote.resolve(); });
  await subscribe(alice.client, '/user/queue/notifications', (m) => got.aliceNotes.push(m));

  const receipt = new Promise((resolve) => alice.client.watchForReceipt('send-1', resolve));
  alice.client.publish({
    destination: '/app/channels.general',
    body: JSON.stringify({ text: 'hello, general' }),
    headers: { receipt: 'send-1', 'content-type': 'application/json' },
  });
  const receiptFrame = await within(5000, 'RECEIPT send-1', receipt);
  assert.equal(receiptFrame.headers['receipt-id'], 'send-1');
  await within(5000, 'MESSAGE to alice, bob and bob\'s notification', Promise.all([aliceTopic.promise, bobTopic.promise, bobNote.promise]));
  await sleep(300); // time for a wrong notification to alice to show up

  assert.equal(got.alice.length, 1);
  assert.equal(got.bob.length, 1);
  const [a] = got.alice;
  const [b] = got.bob;
  assert.match(a.headers['message-id'], /\S+/);
  assert.equal(a.headers['message-id'], b.headers['message-id']);
  assert.equal(a.headers.destination, '/topic/channels.general');
  assert.equal(a.headers['content-type'], 'application/json');
  const body = JSON.parse(b.body);
  assert.equal(body.text, 'hello, general');
  assert.equal(body.sender, 'alice');
  assert.equal(body.channel, 'general');
  assert.equal(body.id, a.headers['message-id']);

  assert.equal(got.bobNotes.length, 1);
  assert.equal(got.bobNotes[0].headers['message-id'], a.headers['message-id']);
  assert.equal(got.aliceNotes.length, 0, 'the sender gets no notification of her own message');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('carol subscribing to /topic/channels.ops (not a member) gets ERROR with a message header, then the close', async (t) => {
  const node = await startNode(t);
  const carol = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'carol')}` });
  const before = metric(await metrics(node), 'sb_auth_failures_total{reason="forbidden"}');
  const errored = new Promise((resolve) => { carol.client.onStompError = resolve; });
  const closed = new Promise((resolve) => { carol.client.onWebSocketClose = resolve; });
  carol.client.subscribe('/topic/channels.ops', () => assert.fail('carol must receive nothing from ops'), { receipt: 'r-ops' });
  const error = await within(5000, 'ERROR frame', errored);
  assert.equal(error.command, 'ERROR');
  assert.match(error.headers.message, /not a member of channel 'ops'/);
  assert.equal(error.headers['receipt-id'], 'r-ops');
  await within(5000, 'the close after ERROR', closed);
  const after = metric(await metrics(node), 'sb_auth_failures_total{reason="forbidden"}');
  assert.equal(after, before + 1);
});

test('a bad token gets ERROR with a message header and no CONNECTED', async (t) => {
  const node = await startNode(t);
  const token = await login(node, 'alice');
  const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  await assert.rejects(connect(t, node.ws, { Authorization: `Bearer ${tampered}` }), (error) => {
    assert.ok(error.frame, `expected an ERROR frame, got: ${error.message}`);
    assert.match(error.frame.headers.message, /invalid token/);
    return true;
  });
  await assert.rejects(connect(t, node.ws, { Authorization: 'Bearer not.a.jwt' }), (error) => {
    assert.ok(error.frame, `expected an ERROR frame, got: ${error.message}`);
    assert.match(error.frame.headers.message, /invalid token/);
    return true;
  });
  await assert.rejects(connect(t, node.ws, {}), (error) => {
    assert.ok(error.frame, `expected an ERROR frame, got: ${error.message}`);
    assert.match(error.frame.headers.message, /authentication required/);
    return true;
  });
  const text = await metrics(node);
  assert.ok(metric(text, 'sb_auth_failures_total{reason="bad_signature"}') >= 1, text);
  assert.ok(metric(text, 'sb_auth_failures_total{reason="missing_token"}') >= 1, text);
});

test('SEND to a channel the sender is not in is refused; UNSUBSCRIBE stops delivery', async (t) => {
  const node = await startNode(t);
  const alice = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'alice')}` });
  const bob = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'bob')}` });
  const carol = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, 'carol')}` });

  const received = [];
  const first = deferred();
  const sub = await subscribe(bob.client, '/topic/channels.general', (m) => {
    received.push(JSON.parse(m.body).text);
    first.resolve();
  });
  const one = new Promise((resolve) => alice.client.watchForReceipt('one', resolve));
  alice.client.publish({ destination: '/app/channels.general', body: '{"text":"one"}', headers: { receipt: 'one' } });
  await within(5000, 'RECEIPT one', one);
  // A RECEIPT for SEND means "accepted", not "delivered": wait for bob's copy, since stompjs
  // drops frames for a subscription it has already removed locally.
  await within(5000, 'MESSAGE one to bob', first.promise);
  const unsubscribed = new Promise((resolve) => bob.client.watchForReceipt('unsub', resolve));
  sub.unsubscribe({ receipt: 'unsub' });
  await within(5000, 'RECEIPT unsub', unsubscribed);
  const two = new Promise((resolve) => alice.client.watchForReceipt('two', resolve));
  alice.client.publish({ destination: '/app/channels.general', body: '{"text":"two"}', headers: { receipt: 'two' } });
  await within(5000, 'RECEIPT two', two);
  await sleep(300);
  assert.deepEqual(received, ['one']);

  const errored = new Promise((resolve) => { carol.client.onStompError = resolve; });
  carol.client.publish({ destination: '/app/channels.ops', body: '{"text":"sneaky"}' });
  const error = await within(5000, 'ERROR for SEND to ops', errored);
  assert.match(error.headers.message, /not a member of channel 'ops'/);
});
