'use strict';
// Three real replicas acting as one cluster (`switchboard devcluster`: embedded Kafka, a
// redis-server child, three node processes), driven by clients nobody here wrote:
// @stomp/stompjs, eventsource and redis-cli.

const test = require('node:test');
const assert = require('node:assert/strict');
const { login, request, within, sleep, eventually } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');
const { openStream } = require('./lib/sse');
const { startDevCluster, redisCli } = require('./lib/cluster');

function hashOf(lines) {
  const hash = {};
  for (let i = 0; i + 1 < lines.length; i += 2) hash[lines[i]] = lines[i + 1];
  return hash;
}

test('devcluster: three replicas act as one', { timeout: 180000 }, async (t) => {
  const cluster = await startDevCluster(t);
  const [n1, n2, n3] = cluster.nodes;
  const redis = cluster.endpoints.redis;
  assert.equal(cluster.nodes.length, 3);
  assert.equal(cluster.endpoints.kafkaEmbedded, true);

  await t.test('every replica announces itself in sb:node:{id} with a TTL of about 5 s', async () => {
    for (const node of cluster.nodes) {
      const hash = hashOf(await redisCli(redis, 'HGETALL', `sb:node:${node.id}`));
      assert.equal(hash.address, node.url.replace('http://', ''));
      assert.equal(hash.ready, '1');
      assert.equal(hash.draining, '0');
      const ttl = Number((await redisCli(redis, 'TTL', `sb:node:${node.id}`))[0]);
      assert.ok(ttl > 0 && ttl <= 5, `TTL ${ttl}`);
    }
  });

  await t.test('a SEND on replica 1 reaches STOMP subscribers on replicas 1, 2, 3 and SSE on 3, exactly once', async (st) => {
    const subscribers = [];
    for (const [node, user] of [[n1, 'alice'], [n2, 'bob'], [n3, 'carol']]) {
      const session = await connect(st, node.ws, { Authorization: `Bearer ${await login(node, user)}` });
      const got = [];
      await subscribe(session.client, '/topic/channels.general', (m) => got.push(m));
      subscribers.push({ node, user, got });
    }
    const carolOn3 = await login(n3, 'carol');
    const stream = openStream(st, n3, carolOn3);
    await eventually(5000, 'carol\'s SSE stream on replica 3 to open', () => stream.opens === 1);

    const sender = await connect(st, n1.ws, { Authorization: `Bearer ${await login(n1, 'alice')}` });
    const receipt = new Promise((resolve) => sender.client.watchForReceipt('send-1', resolve));
    sender.client.publish({
      destination: '/app/channels.general',
      body: JSON.stringify({ text: 'across the cluster' }),
      headers: { receipt: 'send-1', 'content-type': 'application/json' },
    });
    await within(5000, 'RECEIPT send-1', receipt);
    await eventually(10000, 'the MESSAGE on all three replicas and the SSE notification',
      () => subscribers.every((s) => s.got.length >= 1) && stream.events.length >= 1);
    await sleep(1500); // time for a duplicate to show up
    const ids = new Set();
    for (const s of subscribers) {
      assert.equal(s.got.length, 1, `${s.user} on ${s.node.id} got ${s.got.length} MESSAGE frames`);
      assert.equal(JSON.parse(s.got[0].body).text, 'across the cluster');
      ids.add(s.got[0].headers['message-id']);
    }
    assert.equal(ids.size, 1, 'one message-id everywhere');
    const [messageId] = ids;
    assert.equal(stream.events.length, 1);
    assert.equal(stream.events[0].id, messageId, 'the SSE id is the message-id');

    // Stored once (stage 1, one replica of the shared group): one history entry, one
    // notification per other member, whichever replica persisted it.
    const history = await redisCli(redis, 'XRANGE', 'sb:history:general', '-', '+');
    assert.equal(history.filter((l) => l === messageId).length, 1, 'one channel history entry');
    const carolStream = await redisCli(redis, 'XRANGE', 'sb:sse:carol', '-', '+');
    assert.equal(carolStream.filter((l) => l === messageId).length, 1, 'one notification for carol');
    assert.equal((await redisCli(redis, 'EXISTS', `sb:persisted:${messageId}`))[0], '1');
  });

  await t.test('the sessions are in Redis: sb:session:{id} with user, node and transport', async (st) => {
    const session = await connect(st, n2.ws, { Authorization: `Bearer ${await login(n2, 'bob')}` });
    const id = session.connected.headers.session;
    const hash = hashOf(await redisCli(redis, 'HGETALL', `sb:session:${id}`));
    assert.equal(hash.user, 'bob');
    assert.equal(hash.node, n2.id);
    assert.equal(hash.transport, 'stomp');
    await session.client.deactivate();
    await eventually(5000, 'the session key to go on close',
      async () => (await redisCli(redis, 'EXISTS', `sb:session:${id}`))[0] === '0');
  });

  await t.test('a token issued by replica 1 works on replica 2; logout on replica 3 revokes it on 1 and 2', async () => {
    const res = await request(n1.base, 'POST', '/api/auth/login', { body: { username: 'bob', password: 'bob' } });
    const { accessToken } = JSON.parse(res.body);
    const auth = { Authorization: `Bearer ${accessToken}` };
    assert.equal((await request(n2.base, 'POST', '/api/sse/ticket', { headers: auth })).status, 200);
    assert.equal((await request(n3.base, 'POST', '/api/auth/logout', { headers: auth })).status, 204);
    for (const node of [n1, n2]) {
      const after = await request(node.base, 'POST', '/api/sse/ticket', { headers: auth });
      assert.equal(after.status, 401, `${node.id} after logout: ${after.body}`);
    }
  });

  await t.test('kill -9 of a replica: its sb:node key is gone within 6 s, the others stay', async () => {
    process.kill(n3.pid, 'SIGKILL');
    const killedAt = Date.now();
    await eventually(6500, `sb:node:${n3.id} to expire`,
      async () => (await redisCli(redis, 'EXISTS', `sb:node:${n3.id}`))[0] === '0');
    assert.ok(Date.now() - killedAt <= 6500);
    for (const node of [n1, n2])
      assert.equal((await redisCli(redis, 'EXISTS', `sb:node:${node.id}`))[0], '1');
  });

  await t.test('SIGTERM stops the devcluster and every child by pid', async () => {
    await cluster.stop();
    const { code } = await cluster.exited;
    assert.equal(code, 0);
    for (const node of [n1, n2]) {
      assert.throws(() => process.kill(node.pid, 0), /ESRCH/, `${node.id} (pid ${node.pid}) still runs`);
    }
  });
});
