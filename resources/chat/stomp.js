// A small STOMP 1.2 client over a browser WebSocket, for the chat page (docs/protocol.md,
// "STOMP over WebSocket"). Frames are parsed as bytes so content-length counts what the
// node counts (UTF-8 bytes); heart-beats are negotiated and kept both ways. Nothing is
// retried here: the page decides where to reconnect when the session ends (onClose).

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LF = 10;
const CR = 13;
const NUL = 0;

// STOMP 1.2 header escaping; CONNECT and CONNECTED are never escaped.
function escapeHeader(text) {
  return String(text).replace(/[\\\r\n:]/g, (c) => ({ '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' })[c]);
}

function unescapeHeader(text) {
  return text.replace(/\\([\\rnc])/g, (_, c) => ({ '\\': '\\', r: '\r', n: '\n', c: ':' })[c]);
}

function indexOfSequence(bytes, sequence, from) {
  outer: for (let i = from; i <= bytes.length - sequence.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (bytes[i + j] !== sequence[j]) continue outer;
    return i;
  }
  return -1;
}

export class StompClient {
  // handlers: onConnected(headers), onMessage(frame), onReceipt(id), onError(frame),
  // onClose({code, reason, error}) — called once, however the session ends.
  constructor(url, { token, heartBeatMs = 10000, ...handlers }) {
    this.url = url;
    this.token = token;
    this.heartBeatMs = heartBeatMs;
    this.handlers = handlers;
    this.buffer = new Uint8Array(0);
    this.connected = false;
    this.wasConnected = false;
    this.lastError = null;
    this.closed = false;
  }

  open() {
    const ws = new WebSocket(this.url, ['v12.stomp']);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.lastReceived = Date.now();
      this.sendFrame('CONNECT', {
        'accept-version': '1.2',
        host: location.hostname,
        'heart-beat': `${this.heartBeatMs},${this.heartBeatMs}`,
        Authorization: `Bearer ${this.token}`,
      });
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => this.finish(event.code, event.reason);
    ws.onerror = () => { /* a close event always follows */ };
  }

  subscribe(id, destination, headers = {}) {
    this.sendFrame('SUBSCRIBE', { id, destination, ack: 'auto', ...headers });
  }

  unsubscribe(id) {
    this.sendFrame('UNSUBSCRIBE', { id });
  }

  send(destination, body, headers = {}) {
    this.sendFrame('SEND', { destination, 'content-type': 'application/json', ...headers }, body);
  }

  // A clean goodbye: the node answers the receipt once every SEND is acknowledged.
  disconnect() {
    if (this.connected) this.sendFrame('DISCONNECT', { receipt: 'bye' });
    this.close(1000, 'bye');
  }

  close(code = 1000, reason = '') {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(code, reason);
    this.finish(code, reason);
  }

  sendFrame(command, headers, body = '') {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    const raw = command === 'CONNECT';
    let frame = `${command}\n`;
    for (const [name, value] of Object.entries(headers))
      frame += raw ? `${name}:${value}\n` : `${escapeHeader(name)}:${escapeHeader(value)}\n`;
    this.ws.send(`${frame}\n${body}\0`);
    this.lastSent = Date.now();
    return true;
  }

  receive(data) {
    this.lastReceived = Date.now();
    const chunk = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    let frame;
    while ((frame = this.takeFrame())) this.dispatch(frame);
  }

  // The next whole frame from the buffer, or null; EOLs between frames are heart-beats.
  takeFrame() {
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === LF || this.buffer[start] === CR)) start++;
    const headEnd = indexOfSequence(this.buffer, [LF, LF], start);
    const crlfEnd = indexOfSequence(this.buffer, [CR, LF, CR, LF], start);
    if (headEnd < 0 && crlfEnd < 0) {
      this.buffer = this.buffer.slice(start);
      return null;
    }
    const useCrlf = crlfEnd >= 0 && (headEnd < 0 || crlfEnd < headEnd);
    const bodyStart = useCrlf ? crlfEnd + 4 : headEnd + 2;
    const lines = decoder.decode(this.buffer.subarray(start, useCrlf ? crlfEnd : headEnd)).split(/\r?\n/);
    const command = lines.shift();
    const unescape = command !== 'CONNECTED';
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = unescape ? unescapeHeader(line.slice(0, colon)) : line.slice(0, colon);
      if (!(name in headers)) headers[name] = unescape ? unescapeHeader(line.slice(colon + 1)) : line.slice(colon + 1);
    }
    let bodyEnd;
    if (headers['content-length'] !== undefined) {
      bodyEnd = bodyStart + Number(headers['content-length']);
      if (this.buffer.length < bodyEnd + 1) return null;
    } else {
      bodyEnd = this.buffer.indexOf(NUL, bodyStart);
      if (bodyEnd < 0) return null;
    }
    const body = decoder.decode(this.buffer.subarray(bodyStart, bodyEnd));
    this.buffer = this.buffer.slice(bodyEnd + 1);
    return { command, headers, body };
  }

  dispatch(frame) {
    switch (frame.command) {
    case 'CONNECTED':
      this.connected = true;
      this.wasConnected = true;
      this.startHeartBeats(frame.headers['heart-beat']);
      this.handlers.onConnected?.(frame.headers);
      break;
    case 'MESSAGE':
      this.handlers.onMessage?.(frame);
      break;
    case 'RECEIPT':
      this.handlers.onReceipt?.(frame.headers['receipt-id']);
      break;
    case 'ERROR':
      // The node closes the connection after an ERROR; onClose reports it with this error.
      this.lastError = frame;
      this.handlers.onError?.(frame);
      break;
    default:
      break;
    }
  }

  // STOMP 1.2 §heart-beating: each side sends at the larger of what one offers and the
  // other wants; a silence of twice the incoming interval means the replica is gone (a
  // frozen or cut-off replica sends no close), well before the node's own 3 intervals.
  startHeartBeats(negotiated = '0,0') {
    const [serverSends, serverWants] = negotiated.split(',').map(Number);
    const outgoing = serverWants > 0 && this.heartBeatMs > 0 ? Math.max(this.heartBeatMs, serverWants) : 0;
    const incoming = serverSends > 0 && this.heartBeatMs > 0 ? Math.max(this.heartBeatMs, serverSends) : 0;
    if (!outgoing && !incoming) return;
    this.lastSent = Date.now();
    const tickMs = Math.max(250, Math.min(outgoing || incoming, incoming || outgoing) / 4);
    this.heartBeatTimer = setInterval(() => {
      const now = Date.now();
      if (outgoing && now - this.lastSent >= outgoing - tickMs && this.ws.readyState === WebSocket.OPEN) {
        this.ws.send('\n');
        this.lastSent = now;
      }
      if (incoming && now - this.lastReceived > 2 * incoming) {
        this.lastError = { command: 'ERROR', headers: { message: `nothing received for ${now - this.lastReceived} ms` }, body: '' };
        this.close(4000, 'heart-beat timeout');
      }
    }, tickMs);
  }

  finish(code, reason) {
    clearInterval(this.heartBeatTimer);
    if (this.closed) return;
    this.closed = true;
    this.connected = false;
    if (this.ws) {
      this.ws.onmessage = null;
      this.ws.onclose = null;
    }
    this.handlers.onClose?.({ code, reason, error: this.lastError });
  }
}
