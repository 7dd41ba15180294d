/**
 * `npm run bench -- --profile`: each instance's V8 CPU profile (`node --cpu-prof`) summarised
 * as self time by module, as shares of its busy time (idle excluded). The summary, not the
 * raw profile, is what goes into docs/benchmarks.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

const IDLE = '(idle)';
const OURS = /\/(middleware|contract|logging)\/(?:build\/)?(?:dist|src)\/(.*)$/;

/** The module a frame belongs to: a package, a node core area, a folder of ours, or V8's own. */
export function moduleOf({ functionName, url }: CallFrame): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return functionName;
  if (url === '') return `native ${functionName || '(anonymous)'}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const dependency = url.lastIndexOf('/node_modules/');
  if (dependency >= 0) {
    const [scope, name] = url.slice(dependency + '/node_modules/'.length).split('/');
    return `npm ${scope?.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  const ours = OURS.exec(url);
  if (ours) return `${ours[1]}/${ours[2]!.split('/').slice(0, -1).slice(0, 2).join('/') || '(top level)'}`;
  return url;
}

function isProfile(value: unknown): value is CpuProfile {
  const profile = value as CpuProfile;
  return Array.isArray(profile?.nodes) && Array.isArray(profile.samples) && Array.isArray(profile.timeDeltas);
}

/** Self time (ms) by module, biggest first, with its share of the busy (non-idle) time. */
export function selfTimeByModule(profile: CpuProfile): Array<{ module: string; ms: number; share: number }> {
  const moduleById = new Map(profile.nodes.map((node) => [node.id, moduleOf(node.callFrame)]));
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const module = moduleById.get(id) ?? '(unknown)';
    micros.set(module, (micros.get(module) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  micros.delete(IDLE);
  const busy = [...micros.values()].reduce((sum, value) => sum + value, 0);
  return [...micros].map(([module, value]) => ({ module, ms: value / 1000, share: busy > 0 ? value / busy : 0 })).sort((a, b) => b.ms - a.ms);
}

/** One line per module (the `top` biggest) for every profile in `dir`. */
export function summariseProfiles(dir: string, top = 15): string[] {
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')) : [];
  if (files.length === 0) return [`no profile in ${dir}: an instance that does not exit cleanly writes none (raise BENCH_STOP_MS)`];
  return files.flatMap((name) => {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (!isProfile(parsed)) return [`${name}: not a V8 CPU profile`];
    const rows = selfTimeByModule(parsed);
    const busyMs = rows.reduce((sum, row) => sum + row.ms, 0);
    return [
      `${name}: ${(busyMs / 1000).toFixed(1)} s busy; self time by module:`,
      ...rows.slice(0, top).map((row) => `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.module}`),
    ];
  });
}
