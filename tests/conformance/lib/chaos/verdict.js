'use strict';
// Compares what every client received with what was acknowledged to the publishers (a 201
// or a RECEIPT) on its channel. Per client kind: expected (acknowledged messages × clients of
// their channel), received (every copy, before any de-duplication), gaps (acknowledged and
// never received), duplicates (a copy beyond the first; of acknowledged messages, and of any),
// reordered (an acknowledged message arriving after one published later on its channel),
// extras (delivered though its publisher never heard back: allowed, not expected), resets
// (the node said a resume point was gone). And per fault, from the moment it was injected:
// reconnected (the last client it cut off subscribed again), recovered (the messages
// acknowledged in the first second after it had reached every client), worst delay (the
// longest a message acknowledged between the fault and 1 s after its effect took to reach a
// client, from its acknowledgement) and the gaps among those messages.

function firstArrivals(receiver) {
  const first = new Map();
  for (let i = 0; i < receiver.seqs.length; i += 1)
    if (!first.has(receiver.seqs[i])) first.set(receiver.seqs[i], receiver.times[i]);
  return first;
}

function judgeClients(receivers, ledgers) {
  const byChannel = new Map(ledgers.map((l) => [l.channel, l]));
  const kinds = {};
  const missing = []; // a few examples, for the failure message
  const repeated = []; // likewise for second copies: when each came, and on which replica
  const replicaAt = (r, at) => r.opens.filter((o) => o.at <= at).pop()?.replica ?? 'nothing';
  for (const r of receivers) {
    const k = (kinds[r.kind] ??= { clients: 0, expected: 0, received: 0, gaps: 0, duplicates: 0, duplicatesAny: 0, reordered: 0, extras: 0, resets: 0, foreign: 0, reconnects: 0 });
    const ledger = byChannel.get(r.channel);
    k.clients += 1;
    k.expected += ledger.acked.size;
    k.received += r.seqs.length;
    k.resets += r.resets;
    k.foreign += r.foreign;
    k.reconnects += Math.max(0, r.opens.length - 1);
    const seen = new Set();
    let highest = 0;
    for (const [i, seq] of r.seqs.entries()) {
      const acked = ledger.acked.has(seq);
      if (seen.has(seq)) {
        k.duplicatesAny += 1;
        if (acked) k.duplicates += 1;
        const first = r.times[r.seqs.indexOf(seq)];
        if (repeated.length < 10) repeated.push(`${r.kind} client ${r.index} (${r.channel}) got seq ${seq} at ${first} on ${replicaAt(r, first)}, again at ${r.times[i]} on ${replicaAt(r, r.times[i])} (opens: ${r.opens.map((o) => `${o.at} ${o.replica}`).join(', ')})`);
        continue;
      }
      seen.add(seq);
      if (!acked) { k.extras += 1; continue; }
      if (seq < highest) k.reordered += 1;
      highest = Math.max(highest, seq);
    }
    for (const seq of ledger.acked.keys()) {
      if (seen.has(seq)) continue;
      k.gaps += 1;
      if (missing.length < 10) missing.push(`${r.kind} client ${r.index} (${r.channel}, now on ${r.replica ?? 'nothing'}) missed seq ${seq}`);
    }
  }
  return { kinds, missing, repeated };
}

// faults: [{ name, at, effect: { effectState, doneAt } }]
function judgeFaults(faults, receivers, ledgers) {
  const arrivals = new Map(receivers.map((r) => [r, firstArrivals(r)]));
  const byChannel = new Map(ledgers.map((l) => [l.channel, l]));
  return faults.map((f) => {
    const effectDone = f.effect?.doneAt ?? f.at;
    let reconnected = 0;
    let recovered = 0;
    let worstDelay = 0;
    let gaps = 0; // acknowledged within the fault's window (from the fault to 1 s after its effect) and never received
    for (const r of receivers) {
      const down = r.downs.find((t) => t >= f.at - 100 && t <= effectDone);
      if (down !== undefined) {
        const back = r.opens.find((o) => o.at >= down);
        reconnected = Math.max(reconnected, back ? back.at - f.at : Infinity);
      }
      const ledger = byChannel.get(r.channel);
      const got = arrivals.get(r);
      for (const [seq, ackAt] of ledger.acked) {
        if (ackAt < f.at || ackAt > effectDone + 1000) continue;
        const at = got.get(seq);
        if (at === undefined) { gaps += 1; continue; }
        worstDelay = Math.max(worstDelay, at - ackAt);
        if (ackAt <= f.at + 1000) recovered = Math.max(recovered, at - f.at);
      }
    }
    return {
      name: f.name,
      effect: f.effect ? `${f.effect.effectState} after ${((effectDone - f.at) / 1000).toFixed(1)} s` : 'n/a',
      reconnectedS: reconnected / 1000,
      recoveredS: recovered / 1000,
      worstDelayS: worstDelay / 1000,
      gaps,
    };
  });
}

function judgePublishers(ledgers) {
  const out = {};
  for (const l of ledgers) {
    const p = (out[l.kind] ??= { channels: 0, sent: 0, acknowledged: 0, refused: 0, unanswered: 0, skipped: 0 });
    p.channels += 1;
    p.sent += l.sentAt.size;
    p.acknowledged += l.acked.size;
    p.refused += l.refused;
    p.unanswered += l.unanswered;
    p.skipped += l.skipped;
  }
  return out;
}

module.exports = { judgeClients, judgeFaults, judgePublishers };
