import { describe, expect, it } from 'vitest';
import { CommitFailedError, IcebergError } from '../../../../connectors/iceberg/errors.ts';
import { applyUpdates, checkRequirements } from '../../../../connectors/iceberg/metadata/updates.ts';
import { newTableMetadata } from '../../../../connectors/iceberg/metadata/table-metadata.ts';

const base = () =>
  newTableMetadata({
    location: 's3://b/t/',
    schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] },
    spec: { 'spec-id': 0, fields: [] },
    nowMs: 1000,
    uuid: 'u-1',
  });
const snapshot = (id: number | bigint, seq: number, extra: Record<string, unknown> = {}) => ({
  'snapshot-id': id, 'sequence-number': seq, 'timestamp-ms': 2000, 'manifest-list': 's3://b/t/metadata/snap.avro', summary: { operation: 'append' }, ...extra,
});

describe('table metadata, requirements and updates', () => {
  it('creates strict v2 metadata with every required field', () => {
    const m = base();
    for (const key of ['format-version', 'table-uuid', 'location', 'last-sequence-number', 'last-updated-ms', 'last-column-id', 'schemas', 'current-schema-id', 'partition-specs', 'default-spec-id', 'last-partition-id', 'sort-orders', 'default-sort-order-id']) {
      expect(m, key).toHaveProperty([key]);
    }
    expect(m).toMatchObject({ 'format-version': 2, location: 's3://b/t', 'last-column-id': 1, 'last-partition-id': 999, 'sort-orders': [{ 'order-id': 0, fields: [] }] });
  });

  it('adds a snapshot, moves main, and logs it', () => {
    const big = 9_000_000_000_000_000_001n;
    const m = applyUpdates(base(), [
      { action: 'add-snapshot', snapshot: snapshot(big, 1) },
      { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': big },
    ], 3000);
    expect(m['current-snapshot-id']).toBe(big);
    expect(m['last-sequence-number']).toBe(1);
    expect(m.refs.main).toEqual({ 'snapshot-id': big, type: 'branch' });
    expect(m['snapshot-log']).toEqual([{ 'timestamp-ms': 3000, 'snapshot-id': big }]);
    expect(m['last-updated-ms']).toBe(3000);
  });

  it('fails requirements with CommitFailedError (HTTP 409)', () => {
    const m = applyUpdates(base(), [{ action: 'add-snapshot', snapshot: snapshot(5, 1) }, { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': 5 }], 3000);
    expect(() => checkRequirements(m, [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': 4 }])).toThrow(new CommitFailedError('Requirement failed: branch main has changed: expected id 4 != 5'));
    expect(() => checkRequirements(m, [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': null }])).toThrow('branch or tag main was created concurrently');
    expect(() => checkRequirements(m, [{ type: 'assert-create' }])).toThrow('Requirement failed: table already exists');
    expect(() => checkRequirements(m, [{ type: 'assert-table-uuid', uuid: 'other' }])).toThrow(CommitFailedError);
    expect(() => checkRequirements(m, [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': 5 }, { type: 'assert-current-schema-id', 'current-schema-id': 0 }])).not.toThrow();
  });

  it('rejects unknown updates and malformed snapshots as bad requests (HTTP 400)', () => {
    expect(() => applyUpdates(base(), [{ action: 'teleport' }], 1)).toThrow(new IcebergError('BAD_REQUEST', 'unknown table update action "teleport"'));
    expect(() => applyUpdates(base(), [{ action: 'add-snapshot', snapshot: snapshot(1, 1, { 'timestamp-ms': 1.5 }) }], 1)).toThrow('add-snapshot: snapshot timestamp-ms is not an integer');
    expect(() => checkRequirements(base(), [{ type: 'assert-mood' }])).toThrow('unknown requirement type "assert-mood"');
  });

  it('adds a schema with a new column and makes it current (-1 = the last added)', () => {
    const m = applyUpdates(base(), [
      { action: 'add-schema', schema: { type: 'struct', 'schema-id': 1, fields: [{ id: 1, name: 'id', required: true, type: 'long' }, { id: 2, name: 'note', required: false, type: 'string' }] } },
      { action: 'set-current-schema', 'schema-id': -1 },
    ], 1);
    expect(m['current-schema-id']).toBe(1);
    expect(m['last-column-id']).toBe(2);
    expect(m.schemas).toHaveLength(2);
  });
});
