'use strict';
// Thin promise helpers around @stomp/stompjs (the real client under test is stompjs; these
// only turn its callbacks into bounded awaits).

require('./harness'); // installs the global WebSocket polyfill first
const { Client } = require('@stomp/stompjs');
const { within } = require('./harness');

// Connects and resolves { client, connected } on CONNECTED, or rejects with the ERROR frame
// (error.frame) or the close. The client never reconnects on its own (reconnectDelay 0).
function connect(t, url, headers, { heartbeatIncoming = 10000, heartbeatOutgoing = 10000 } = {}) {
  const client = new Client({
    brokerURL: url,
    connectHeaders: headers,
    heartbeatIncoming,
    heartbeatOutgoing,
    reconnectDelay: 0,
    debug: () => {},
  });
  const errors = [];
  const closes = [];
  client.onStompError = (frame) => errors.push(frame);
  client.onWebSocketClose = (event) => closes.push(event);
  t.after(() => client.deactivate({ force: true }));
  const connected = new Promise((resolve, reject) => {
    client.onConnect = (frame) => resolve(frame);
    client.onStompError = (frame) => {
      errors.push(frame);
      const error = new Error(`STOMP ERROR: ${frame.headers.message}`);
      error.frame = frame;
      reject(error);
    };
    client.onWebSocketClose = (event) => {
      closes.push(event);
      reject(new Error(`WebSocket closed before CONNECTED (code ${event.code})`));
    };
  });
  client.activate();
  return within(5000, 'CONNECTED', connected).then((frame) => {
    // From here on only record; tests look at errors/closes themselves.
    client.onStompError = (f) => errors.push(f);
    client.onWebSocketClose = (e) => closes.push(e);
    return { client, connected: frame, errors, closes };
  });
}

// Subscribes with a receipt so the caller knows the server has registered it.
async function subscribe(client, destination, onMessage, headers = {}) {
  const receipt = `sub-${Math.random().toString(36).slice(2)}`;
  const confirmed = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  const subscription = client.subscribe(destination, onMessage, { ...headers, receipt });
  await within(5000, `RECEIPT for SUBSCRIBE ${destination}`, confirmed);
  return subscription;
}

module.exports = { connect, subscribe };
