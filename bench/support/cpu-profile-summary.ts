// Where a V8 CPU profile (node --cpu-prof) spent its time: self time summed by function and by
// package or source file, largest first. Used by the full-stack benchmark for docs/benchmarks.md,
// and by hand:
//
//   npx tsx bench/support/cpu-profile-summary.ts CPU.<...>.cpuprofile [rows]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  /** Microseconds on the monotonic clock process.hrtime reads. */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  /** Share of all sampled time, 0..1. */
  share: number;
  milliseconds: number;
}

export interface ProfileSummary {
  totalMilliseconds: number;
  byFunction: SelfTime[];
  byOrigin: SelfTime[];
}

/** The package (`fastify`, `@opentelemetry/sdk-trace-base`), source file, or Node's own module. */
export function originOf(url: string): string {
  if (url === '') return '(V8, native code, GC)';
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged) return packaged[1]!;
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).split('/')[1] ?? url}`;
  const project = /\/(dist\/[^?#]+|src\/[^?#]+|bench\/[^?#]+)/.exec(url);
  return project ? project[1]! : url;
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (url === '') return name;
  const file = url
    .replace(/^file:\/\//, '')
    .split('/node_modules/')
    .at(-1)!;
  const short = file.includes('/dist/') ? file.slice(file.indexOf('/dist/') + 1) : file;
  return `${name} ${short}:${lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, total: number, rows: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, microseconds]) => ({
      name,
      share: microseconds / total,
      milliseconds: microseconds / 1000,
    }));
}

/**
 * Each sample's node and duration, from `sinceMicroseconds` on (process.hrtime's clock; the start-up
 * before a load is left out that way). Idle time, the event loop waiting (for PostgreSQL, for the
 * load generator), is not work and is left out too.
 */
function workSamples(profile: CpuProfile, sinceMicroseconds: number): { node: ProfileNode; delta: number }[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples: { node: ProfileNode; delta: number }[] = [];
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    const node = nodes.get(nodeId);
    if (!node || delta <= 0 || time < sinceMicroseconds || node.callFrame.functionName === '(idle)') return;
    samples.push({ node, delta });
  });
  return samples;
}

export function summariseCpuProfile(profile: CpuProfile, rows = 25, sinceMicroseconds = 0): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let total = 0;
  for (const { node, delta } of workSamples(profile, sinceMicroseconds)) {
    total += delta;
    const label = functionLabel(node);
    byFunction.set(label, (byFunction.get(label) ?? 0) + delta);
    const origin = originOf(node.callFrame.url);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + delta);
  }
  return {
    totalMilliseconds: total / 1000,
    byFunction: ranked(byFunction, total, rows),
    byOrigin: ranked(byOrigin, total, rows),
  };
}

/** The share of sampled time spent in functions whose name matches (idle left out). */
export function shareOfFunctions(profile: CpuProfile, name: RegExp, sinceMicroseconds = 0): number {
  let total = 0;
  let matching = 0;
  for (const { node, delta } of workSamples(profile, sinceMicroseconds)) {
    total += delta;
    if (name.test(node.callFrame.functionName)) matching += delta;
  }
  return total === 0 ? 0 : matching / total;
}

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, rows] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: cpu-profile-summary.ts <file.cpuprofile> [rows]\n');
    process.exit(2);
  }
  const summary = summariseCpuProfile(readCpuProfile(path), Number(rows ?? 30));
  const print = (title: string, entries: SelfTime[]) => {
    console.log(`\n${title} (of ${summary.totalMilliseconds.toFixed(0)} ms sampled)`);
    for (const entry of entries)
      console.log(
        `${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.milliseconds.toFixed(0).padStart(6)} ms  ${entry.name}`,
      );
  };
  print('self time by package or file', summary.byOrigin);
  print('self time by function', summary.byFunction);
}
