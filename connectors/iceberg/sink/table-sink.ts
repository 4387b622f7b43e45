import { IcebergError } from '../errors.ts';
import type { RestCatalogClient } from '../client/rest-catalog-client.ts';
import type { FileIO } from '../io/file-io.ts';
import type { DataFile } from '../manifest/model.ts';
import { currentSchema, defaultSpec, type TableMetadata } from '../metadata/table-metadata.ts';
import type { Row } from '../schema/avro-values.ts';
import type { AvroSchema } from '../schema/avro-to-iceberg.ts';
import { commitSnapshot } from '../table/commit-snapshot.ts';
import { writeDataFiles } from '../table/data-writer.ts';
import { ensureTable, type TableDefinition } from '../table/ensure-table.ts';
import { keyOf, upsert } from '../table/upsert.ts';
import { encodeOffsets, OFFSETS_KEY, offsetsOf, sameOffsets, type Offsets } from './offsets.ts';
import { recordKeyDecoder, type KeyFormat } from './record-key.ts';

export interface TableSinkContext {
  client: RestCatalogClient;
  io: FileIO;
  nowMs: () => number;
}

const copy = (o: Offsets): Offsets => new Map([...o].map(([t, p]) => [t, new Map(p)]));

/**
 * The rows of one table between two commits. Rows are buffered, rolled into Parquet
 * files (`roll`), and the files become visible in one snapshot per commit, whose
 * summary holds the next offset of every topic partition the table has consumed.
 *
 * Exactly-once: the table's offsets are the only checkpoint. `open` starts from them;
 * a record below the in-memory position is a replay and is skipped. A commit checks
 * that the table still holds the offsets this sink started from; if they moved,
 * another writer owns the table (FENCED); if they already equal the new positions,
 * an earlier attempt whose answer was lost did commit.
 *
 * A keyed (upsert) table buffers the latest change per key instead: a row (`add`) or a
 * delete (`remove`, from a tombstone); whichever came last wins, and one commit applies
 * them all as one position-delete upsert.
 */
export class TableSink {
  /** Undefined until the first record's schema is known (Avro values with no configured schema). */
  private metadata?: TableMetadata;
  private committed: Offsets = new Map();
  private positions: Offsets = new Map();
  /** Append tables: the rows not yet rolled into files. */
  private rows: Row[] = [];
  /** Keyed tables: the latest row per key, and the keys deleted after their last row. */
  private upserts = new Map<string, Row>();
  private deletes = new Map<string, Row>();
  private keyDecoder?: { schemaId: number; format: KeyFormat; decode: (key: Buffer | null) => Row };
  private pending: DataFile[] = [];
  private avro: AvroSchema;
  bufferedBytes = 0;

  constructor(
    private readonly ctx: TableSinkContext,
    readonly def: TableDefinition & { topics: string[] },
  ) {
    this.avro = def.avro;
  }

  get name(): string {
    return `${this.def.namespace.join('.')}.${this.def.name}`;
  }

  /**
   * Creates or evolves the table and loads its committed offsets. Without a schema yet
   * (no fields: Avro values whose schema comes with the first record), an existing
   * table is only loaded, and a missing one is created by the first `evolve`.
   */
  async open(): Promise<Offsets> {
    const known = ((this.avro as { fields?: unknown[] }).fields ?? []).length > 0;
    this.metadata = known
      ? (await ensureTable(this.ctx.client, { ...this.def, avro: this.avro })).metadata
      : (await this.ctx.client.loadTable(this.def.namespace, this.def.name))?.metadata;
    if (!this.metadata) return new Map();
    this.committed = offsetsOf(this.metadata);
    this.positions = copy(this.committed);
    return copy(this.committed);
  }

  /** Follows a new writer schema: pending rows are written first, then the table evolves. */
  async evolve(avro: AvroSchema): Promise<void> {
    if (this.metadata && JSON.stringify(avro) === JSON.stringify(this.avro)) return;
    await this.roll();
    this.avro = avro;
    this.metadata = (await ensureTable(this.ctx.client, { ...this.def, avro })).metadata;
  }

  /** The next offset this sink expects for a partition (undefined: none seen yet). */
  position(topic: string, partition: number): bigint | undefined {
    return this.positions.get(topic)?.get(partition);
  }

  private get keyed(): boolean {
    return !!this.def.key?.length;
  }

  /** Adds a row (or, with row undefined, only advances past a skipped record). */
  add(row: Row | undefined, topic: string, partition: number, offset: bigint, bytes: number): void {
    if (row && this.keyed) {
      const k = keyOf(row, this.def.key!);
      this.deletes.delete(k);
      this.upserts.set(k, row);
    } else if (row) this.rows.push(row);
    this.advance(topic, partition, offset, bytes);
  }

  /** Deletes the row with this key (a key row from `deleteKeyOf`) in the next commit. */
  remove(key: Row, topic: string, partition: number, offset: bigint, bytes: number): void {
    const k = keyOf(key, this.def.key!);
    this.upserts.delete(k);
    this.deletes.set(k, key);
    this.advance(topic, partition, offset, bytes);
  }

  /**
   * The key row a tombstone's record key names, decoded with the table's key columns;
   * undefined while the table does not exist (nothing to delete). Throws BAD_RECORD when
   * the key does not decode.
   */
  deleteKeyOf(recordKey: Buffer | null, format: KeyFormat): Row | undefined {
    if (!this.keyed) throw new IcebergError('NO_KEY', `table ${this.name} has no key columns: tombstones cannot delete`);
    if (!this.metadata) return undefined;
    const schema = currentSchema(this.metadata);
    if (this.keyDecoder?.schemaId !== schema['schema-id'] || this.keyDecoder.format !== format) {
      const columns = this.def.key!.map((name) => {
        const field = schema.fields.find((f) => f.name === name);
        if (!field) throw new IcebergError('NO_KEY', `table ${this.name} has no key column "${name}"`);
        return field;
      });
      this.keyDecoder = { schemaId: schema['schema-id'], format, decode: recordKeyDecoder(format, columns) };
    }
    return this.keyDecoder.decode(recordKey);
  }

  private advance(topic: string, partition: number, offset: bigint, bytes: number): void {
    this.bufferedBytes += bytes;
    let parts = this.positions.get(topic);
    if (!parts) this.positions.set(topic, (parts = new Map()));
    parts.set(partition, offset + 1n);
  }

  /** Buffered changes: rows not yet rolled, or (keyed tables) rows and deletes by key. */
  get bufferedRows(): number {
    return this.rows.length + this.upserts.size + this.deletes.size;
  }

  /** The size roll: keyed tables commit (an upsert needs its rows), others write files. */
  async flush(): Promise<void> {
    if (this.keyed) await this.commit();
    else await this.roll();
  }

  /** Writes the buffered rows as data files (not yet visible). Safe to retry. */
  async roll(): Promise<void> {
    if (this.rows.length === 0 || this.keyed) return;
    const m = this.metadata!;
    const files = await writeDataFiles(this.ctx.io, m.location, currentSchema(m), defaultSpec(m), this.rows);
    this.pending.push(...files);
    this.rows = [];
    this.bufferedBytes = 0;
  }

  /** Rolls and commits one snapshot; returns the offsets now committed, or undefined if nothing changed. */
  async commit(): Promise<Offsets | undefined> {
    await this.roll();
    if (!this.metadata) return undefined; // no record has been appended yet: no table to hold offsets
    if (this.pending.length === 0 && this.bufferedRows === 0 && sameOffsets(this.positions, this.committed, this.def.topics)) return undefined;
    const target = copy(this.positions);
    let landed = false;
    const fence = (m: TableMetadata) => {
      const current = offsetsOf(m);
      if (sameOffsets(current, this.committed, this.def.topics)) return;
      if (sameOffsets(current, target, this.def.topics)) {
        landed = true;
        throw new IcebergError('ALREADY_COMMITTED', 'an earlier attempt of this commit succeeded');
      }
      throw new IcebergError('FENCED', `table ${this.name} holds offsets ${encodeOffsets(current)}, this sink expected ${encodeOffsets(this.committed)}: another writer is committing to it`);
    };
    if (this.keyed) {
      const ctx = { client: this.ctx.client, io: this.ctx.io, namespace: this.def.namespace, table: this.def.name, nowMs: this.ctx.nowMs };
      try {
        await upsert(ctx, [...this.upserts.values()], { [OFFSETS_KEY]: encodeOffsets(target) }, fence, [...this.deletes.values()]);
      } catch (err) {
        if (!landed) throw err;
      }
      this.committed = target;
      this.upserts.clear();
      this.deletes.clear();
      this.bufferedBytes = 0;
      return copy(target);
    }
    try {
      const { metadata } = await commitSnapshot(
        { client: this.ctx.client, io: this.ctx.io, namespace: this.def.namespace, table: this.def.name, nowMs: this.ctx.nowMs },
        {
          operation: 'append',
          addedData: this.pending,
          summary: { [OFFSETS_KEY]: encodeOffsets(target) },
          validate: fence,
        },
      );
      this.metadata = metadata;
    } catch (err) {
      if (!landed) throw err;
    }
    this.committed = target;
    this.pending = [];
    return copy(target);
  }
}
