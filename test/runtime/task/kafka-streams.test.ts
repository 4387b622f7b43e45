import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../runtime/errors/runtime-errors.ts';
import { StreamsError } from '../../../runtime/errors/streams-error.ts';
import { KafkaStreams } from '../../../runtime/task/kafka-streams.ts';
import type { StreamsState } from '../../../runtime/task/streams-state.ts';
import { countTopology } from '../../fixtures/count-topology.ts';

// No broker: what happens before anything connects.
describe('KafkaStreams without a broker', () => {
  const topology = () => countTopology({ input: 'in', output: 'out' });

  it('validates the configuration at start and stays CREATED on a bad key', async () => {
    const streams = new KafkaStreams(topology(), { applicationId: 'app', bootstrapServers: ['127.0.0.1:9092'], processingGuarantee: 'exactly-once' as never });
    const error = await streams.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`invalid config 'processingGuarantee': must be 'at_least_once' or 'exactly_once', got "exactly-once"`);
    expect(streams.state).toBe('CREATED');
  });

  it('closes from CREATED to NOT_RUNNING, and refuses to start afterwards', async () => {
    const streams = new KafkaStreams(topology(), { applicationId: 'app', bootstrapServers: ['127.0.0.1:9092'] });
    const seen: StreamsState[] = [];
    streams.setStateListener((s) => seen.push(s));
    await streams.close();
    expect(seen).toEqual(['PENDING_SHUTDOWN', 'NOT_RUNNING']);
    const error = await streams.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamsError);
    expect((error as StreamsError).message).toBe('start() called in state NOT_RUNNING');
  });

  it('has no HTTP address before start', () => {
    const streams = new KafkaStreams(topology(), { applicationId: 'app', bootstrapServers: ['127.0.0.1:9092'] });
    expect(() => streams.httpAddress()).toThrow('the HTTP server is not running');
  });
});
