'use strict';
// The printed figures of a chaos run (runChaos's result), as plain aligned text.

function table(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

function format(result) {
  const lines = [];
  lines.push(`== bus ${result.bus}: published for ${result.publishedFor.toFixed(1)} s; every client complete ${result.settledS.toFixed(1)} s after the last publish`);
  lines.push(table(['publishers', 'channels', 'sent', 'acknowledged', 'refused', 'unanswered', 'skipped'],
    Object.entries(result.publishers).map(([kind, p]) => [kind === 'http' ? 'http (201)' : 'stomp (RECEIPT)', p.channels, p.sent, p.acknowledged, p.refused, p.unanswered, p.skipped])));
  lines.push(table(['clients', 'count', 'expected', 'received', 'gaps', 'duplicates', 'dup (any)', 'reordered', 'extras', 'resets', 'reconnects'],
    Object.entries(result.kinds).map(([kind, k]) => [kind, k.clients, k.expected, k.received, k.gaps, k.duplicates, k.duplicatesAny, k.reordered, k.extras, k.resets, k.reconnects])));
  if (result.missing.length) lines.push(`first gaps: ${result.missing.join('; ')}`);
  lines.push(table(['fault', 'effect (devcluster)', 'reconnected', 'recovered', 'worst delay', 'gaps in window'],
    result.faults.map((f) => [f.name, f.effect, `${f.reconnectedS.toFixed(1)} s`, `${f.recoveredS.toFixed(1)} s`, `${f.worstDelayS.toFixed(1)} s`, f.gaps])));
  const m = result.metrics;
  lines.push(`/metrics gauges ${m.gaugesSettled ? 'settled' : 'did NOT settle'} to the clients' counts: replicas stomp=${m.nodes?.stomp} sse=${m.nodes?.sse} subscriptions=${m.nodes?.subscriptions}; clients stomp=${m.clients.stomp} sse=${m.clients.sse} subscriptions=${m.clients.subscriptions}`);
  const tl = m.tail;
  lines.push(`/metrics counters over a ${tl.seconds} s quiet tail ${m.countersSettled ? 'match' : 'do NOT match'} the clients: STOMP frames sent ${tl.nodeStompFrames} / received ${tl.clientStompFrames}; SSE events ${tl.nodeSseEvents} / ${tl.clientSseEvents}; timed deliveries ${tl.nodeDeliveries} / ${tl.clientDeliveries}`);
  lines.push(`replicas ready at the end: ${result.replicasReady.join(', ') || 'none'}`);
  const replicas = (snapshot) => Object.entries(snapshot).filter(([id]) => id !== 'devcluster');
  const rss = (snapshot) => replicas(snapshot).map(([id, p]) => `${id} ${p.rssMiB} MiB`).join(', ');
  lines.push(`replicas' resident memory: ready ${rss(result.memory.ready)}; loaded ${rss(result.memory.loaded)}; clients gone ${rss(result.memory.after)}`);
  const cpu = (snapshot) => replicas(snapshot).map(([id, p]) => `${id} ${p.cpuS} s`).join(', ');
  lines.push(`CPU used by the end (each replica's current process): ${cpu(result.memory.after)}; devcluster (mock Kafka) ${result.memory.after.devcluster.cpuS} s`);
  return lines.join('\n');
}

module.exports = { format };
