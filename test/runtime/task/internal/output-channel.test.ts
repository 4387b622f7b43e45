import type { TopicMessages } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { StreamsError } from '../../../../runtime/errors/streams-error.ts';
import { OutputChannel } from '../../../../runtime/task/internal/output-channel.ts';
import type { OutgoingRecord } from '../../../../runtime/task/internal/record-collector.ts';

const record = (i: number, topic = 'out'): OutgoingRecord => ({ topic, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1000 + i, headers: { h: 'x' } });

describe('OutputChannel', () => {
  it('sends full batches in order, one request at a time, and the rest on flush', async () => {
    const sent: TopicMessages[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const channel = new OutputChannel(
      async (batch) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        sent.push(batch);
        inFlight--;
      },
      3,
      10,
    );
    for (let i = 0; i < 8; i++) channel.send(record(i, i % 2 === 0 ? 'even' : 'odd'));
    expect(sent).toHaveLength(0);
    await channel.flush();
    expect(sent.map((b) => b.reduce((n, t) => n + t.messages.length, 0))).toEqual([3, 3, 2]);
    expect(maxInFlight).toBe(1);
    expect(sent[0]).toEqual([
      { topic: 'even', messages: [{ key: Buffer.from('k0'), value: Buffer.from('v0'), timestamp: '1000', headers: { h: 'x' } }, { key: Buffer.from('k2'), value: Buffer.from('v2'), timestamp: '1002', headers: { h: 'x' } }] },
      { topic: 'odd', messages: [{ key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: '1001', headers: { h: 'x' } }] },
    ]);
  });

  it('is congested while more than maxInFlight batches wait, and clears when they are sent', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const channel = new OutputChannel(() => gate, 1, 2);
    channel.send(record(1));
    channel.send(record(2));
    expect(channel.congested).toBe(false);
    channel.send(record(3));
    expect(channel.congested).toBe(true);
    release();
    await channel.flush();
    expect(channel.congested).toBe(false);
  });

  it('reports the end of a congestion once, when no more than maxInFlight batches wait', async () => {
    const releases: (() => void)[] = [];
    let uncongested = 0;
    const channel = new OutputChannel(() => new Promise<void>((r) => releases.push(r)), 1, 1, undefined, undefined, {
      maxBatchBytes: 1 << 20,
      maxRecordBytes: 1 << 20,
      onUncongested: () => void uncongested++,
    });
    for (let i = 0; i < 3; i++) channel.send(record(i));
    expect(channel.congested).toBe(true);
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
    // Batches go out one at a time: 2 still wait, one more than maxInFlight.
    expect([uncongested, channel.congested]).toEqual([0, true]);
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(uncongested).toBe(1);
    expect(channel.congested).toBe(false);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await channel.flush();
    expect(uncongested).toBe(1);
  });

  it('keeps the first failure, sends nothing after it, and rethrows it from flush as PRODUCE_FAILED', async () => {
    const sent: number[] = [];
    let calls = 0;
    const channel = new OutputChannel(async (batch) => {
      if (++calls === 1) throw new Error('broker said no');
      sent.push(batch[0]!.messages.length);
    }, 1, 10);
    channel.send(record(1));
    channel.send(record(2));
    const error = await channel.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamsError);
    expect((error as StreamsError).code).toBe('PRODUCE_FAILED');
    expect((error as StreamsError).message).toBe('producing output failed: Error: broker said no');
    expect(sent).toEqual([]);
    expect(channel.failed).toBe(true);
    channel.reset();
    expect(channel.failed).toBe(false);
  });
});

describe('OutputChannel linger', () => {
  it('sends a partial batch once its first record is older than the linger time', async () => {
    const sent: number[] = [];
    let now = 1000;
    const channel = new OutputChannel(async (b) => void sent.push(b[0]!.messages.length), 100, 10, () => {}, () => now);
    channel.send(record(1));
    now = 1003;
    channel.send(record(2));
    channel.linger(now, 5);
    expect(sent).toEqual([]);
    now = 1005;
    channel.linger(now, 5);
    await channel.flush();
    expect(sent).toEqual([2]);
  });
});

describe('OutputChannel barrier', () => {
  it('runs the step after earlier batches and before later ones, which use the new sender', async () => {
    const log: string[] = [];
    const channel = new OutputChannel(async (b) => void log.push(`txn1:${b[0]!.messages.length}`), 2, 10);
    channel.send(record(1));
    channel.send(record(2));
    channel.send(record(3));
    const committed = channel.barrier(async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.push('commit');
      channel.setSender(async (b) => void log.push(`txn2:${b[0]!.messages.length}`));
    });
    channel.send(record(4));
    channel.send(record(5));
    await committed;
    await channel.flush();
    expect(log).toEqual(['txn1:2', 'txn1:1', 'commit', 'txn2:2']);
  });

  it('rejects without running the step when an earlier batch failed', async () => {
    const channel = new OutputChannel(() => Promise.reject(new Error('fenced')), 1, 10);
    channel.send(record(1));
    let ran = false;
    const error = await channel.barrier(async () => void (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect((error as StreamsError).message).toBe('producing output failed: Error: fenced');
  });

  it('sends a batch before it exceeds maxBatchBytes (key + value + headers)', async () => {
    const sizes: number[] = [];
    const big = (i: number): OutgoingRecord => ({ topic: 'out', key: Buffer.from('k'), value: Buffer.alloc(300), timestamp: i, headers: { h: 'x' } }); // 303 bytes
    const channel = new OutputChannel(async (b) => void sizes.push(b[0]!.messages.length), 1000, 10, () => {}, () => 0, { maxBatchBytes: 1000, maxRecordBytes: 5000 });
    for (let i = 0; i < 10; i++) channel.send(big(i));
    await channel.flush();
    expect(sizes).toEqual([3, 3, 3, 1]);
  });

  it('fails with the non-retriable RECORD_TOO_LARGE, reported once, for a record over maxRecordBytes', async () => {
    const reported: unknown[] = [];
    const channel = new OutputChannel(async () => undefined, 1000, 10, () => {}, () => 0, { maxBatchBytes: 1000, maxRecordBytes: 500, onSendError: (e) => reported.push(e) });
    channel.send({ topic: 'out', partition: 2, key: null, value: Buffer.alloc(600), timestamp: 1, headers: {} });
    channel.send({ topic: 'out', partition: 2, key: null, value: Buffer.alloc(700), timestamp: 2, headers: {} });
    expect(channel.failed).toBe(true);
    const error = (await channel.barrier(async () => undefined).catch((e: unknown) => e)) as StreamsError;
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.retriable).toBe(false);
    expect(error.message).toBe('record of 600 bytes for topic out partition 2 exceeds the 500-byte limit (message.max.bytes)');
    expect(error.context).toEqual({ topic: 'out', partition: 2 });
    expect(reported).toEqual([error]);
    await expect(channel.flush()).rejects.toBe(error);
  });

  it('tells whether records were sent since the last barrier (an empty transaction needs no commit)', async () => {
    const channel = new OutputChannel(async () => {}, 10, 10);
    expect(channel.hasOutputSinceBarrier).toBe(false);
    channel.send(record(1));
    expect(channel.hasOutputSinceBarrier).toBe(true);
    const committed = channel.barrier(async () => {});
    expect(channel.hasOutputSinceBarrier).toBe(false);
    channel.send(record(2)); // the next transaction's
    expect(channel.hasOutputSinceBarrier).toBe(true);
    await committed;
    expect(channel.hasOutputSinceBarrier).toBe(true);
    await channel.flush();
  });
});
