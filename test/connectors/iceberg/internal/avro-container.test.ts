import { Readable } from 'node:stream';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readContainer, writeContainer } from '../../../../connectors/iceberg/internal/avro-container.ts';
import { MANIFEST_LIST_SCHEMA } from '../../../../connectors/iceberg/manifest/avro-schemas.ts';

const entry = (id: bigint | number) => ({
  manifest_path: 's3://b/m.avro', manifest_length: 10, partition_spec_id: 0, content: 0, sequence_number: 3, min_sequence_number: 1,
  added_snapshot_id: id, added_files_count: 1, existing_files_count: 0, deleted_files_count: 0, added_rows_count: 5, existing_rows_count: 0,
  deleted_rows_count: 0, partitions: [{ contains_null: false, contains_nan: null, lower_bound: Buffer.from([1, 0, 0, 0]), upper_bound: null }], key_metadata: null,
});

describe('Avro object container files', () => {
  it('keep the field ids in the header schema and 63-bit longs exactly', () => {
    const big = 9_123_456_789_012_345_678n;
    const file = writeContainer(MANIFEST_LIST_SCHEMA, [entry(big), entry(7)], { 'snapshot-id': String(big) });
    const back = readContainer(file);
    expect(back.metadata['snapshot-id']).toBe(String(big));
    expect(back.metadata['avro.codec']).toBe('deflate');
    const header = JSON.parse(back.metadata['avro.schema']!) as { fields: { name: string; 'field-id': number; type: unknown }[] };
    expect(header.fields.find((f) => f.name === 'added_snapshot_id')!['field-id']).toBe(503);
    expect(JSON.stringify(header)).toContain('"element-id":508');
    expect((back.records as { added_snapshot_id: unknown }[]).map((r) => r.added_snapshot_id)).toEqual([big, 7]);
  });

  it('can be read by avsc’s own decoder', async () => {
    const file = writeContainer(MANIFEST_LIST_SCHEMA, [entry(42)], {});
    const records: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      Readable.from([file]).pipe(new avro.streams.BlockDecoder()).on('data', (r: unknown) => records.push(r)).on('end', resolve).on('error', reject);
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ manifest_path: 's3://b/m.avro', added_snapshot_id: 42, added_rows_count: 5 });
  });

  it('rejects what is not a container file', () => {
    expect(() => readContainer(Buffer.from('PAR1 not avro'))).toThrow('not an Avro object container file');
  });
});
