'use strict';
// The chaos run's publishers, one per channel, at a steady rate: half publish over STOMP
// (SEND with a receipt: acknowledged by the RECEIPT), half over HTTP (acknowledged by the
// 201). Each message's text is `${channel}:${seq}`, seq counting up per channel, and a seq is
// never sent twice: a publish that fails or goes unanswered is not retried (docs/reliability.md,
// "A publish retried"), so any second copy a client gets is the cluster's duplicate.
// An HTTP publisher waits for each answer before the next, and a STOMP publisher pipelines
// on one session: either way a channel's acknowledged messages were appended in seq order,
// which is the order every client must see (docs/protocol.md, "Order").

require('../harness');
const { Client } = require('@stomp/stompjs');
const http = require('node:http');
const { httpCall } = require('./httpCall');

class ChannelLedger {
  constructor(channel, kind) {
    this.channel = channel;
    this.kind = kind; // 'stomp' | 'http'
    this.nextSeq = 1;
    this.sentAt = new Map(); // seq -> Date.now() when sent
    this.acked = new Map(); // seq -> Date.now() of its 201 / RECEIPT
    this.refused = 0; // an answer that said no (503, ERROR with its receipt-id)
    this.unanswered = 0; // the connection went before the answer: outcome unknown
    this.skipped = 0; // due while the publisher had no connection
  }

  send() {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    this.sentAt.set(seq, Date.now());
    return seq;
  }

  text(seq) { return `${this.channel}:${seq}`; }
}

function stompPublisher({ nodes, entry, token, firstReplica, rate }) {
  const ledger = new ChannelLedger(entry.name, 'stomp');
  let target = firstReplica;
  let attempt = 0;
  let pending = new Set();
  let connected = false;
  const client = new Client({
    connectHeaders: { Authorization: `Bearer ${token}` },
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
    reconnectDelay: 250,
    connectionTimeout: 5000,
    debug: () => {},
    beforeConnect: (c) => {
      if (attempt > 0) target = (target + 1) % nodes.length;
      attempt += 1;
      c.brokerURL = nodes[target].ws;
    },
  });
  client.onConnect = () => { connected = true; };
  client.onUnhandledReceipt = (frame) => {
    const seq = Number(frame.headers['receipt-id'].slice(2));
    if (pending.delete(seq)) ledger.acked.set(seq, Date.now());
  };
  client.onStompError = (frame) => {
    const id = frame.headers['receipt-id'];
    if (id && pending.delete(Number(id.slice(2)))) ledger.refused += 1;
  };
  client.onWebSocketClose = () => {
    connected = false;
    ledger.unanswered += pending.size;
    pending = new Set();
  };
  client.activate();

  let due = 0;
  const tick = (elapsedMs) => {
    const target = Math.floor((rate * elapsedMs) / 1000);
    for (; due < target; due += 1) {
      if (!connected) { ledger.skipped += 1; continue; }
      const seq = ledger.send();
      pending.add(seq);
      client.publish({
        destination: `/app/channels.${entry.name}`,
        body: JSON.stringify({ text: ledger.text(seq) }),
        headers: { receipt: `p-${seq}`, 'content-type': 'application/json' },
      });
    }
  };
  const outstanding = () => pending.size;
  const stop = () => client.deactivate({ force: true });
  return { ledger, tick, outstanding, stop, connections: () => (connected ? 1 : 0) };
}

function httpPublisher({ nodes, entry, token, firstReplica, rate }) {
  const ledger = new ChannelLedger(entry.name, 'http');
  let target = firstReplica;
  let busy = false;
  let due = 0;
  let stopped = false;
  let inFlight = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const publishOne = async () => {
    const seq = ledger.send();
    inFlight = 1;
    try {
      const res = await httpCall(agent, nodes[target].base, 'POST', `/api/channels/${entry.name}/messages`, {
        body: { text: ledger.text(seq) },
        headers: { Authorization: `Bearer ${token}` },
        timeoutMs: 30000,
      });
      if (res.status === 201) ledger.acked.set(seq, Date.now());
      else { ledger.refused += 1; target = (target + 1) % nodes.length; }
    } catch {
      ledger.unanswered += 1; // refused connection, reset, or no answer in time
      target = (target + 1) % nodes.length;
    } finally {
      inFlight = 0;
    }
  };
  const tick = (elapsedMs) => {
    if (busy || stopped) return;
    const wanted = Math.floor((rate * elapsedMs) / 1000);
    if (due >= wanted) return;
    // One at a time: the next is sent once this one is answered. Messages that fell due
    // meanwhile (a slow answer, a replica down) are skipped, not sent in a burst.
    ledger.skipped += Math.max(0, wanted - due - 1);
    due = wanted;
    busy = true;
    publishOne().finally(() => { busy = false; });
  };
  const outstanding = () => inFlight;
  const stop = () => { stopped = true; agent.destroy(); };
  return { ledger, tick, outstanding, stop, connections: () => 0 };
}

module.exports = { stompPublisher, httpPublisher };
