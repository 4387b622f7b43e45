import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, SCHEMAS_DIR, generate } from '../../schemas/gen.ts';
import { LOGICAL_TYPES } from '../../schemas/logical-types.ts';
import { allTopics } from '../../topologies/topics.ts';

describe('schemas:gen', () => {
  it('the generated files on disk are up to date (run `npm run schemas:gen`)', () => {
    const expected = generate();
    const onDisk = readdirSync(GENERATED_DIR).sort();
    expect(onDisk).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      expect(readFileSync(join(GENERATED_DIR, name), 'utf8'), name).toBe(content);
    }
  });

  it('every .avsc parses with the streamhouse logical types, and money is a decimal', () => {
    const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.avsc'));
    expect(files.length).toBeGreaterThanOrEqual(17);
    for (const file of files) {
      const raw = readFileSync(join(SCHEMAS_DIR, file), 'utf8');
      expect(() => avro.Type.forSchema(JSON.parse(raw), { logicalTypes: LOGICAL_TYPES }), file).not.toThrow();
      for (const m of raw.matchAll(/"name": "(price|spend|revenue|credit|monetary|unit_price)[a-z_]*"/g)) {
        const at = raw.indexOf(m[0]);
        expect(raw.slice(at, at + 300), `${file} ${m[1]}`).toContain('"logicalType": "decimal"');
      }
    }
  });

  it('every catalog topic names an existing schema', () => {
    const generated = generate();
    for (const t of allTopics()) expect(generated.has(`${t.schema}.ts`), t.name).toBe(true);
    expect(allTopics().map((t) => t.name)).toContain('bronze.rejects');
  });
});
