// A peer for kafka_lag_bench: the same lag refresh (every partition's log-end offset plus
// each group's committed offsets) done with kafkajs's admin client, the calls Node-based
// Kafka dashboards make (and what Kafka UI / Kafdrop do with Java's AdminClient:
// listOffsets + listConsumerGroupOffsets). Prints one line of figures.
//
//   node kafkajs_lag.js BOOTSTRAP TOPIC GROUP[,GROUP...] ROUNDS
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic, groupList, roundsText] = process.argv.slice(2);
  const groups = groupList.split(',');
  const rounds = Number(roundsText || 10);
  const kafka = new Kafka({ clientId: 'bench-peer', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const times = [];
  let lag = 0;
  let partitions = 0;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    const [ends, ...committed] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      ...groups.map((groupId) => admin.fetchOffsets({ groupId, topics: [topic] })),
    ]);
    const end = new Map(ends.map((p) => [p.partition, Number(p.high)]));
    lag = 0;
    partitions = 0;
    for (const group of committed) {
      for (const p of group[0].partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) {
          lag += Math.max(0, end.get(p.partition) - offset);
          partitions++;
        }
      }
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await admin.disconnect();
  times.sort((a, b) => a - b);
  const pick = (p) => times[Math.min(times.length - 1, Math.round(p * (times.length - 1)))];
  console.log(`peer=kafkajs-2.2.4 rounds=${rounds} partition_rows=${partitions} refresh_p50_ms=${pick(0.5).toFixed(0)} ` +
    `refresh_p99_ms=${pick(0.99).toFixed(0)} lag_total=${lag}`);
}

main().catch((error) => {
  console.error(`kafkajs_lag: ${error.message}`);
  process.exit(1);
});
