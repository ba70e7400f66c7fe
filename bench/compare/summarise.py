#!/usr/bin/env python3
"""Reads bench/compare/run.sh's results.txt (fanout or channels) and prints the side-by-side
tables (markdown): per subscriber count and rate, each server's medians over its repeats and
the ratios to the node measured in the same run; then each server's best rate at p99 < 50 ms
with no loss, duplicate or misrouted delivery (median over repeats). Only figures sb_loadgen
printed; nothing is filled in."""
import re
import statistics
import sys
from collections import defaultdict

P99_LIMIT_MS = 50.0


def pairs(line):
    return dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))


def within_bound(step):
    """p99 under the bound, nothing lost, duplicated or misrouted, and a valid figure."""
    return (float(step['p99_ms']) < P99_LIMIT_MS and int(step['loss']) == 0 and int(step['dup']) == 0
            and int(step.get('misrouted', 0)) == 0 and step['valid'] == 'yes')


def main(path):
    runs = []  # (server, subscribers, repeat, [steps], load)
    current = None
    for line in open(path):
        if line.startswith('run '):
            fields = pairs(line)
            label = fields['label']
            if not label.startswith(('fanout-', 'channels-')):  # scenario 2 or 4: one per results.txt
                current = None
                continue
            _, server, subs, repeat = label.split('-')
            current = {'server': server, 'subs': int(subs), 'repeat': int(repeat), 'steps': [],
                       'load': fields.get('load_before', '') + ' → ' + fields.get('load_after', '')}
            runs.append(current)
        elif line.startswith('step ') and current is not None:
            current['steps'].append(pairs(line))

    servers = []
    for run in runs:
        if run['server'] not in servers:
            servers.append(run['server'])
    by_point = defaultdict(list)  # (subs, rate, server) -> [step]
    for run in runs:
        for step in run['steps']:
            by_point[(run['subs'], float(step['rate']), run['server'])].append(step)

    def median(steps, key):
        return statistics.median(float(s[key]) for s in steps)

    print('| subscribers | rate (msg/s) | server | runs | deliveries/s | p50 ms | p99 ms | loss (sum) | server CPU % '
          '| CPU ms per 10k deliveries | ratio to node (CPU per delivery) | invalid steps |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for subs, rate in sorted({(k[0], k[1]) for k in by_point}):
        node = by_point.get((subs, rate, 'node'))
        for server in servers:
            steps = by_point.get((subs, rate, server))
            if not steps:
                continue
            cpu10k = median(steps, 'server_cpu_ms_per_10k')
            ratio = '—'
            if node and server != 'node' and median(node, 'server_cpu_ms_per_10k') > 0:
                ratio = '%.2f' % (cpu10k / median(node, 'server_cpu_ms_per_10k'))
            invalid = [s['valid'] for s in steps if s['valid'] != 'yes']
            print('| %d | %.0f | %s | %d | %.0f | %.2f | %.2f | %d | %.1f | %.2f | %s | %s |' % (
                subs, rate, server, len(steps), median(steps, 'deliveries_per_s'), median(steps, 'p50_ms'),
                median(steps, 'p99_ms'), sum(int(s['loss']) for s in steps), median(steps, 'server_cpu_pct'),
                cpu10k, ratio, ', '.join(invalid) if invalid else '0'))

    print()
    print('| subscribers | server | best rate at p99 < %.0f ms, no loss, valid (per repeat) | median | ratio to node |'
          % P99_LIMIT_MS)
    print('|---|---|---|---|---|')
    best = {}
    for subs in sorted({r['subs'] for r in runs}):
        for server in servers:
            per_repeat = []
            for run in runs:
                if run['subs'] != subs or run['server'] != server:
                    continue
                ok = [float(s['rate']) for s in run['steps'] if within_bound(s)]
                per_repeat.append(max(ok) if ok else 0.0)
            if per_repeat:
                best[(subs, server)] = statistics.median(per_repeat)
        for server in servers:
            if (subs, server) not in best:
                continue
            node_best = best.get((subs, 'node'))
            ratio = '—' if server == 'node' or not node_best else '%.2f' % (best[(subs, server)] / node_best)
            per_repeat = [str(int(max([float(s['rate']) for s in r['steps'] if within_bound(s)] or [0])))
                          for r in runs if r['subs'] == subs and r['server'] == server]
            print('| %d | %s | %s | %.0f | %s |' % (subs, server, ', '.join(per_repeat), best[(subs, server)], ratio))

    print()
    print('Load average (1/5/15 min) before → after each run:')
    for run in runs:
        print('- %s, %d subscribers, repeat %d: %s' % (run['server'], run['subs'], run['repeat'], run['load']))


if __name__ == '__main__':
    main(sys.argv[1])
