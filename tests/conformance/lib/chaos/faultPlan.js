'use strict';
// When each fault of a chaos run strikes, as a share of the run, one at a time with time to
// recover between them: a replica killed -9 (started again after 3 s), another drained
// (SIGTERM, started again after 3 s), Redis killed (the devcluster restarts it), then stage 2
// switched to the other bus (a rolling restart: each replica drained and started again).
function faultPlan(seconds, bus, { busSwitch = true } = {}) {
  const other = bus === 'kafka' ? 'redis' : 'kafka';
  const plan = [
    { atS: 0.12 * seconds, action: 'kill', args: { replica: 'node-1', restartAfter: 3 }, name: 'kill -9 node-1' },
    { atS: 0.32 * seconds, action: 'drain', args: { replica: 'node-2', restartAfter: 3 }, name: 'drain node-2' },
    { atS: 0.52 * seconds, action: 'restart-redis', args: {}, name: 'kill -9 redis-server' },
  ];
  if (busSwitch) plan.push({ atS: 0.70 * seconds, action: 'bus', args: { bus: other }, name: `switch bus to ${other}` });
  return plan;
}

module.exports = { faultPlan };
