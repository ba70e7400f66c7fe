'use strict';
// Starts `switchboard devcluster` (embedded Kafka, a redis-server child, N node children)
// and resolves with its endpoints once it prints `ready {json}`. The devcluster is stopped
// with SIGTERM by pid when the test ends (it stops its children by pid; if it dies, the
// kernel stops them too: PR_SET_PDEATHSIG). redis-cli, a client nobody here wrote, reads
// the cluster's Redis state.

const { spawn, execFile } = require('node:child_process');
const net = require('node:net');
const { binary } = require('./harness');

const started = new Set();
process.on('exit', () => {
  for (const child of started) {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

async function startDevCluster(t, extraArgs = [], { readyMs = 60000 } = {}) {
  const child = spawn(binary(), ['devcluster', '--replicas', '3', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 15000);
      await exited;
      clearTimeout(timer);
    }
    started.delete(child);
  };
  t.after(stop);
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
  const nodes = endpoints.nodes.map((n) => ({ ...n, base: n.url, ws: `${n.url.replace(/^http/, 'ws')}/ws` }));
  return { endpoints, nodes, pid: child.pid, exited, stop, stderr: () => stderr };
}

// Runs one redis-cli command against the cluster's Redis; resolves with its stdout lines.
function redisCli(url, ...args) {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-u', url, ...args], { timeout: 5000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout.split('\n').filter((l) => l.length > 0));
    });
  });
}

// Runs kcat (a Kafka client nobody here wrote) against the cluster's brokers.
function kcat(bootstrap, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', bootstrap, ...args], { timeout: 15000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kcat ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

// A redis-server of the test's own, on a free loopback port, that it can stop and start
// again on the same port (a devcluster given --redis leaves it alone).
async function startRedis(t) {
  const port = await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port: p } = probe.address(); probe.close(() => resolve(p)); });
  });
  let child = null;
  const up = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(child);
    await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server not ready: ${out}`)), 10000);
      child.stdout.on('data', (d) => {
        out += d;
        if (/Ready to accept connections/.test(out)) { clearTimeout(timer); resolve(); }
      });
    });
  };
  const down = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGKILL');
    await exited;
    started.delete(child);
  };
  await up();
  t.after(down);
  return { url: `redis://127.0.0.1:${port}/0`, up, down };
}

module.exports = { startDevCluster, redisCli, kcat, startRedis };
