'use strict';
// What one chaos client received, as it arrived (before any de-duplication: the clients
// keep every copy), and how its connection went: the shared record of the STOMP and SSE
// clients that the verdict reads.

class Receiver {
  constructor(kind, index, channel) {
    this.kind = kind; // 'stomp' | 'sse'
    this.index = index;
    this.channel = channel;
    this.seqs = []; // publisher sequence numbers, in arrival order
    this.times = []; // Date.now() of each arrival
    this.resets = 0; // the node said it could not resume (recovery: reset / event: reset)
    this.foreign = 0; // a message of another channel: must never happen
    this.opens = []; // { at, replica }: each time the client was (re)subscribed
    this.downs = []; // Date.now() of each lost connection
    this.connected = false;
    this.replica = null; // where it is connected now
  }

  // A message body's `text` is `${channel}:${seq}` (publisher.js).
  record(text) {
    const colon = typeof text === 'string' ? text.lastIndexOf(':') : -1;
    if (colon < 0 || text.slice(0, colon) !== this.channel) {
      this.foreign += 1;
      return;
    }
    this.seqs.push(Number(text.slice(colon + 1)));
    this.times.push(Date.now());
  }

  opened(replica) {
    this.connected = true;
    this.replica = replica;
    this.opens.push({ at: Date.now(), replica });
  }

  lost() {
    if (this.connected) this.downs.push(Date.now());
    this.connected = false;
  }
}

module.exports = { Receiver };
