import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../deploy/config.ts';
import { runIngestJob, type IngestJobOptions } from '../../../../connectors/sources/ingest/ingest-job.ts';
import { systemClock } from '../../../../runtime/time/clock.ts';
import type { DlqEnvelope, SalesOrder } from '../../../../schemas/generated/index.ts';
import { LINEAGE_HEADERS } from '../../../../topologies/topics.ts';
import { countMessages, deleteTopicsWithPrefix, readAll, testKafka, uniquePrefix } from '../support/kafka.ts';
import { SHARED_DATA, UCI_ONLINE_RETAIL } from '../../../support/shared-data.ts';

const UCI = UCI_ONLINE_RETAIL;
/** The ingest records the file's real path (symlinks resolved), as it checks roots on it. */
const UCI_REAL = realpathSync(UCI);
const UCI_ROWS = 541_909;
const prefix = uniquePrefix('uci');
const stateDir = mkdtempSync(join(tmpdir(), 'sh-uci-state-'));
const kafka = testKafka();

afterAll(async () => {
  await deleteTopicsWithPrefix(kafka, prefix);
  rmSync(stateDir, { recursive: true, force: true });
});

const job = (extra: Partial<IngestJobOptions> = {}) =>
  runIngestJob({
    dataset: 'uci-retail', locations: [UCI], config: loadConfig(), roots: { local: [SHARED_DATA], s3: [] },
    stateDir, clock: systemClock, topicPrefix: prefix, checkpointEveryRows: 40_000, ...extra,
  });

/** Source lines as the topics account for them: order lines and rejects, each with how often seen. */
async function accountFromTopics(target: string, rejects: string) {
  const lines = new Uint8Array(UCI_ROWS + 2);
  const events = new Map<string, string>();
  let orderMessages = 0;
  for (const m of await readAll(kafka, target)) {
    orderMessages++;
    const order = JSON.parse(m.value.toString()) as SalesOrder;
    expect(m.key).toBe(order.order_id);
    expect(m.headers[LINEAGE_HEADERS.file]).toBe(UCI_REAL);
    const text = m.value.toString();
    const prev = events.get(order.event_id);
    if (prev !== undefined) expect(text).toBe(prev);
    events.set(order.event_id, text);
    for (const l of order.lines) lines[l.line_number]!++;
  }
  const reasons = new Map<string, number>();
  for (const m of await readAll(kafka, rejects)) {
    const env = JSON.parse(m.value.toString()) as DlqEnvelope;
    expect(env.source).toBe(UCI_REAL);
    expect(env.reason.length).toBeGreaterThan(0);
    lines[env.line_number!]!++;
    reasons.set(env.reason, (reasons.get(env.reason) ?? 0) + 1);
  }
  return { lines, events, orderMessages, reasons };
}

describe('UCI Online Retail, the whole file, into Kafka', () => {
  it('reconciles 541,909 rows across an interrupted run and its resume; re-ingesting adds no new ids', async () => {
    // Run 1: interrupted a bit past the middle.
    const abort = new AbortController();
    const first = await job({ signal: abort.signal, onProgress: (s) => (s.rows > 270_000 ? abort.abort() : undefined) });
    const [r1] = first.files;
    expect(r1!.status).toBe('interrupted');
    expect(r1!.read).toBeGreaterThan(270_000);
    expect(r1!.read).toBeLessThan(UCI_ROWS);
    expect(r1!.read).toBe(r1!.accepted + r1!.rejected);

    // Run 2: resumes after the rows the first run released.
    const second = await job();
    const [r2] = second.files;
    expect(r2).toMatchObject({ status: 'ingested', resumedFromRow: r1!.read });
    expect(r1!.read + r2!.read).toBe(UCI_ROWS);
    expect(r2!.totalAccepted + r2!.totalRejected).toBe(UCI_ROWS);

    // Counted from the topics: every source line exactly once, as an order line or a reject.
    const counted = await accountFromTopics(second.target.name, second.rejects.name);
    const seenOnce = counted.lines.slice(2).every((n) => n === 1);
    expect(seenOnce).toBe(true);
    expect(counted.lines[0]! + counted.lines[1]!).toBe(0); // line 1 is the header
    const rejected = [...counted.reasons.values()].reduce((a, b) => a + b, 0);
    expect(rejected).toBe(r2!.totalRejected);
    expect(UCI_ROWS - rejected).toBe(r2!.totalAccepted);
    expect(counted.events.size).toBe(counted.orderMessages);

    // Run 3: the checkpoint says done; nothing is sent.
    const admin = kafka.admin();
    await admin.connect();
    const before = await countMessages(admin, second.target.name);
    const third = await job();
    expect(third.files[0]!.status).toBe('already-ingested');
    expect(await countMessages(admin, second.target.name)).toBe(before);

    // Run 4: forced re-ingest sends everything again, with the same ids and the same content.
    const fourth = await job({ force: true });
    expect(fourth.files[0]).toMatchObject({ status: 'ingested', read: UCI_ROWS });
    expect(await countMessages(admin, second.target.name)).toBe(2 * before);
    await admin.disconnect();
    const again = await accountFromTopics(second.target.name, second.rejects.name);
    expect(again.orderMessages).toBe(2 * counted.orderMessages);
    expect([...again.events.keys()].sort()).toEqual([...counted.events.keys()].sort());
  });
});
