'use strict';
// A STOMP subscriber as a real application writes one with @stomp/stompjs: it reconnects by
// itself, each time to the next replica (a killed or draining one is skipped by failing),
// and re-subscribes with `since: <last message-id seen>`, so the node sends what it missed.

require('../harness'); // the global WebSocket stompjs needs
const { Client } = require('@stomp/stompjs');
const { Receiver } = require('./receiver');

function startStompSubscriber({ index, nodes, channel, token, firstReplica }) {
  const receiver = new Receiver('stomp', index, channel);
  let target = firstReplica;
  let lastId = null;
  let attempt = 0;
  const client = new Client({
    brokerURL: nodes[target].ws,
    connectHeaders: { Authorization: `Bearer ${token}` },
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
    reconnectDelay: 250,
    connectionTimeout: 5000,
    debug: () => {},
    beforeConnect: (c) => {
      // The first attempt goes where it was placed; every later one to the next replica.
      if (attempt > 0) target = (target + 1) % nodes.length;
      attempt += 1;
      c.brokerURL = nodes[target].ws;
    },
  });
  client.onConnect = () => {
    const headers = { receipt: `sub-${index}-${attempt}` };
    if (lastId) headers.since = lastId;
    const replica = nodes[target].id;
    client.watchForReceipt(headers.receipt, () => receiver.opened(replica));
    client.subscribe(`/topic/channels.${channel}`, (message) => {
      const id = message.headers['message-id'];
      if (message.headers.recovery === 'reset') {
        receiver.resets += 1;
        return;
      }
      lastId = id;
      receiver.record(JSON.parse(message.body).text);
    }, headers);
  };
  client.onWebSocketClose = () => receiver.lost();
  client.onStompError = () => {}; // a drain's or an outage's ERROR; the close follows
  client.activate();
  receiver.stop = () => client.deactivate({ force: true });
  return receiver;
}

module.exports = { startStompSubscriber };
