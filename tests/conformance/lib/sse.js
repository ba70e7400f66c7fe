'use strict';
// EventSource helpers shared by the SSE and cluster tests: tickets, and a stream that
// fetches a fresh single-use ticket for every (re)connection.

const assert = require('node:assert/strict');
const { EventSource } = require('eventsource');
const { request } = require('./harness');

async function ticket(node, token) {
  const res = await request(node.base, 'POST', '/api/sse/ticket', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, res.body);
  const body = JSON.parse(res.body);
  assert.match(body.ticket, /\S{16,}/);
  return body.ticket;
}

// es.close() aborts init.signal, and fetch() should then drop the connection. Debian 12's
// Node 18 fetch (Debian's node-undici 5.15.0) reaches its internal AbortController only
// through a WeakRef, so after a garbage collection the abort is lost and the stream stays
// open (nodejs/undici#1926). Cancelling the body through a pipe that holds the signal itself
// closes the connection on every Node; where fetch aborts by itself it is a harmless repeat.
function abortableBody(res, signal) {
  if (!signal || !res.body) return res;
  return new Response(res.body.pipeThrough(new TransformStream(), { signal }), res);
}

// An EventSource whose every (re)connection first fetches a fresh single-use ticket, since
// a browser EventSource cannot send headers and a ticket works once. The library itself
// adds Last-Event-ID on reconnects; beforeConnect(n) runs before connection n (1-based).
// `node` may be a function of the connection number, for a client that moves to another
// replica when its own goes away.
function openStream(t, node, token, { beforeConnect = async () => {}, initialLastEventId } = {}) {
  const nodeFor = typeof node === 'function' ? node : () => node;
  const state = { events: [], connects: 0, errors: 0, opens: 0, lastEventIdsSent: [] };
  const es = new EventSource(`${nodeFor(1).base}/api/sse`, {
    fetch: async (_input, init) => {
      state.connects += 1;
      await beforeConnect(state.connects);
      const target = nodeFor(state.connects);
      const headers = { ...init.headers };
      if (state.connects === 1 && initialLastEventId) headers['Last-Event-ID'] = initialLastEventId;
      state.lastEventIdsSent.push(headers['Last-Event-ID'] ?? null);
      const url = `${target.base}/api/sse?ticket=${encodeURIComponent(await ticket(target, token))}`;
      return abortableBody(await fetch(url, { ...init, headers }), init.signal);
    },
  });
  t.after(() => es.close());
  es.addEventListener('open', () => { state.opens += 1; });
  es.addEventListener('error', () => { state.errors += 1; });
  for (const type of ['notification', 'reset']) {
    es.addEventListener(type, (e) => state.events.push({ type, id: e.lastEventId, data: e.data }));
  }
  state.es = es;
  return state;
}

module.exports = { ticket, openStream };
