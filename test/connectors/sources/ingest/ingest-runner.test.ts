import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../../../connectors/sources/ingest/checkpoint-store.ts';
import { UciRetailImporter } from '../../../../connectors/sources/ingest/importers/uci-retail-importer.ts';
import { runIngest, type IngestRunOptions } from '../../../../connectors/sources/ingest/ingest-runner.ts';
import { listFiles } from '../../../../connectors/sources/ingest/source-files.ts';
import { RecordSink } from '../../../../connectors/sources/kafka/record-sink.ts';
import { JsonEventSerializer } from '../../../../connectors/sources/serde/json-serializer.ts';
import { ManualClock } from '../../../../runtime/time/clock.ts';
import type { DlqEnvelope, SalesOrder } from '../../../../schemas/generated/index.ts';
import { Topics } from '../../../../topologies/topics.ts';

const dir = mkdtempSync(join(tmpdir(), 'sh-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `invoices` invoices with 1-3 lines each, and a broken row every 97 lines. */
function writeRetail(path: string, invoices: number): number {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  for (let i = 0; i < invoices; i++) {
    for (let l = 0; l <= i % 3; l++) {
      lines.push(lines.length % 97 === 0 ? `${500000 + i},BROKEN` : `${500000 + i},S${l},"Thing, ${l}",${l + 1},2011-0${1 + (i % 9)}-1${l} 10:00:00,${l}.25,${12000 + (i % 50)},United Kingdom`);
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

/** A kafkajs producer stand-in that keeps what it is sent. */
function fakeProducer(sent: { topic: string; key: string; value: string }[]): Producer {
  return {
    sendBatch: async ({ topicMessages }: { topicMessages: { topic: string; messages: { key: string; value: Buffer }[] }[] }) => {
      for (const t of topicMessages) for (const m of t.messages) sent.push({ topic: t.topic, key: m.key, value: m.value.toString() });
      return [];
    },
  } as unknown as Producer;
}

async function run(file: string, sent: { topic: string; key: string; value: string }[], extra: Partial<IngestRunOptions> = {}) {
  return runIngest({
    files: await listFiles({ kind: 'local', path: file }), importer: new UciRetailImporter(Topics.bronze.sales),
    serializer: new JsonEventSerializer(), sink: new RecordSink(fakeProducer(sent), { batchSize: 100, maxBytes: 1e6 }),
    rejectsTopic: Topics.rejects, checkpoints: new CheckpointStore(join(dir, 'state')), clock: new ManualClock(1000),
    producerId: 'test', runId: 'run-1', checkpointEveryRows: 200, ...extra,
  });
}

/** Rows accounted for by what was sent: order lines (by source line) and rejects (by line). */
function account(sent: { topic: string; value: string }[]) {
  const lines = new Map<number, number>();
  const events = new Set<string>();
  for (const m of sent) {
    if (m.topic === Topics.rejects.name) {
      const env = JSON.parse(m.value) as DlqEnvelope;
      expect(env.reason).toBe('expected 8 fields, got 2');
      lines.set(env.line_number!, (lines.get(env.line_number!) ?? 0) + 1);
    } else {
      const order = JSON.parse(m.value) as SalesOrder;
      events.add(order.event_id);
      for (const l of order.lines) lines.set(l.line_number, (lines.get(l.line_number) ?? 0) + 1);
    }
  }
  return { lines, events };
}

describe('runIngest', () => {
  it('reconciles read = accepted + rejected, and a second run finds the file done', async () => {
    const file = join(dir, 'a.csv');
    const rows = writeRetail(file, 900);
    const sent: { topic: string; key: string; value: string }[] = [];
    const [report] = await run(file, sent);
    expect(report).toMatchObject({ status: 'ingested', read: rows, resumedFromRow: 0 });
    expect(report!.accepted + report!.rejected).toBe(rows);
    const { lines } = account(sent);
    expect(lines.size).toBe(rows);
    expect([...lines.values()].every((n) => n === 1)).toBe(true);
    expect(sent.filter((m) => m.topic === Topics.rejects.name).length).toBe(report!.rejected);
    expect(report!.rejected).toBeGreaterThan(0);

    const again: typeof sent = [];
    const [second] = await run(file, again);
    expect(second).toMatchObject({ status: 'already-ingested', read: 0, totalAccepted: report!.accepted, totalRejected: report!.rejected });
    expect(again).toEqual([]);
  });

  it('resumes an interrupted run at the last checkpoint without losing or splitting an order; --force repeats the same ids', async () => {
    const file = join(dir, 'b.csv');
    const rows = writeRetail(file, 1200);
    const sent: { topic: string; key: string; value: string }[] = [];
    const abort = new AbortController();
    let seen = 0;
    const importer = new UciRetailImporter(Topics.bronze.sales);
    const push = importer.push.bind(importer);
    importer.push = (row) => {
      if (++seen === 777) abort.abort();
      return push(row);
    };
    const [first] = await run(file, sent, { importer, signal: abort.signal });
    expect(first!.status).toBe('interrupted');
    expect(first!.read).toBeLessThan(777);
    const [second] = await run(file, sent);
    expect(second!.status).toBe('ingested');
    expect(second!.resumedFromRow).toBe(first!.read);
    expect(first!.read + second!.read).toBe(rows);
    expect(second!.totalAccepted + second!.totalRejected).toBe(rows);
    const { lines, events } = account(sent);
    expect(lines.size).toBe(rows);
    expect([...lines.values()].every((n) => n === 1)).toBe(true);

    const forced: typeof sent = [];
    await run(file, forced, { force: true });
    expect(account(forced).events).toEqual(events);
  });
});
