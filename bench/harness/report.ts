/**
 * The benchmark convention: a readable table, then exactly one line of JSON holding
 * the figures (so tools can compare runs). Human text goes to stdout before the JSON
 * line; logs go to stderr.
 */
import os from 'node:os';
import Table from 'cli-table3';

import { percentile } from '../../pipeline/metrics/percentile.js';

export { percentile };

export interface BenchTarget {
  name: string;
  /** What was required, e.g. ">= 5x". */
  required: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  bench: string;
  title: string;
  head: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
  targets: BenchTarget[];
  /** Everything measured, for the JSON line. */
  figures: Record<string, unknown>;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()}-${os.arch()}`,
    node: process.version,
  };
}

export function renderReport(report: BenchReport, machine = machineInfo()): string {
  const lines: string[] = [];
  lines.push(`collar bench ${report.bench}: ${report.title}`);
  lines.push(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}`);
  const table = new Table({ head: report.head, style: { head: [], border: [] } });
  for (const row of report.rows) table.push(row.map(String));
  lines.push(table.toString());
  if (report.targets.length) {
    const targets = new Table({ head: ['target', 'required', 'measured', 'result'], style: { head: [], border: [] } });
    for (const t of report.targets) targets.push([t.name, t.required, t.measured, t.met ? 'met' : 'MISSED']);
    lines.push(targets.toString());
  }
  for (const note of report.notes ?? []) lines.push(`note: ${note}`);
  const json = {
    bench: report.bench,
    date: new Date().toISOString(),
    machine,
    ...report.figures,
    targets: report.targets,
    targetsMet: report.targets.every((t) => t.met),
  };
  lines.push(JSON.stringify(json));
  return lines.join('\n');
}

/** Nearest-rank percentile of unsorted values (`fraction` in 0..1); sorts a copy. */
export function percentileOf(values: readonly number[], fraction: number): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    fraction,
  );
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
