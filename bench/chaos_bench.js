#!/usr/bin/env node
'use strict';
// The load-and-chaos run of issue 12 (docs/reliability.md, "The chaos run"): a three-replica
// devcluster per stage-2 bus, STOMP clients (reconnecting with `since`) and SSE clients
// (Last-Event-ID) spread over the replicas, one publisher per channel, faults on a schedule,
// then every client's received sequence compared with what was acknowledged. Real clients
// nobody here wrote (@stomp/stompjs, eventsource: tests/conformance, `run.sh install`).
//
//   SB_BINARY=build/dev/app/switchboard node bench/chaos_bench.js [--bus kafka|redis|both]
//       [--stomp 600] [--sse 400] [--channels 100] [--rate 500] [--seconds 120] [--no-bus-switch]
//       [--log FILE]   (the devcluster's own log, to FILE.<bus>)
// Exits 1 if any acknowledged message was missed or delivered twice.

const { runChaos } = require('../tests/conformance/lib/chaos/chaosRun');
const { faultPlan } = require('../tests/conformance/lib/chaos/faultPlan');
const { format } = require('../tests/conformance/lib/chaos/report');

function parse(argv) {
  const o = { bus: 'both', stomp: 600, sse: 400, channels: 100, rate: 500, seconds: 120, busSwitch: true, settle: 60, log: '' };
  for (let i = 0; i < argv.length; i += 1) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'no-bus-switch') { o.busSwitch = false; continue; }
    if (!(key in o) || i + 1 >= argv.length) throw new Error(`unknown option ${argv[i]}`);
    o[key] = key === 'bus' || key === 'log' ? argv[++i] : Number(argv[++i]);
  }
  return o;
}

async function runOne(bus, o) {
  const cleanups = [];
  const t = { after: (fn) => cleanups.push(fn) };
  const log = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  try {
    return await runChaos(t, {
      bus, channels: o.channels, stompClients: o.stomp, sseClients: o.sse, rate: o.rate, seconds: o.seconds,
      faults: faultPlan(o.seconds, bus, { busSwitch: o.busSwitch }), settleMs: o.settle * 1000, tailSeconds: 5, log,
      clusterLog: o.log ? `${o.log}.${bus}` : undefined,
    });
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}

(async () => {
  const o = parse(process.argv.slice(2));
  const buses = o.bus === 'both' ? ['kafka', 'redis'] : [o.bus];
  let clean = true;
  for (const bus of buses) {
    const result = await runOne(bus, o);
    process.stdout.write(`${format(result)}\n\n`);
    for (const k of Object.values(result.kinds)) if (k.gaps || k.duplicates) clean = false;
  }
  process.exit(clean ? 0 : 1);
})().catch((error) => { process.stderr.write(`chaos_bench: ${error.stack}\n`); process.exit(2); });
