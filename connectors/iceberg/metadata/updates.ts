import { IcebergError, CommitFailedError } from '../errors.ts';
import { sameId } from '../internal/lossless-json.ts';
import type { PartitionSpec } from '../partition/spec.ts';
import type { Schema } from '../schema/types.ts';
import { maxFieldId } from '../schema/types.ts';
import type { Snapshot, SnapshotRef, SortOrder, TableMetadata } from './table-metadata.ts';

/** A table requirement of the REST commit (OpenAPI `TableRequirement`). */
export type Requirement = { type: string; [k: string]: unknown };
/** A table update of the REST commit (OpenAPI `TableUpdate`). */
export type Update = { action: string; [k: string]: unknown };

/**
 * Checks requirements against the current metadata (undefined: the table does not
 * exist yet). A failed requirement throws CommitFailedError (HTTP 409); an unknown
 * type throws IcebergError BAD_REQUEST (HTTP 400).
 */
export function checkRequirements(m: TableMetadata | undefined, reqs: Requirement[]): void {
  for (const r of reqs) {
    if (r.type === 'assert-create') {
      if (m) throw new CommitFailedError('Requirement failed: table already exists');
      continue;
    }
    if (!m) throw new CommitFailedError(`Requirement failed: table does not exist (${r.type})`);
    const fail = (what: string) => {
      throw new CommitFailedError(`Requirement failed: ${what}`);
    };
    switch (r.type) {
      case 'assert-table-uuid':
        if (r.uuid !== m['table-uuid']) fail(`table uuid ${m['table-uuid']} != ${String(r.uuid)}`);
        break;
      case 'assert-ref-snapshot-id': {
        const ref = m.refs[r.ref as string];
        const want = r['snapshot-id'] as number | bigint | null;
        if (want === null || want === undefined) {
          if (ref) fail(`branch or tag ${String(r.ref)} was created concurrently`);
        } else if (!ref || !sameId(ref['snapshot-id'], want)) {
          fail(`branch ${String(r.ref)} has changed: expected id ${want} != ${ref ? ref['snapshot-id'] : 'none'}`);
        }
        break;
      }
      case 'assert-last-assigned-field-id':
        if (m['last-column-id'] !== r['last-assigned-field-id']) fail(`last assigned field id changed: ${m['last-column-id']}`);
        break;
      case 'assert-current-schema-id':
        if (m['current-schema-id'] !== r['current-schema-id']) fail(`current schema changed: ${m['current-schema-id']}`);
        break;
      case 'assert-last-assigned-partition-id':
        if (m['last-partition-id'] !== r['last-assigned-partition-id']) fail(`last assigned partition id changed: ${m['last-partition-id']}`);
        break;
      case 'assert-default-spec-id':
        if (m['default-spec-id'] !== r['default-spec-id']) fail(`default spec changed: ${m['default-spec-id']}`);
        break;
      case 'assert-default-sort-order-id':
        if (m['default-sort-order-id'] !== r['default-sort-order-id']) fail(`default sort order changed: ${m['default-sort-order-id']}`);
        break;
      default:
        throw new IcebergError('BAD_REQUEST', `unknown requirement type "${r.type}"`);
    }
  }
}

/** Applies updates to a copy of the metadata; `nowMs` stamps last-updated-ms and logs. */
export function applyUpdates(base: TableMetadata, updates: Update[], nowMs: number): TableMetadata {
  const m: TableMetadata = structuredClone(base);
  let lastSchemaId: number | undefined;
  let lastSpecId: number | undefined;
  let lastOrderId: number | undefined;
  for (const u of updates) {
    switch (u.action) {
      case 'assign-uuid': m['table-uuid'] = u.uuid as string; break;
      case 'upgrade-format-version':
        if (u['format-version'] !== 2) throw new IcebergError('BAD_REQUEST', `format version ${String(u['format-version'])} is not supported (v2 only)`);
        break;
      case 'add-schema': {
        const schema = u.schema as Schema;
        const existing = m.schemas.find((s) => JSON.stringify(s.fields) === JSON.stringify(schema.fields));
        if (existing) lastSchemaId = existing['schema-id'];
        else {
          const id = Math.max(-1, ...m.schemas.map((s) => s['schema-id'])) + 1;
          m.schemas.push({ ...schema, 'schema-id': id });
          lastSchemaId = id;
        }
        m['last-column-id'] = Math.max(m['last-column-id'], Number(u['last-column-id'] ?? 0), maxFieldId(schema.fields));
        break;
      }
      case 'set-current-schema': m['current-schema-id'] = resolve(u['schema-id'] as number, lastSchemaId, 'schema'); break;
      case 'add-spec': {
        const spec = u.spec as PartitionSpec;
        const id = spec['spec-id'] ?? Math.max(-1, ...m['partition-specs'].map((s) => s['spec-id'])) + 1;
        if (!m['partition-specs'].some((s) => s['spec-id'] === id)) m['partition-specs'].push({ ...spec, 'spec-id': id });
        lastSpecId = id;
        m['last-partition-id'] = Math.max(m['last-partition-id'], ...spec.fields.map((f) => f['field-id']));
        break;
      }
      case 'set-default-spec': m['default-spec-id'] = resolve(u['spec-id'] as number, lastSpecId, 'spec'); break;
      case 'add-sort-order': {
        const order = u['sort-order'] as SortOrder;
        if (!m['sort-orders'].some((o) => o['order-id'] === order['order-id'])) m['sort-orders'].push(order);
        lastOrderId = order['order-id'];
        break;
      }
      case 'set-default-sort-order': m['default-sort-order-id'] = resolve(u['sort-order-id'] as number, lastOrderId, 'sort order'); break;
      case 'add-snapshot': {
        const s = u.snapshot as Snapshot;
        validSnapshot(s);
        if (m.snapshots.some((x) => sameId(x['snapshot-id'], s['snapshot-id']))) throw new CommitFailedError(`snapshot ${s['snapshot-id']} already exists`);
        if (s['sequence-number'] <= m['last-sequence-number'] && m.snapshots.length > 0) {
          throw new CommitFailedError(`sequence number ${s['sequence-number']} is not above the table's last ${m['last-sequence-number']}`);
        }
        m.snapshots.push(s);
        m['last-sequence-number'] = Math.max(m['last-sequence-number'], s['sequence-number']);
        break;
      }
      case 'set-snapshot-ref': {
        const { action: _a, 'ref-name': name, ...ref } = u as Update & { 'ref-name': string };
        const r = ref as unknown as SnapshotRef;
        if (!m.snapshots.some((s) => sameId(s['snapshot-id'], r['snapshot-id']))) throw new IcebergError('BAD_REQUEST', `snapshot ${r['snapshot-id']} does not exist`);
        m.refs[name] = r;
        if (name === 'main') {
          m['current-snapshot-id'] = r['snapshot-id'];
          m['snapshot-log'].push({ 'timestamp-ms': nowMs, 'snapshot-id': r['snapshot-id'] });
        }
        break;
      }
      case 'remove-snapshots': {
        const ids = (u['snapshot-ids'] as (number | bigint)[]).map((x) => BigInt(x));
        m.snapshots = m.snapshots.filter((s) => !ids.includes(BigInt(s['snapshot-id'])));
        m['snapshot-log'] = m['snapshot-log'].filter((l) => !ids.includes(BigInt(l['snapshot-id'])));
        break;
      }
      case 'remove-snapshot-ref':
        delete m.refs[u['ref-name'] as string];
        if (u['ref-name'] === 'main') m['current-snapshot-id'] = null;
        break;
      case 'set-location': m.location = u.location as string; break;
      case 'set-properties': Object.assign(m.properties, u.updates as Record<string, string>); break;
      case 'remove-properties': for (const k of u.removals as string[]) delete m.properties[k]; break;
      case 'set-statistics':
      case 'remove-statistics':
      case 'set-partition-statistics':
      case 'remove-partition-statistics':
        break; // statistics files are optional; accepted and not recorded
      default:
        throw new IcebergError('BAD_REQUEST', `unknown table update action "${u.action}"`);
    }
  }
  m['last-updated-ms'] = nowMs;
  return m;
}

function resolve(id: number, last: number | undefined, what: string): number {
  if (id !== -1) return id;
  if (last === undefined) throw new IcebergError('BAD_REQUEST', `-1 refers to the last added ${what}, but none was added`);
  return last;
}

/** A strict reader rejects a snapshot with a missing or mistyped required field; so does the catalog. */
function validSnapshot(s: Snapshot): void {
  const isLong = (v: unknown) => typeof v === 'bigint' || Number.isSafeInteger(v);
  const problem =
    !s || typeof s !== 'object' ? 'is missing'
    : !isLong(s['snapshot-id']) ? 'snapshot-id is not a long'
    : !Number.isSafeInteger(s['sequence-number']) ? 'sequence-number is not a long'
    : !Number.isSafeInteger(s['timestamp-ms']) ? 'timestamp-ms is not an integer'
    : typeof s['manifest-list'] !== 'string' ? 'manifest-list is not a string'
    : !['append', 'replace', 'overwrite', 'delete'].includes(s.summary?.operation) ? 'summary.operation is not append, replace, overwrite or delete'
    : undefined;
  if (problem) throw new IcebergError('BAD_REQUEST', `add-snapshot: snapshot ${problem}`);
}
