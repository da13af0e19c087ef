import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './run-bench';

const fmt = (v: unknown): string =>
  typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(v);

/** The figures as a table, one row per figure, grouped by section. */
export function formatTable(r: BenchResult): string {
  const rows: Array<[string, string, string]> = [];
  const add = (section: string, values: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(values)) rows.push([section, k, fmt(v)]);
  };
  add('initial', r.initial);
  add('noop', r.noop);
  add('incremental', r.incremental);
  if (r.events) add('events', r.events);
  if (r.ews) add('ews', r.ews);
  add('envelope', r.envelope);
  add('resources', r.resources);
  add('simulator', r.simulator);
  add('baseline', r.baseline);
  add('ratios', r.ratios);
  const w0 = Math.max(...rows.map((x) => x[0].length), 7);
  const w1 = Math.max(...rows.map((x) => x[1].length), 6);
  const w2 = Math.max(...rows.map((x) => x[2].length), 5);
  const line = `+-${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+-${'-'.repeat(w2)}-+`;
  const m = r.machine;
  const s = r.settings as {
    workers: number;
    workerConcurrency: number;
    simulator: { serviceTimeMs: unknown };
  };
  return [
    `bench tier ${r.tier}: ${fmt(r.settings.mailboxes)} mailboxes x ${fmt(r.settings.contacts)} contacts, ` +
      `${s.workers} workers x ${s.workerConcurrency}; sim service time ${JSON.stringify(s.simulator.serviceTimeMs)} ms`,
    `machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}; total ${r.totalSeconds} s`,
    line,
    `| ${'section'.padEnd(w0)} | ${'figure'.padEnd(w1)} | ${'value'.padStart(w2)} |`,
    line,
    ...rows.map(([a, b, c]) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c.padStart(w2)} |`),
    line,
  ].join('\n');
}

/** Writes bench/results/<tier>-latest.json; returns its path. */
export function writeResult(r: BenchResult): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${r.tier}-latest.json`);
  writeFileSync(path, JSON.stringify(r, null, 2) + '\n');
  return path;
}
