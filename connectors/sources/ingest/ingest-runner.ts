import { setTimeout as sleep } from 'node:timers/promises';
import type { DlqEnvelope } from '../../../schemas/generated/index.ts';
import type { Clock } from '../../../runtime/time/clock.ts';
import { LINEAGE_HEADERS, type TopicSpec } from '../../../topologies/topics.ts';
import type { RecordSink } from '../kafka/record-sink.ts';
import type { EventSerializer } from '../serde/event-serializer.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import type { ImportBatch, Importer } from './importers/importer.ts';
import type { ProgressState } from './progress-bar.ts';
import { formatOf, readRows } from './readers/read-rows.ts';
import type { SourceFormat } from './readers/source-row.ts';
import type { SourceFile } from './source-files.ts';

export interface IngestRunOptions {
  files: readonly SourceFile[];
  /** Overrides the format told by each file's name. */
  format?: SourceFormat;
  importer: Importer;
  serializer: EventSerializer;
  sink: RecordSink;
  rejectsTopic: TopicSpec;
  checkpoints: CheckpointStore;
  /** Ingest again from the first row even if a checkpoint says the file is done. */
  force?: boolean;
  /** Rows between checkpoints (each waits for the broker's acknowledgements). */
  checkpointEveryRows?: number;
  /** Replay pacing for backfills: event-time ms per wall ms; absent = as fast as possible. */
  speed?: number;
  clock: Clock;
  /** Aborting stops after the current row: what was released is flushed and checkpointed. */
  signal?: AbortSignal;
  producerId: string;
  runId: string;
  onProgress?: (state: ProgressState, final: boolean) => void;
}

export interface FileReport {
  uri: string;
  identity: string;
  status: 'ingested' | 'already-ingested' | 'interrupted';
  /** Rows skipped because a checkpoint had them done. */
  resumedFromRow: number;
  /** This run: rows released (read = accepted + rejected). */
  read: number;
  accepted: number;
  rejected: number;
  /** Over all runs, from the checkpoint. */
  totalAccepted: number;
  totalRejected: number;
}

/**
 * Ingests files into one topic, resumably. Rows stream through the importer; outputs go to
 * the target topic with lineage headers, rejects to the rejects topic as DLQ envelopes
 * (source file, line, code, reason, raw row). Every `checkpointEveryRows` rows the sink is
 * flushed and a checkpoint records how many rows are released; a restart skips them, so a
 * file is never half-lost and at most the rows after the last checkpoint are sent again,
 * with the same deterministic ids. Stops at the first interrupted file.
 */
export async function runIngest(o: IngestRunOptions): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const file of o.files) {
    const report = await ingestFile(o, file);
    reports.push(report);
    if (report.status === 'interrupted') break;
  }
  return reports;
}

async function ingestFile(o: IngestRunOptions, file: SourceFile): Promise<FileReport> {
  const target = o.importer.target;
  const identity = await file.identity();
  const saved = o.checkpoints.get(identity, o.importer.name, target.name);
  const base = o.force ? undefined : saved;
  const report: FileReport = {
    uri: file.uri, identity, status: 'ingested', resumedFromRow: base?.rowsDone ?? 0, read: 0, accepted: 0, rejected: 0,
    totalAccepted: base?.accepted ?? 0, totalRejected: base?.rejected ?? 0,
  };
  if (base?.complete) return { ...report, status: 'already-ingested' };
  const started = o.clock.now();
  const progress = { bytes: 0 };
  const state = (): ProgressState => ({ label: file.uri.split('/').pop() ?? file.uri, done: progress.bytes, total: file.size, rows: report.read, rejected: report.rejected, elapsedMs: o.clock.now() - started });
  const baseHeaders = { ...o.serializer.headers(target), [LINEAGE_HEADERS.source]: o.importer.name, [LINEAGE_HEADERS.producer]: o.producerId, [LINEAGE_HEADERS.file]: file.uri };
  const rejectHeaders = { ...o.serializer.headers(o.rejectsTopic), [LINEAGE_HEADERS.source]: o.importer.name, [LINEAGE_HEADERS.producer]: o.producerId, [LINEAGE_HEADERS.file]: file.uri };
  let firstEventTime: number | undefined;

  const emit = async (batch: ImportBatch): Promise<void> => {
    for (const out of batch.outputs) {
      let value: Buffer;
      try {
        value = o.serializer.serialize(target, out.value);
      } catch (err) {
        await reject(out.line, 'SCHEMA_VIOLATION', `cannot be encoded: ${(err as Error).message}`, JSON.stringify(out.value), out.rows);
        continue;
      }
      if (o.speed !== undefined) await pace(eventTimeOf(out.value));
      await o.sink.write(target.name, { key: out.key, value, headers: { ...baseHeaders, [LINEAGE_HEADERS.line]: String(out.line), [LINEAGE_HEADERS.ingestTime]: String(o.clock.now()) } });
      report.accepted += out.rows;
      report.read += out.rows;
    }
    for (const r of batch.rejects) await reject(r.line, r.code, r.reason, r.raw, 1);
  };
  const reject = async (line: number, code: string, reason: string, raw: string, rows: number): Promise<void> => {
    const envelope: DlqEnvelope = {
      source: file.uri, line_number: line, partition: null, offset: null, target_topic: target.name, error_code: code, reason,
      raw: Buffer.from(raw, 'utf8'), schema_id: null, run_id: o.runId, rejected_at: o.clock.now(),
    };
    await o.sink.write(o.rejectsTopic.name, { key: file.uri, value: o.serializer.serialize(o.rejectsTopic, envelope), headers: { ...rejectHeaders, [LINEAGE_HEADERS.line]: String(line), [LINEAGE_HEADERS.ingestTime]: String(o.clock.now()) } });
    report.rejected += rows;
    report.read += rows;
  };
  const pace = async (eventTime: number | undefined): Promise<void> => {
    if (eventTime === undefined) return;
    firstEventTime ??= eventTime;
    const ahead = started + (eventTime - firstEventTime) / o.speed! - o.clock.now();
    if (ahead > 2) await sleep(ahead, undefined, { signal: o.signal }).catch(() => undefined);
  };
  const checkpoint = async (rowIndex: number, complete: boolean): Promise<void> => {
    await o.sink.flush();
    o.checkpoints.put({
      uri: file.uri, identity, importer: o.importer.name, topic: target.name, rowsDone: rowIndex - o.importer.pending(),
      accepted: report.totalAccepted + report.accepted, rejected: report.totalRejected + report.rejected, complete, updatedAt: o.clock.now(),
    });
  };

  o.importer.begin({ uri: file.uri, identity });
  const every = o.checkpointEveryRows ?? 50_000;
  let rowIndex = 0;
  let sinceCheckpoint = 0;
  for await (const row of readRows(file, o.format ?? formatOf(file.uri), progress)) {
    rowIndex++;
    if (rowIndex <= report.resumedFromRow) continue;
    await emit(o.importer.push(row));
    if (++sinceCheckpoint >= every) {
      sinceCheckpoint = 0;
      await checkpoint(rowIndex, false);
    }
    if ((rowIndex & 1023) === 0) o.onProgress?.(state(), false);
    if (o.signal?.aborted) {
      report.status = 'interrupted';
      break;
    }
  }
  if (report.status !== 'interrupted') await emit(o.importer.finish());
  await checkpoint(rowIndex, report.status !== 'interrupted');
  report.totalAccepted += report.accepted;
  report.totalRejected += report.rejected;
  o.onProgress?.(state(), true);
  return report;
}

function eventTimeOf(value: unknown): number | undefined {
  const v = value as { event_time?: unknown; updated_at?: unknown };
  const t = v.event_time ?? v.updated_at;
  return typeof t === 'number' ? t : undefined;
}
