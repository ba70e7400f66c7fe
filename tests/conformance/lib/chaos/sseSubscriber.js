'use strict';
// An SSE client as a browser runs one (the eventsource package): it reconnects by itself and
// sends Last-Event-ID, and the node replays what it missed. Every (re)connection first takes
// a single-use ticket from the replica it goes to, the next one each time. An answer that is
// not a stream (503 while draining or while Redis is down) is thrown as a network error, so
// the EventSource retries instead of giving up as it does on a non-200.

const { EventSource } = require('eventsource');
const { request } = require('../harness');
const { Receiver } = require('./receiver');

function startSseSubscriber({ index, nodes, channel, token, firstReplica }) {
  const receiver = new Receiver('sse', index, channel);
  let target = firstReplica;
  let attempt = 0;
  let connecting = null;
  const es = new EventSource(`${nodes[target].base}/api/sse`, {
    fetch: async (_input, init) => {
      if (attempt > 0) target = (target + 1) % nodes.length;
      attempt += 1;
      const node = nodes[target];
      const ticket = await request(node.base, 'POST', '/api/sse/ticket',
        { headers: { Authorization: `Bearer ${token}` }, timeoutMs: 5000 });
      if (ticket.status !== 200) throw new Error(`ticket from ${node.id}: HTTP ${ticket.status}`);
      const url = `${node.base}/api/sse?ticket=${encodeURIComponent(JSON.parse(ticket.body).ticket)}`;
      const res = await fetch(url, init);
      if (res.status !== 200) {
        await res.body?.cancel();
        throw new Error(`stream from ${node.id}: HTTP ${res.status}`);
      }
      connecting = node.id;
      return res;
    },
  });
  es.addEventListener('open', () => receiver.opened(connecting));
  es.addEventListener('error', () => receiver.lost());
  es.addEventListener('notification', (e) => receiver.record(JSON.parse(e.data).text));
  es.addEventListener('reset', () => { receiver.resets += 1; });
  receiver.stop = () => es.close();
  return receiver;
}

module.exports = { startSseSubscriber };
