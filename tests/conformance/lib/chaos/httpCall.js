'use strict';
// One HTTP request with a deadline over a given agent (harness.request opens a connection per
// request: at the chaos run's 250 HTTP publishes a second that would leave some 15,000
// loopback sockets in TIME_WAIT, a good part of the ephemeral port range).

const http = require('node:http');

function httpCall(agent, base, method, path, { body, headers = {}, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(`${base}${path}`, {
      method,
      agent,
      timeout: timeoutMs,
      headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...headers },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

module.exports = { httpCall };
