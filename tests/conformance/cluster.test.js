'use strict';
// Three real replicas acting as one cluster (`switchboard devcluster`: embedded Kafka, a
// redis-server child, three node processes), driven by clients nobody here wrote:
// @stomp/stompjs, eventsource and redis-cli.

const test = require('node:test');
const assert = require('node:assert/strict');
const { login, publish, request, within, sleep, eventually } = require('./lib/harness');
const { connect, subscribe } = require('./lib/stomp');
const { openStream } = require('./lib/sse');
const { startDevCluster, redisCli, kcat, startRedis } = require('./lib/cluster');

function hashOf(lines) {
  const hash = {};
  for (let i = 0; i + 1 < lines.length; i += 2) hash[lines[i]] = lines[i + 1];
  return hash;
}

// A SEND on replica 1 reaches STOMP subscribers on replicas 1, 2 and 3 and an SSE stream
// on 3, exactly once each, with one message-id; stage 1 stored it once.
async function deliversExactlyOnce(st, cluster) {
  const [n1, n2, n3] = cluster.nodes;
  const redis = cluster.endpoints.redis;
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
}

test('devcluster: three replicas act as one', { timeout: 180000 }, async (t) => {
  const cluster = await startDevCluster(t);
  const [n1, n2, n3] = cluster.nodes;
  const redis = cluster.endpoints.redis;
  assert.equal(cluster.nodes.length, 3);
  assert.equal(cluster.endpoints.kafkaEmbedded, true);

  await t.test('every replica announces itself in sb:node:{id} with a TTL of about 5 s', async () => {
    for (const node of cluster.nodes) {
      // Announced every second: a replica's "ready" shows within one announcement.
      const hash = await eventually(2000, `sb:node:${node.id} ready=1`, async () => {
        const fields = hashOf(await redisCli(redis, 'HGETALL', `sb:node:${node.id}`));
        return fields.ready === '1' ? fields : null;
      });
      assert.equal(hash.address, node.url.replace('http://', ''));
      assert.equal(hash.draining, '0');
      const ttl = Number((await redisCli(redis, 'TTL', `sb:node:${node.id}`))[0]);
      assert.ok(ttl > 0 && ttl <= 5, `TTL ${ttl}`);
    }
  });

  await t.test('a SEND on replica 1 reaches STOMP subscribers on replicas 1, 2, 3 and SSE on 3, exactly once',
    (st) => deliversExactlyOnce(st, cluster));

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

  await t.test('a token works on every replica the moment the answer arrives (10 refreshes, each used at once elsewhere)', async () => {
    const first = await request(n1.base, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'carol' } });
    let { refreshToken } = JSON.parse(first.body);
    for (let i = 0; i < 10; i++) {
      const res = await request(n1.base, 'POST', '/api/auth/refresh', { body: { refreshToken } });
      assert.equal(res.status, 200, res.body);
      const issued = JSON.parse(res.body);
      refreshToken = issued.refreshToken;
      const other = i % 2 ? n2 : n3;
      const use = await request(other.base, 'POST', '/api/sse/ticket', { headers: { Authorization: `Bearer ${issued.accessToken}` } });
      assert.equal(use.status, 200, `refresh ${i + 1}, used on ${other.id}: ${use.body}`);
    }
  });

  await t.test('a poison record goes to the DLT with its origin headers, and the records after it keep flowing', async () => {
    const kafka = cluster.endpoints.kafka;
    const topic = `${cluster.endpoints.topicPrefix}.MessageCreatedEvent`;
    await kcat(kafka, ['-P', '-t', topic, '-k', 'general'], 'this is not JSON\n');
    const later = await publish(n1, await login(n1, 'alice'), 'general', 'after the poison');
    await eventually(15000, 'the record after the poison in sb:history:general',
      async () => (await redisCli(redis, 'XRANGE', 'sb:history:general', '-', '+')).includes(later.id));
    const dlt = await kcat(kafka, ['-C', '-t', `${topic}.DLT`, '-o', 'beginning', '-c', '1', '-e', '-f', '%k|%h|%s\n']);
    const [key, headers, value] = dlt.trim().split('|');
    assert.equal(key, 'general');
    assert.equal(value, 'this is not JSON');
    assert.match(headers, new RegExp(`dlt-original-topic=${topic.replace('.', '\\.')}`));
    assert.match(headers, /dlt-original-partition=\d+/);
    assert.match(headers, /dlt-original-offset=\d+/);
    assert.match(headers, /dlt-error=/);
  });

  await t.test('a RoleUpdatedEvent on Kafka revokes the user\'s tokens on every replica and ends their sessions', async (st) => {
    const token = await login(n1, 'carol');
    const auth = { Authorization: `Bearer ${token}` };
    const session = await connect(st, n2.ws, auth);
    for (const node of [n1, n2, n3])
      assert.equal((await request(node.base, 'POST', '/api/sse/ticket', { headers: auth })).status, 200);
    const topic = `${cluster.endpoints.topicPrefix}.RoleUpdatedEvent`;
    const sentAt = Date.now();
    await kcat(cluster.endpoints.kafka, ['-P', '-t', topic, '-k', 'carol'], '{"user":"carol","roles":["ROLE_USER"]}\n');
    await eventually(5000, 'the token to be refused everywhere', async () => {
      for (const node of [n1, n2, n3])
        if ((await request(node.base, 'POST', '/api/sse/ticket', { headers: auth })).status !== 401) return false;
      return true;
    });
    const revokedWithinMs = Date.now() - sentAt;
    st.diagnostic(`revoked on all three replicas ${revokedWithinMs} ms after the event was produced`);
    await eventually(5000, 'the live session to end', () => session.closes.length > 0);
    assert.ok(session.errors.some((f) => /roles changed/.test(f.headers.message)), 'an ERROR said why');
    // Within a second, measured from kcat's start (its own start-up included) to the
    // first poll that saw 401 on all three.
    assert.ok(revokedWithinMs < 1000, `revoked after ${revokedWithinMs} ms`);
    // A new login works (and carries the roles of the source of truth).
    assert.equal((await request(n3.base, 'POST', '/api/sse/ticket', { headers: { Authorization: `Bearer ${await login(n3, 'carol')}` } })).status, 200);
  });

  await t.test('a STOMP client re-subscribing with since:<id> on another replica gets what it missed, then live, once each', async (st) => {
    const alice = await login(n1, 'alice');
    const first = await connect(st, n2.ws, { Authorization: `Bearer ${await login(n2, 'carol')}` });
    const seen = [];
    await subscribe(first.client, '/topic/channels.general', (m) => seen.push(m));
    const m0 = await publish(n1, alice, 'general', 'm0');
    await eventually(10000, 'm0 on replica 2', () => seen.some((m) => m.headers['message-id'] === m0.id));
    await first.client.deactivate();

    const missed = [await publish(n1, alice, 'general', 'm1'), await publish(n1, alice, 'general', 'm2')];
    // Stage 1 persists asynchronously: wait until both are in the channel history.
    await eventually(10000, 'm1 and m2 in sb:history:general', async () => {
      const lines = await redisCli(redis, 'XRANGE', 'sb:history:general', '-', '+');
      return missed.every((m) => lines.includes(m.id));
    });
    const second = await connect(st, n3.ws, { Authorization: `Bearer ${await login(n3, 'carol')}` });
    const got = [];
    await subscribe(second.client, '/topic/channels.general', (m) => got.push(m), { since: m0.id });
    const live = await publish(n1, alice, 'general', 'm3');
    await eventually(10000, 'm1, m2 and the live m3', () => got.length >= 3);
    await sleep(1000); // time for a duplicate to show up
    assert.deepEqual(got.map((m) => m.headers['message-id']), [...missed.map((m) => m.id), live.id]);
    assert.deepEqual(got.map((m) => m.headers.recovered ?? null), ['true', 'true', null]);

    const third = await connect(st, n3.ws, { Authorization: `Bearer ${await login(n3, 'carol')}` });
    const fromUnknown = [];
    await subscribe(third.client, '/topic/channels.general', (m) => fromUnknown.push(m), { since: '0000000000000-unknown' });
    await eventually(5000, 'the reset notice', () => fromUnknown.length >= 1);
    assert.equal(fromUnknown[0].headers.recovery, 'reset');
  });

  await t.test('kill -9 of a replica: its key expires within 6 s; its SSE client resumes on another replica with no gap or duplicate', async (st) => {
    const alice = await login(n1, 'alice');
    const bob = await login(n1, 'bob');
    // Connection 1 goes to replica 3; every reconnection to replica 2.
    const stream = openStream(st, (connection) => (connection === 1 ? n3 : n2), bob);
    await eventually(5000, 'bob\'s stream on replica 3', () => stream.opens === 1);
    const before = await publish(n1, alice, 'general', 'before the crash');
    await eventually(10000, 'the first notification', () => stream.events.some((e) => e.id === before.id));

    process.kill(n3.pid, 'SIGKILL');
    const killedAt = Date.now();
    const during = [];
    for (let i = 0; i < 3; i += 1) during.push(await publish(n1, alice, 'general', `while replica 3 is down ${i}`));
    await eventually(6500, `sb:node:${n3.id} to expire`,
      async () => (await redisCli(redis, 'EXISTS', `sb:node:${n3.id}`))[0] === '0');
    assert.ok(Date.now() - killedAt <= 6500);
    for (const node of [n1, n2])
      assert.equal((await redisCli(redis, 'EXISTS', `sb:node:${node.id}`))[0], '1');

    // Replica 3 may have held the stage-1 partition: the survivors take it over after the
    // group's session timeout, so allow for that before everything has arrived.
    await eventually(60000, 'the reconnect to replica 2 and the missed events', () => stream.opens >= 2
      && during.every((m) => stream.events.some((e) => e.id === m.id)));
    const after = await publish(n1, alice, 'general', 'after the resume');
    await eventually(10000, 'the live event after the resume', () => stream.events.some((e) => e.id === after.id));
    await sleep(1000);
    assert.equal(stream.lastEventIdsSent[1], before.id, 'the reconnect sent Last-Event-ID');
    const ids = stream.events.filter((e) => e.type === 'notification').map((e) => e.id);
    assert.deepEqual(ids, [before.id, ...during.map((m) => m.id), after.id]);
  });

  await t.test('SIGTERM on a replica: STOMP gets 1001 and SSE a final retry; both resume on replica 1 and lose nothing', async (st) => {
    const alice = await login(n1, 'alice');
    const bob = await login(n1, 'bob');
    const stream = openStream(st, (connection) => (connection === 1 ? n2 : n1), bob);
    await eventually(5000, 'bob\'s stream on replica 2', () => stream.opens === 1);
    const carol = await connect(st, n2.ws, { Authorization: `Bearer ${await login(n2, 'carol')}` });
    const got = [];
    await subscribe(carol.client, '/topic/channels.general', (m) => got.push(m));
    const m0 = await publish(n1, alice, 'general', 'before the drain');
    await eventually(10000, 'the message on replica 2 (STOMP and SSE)',
      () => got.length === 1 && stream.events.some((e) => e.id === m0.id));

    process.kill(n2.pid, 'SIGTERM');
    await eventually(10000, 'close 1001 on the STOMP client', () => carol.closes.some((c) => c.code === 1001));
    assert.ok(carol.errors.some((f) => /shutting down/.test(f.headers.message)), 'an ERROR frame said why');
    const during = await publish(n1, alice, 'general', 'during the drain');

    const again = await connect(st, n1.ws, { Authorization: `Bearer ${await login(n1, 'carol')}` });
    const resumed = [];
    await subscribe(again.client, '/topic/channels.general', (m) => resumed.push(m), { since: m0.id });
    await eventually(15000, 'the STOMP resume on replica 1', () => resumed.some((m) => m.headers['message-id'] === during.id));
    await eventually(15000, 'the SSE resume on replica 1', () => stream.opens >= 2 && stream.events.some((e) => e.id === during.id));
    await sleep(1000);
    assert.deepEqual(resumed.map((m) => m.headers['message-id']), [during.id]);
    assert.deepEqual(stream.events.map((e) => e.id), [m0.id, during.id]);
    assert.equal(stream.lastEventIdsSent[1], m0.id);
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

test('devcluster --bus redis: stage 2 over Redis pub/sub delivers the same, exactly once', { timeout: 120000 }, async (t) => {
  const cluster = await startDevCluster(t, ['--bus', 'redis']);
  assert.equal(cluster.endpoints.bus, 'redis');
  await deliversExactlyOnce(t, cluster);
  // No broadcast group exists with the Redis bus: its replicas subscribe to sb:bus:broadcast.
  const subscribers = await redisCli(cluster.endpoints.redis, 'PUBSUB', 'NUMSUB', 'sb:bus:broadcast');
  assert.equal(subscribers[1], '3');

  // If the devcluster itself dies (kill -9: no chance to stop anything), the kernel kills
  // its children (PR_SET_PDEATHSIG): no orphaned replica keeps serving.
  process.kill(cluster.pid, 'SIGKILL');
  await cluster.exited;
  await eventually(5000, 'every node child to be gone', () => cluster.nodes.every((node) => {
    try { process.kill(node.pid, 0); return false; } catch { return true; }
  }));
});

test('Redis stopped and restarted under traffic: replicas report it, then deliver again without a restart', { timeout: 120000 }, async (t) => {
  const redis = await startRedis(t);
  const cluster = await startDevCluster(t, ['--redis', redis.url]);
  const [n1, n2] = cluster.nodes;
  const aliceToken = await login(n1, 'alice');
  const alice = await connect(t, n1.ws, { Authorization: `Bearer ${aliceToken}` });
  const bob = await connect(t, n2.ws, { Authorization: `Bearer ${await login(n2, 'bob')}` });
  const got = [];
  await subscribe(bob.client, '/topic/channels.general', (m) => got.push(m));
  const before = await publish(n1, aliceToken, 'general', 'before the outage');
  await eventually(10000, 'delivery before the outage', () => got.some((m) => m.headers['message-id'] === before.id));

  await redis.down();
  await eventually(10000, 'replica 1 to report not ready', async () =>
    (await request(n1.base, 'GET', '/healthz/ready')).status === 503);
  const ready = JSON.parse((await request(n1.base, 'GET', '/healthz/ready')).body);
  assert.equal(ready.dependencies, 'down');
  const refused = await request(n1.base, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'carol' } });
  assert.equal(refused.status, 503, refused.body);
  // Sessions opened before the outage keep working: a SEND on replica 1 still reaches bob
  // on replica 2 (stage 1 cannot store it, retries, dead-letters it and delivers it anyway).
  alice.client.publish({ destination: '/app/channels.general', body: JSON.stringify({ text: 'during the outage' }) });
  await eventually(15000, 'delivery during the outage', () => got.some((m) => JSON.parse(m.body).text === 'during the outage'));

  await redis.up();
  await eventually(20000, 'every replica ready again and re-registered', async () => {
    for (const node of cluster.nodes) {
      if ((await request(node.base, 'GET', '/healthz/ready')).status !== 200) return false;
      if ((await redisCli(redis.url, 'EXISTS', `sb:node:${node.id}`))[0] !== '1') return false;
    }
    return true;
  });
  const after = await publish(n1, await login(n1, 'alice'), 'general', 'after the outage');
  await eventually(15000, 'delivery after the outage, to the session that lived through it',
    () => got.some((m) => m.headers['message-id'] === after.id));
});
