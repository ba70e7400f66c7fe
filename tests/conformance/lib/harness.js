'use strict';
// Shared harness for the conformance tests: starts a real `switchboard node` child on a
// free loopback port, logs in over HTTP, reads /metrics, and bounds every wait so that no
// test can hang. Each node is killed by pid when its test ends, passed or failed.

const { spawn } = require('node:child_process');
const http = require('node:http');

// @stomp/stompjs expects a browser-like global WebSocket; Node 20 has none (stompjs docs).
Object.assign(global, { WebSocket: require('ws') });

const started = new Set();
process.on('exit', () => {
  for (const child of started) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

function binary() {
  const path = process.env.SB_BINARY;
  if (!path) throw new Error('SB_BINARY must name the switchboard binary (CTest sets it)');
  return path;
}

// Resolves with { host, base, ws, pid, stderr(), stop() } once the node prints its line.
async function startNode(t, extraArgs = []) {
  const args = ['node', '--listen', '127.0.0.1:0', '--demo-users', '--workers', '2', ...extraArgs];
  const child = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    started.delete(child);
    // A ThreadSanitizer build (SB_TSAN) reports a race on stderr and exits 66: whatever the
    // clients saw, the test fails on it.
    if (stderr.includes('WARNING: ThreadSanitizer')) throw new Error(`ThreadSanitizer report:\n${stderr}`);
  };
  // The clients then fail on the closed sockets, which says nothing about why: show the report.
  child.on('exit', () => {
    if (stderr.includes('WARNING: ThreadSanitizer')) process.stderr.write(`node ${child.pid}:\n${stderr}\n`);
  });
  t.after(stop);
  const address = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`node did not print 'listening' within 10 s; stderr:\n${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /listening http:\/\/(\S+)\n/.exec(stdout);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`node exited early (code ${code}, signal ${signal}); stderr:\n${stderr}`));
    });
  });
  return {
    host: address,
    base: `http://${address}`,
    ws: `ws://${address}/ws`,
    pid: child.pid,
    child,
    stderr: () => stderr,
    stop,
  };
}

// One HTTP request with a deadline; resolves { status, headers, body }.
function request(base, method, path, { body, headers = {}, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(`${base}${path}`, {
      method,
      headers: {
        ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
        ...headers,
      },
      agent: false,
      timeout: timeoutMs,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function login(node, username, password = username) {
  const res = await request(node.base, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body).accessToken;
}

async function publish(node, token, channel, text) {
  const res = await request(node.base, 'POST', `/api/channels/${channel}/messages`, {
    body: { text },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 201) throw new Error(`publish: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

// The value of one Prometheus sample, e.g. metric(text, 'sb_dropped_total{reason="x"}'); 0 if absent.
function metric(text, sample) {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  return 0;
}

async function metrics(node) {
  const res = await request(node.base, 'GET', '/metrics');
  if (res.status !== 200) throw new Error(`/metrics: HTTP ${res.status}`);
  return res.body;
}

// Rejects after ms with a message naming what did not happen.
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls check() until it returns a truthy value or the deadline passes.
async function eventually(ms, what, check) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

module.exports = { binary, startNode, request, login, publish, metric, metrics, within, sleep, eventually };
