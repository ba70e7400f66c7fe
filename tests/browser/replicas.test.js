'use strict';
// The chat page's choice of where to go when its replica dies (resources/chat/replicas.js),
// without a browser: the module is plain JavaScript, loaded here as the page loads it.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

async function loadReplicaDirectory() {
  const source = fs.readFileSync(path.join(__dirname, '../../resources/chat/replicas.js'), 'utf8');
  const module = await import(`data:text/javascript,${encodeURIComponent(source)}`);
  return module.ReplicaDirectory;
}

function directoryOf(ReplicaDirectory, self, replicas) {
  const directory = new ReplicaDirectory();
  directory.self = self;
  directory.replicas = replicas;
  return directory;
}

const replica = (id, fields = {}) => ({ id, url: `http://127.0.0.1:1000${id.at(-1)}`, ready: true, draining: false, ...fields });

test('a dead replica\'s page tries every other replica it knew, the ready ones first', async () => {
  const ReplicaDirectory = await loadReplicaDirectory();
  // The page's last look, taken while node-1 was starting (or had lost Redis): once node-2
  // is dead the page cannot look again, and node-1 is ready by now.
  const directory = directoryOf(ReplicaDirectory, 'node-2', [
    replica('node-1', { ready: false }), replica('node-2'), replica('node-3'), replica('node-4', { ready: false }),
  ]);
  for (let i = 0; i < 20; i++) {
    const ids = directory.candidates().map((r) => r.id);
    assert.equal(ids[0], 'node-3');
    assert.deepEqual(ids.slice(1).sort(), ['node-1', 'node-4']);
  }
});

test('never itself, never one seen draining, never one without an address to dial', async () => {
  const ReplicaDirectory = await loadReplicaDirectory();
  const directory = directoryOf(ReplicaDirectory, 'node-2', [
    replica('node-1', { draining: true }), replica('node-2'), replica('node-3', { url: '' }), replica('node-4'),
  ]);
  assert.deepEqual(directory.candidates().map((r) => r.id), ['node-4']);
  assert.deepEqual(directoryOf(ReplicaDirectory, 'node-1', [replica('node-1')]).candidates(), []);
  assert.deepEqual(new ReplicaDirectory().candidates(), []); // never listed: nothing to try
});

test('the pages of a dead replica spread over the survivors', async () => {
  const ReplicaDirectory = await loadReplicaDirectory();
  const directory = directoryOf(ReplicaDirectory, 'node-2', [replica('node-1'), replica('node-2'), replica('node-3')]);
  const first = new Map();
  for (let i = 0; i < 200; i++) {
    const id = directory.candidates()[0].id;
    first.set(id, (first.get(id) ?? 0) + 1);
  }
  // Each of the two first in about half of 200 draws; under 50 has odds below 1e-12.
  assert.ok(first.get('node-1') >= 50 && first.get('node-3') >= 50, JSON.stringify([...first]));
});
