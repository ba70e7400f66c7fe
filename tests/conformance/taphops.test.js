'use strict';
// The tap follows one message through a cluster of three replicas (`switchboard devcluster`:
// embedded Kafka, a redis-server child): an /admin/tap reader on every replica sees the
// publish, the stage-1 hop on exactly one replica, the stage-2 broadcast on all three, and
// the MESSAGE and SSE deliveries, all with the same messageId (docs/protocol.md, "Tap
// frames"). Once with the Kafka broadcast topic, once with Redis pub/sub as stage 2.

const test = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { login, publish, request, sleep, eventually } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');
const { openStream } = require('./lib/sse');
const { startDevCluster } = require('./lib/cluster');

// An /admin/tap reader that keeps every frame; resolves once the replica counts it, so no
// frame published afterwards can miss it.
async function openTap(t, node) {
  const admin = await login(node, 'admin');
  const tap = { node, frames: [], notices: [] };
  const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/admin/tap`, { headers: { Authorization: `Bearer ${admin}` } });
  t.after(() => ws.terminate());
  ws.on('message', (data) => {
    // One frame, or a batch of frames one per line (docs/protocol.md, "Tap frames").
    for (const line of data.toString().split('\n')) {
      const frame = JSON.parse(line);
      if (frame.type === 'dropped') tap.notices.push(frame);
      else tap.frames.push(frame);
    }
  });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  await eventually(5000, `the tap reader on ${node.id}`, async () => {
    const stats = await request(node.base, 'GET', '/admin/stats', { headers: { Authorization: `Bearer ${admin}` } });
    return JSON.parse(stats.body).tapReaders >= 1;
  });
  tap.find = (match) => tap.frames.filter(match);
  return tap;
}

async function tracesOneMessage(t, cluster) {
  const { topicPrefix, bus } = cluster.endpoints;
  const [n1, n2, n3] = cluster.nodes;
  const subscribers = [];
  for (const [node, user] of [[n1, 'alice'], [n2, 'bob'], [n3, 'carol']]) {
    const session = await connect(t, node.ws, { Authorization: `Bearer ${await login(node, user)}` });
    const got = [];
    await subscribe(session.client, '/topic/channels.general', (m) => got.push(m));
    subscribers.push({ node, user, got, session: session.connected.headers.session });
  }
  const stream = openStream(t, n3, await login(n3, 'bob'));
  await eventually(5000, 'bob\'s SSE stream on replica 3 to open', () => stream.opens === 1);

  // The readers attach after the sessions: each replica tells its reader who is there.
  const taps = [];
  for (const node of cluster.nodes) taps.push(await openTap(t, node));
  for (const [i, s] of subscribers.entries()) {
    const state = await eventually(5000, `STATE of ${s.user}'s session on ${s.node.id}`,
      () => taps[i].find((f) => f.command === 'STATE' && f.session === s.session)[0]);
    assert.equal(state.dir, '');
    assert.equal(state.user, s.user);
    assert.deepEqual(JSON.parse(state.body).subscriptions.map((x) => x.destination), ['/topic/channels.general']);
  }

  const message = await publish(n1, await login(n1, 'alice'), 'general', 'traced through the cluster');
  const id = message.id;
  const withId = (command) => (f) => f.command === command && f.messageId === id;
  await eventually(15000, 'the MESSAGE on all three replicas, the SSE event and every tap frame', () =>
    subscribers.every((s) => s.got.some((m) => m.headers['message-id'] === id))
    && stream.events.some((e) => e.id === id)
    && taps.every((tap) => tap.find(withId('BROADCAST')).length >= 1)
    && taps.some((tap) => tap.find(withId('STAGE1')).length >= 1));
  await sleep(1000); // time for a second STAGE1 or BROADCAST to show up

  // Stage 1: one record of the shared group, on exactly one replica.
  const stage1 = taps.flatMap((tap) => tap.find(withId('STAGE1')).map((f) => ({ ...f, tapped: tap.node.id })));
  assert.equal(stage1.length, 1, `STAGE1 on ${stage1.map((f) => f.tapped).join(', ')}`);
  const [hop1] = stage1;
  assert.equal(hop1.node, hop1.tapped);
  assert.equal(hop1.transport, 'kafka');
  assert.equal(hop1.dir, 'in');
  assert.equal(hop1.destination, `${topicPrefix}.MessageCreatedEvent`);
  assert.match(hop1.headers.partition, /^\d+$/);
  assert.match(hop1.headers.offset, /^\d+$/);
  assert.equal(hop1.headers.key, 'general');
  assert.equal(hop1.headers.channel, 'general');

  // Stage 2: every replica received the broadcast once.
  for (const tap of taps) {
    const broadcasts = tap.find(withId('BROADCAST'));
    assert.equal(broadcasts.length, 1, `BROADCAST frames on ${tap.node.id}`);
    const [hop2] = broadcasts;
    assert.equal(hop2.node, tap.node.id);
    assert.equal(hop2.transport, bus);
    assert.equal(hop2.dir, 'in');
    assert.equal(hop2.headers.channel, 'general');
    if (bus === 'kafka') {
      assert.equal(hop2.destination, `${topicPrefix}.SseBroadcast`);
      assert.match(hop2.headers.partition, /^\d+$/);
      assert.match(hop2.headers.offset, /^\d+$/);
    } else {
      assert.equal(hop2.destination, 'sb:bus:broadcast');
      assert.equal(hop2.headers.partition, undefined);
    }
  }

  // The ends of the trace: the publish on replica 1, each replica's MESSAGE to its
  // subscriber, the SSE notification on replica 3; every one after its BROADCAST.
  const post = taps[0].find((f) => f.transport === 'http' && f.command === 'POST' && f.messageId === id);
  assert.equal(post.length, 1);
  for (const [i, s] of subscribers.entries()) {
    const delivered = taps[i].find((f) => withId('MESSAGE')(f) && f.dir === 'out' && f.session === s.session);
    assert.equal(delivered.length, 1, `MESSAGE to ${s.user} on ${s.node.id}`);
    assert.equal(delivered[0].transport, 'stomp');
    const frames = taps[i].frames;
    assert.ok(frames.indexOf(taps[i].find(withId('BROADCAST'))[0]) < frames.indexOf(delivered[0]), 'BROADCAST before MESSAGE');
  }
  const sse = taps[2].find((f) => f.transport === 'sse' && f.dir === 'out' && f.messageId === id);
  assert.equal(sse.length, 1);
  assert.equal(sse[0].user, 'bob');
  for (const tap of taps) assert.deepEqual(tap.notices, [], `${tap.node.id} dropped tap frames`);
}

test('tap hops with the Kafka broadcast topic: STAGE1 on one replica, BROADCAST on all three', { timeout: 90000 }, async (t) => {
  const cluster = await startDevCluster(t);
  assert.equal(cluster.endpoints.bus, 'kafka');
  await tracesOneMessage(t, cluster);
});

test('tap hops with Redis pub/sub as stage 2: STAGE1 on one replica, BROADCAST on all three', { timeout: 90000 }, async (t) => {
  const cluster = await startDevCluster(t, ['--bus', 'redis']);
  assert.equal(cluster.endpoints.bus, 'redis');
  await tracesOneMessage(t, cluster);
});
