'use strict';
// The devcluster's fault control endpoint (docs/protocol.md, "Devcluster fault control
// endpoint"): the same actions as `switchboard fault`, and their effect as the devcluster
// watched it (a killed replica ready again, Redis back, every replica on the new bus).

const { request, sleep } = require('../harness');

async function inject(control, action, args = {}) {
  const res = await request(control, 'POST', '/faults', { body: { action, args } });
  const body = JSON.parse(res.body);
  if (res.status !== 200) throw new Error(`fault ${action}: HTTP ${res.status} ${res.body}`);
  return body.event;
}

// Resolves with the event once the devcluster has seen its effect (or stopped watching),
// polling /events; { effectState, effect, doneAt } where doneAt is when this side saw it.
async function effectOf(control, eventId, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await request(control, 'GET', '/events');
    const event = JSON.parse(res.body).events.find((e) => e.id === eventId);
    if (event && event.effectState !== 'watching') return { ...event, doneAt: Date.now() };
    if (Date.now() > deadline) return { ...(event ?? {}), effectState: 'still watching at the deadline', doneAt: Date.now() };
    await sleep(200);
  }
}

module.exports = { inject, effectOf };
