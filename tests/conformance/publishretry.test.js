'use strict';
// What a publisher that retries gets (docs/reliability.md, "A publish retried"). The node
// promises no de-duplication of publishes: it makes a new message-id for every publish and
// reads no id or idempotency key from the client, so a publish sent again after its answer
// was lost is a second message, delivered once under its own id. What it does promise is
// that stage 2's at-least-once redelivery never reaches a client twice: each replica drops a
// broadcast whose message-id it delivered already (RecentIds, `duplicate_broadcast`).

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { login, publish, eventually, metric, metrics } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');
const { openStream } = require('./lib/sse');
const { startDevCluster, kcat } = require('./lib/cluster');

// A relay in front of a replica that passes requests on and loses every answer, as a
// network that drops the response does: the replica handles the request whole (its
// connection stays open until it has answered), and the client sees the connection end
// with no answer. (A client that itself hangs up right after its request is not the same:
// the replica then drops the publish while it still checks the token, and nothing is sent.)
async function answerLosingRelay(t, node) {
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(new URL(node.base).port), '127.0.0.1');
    client.pipe(upstream);
    upstream.once('data', () => { upstream.destroy(); client.destroy(); });
    for (const s of [client, upstream]) s.on('error', () => { client.destroy(); upstream.destroy(); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return { base: `http://127.0.0.1:${server.address().port}` };
}

test('devcluster: a retried publish and a repeated broadcast', { timeout: 150000 }, async (t) => {
  const cluster = await startDevCluster(t);
  const [n1, n2, n3] = cluster.nodes;
  const alice = await login(n1, 'alice');
  // A STOMP subscriber on every replica and bob's SSE stream on replica 3.
  const subscribers = [];
  for (const [node, user] of [[n1, 'carol'], [n2, 'bob'], [n3, 'carol']]) {
    const session = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, user)}` });
    const got = [];
    await subscribe(session.client, '/topic/channels.general', (m) => got.push(m));
    subscribers.push({ node, got });
  }
  const stream = openStream(t, n3, await login(n3, 'bob'));
  await eventually(5000, 'bob\'s SSE stream', () => stream.opens === 1);
  const copies = (text) => subscribers.map((s) => s.got.filter((m) => JSON.parse(m.body).text === text));
  const sseCopies = (text) => stream.events.filter((e) => JSON.parse(e.data).text === text);
  // A channel's messages arrive in stage-1 order: once a message published after `text`
  // has reached every client, every copy of `text` the cluster was going to send has too.
  const settle = async (marker) => {
    const m = await publish(n1, alice, 'general', marker);
    await eventually(15000, `'${marker}' everywhere`, () => subscribers.every((s) => s.got.some((x) => x.headers['message-id'] === m.id))
      && stream.events.some((e) => e.id === m.id));
  };
  const twiceUnderTwoIds = (text) => {
    for (const [i, got] of copies(text).entries()) {
      assert.equal(got.length, 2, `subscriber ${i + 1}: ${got.length} copies of '${text}'`);
      assert.notEqual(got[0].headers['message-id'], got[1].headers['message-id']);
    }
    const events = sseCopies(text);
    assert.equal(events.length, 2, `SSE: ${events.length} copies of '${text}'`);
    assert.notEqual(events[0].id, events[1].id);
  };

  await t.test('an HTTP publish sent again after its 201 was lost is a second message, each delivered once', async () => {
    const lossy = await answerLosingRelay(t, n1);
    await assert.rejects(publish(lossy, alice, 'general', 'http retry'), /socket hang up|ECONNRESET/);
    await eventually(15000, 'the first copy everywhere', () => copies('http retry').every((c) => c.length === 1)
      && sseCopies('http retry').length === 1);
    const again = await publish(n2, alice, 'general', 'http retry');
    await settle('after the http retry');
    twiceUnderTwoIds('http retry');
    assert.ok(copies('http retry')[0].some((m) => m.headers['message-id'] === again.id));
  });

  await t.test('a STOMP SEND sent again after its RECEIPT was lost (connection cut) is a second message, each delivered once', async (st) => {
    const first = await connect(st, n1.ws, { Authorization: `Bearer ${alice}` });
    // The same receipt and a message-id of the client's own both times: the node reads neither as an identity.
    const frame = { destination: '/app/channels.general', body: JSON.stringify({ text: 'stomp retry' }),
      headers: { receipt: 'send-once', 'message-id': 'client-chosen-1', 'content-type': 'application/json' } };
    first.client.publish(frame);
    first.client.forceDisconnect(); // the SEND is on the wire; its RECEIPT will find nobody
    await eventually(15000, 'the first copy everywhere', () => copies('stomp retry').every((c) => c.length === 1));
    const second = await connect(st, n2.ws, { Authorization: `Bearer ${alice}` });
    const receipt = new Promise((resolve) => second.client.watchForReceipt('send-once', resolve));
    second.client.publish(frame);
    await receipt;
    await settle('after the stomp retry');
    twiceUnderTwoIds('stomp retry');
    for (const got of copies('stomp retry'))
      assert.ok(got.every((m) => m.headers['message-id'] !== 'client-chosen-1'));
  });

  await t.test('a broadcast record delivered twice by Kafka (same message-id) reaches each client once', async () => {
    const m = await publish(n1, alice, 'general', 'broadcast twice');
    await eventually(15000, 'the message everywhere', () => copies('broadcast twice').every((c) => c.length === 1));
    const dropsBefore = await Promise.all(cluster.nodes.map(async (n) => metric(await metrics(n), 'sb_dropped_total{reason="duplicate_broadcast"}')));
    // Stage 2's at-least-once: the same record again on the broadcast topic, as a redone batch sends it.
    const topic = `${cluster.endpoints.topicPrefix}.SseBroadcast`;
    const records = await kcat(cluster.endpoints.kafka, ['-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%k\t%s\n']);
    const line = records.split('\n').find((l) => l.includes(m.id));
    assert.ok(line, `the broadcast of ${m.id} in ${topic}`);
    const [key, value] = line.split('\t');
    await kcat(cluster.endpoints.kafka, ['-P', '-t', topic, '-k', key, '-H', `message-id=${m.id}`], `${value}\n`);
    await eventually(15000, 'every replica to drop the repeat', async () => {
      const drops = await Promise.all(cluster.nodes.map(async (n) => metric(await metrics(n), 'sb_dropped_total{reason="duplicate_broadcast"}')));
      return drops.every((d, i) => d === dropsBefore[i] + 1);
    });
    await settle('after the repeated broadcast');
    for (const [i, got] of copies('broadcast twice').entries())
      assert.equal(got.length, 1, `subscriber ${i + 1}: ${got.length} copies of a repeated broadcast`);
    assert.equal(sseCopies('broadcast twice').length, 1);
  });
});
