import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../topologies/', import.meta.url).pathname;

function importsOf(folder: string): { file: string; from: string }[] {
  const out: { file: string; from: string }[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    for (const m of readFileSync(path, 'utf8').matchAll(/^import .* from '([^']+)'/gm)) out.push({ file: path.slice(ROOT.length), from: m[1]! });
  }
  return out;
}

describe('independence', () => {
  it('the oracle imports nothing but itself, node built-ins and the segment map data', () => {
    expect(importsOf('oracle').length).toBeGreaterThan(10);
    const foreign = importsOf('oracle').filter((i) => !i.from.startsWith('./') && i.from !== '../rfm-segments.json');
    expect(foreign).toEqual([]);
  });

  it('the logic imports neither the runtime nor the oracle, and no I/O module', () => {
    expect(importsOf('logic').length).toBeGreaterThan(30);
    const bad = importsOf('logic').filter((i) => !(i.from.startsWith('./') || i.from.startsWith('../') || i.from === 'node:crypto') || /runtime|oracle/.test(i.from));
    expect(bad).toEqual([]);
  });
});
