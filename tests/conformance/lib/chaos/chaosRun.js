'use strict';
// One chaos run: a three-replica devcluster on one stage-2 bus, STOMP and SSE clients spread
// over the replicas, one publisher per channel at a steady total rate, faults injected
// through the devcluster's control endpoint on a schedule, then the comparison of what every
// client received with what was acknowledged (verdict.js). Shared by the suite's short run
// (tests/conformance/chaos.test.js) and the full one (bench/chaos_bench.js).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { login, request, sleep } = require('../harness');
const { startDevCluster } = require('../cluster');
const { writeUsersFile } = require('./usersFile');
const { startStompSubscriber } = require('./stompSubscriber');
const { startSseSubscriber } = require('./sseSubscriber');
const { stompPublisher, httpPublisher } = require('./publishers');
const { inject, effectOf } = require('./faults');
const { memoryOf, metricTotals } = require('./clusterProbe');
const { judgeClients, judgeFaults, judgePublishers } = require('./verdict');

// Limits a laptop cluster under this load would otherwise hit by design, passed to the
// replicas through the environment (every node option is also SB_<OPTION>): all clients
// come from 127.0.0.1 and each channel's SSE clients share one account.
const REPLICA_ENVIRONMENT = {
  SB_LIMIT_SSE_PER_USER: '1000',
  SB_LIMIT_LOGINS_PER_ADDRESS: '100000',
  SB_LIMIT_LOGINS_PER_USER: '100000',
};

async function until(ms, check) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(100);
  }
}

function missingDeliveries(receivers, ledgers) {
  const byChannel = new Map(ledgers.map((l) => [l.channel, l]));
  let missing = 0;
  for (const r of receivers) {
    const got = new Set(r.seqs);
    for (const seq of byChannel.get(r.channel).acked.keys()) if (!got.has(seq)) missing += 1;
  }
  return missing;
}

// options: { bus, channels, stompClients, sseClients, rate (messages/s in total), seconds,
//            faults: [{ atS, action, args, name }], settleMs, tailSeconds, log(line),
//            replicas (3 unless given), publishThroughFaults (keep publishing past `seconds` until every fault's effect
//            was seen, so a long one — a bus switch — is under traffic all the way) }
async function runChaos(t, options) {
  const log = options.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-chaos-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { file, channels } = writeUsersFile(dir, options.channels);
  Object.assign(process.env, REPLICA_ENVIRONMENT);

  const startedAt = Date.now();
  const replicas = options.replicas ? ['--replicas', String(options.replicas)] : [];
  const cluster = await startDevCluster(t, ['--bus', options.bus, '--users', file, ...replicas, ...(options.clusterLog ? ['--child-logs'] : [])], { readyMs: 90000 });
  const { nodes } = cluster;
  const control = cluster.endpoints.control;
  log(`devcluster --bus ${options.bus} ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  if (options.clusterLog) t.after(() => fs.writeFileSync(options.clusterLog, cluster.stderr()));
  const memory = { ready: memoryOf(cluster.pid) };

  const tokens = [];
  for (const [i, entry] of channels.entries()) {
    const node = nodes[i % nodes.length];
    tokens.push({
      publisher: await login(node, entry.publisher.username, entry.publisher.password),
      subscriber: await login(node, entry.subscriber.username, entry.subscriber.password),
    });
  }

  // Clients connect in batches, each placed on the next replica and channel in turn.
  const receivers = [];
  const clientCount = options.stompClients + options.sseClients;
  for (let i = 0; i < clientCount; i += 1) {
    const stomp = i < options.stompClients;
    const c = i % channels.length;
    const start = stomp ? startStompSubscriber : startSseSubscriber;
    receivers.push(start({ index: i, nodes, channel: channels[c].name, token: tokens[c].subscriber, firstReplica: i % nodes.length }));
    t.after(() => receivers[i].stop());
    if (i % 100 === 99) await until(30000, () => receivers.every((r) => r.opens.length > 0));
  }
  const subscribed = await until(60000, () => receivers.every((r) => r.opens.length > 0));
  if (!subscribed)
    throw new Error(`${receivers.filter((r) => r.opens.length === 0).length} of ${clientCount} clients never subscribed`);
  log(`${options.stompClients} STOMP and ${options.sseClients} SSE clients subscribed on ${options.channels} channels`);

  const perChannel = options.rate / channels.length;
  const publishers = channels.map((entry, c) => (c % 2 === 0 ? stompPublisher : httpPublisher)(
    { nodes, entry, token: tokens[c].publisher, firstReplica: (c + 1) % nodes.length, rate: perChannel }));
  t.after(() => publishers.forEach((p) => p.stop()));
  await sleep(500); // the STOMP publishers' CONNECT (one round trip each)

  const faults = [];
  const begin = Date.now();
  let faultsDone = false;
  const running = (async () => {
    for (const f of options.faults) {
      await sleep(Math.max(0, begin + f.atS * 1000 - Date.now()));
      const at = Date.now();
      const eventId = await inject(control, f.action, f.args);
      log(`+${((at - begin) / 1000).toFixed(1)} s fault: ${f.name}`);
      const record = { name: f.name, at };
      faults.push(record);
      record.effect = await effectOf(control, eventId, 120000);
      log(`+${((record.effect.doneAt - begin) / 1000).toFixed(1)} s ${f.name}: ${record.effect.effectState}`);
    }
  })().finally(() => { faultsDone = true; });
  while (Date.now() - begin < options.seconds * 1000 || (options.publishThroughFaults && !faultsDone)) {
    const elapsed = Date.now() - begin;
    for (const p of publishers) p.tick(elapsed);
    await sleep(20);
  }
  const publishedFor = (Date.now() - begin) / 1000;
  await running; // a fault's effect still being watched (a bus switch) is waited for
  const outstanding = await until(30000, () => publishers.every((p) => p.outstanding() === 0));
  const ledgers = publishers.map((p) => p.ledger);
  const acked = ledgers.reduce((n, l) => n + l.acked.size, 0);
  log(`published for ${publishedFor.toFixed(1)} s: ${acked} acknowledged (${(acked / publishedFor).toFixed(0)}/s)${outstanding ? '' : '; some answers never came'}`);

  const settleStart = Date.now();
  await until(options.settleMs, () => missingDeliveries(receivers, ledgers) === 0 && receivers.every((r) => r.connected));
  const settledS = (Date.now() - settleStart) / 1000;

  // /metrics must come to the clients' own counts: their open connections and subscriptions
  // now, and what the replicas say they sent over a quiet tail of publishing (no fault, no
  // reconnect) against what the clients received meanwhile.
  const own = () => ({
    stomp: receivers.filter((r) => r.kind === 'stomp' && r.connected).length + publishers.reduce((n, p) => n + p.connections(), 0),
    sse: receivers.filter((r) => r.kind === 'sse' && r.connected).length,
    subscriptions: receivers.filter((r) => r.kind === 'stomp' && r.connected).length,
  });
  let before = null;
  let mine = null;
  const gaugesSettled = await until(20000, async () => {
    before = await metricTotals(nodes);
    mine = own();
    return before.stomp === mine.stomp && before.sse === mine.sse && before.subscriptions === mine.subscriptions;
  });
  const received = (kind) => receivers.filter((r) => r.kind === kind).reduce((n, r) => n + r.seqs.length + r.resets, 0);
  const receipts = () => ledgers.filter((l) => l.kind === 'stomp').reduce((n, l) => n + l.acked.size + l.refused, 0);
  const clientsBefore = { stomp: received('stomp'), sse: received('sse'), receipts: receipts() };
  const tailBegin = Date.now();
  while (Date.now() - tailBegin < options.tailSeconds * 1000) {
    for (const p of publishers) p.tick(publishedFor * 1000 + Date.now() - tailBegin);
    await sleep(20);
  }
  await until(30000, () => publishers.every((p) => p.outstanding() === 0));
  await until(options.settleMs, () => missingDeliveries(receivers, ledgers) === 0);
  let after = null;
  const clientsAfter = () => ({ stomp: received('stomp'), sse: received('sse'), receipts: receipts() });
  const countersSettled = await until(10000, async () => {
    after = await metricTotals(nodes);
    const now = clientsAfter();
    return after.sseOut - before.sseOut === now.sse - clientsBefore.sse
      && after.stompOut - before.stompOut === now.stomp - clientsBefore.stomp + now.receipts - clientsBefore.receipts;
  });
  const tail = clientsAfter();
  const metrics = {
    gaugesSettled: Boolean(gaugesSettled),
    countersSettled: Boolean(countersSettled),
    nodes: before,
    clients: mine,
    tail: {
      seconds: options.tailSeconds,
      nodeStompFrames: after.stompOut - before.stompOut,
      clientStompFrames: tail.stomp - clientsBefore.stomp + tail.receipts - clientsBefore.receipts,
      nodeSseEvents: after.sseOut - before.sseOut,
      clientSseEvents: tail.sse - clientsBefore.sse,
      nodeDeliveries: after.deliveries - before.deliveries,
      clientDeliveries: tail.stomp - clientsBefore.stomp + tail.sse - clientsBefore.sse,
    },
  };
  memory.loaded = memoryOf(cluster.pid);
  // Every fault of the plan starts what it stopped: the cluster must be whole again.
  const ready = await Promise.all(nodes.map((n) => request(n.base, 'GET', '/healthz/ready', { timeoutMs: 3000 })
    .then((res) => res.status === 200, () => false)));
  const replicasReady = nodes.filter((_, i) => ready[i]).map((n) => n.id);

  for (const r of receivers) r.stop();
  for (const p of publishers) p.stop();
  await until(20000, async () => {
    const totals = await metricTotals(nodes);
    return totals.stomp === 0 && totals.sse === 0;
  });
  memory.after = memoryOf(cluster.pid);

  return {
    bus: options.bus,
    publishedFor,
    settledS,
    publishers: judgePublishers(ledgers),
    ...judgeClients(receivers, ledgers),
    faults: judgeFaults(faults, receivers, ledgers),
    metrics,
    memory,
    replicasReady,
  };
}

module.exports = { runChaos };
