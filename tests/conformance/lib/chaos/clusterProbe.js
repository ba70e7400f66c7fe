'use strict';
// What the run reads from the cluster itself: each replica's process and resident memory
// (the devcluster's children, found in /proc, since a restarted replica has a new pid), and
// the replicas' /metrics summed, to compare with the clients' own counts.

const fs = require('node:fs');
const { request, metric } = require('../harness');

// replica id -> pid, for the devcluster's `switchboard node --id …` children alive now.
function replicaPids(devclusterPid) {
  const pids = new Map();
  let tasks = [];
  try { tasks = fs.readdirSync(`/proc/${devclusterPid}/task`); } catch { return pids; }
  for (const task of tasks) {
    let children = '';
    try { children = fs.readFileSync(`/proc/${devclusterPid}/task/${task}/children`, 'utf8'); } catch { continue; }
    for (const pid of children.split(' ').filter(Boolean)) {
      let args = [];
      try { args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { continue; }
      const at = args.indexOf('--id');
      if (args[1] === 'node' && at > 0) pids.set(args[at + 1], Number(pid));
    }
  }
  return pids;
}

// Resident set in MiB of a pid (VmRSS), or null if it is gone.
function residentMiB(pid) {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10;
  } catch { return null; }
}

// CPU seconds (user + system) a pid has used so far, or null if it is gone.
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks (100 on Linux)
  } catch { return null; }
}

// Per replica (and the devcluster itself, which runs the mock Kafka): pid, resident MiB, CPU s.
function memoryOf(devclusterPid) {
  const out = {};
  for (const [id, pid] of [...replicaPids(devclusterPid)].sort()) out[id] = { pid, rssMiB: residentMiB(pid), cpuS: cpuSeconds(pid) };
  out.devcluster = { pid: devclusterPid, rssMiB: residentMiB(devclusterPid), cpuS: cpuSeconds(devclusterPid) };
  return out;
}

// Summed over the replicas that answer: open STOMP and SSE connections and subscriptions,
// and the counters of what they sent (STOMP frames, SSE events, timed live deliveries).
async function metricTotals(nodes) {
  const totals = { stomp: 0, sse: 0, subscriptions: 0, stompOut: 0, sseOut: 0, deliveries: 0, answered: 0 };
  for (const node of nodes) {
    let text;
    try {
      const res = await request(node.base, 'GET', '/metrics', { timeoutMs: 3000 });
      if (res.status !== 200) continue;
      text = res.body;
    } catch { continue; }
    totals.answered += 1;
    totals.stomp += metric(text, 'sb_connections{transport="stomp"}');
    totals.sse += metric(text, 'sb_connections{transport="sse"}');
    totals.subscriptions += metric(text, 'sb_subscriptions');
    totals.stompOut += metric(text, 'sb_messages_total{transport="stomp",direction="out"}');
    totals.sseOut += metric(text, 'sb_messages_total{transport="sse",direction="out"}');
    totals.deliveries += metric(text, 'sb_delivery_latency_seconds_count');
  }
  return totals;
}

module.exports = { memoryOf, metricTotals };
