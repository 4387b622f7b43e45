import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byArea: [string, number][];
  topFunctions: [string, number][];
}

/** Where a frame's code lives, coarse enough to read in a table. */
function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle (waiting for I/O)';
  if (fn === '(program)') return 'V8/native (program)';
  if (url.includes('node_modules/kafkajs/src/protocol')) return 'kafkajs protocol (encode/decode, CRC, records)';
  if (url.includes('node_modules/kafkajs')) return 'kafkajs client (consumer, producer, network)';
  if (url.includes('classic-level') || url.includes('abstract-level')) return 'LevelDB binding (classic-level)';
  if (url.includes('prom-client')) return 'prom-client';
  if (url.includes('/runtime/task/')) return 'streamhouse task runtime';
  if (url.includes('/runtime/state/')) return 'streamhouse state stores';
  if (url.includes('/runtime/dsl/')) return 'streamhouse DSL processors';
  if (url.includes('/runtime/serde/')) return 'streamhouse serdes';
  if (url.startsWith('node:') || url === '') return 'Node.js core (buffers, timers, net)';
  return 'other';
}

/** Self time by area and the hottest functions of a V8 `.cpuprofile`. */
export function summarizeCpuProfile(path: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const totalSamples = profile.samples.length;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalSamples > 0 ? totalMs / totalSamples : 0;
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = counts.get(node.id) ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + hits * msPerSample);
    const file = url.replace(/^.*\/(node_modules\/|runtime\/)/, '$1');
    const name = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + hits * msPerSample);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, byArea: sorted(areas), topFunctions: sorted(functions).slice(0, top) };
}
