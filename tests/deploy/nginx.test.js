'use strict';
// nginx in front of a devcluster, configured by the shipped deploy/nginx/switchboard.conf
// (its upstream lines replaced by the devcluster's replicas, its `listen` by a free
// loopback port, nothing else changed): `nginx -t` accepts it, then nginx runs as a
// non-root foreground process and clients nobody here wrote go through it —
// @stomp/stompjs over the WebSocket upgrade, eventsource on the unbuffered SSE location
// with a ticket that only the issuing replica knows (the sticky cookie gets it there) —
// and a message published through nginx reaches both. nginx and the devcluster are
// killed by pid when the test ends.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
// The conformance tests' pinned clients (tests/conformance/package-lock.json).
const { EventSource } = require(require.resolve('eventsource', { paths: [path.join(__dirname, '..', 'conformance')] }));
const { request, publish, within, eventually } = require('../conformance/lib/harness');
const { connect, subscribe } = require('../conformance/lib/stomp');
const { startDevCluster } = require('../conformance/lib/cluster');

const shipped = path.join(__dirname, '..', '..', 'deploy', 'nginx', 'switchboard.conf');
const nginx = process.env.SB_NGINX || 'nginx';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

// The shipped file with only its upstream servers and its listen address replaced.
function render(replicas, port) {
  const text = fs.readFileSync(shipped, 'utf8');
  const upstream = /(upstream switchboard_replicas \{[^}]*?)((?:\n\s*server \S+:\d+[^;\n]*;)+)/;
  const match = upstream.exec(text);
  assert.ok(match, 'the shipped file has an upstream switchboard_replicas with server lines');
  const servers = replicas.map((r) => `\n    server ${r.url.replace('http://', '')} max_fails=2 fail_timeout=5s;`).join('');
  let rendered = text.replace(upstream, `$1${servers}`);
  const listens = rendered.match(/^\s*listen 80;$/mg) || [];
  assert.equal(listens.length, 1, 'the shipped file listens on port 80 once');
  rendered = rendered.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  return rendered;
}

// A main configuration around it, everything nginx writes in `dir`.
function mainConfig(dir) {
  const at = (name) => path.join(dir, name);
  return `worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} info;
events { worker_connections 512; }
http {
    access_log ${at('access.log')};
    client_body_temp_path ${at('client_body')};
    proxy_temp_path ${at('proxy')};
    fastcgi_temp_path ${at('fastcgi')};
    uwsgi_temp_path ${at('uwsgi')};
    scgi_temp_path ${at('scgi')};
    include ${at('switchboard.conf')};
}
`;
}

// Run as nobody when the test itself is root (nginx would otherwise keep a root master).
function identity(dir) {
  if (process.getuid() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  for (const name of ['', ...fs.readdirSync(dir)]) fs.chownSync(path.join(dir, name), uid, gid);
  return { uid, gid };
}

// A browser's cookie jar, reduced to what nginx sets: the sb_route cookie.
class Browser {
  constructor(base) { this.base = base; this.cookies = new Map(); }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(headers) {
    for (const line of [].concat(headers['set-cookie'] || [])) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  async request(method, urlPath, options = {}) {
    const headers = { ...(options.headers || {}), ...(this.cookies.size ? { Cookie: this.header() } : {}) };
    const res = await request(this.base, method, urlPath, { ...options, headers });
    this.keep(res.headers);
    return res;
  }
  async login(user) {
    const res = await this.request('POST', '/api/auth/login', { body: { username: user, password: user } });
    assert.equal(res.status, 200, `login ${user} through nginx: ${res.body}`);
    return JSON.parse(res.body).accessToken;
  }
  async ticket(token) {
    const res = await this.request('POST', '/api/sse/ticket', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `ticket through nginx: ${res.body}`);
    return JSON.parse(res.body).ticket;
  }
  // The status of GET /api/sse?ticket=… (the stream is dropped once its head arrived).
  async redeem(token) {
    const url = `${this.base}/api/sse?ticket=${encodeURIComponent(await this.ticket(token))}`;
    return within(5000, 'the SSE response head', new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { Cookie: this.header() }, agent: false }, (res) => {
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', (e) => { if (!req.destroyed) reject(e); });
    }));
  }
}

test('nginx in front of three replicas: STOMP and SSE through it', { timeout: 60000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-nginx-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cluster = await startDevCluster(t, ['--bus', 'redis']);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'switchboard.conf'), render(cluster.nodes, port));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir));
  const user = identity(dir);
  const args = ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')];

  const check = spawn(nginx, ['-t', ...args], { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
  let checkOutput = '';
  check.stderr.on('data', (d) => { checkOutput += d; });
  const checkCode = await new Promise((resolve) => check.on('exit', resolve));
  assert.equal(checkCode, 0, `nginx -t:\n${checkOutput}`);
  assert.match(checkOutput, /syntax is ok/);

  // One process (no master and worker), in the foreground: killed by its pid, nothing left.
  const server = spawn(nginx, [...args, '-g', 'daemon off; master_process off;'], { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverOutput = '';
  server.stderr.on('data', (d) => { serverOutput += d; });
  t.after(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      process.kill(server.pid, 'SIGKILL');
      await exited;
    }
    const pidFile = path.join(dir, 'nginx.pid');
    if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
  });
  const base = `http://127.0.0.1:${port}`;
  await eventually(10000, `nginx to answer on ${base}`, async () => {
    if (server.exitCode !== null) throw new Error(`nginx exited ${server.exitCode}:\n${serverOutput}`);
    try { return (await request(base, 'GET', '/healthz/live', { timeoutMs: 1000 })).status === 404; } catch { return false; }
  });

  // bob: STOMP over the WebSocket nginx upgrades (no cookie: any replica will do).
  const bobBrowser = new Browser(base);
  const bob = await connect(t, `ws://127.0.0.1:${port}/ws`, { Authorization: `Bearer ${await bobBrowser.login('bob')}` });
  const bobGot = [];
  await subscribe(bob.client, '/topic/channels.general', (m) => bobGot.push(m));

  // carol: a browser's EventSource, each connection with a fresh ticket, both requests
  // carrying the cookie nginx set at login.
  const carol = new Browser(base);
  const carolToken = await carol.login('carol');
  assert.ok(carol.cookies.get('sb_route'), 'nginx set the sb_route cookie');
  // A ticket works only where it was issued: every one lands there (by chance, 1 in 3^4).
  for (let i = 0; i < 4; ++i) assert.equal(await carol.redeem(carolToken), 200, `ticket ${i + 1} redeemed through nginx`);
  const events = [];
  let opens = 0;
  const es = new EventSource(`${base}/api/sse`, {
    fetch: async (_input, init) => {
      const url = `${base}/api/sse?ticket=${encodeURIComponent(await carol.ticket(carolToken))}`;
      return fetch(url, { ...init, headers: { ...init.headers, Cookie: carol.header() } });
    },
  });
  t.after(() => es.close());
  es.addEventListener('open', () => { opens += 1; });
  es.addEventListener('notification', (e) => events.push({ id: e.lastEventId, data: e.data }));
  await eventually(5000, 'carol\'s stream through nginx to open', () => opens === 1);

  // alice publishes through nginx, on whichever replica it picks.
  const alice = new Browser(base);
  const message = await publish({ base }, await alice.login('alice'), 'general', 'through nginx');
  await eventually(10000, 'the MESSAGE (STOMP) and the notification (SSE) through nginx',
    () => bobGot.length >= 1 && events.length >= 1);
  assert.equal(bobGot[0].headers['message-id'], message.id);
  assert.equal(JSON.parse(bobGot[0].body).text, 'through nginx');
  assert.equal(events[0].id, message.id, 'the SSE event id is the message-id');
  assert.equal(JSON.parse(events[0].data).sender, 'alice');
});
