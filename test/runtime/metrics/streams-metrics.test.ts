import { describe, expect, it } from 'vitest';
import { StreamsMetrics } from '../../../runtime/metrics/streams-metrics.ts';

describe('StreamsMetrics processor counts', () => {
  it('adds the hot-path counts to streamhouse_processor_records_total when read, once', async () => {
    const metrics = new StreamsMetrics({ application_id: 'app' });
    const count = metrics.processorCount('count');
    expect(metrics.processorCount('count')).toBe(count);
    for (let i = 0; i < 3000; i++) count.n++;
    metrics.processorCount('sink').n += 2;
    expect(await metrics.registry.metrics()).toMatch(/streamhouse_processor_records_total\{[^}]*processor="count"[^}]*\} 3000/);
    count.n++;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/streamhouse_processor_records_total\{[^}]*processor="count"[^}]*\} 3001/);
    expect(text).toMatch(/streamhouse_processor_records_total\{[^}]*processor="sink"[^}]*\} 2/);
  });
});
