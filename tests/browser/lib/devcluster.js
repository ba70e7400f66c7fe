'use strict';
// A `switchboard-node devcluster` (embedded Kafka, a redis-server child, three replicas with
// the demo users) for the browser test: started on loopback, resolved with its `ready`
// endpoints, stopped with SIGTERM by pid when the test ends (SIGKILL if it hangs; its
// children die with it: PR_SET_PDEATHSIG). fault() drives its fault control endpoint;
// getJson() and redisCli() read what the replicas and Redis say.

const { execFile, spawn } = require('node:child_process');
const http = require('node:http');

const started = new Set();
process.on('exit', () => {
  for (const child of started) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

async function startDevCluster(t, { readyMs = 60000 } = {}) {
  const binary = process.env.SB_BINARY;
  if (!binary) throw new Error('SB_BINARY must name switchboard-node (CTest sets it)');
  const child = spawn(binary, ['devcluster', '--replicas', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await exited;
      clearTimeout(timer);
    }
    started.delete(child);
  });
  const endpoints = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`devcluster not ready within ${readyMs} ms; stderr:\n${stderr}`)), readyMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /^ready (\{.*\})$/m.exec(stdout);
      if (match) { clearTimeout(timer); resolve(JSON.parse(match[1])); }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`devcluster exited early (code ${code}, signal ${signal}); stderr:\n${stderr}`));
    });
  });
  return { ...endpoints, stderr: () => stderr };
}

// POST /faults {action, args} to the devcluster's control endpoint; resolves with its answer.
function fault(control, action, args) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(JSON.stringify({ action, args }));
    const req = http.request(`${control}/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
      timeout: 10000,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data))
        : reject(new Error(`fault ${action}: ${res.statusCode} ${data}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`fault ${action}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 5000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { data += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data)) : reject(new Error(`GET ${url}: ${res.statusCode} ${data}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 5 s`)));
    req.on('error', reject);
  });
}

// One redis-cli command (a client nobody here wrote) against the cluster's Redis: its lines, sorted.
function redisCli(url, ...args) {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-u', url, ...args], { timeout: 5000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout.split('\n').filter((l) => l.length > 0).sort());
    });
  });
}

module.exports = { startDevCluster, fault, getJson, redisCli };
