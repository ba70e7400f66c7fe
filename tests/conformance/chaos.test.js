'use strict';
// The short chaos run of issue 12 (the full one is bench/chaos_bench.js): a three-replica
// devcluster, ~100 real clients (@stomp/stompjs re-subscribing with `since`, eventsource
// resuming with Last-Event-ID) spread over the replicas, one publisher per channel (STOMP
// RECEIPT or HTTP 201), and during the 30 s a replica killed -9 and started again, another
// drained and started again, and redis-server killed (the devcluster restarts it). Fails if
// any client missed an acknowledged message, or got one twice.

const test = require('node:test');
const assert = require('node:assert/strict');
const { runChaos } = require('./lib/chaos/chaosRun');
const { faultPlan } = require('./lib/chaos/faultPlan');
const { format } = require('./lib/chaos/report');

test('chaos: no acknowledged message is lost or duplicated while replicas and Redis fail', { timeout: 170000 }, async (t) => {
  const seconds = 30;
  const bus = 'redis';
  const result = await runChaos(t, {
    bus, channels: 10, stompClients: 60, sseClients: 40, rate: 100, seconds,
    faults: faultPlan(seconds, bus, { busSwitch: false }), settleMs: 20000, tailSeconds: 2,
    log: (line) => t.diagnostic(line),
  });
  for (const line of format(result).split('\n')) t.diagnostic(line);
  const acknowledged = Object.values(result.publishers).reduce((n, p) => n + p.acknowledged, 0);
  assert.ok(acknowledged >= seconds * 100 * 0.5, `only ${acknowledged} messages acknowledged in ${seconds} s`);
  // Acknowledged messages missing, delivered twice, out of their channel's order, or of a
  // channel the client is not on: all four must be none, for either kind of client.
  for (const [kind, k] of Object.entries(result.kinds)) {
    assert.deepEqual({ gaps: k.gaps, duplicates: k.duplicates, reordered: k.reordered, foreign: k.foreign },
      { gaps: 0, duplicates: 0, reordered: 0, foreign: 0 }, `${kind} clients; first gaps: ${result.missing.join('; ') || 'none'}`);
  }
  // Each fault starts again what it stopped: a replica still down at the end was lost to
  // something the plan did not do (the devcluster once killed a drained replica 15 s after
  // it had been started again).
  assert.deepEqual(result.replicasReady, ['node-1', 'node-2', 'node-3']);
  assert.ok(result.metrics.gaugesSettled, 'the replicas\' connection and subscription gauges never came to the clients\' counts');
  assert.ok(result.metrics.countersSettled, 'what the replicas counted as sent over the quiet tail is not what the clients received');
});
