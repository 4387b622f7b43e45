import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../runtime/errors/runtime-errors.ts';
import { DEFAULTS, resolveConfig } from '../../../runtime/task/kafka-streams-config.ts';

const base = { applicationId: 'orders-app', bootstrapServers: ['127.0.0.1:9092'] };

describe('resolveConfig', () => {
  it('applies the defaults and the guarantee-dependent commit interval', () => {
    const alos = resolveConfig(base);
    expect(alos.commitIntervalMs).toBe(30_000);
    expect(alos.processingGuarantee).toBe('at_least_once');
    expect(alos.httpHost).toBe('127.0.0.1');
    expect(alos.httpPort).toBe(8088);
    expect(alos.dlqTopic).toBe('orders-app-dlq');
    expect(alos.cacheMaxBytes).toBe(DEFAULTS.cacheMaxBytes);
    expect(resolveConfig({ ...base, processingGuarantee: 'exactly_once' }).commitIntervalMs).toBe(100);
    expect(resolveConfig({ ...base, processingGuarantee: 'exactly_once', commitIntervalMs: 250 }).commitIntervalMs).toBe(250);
  });

  it.each([
    [{ applicationId: '' }, `invalid config 'applicationId': must be a non-empty string of letters, digits, '.', '_' or '-', got ""`],
    [{ bootstrapServers: [] }, `invalid config 'bootstrapServers': must be a non-empty list of host:port, got []`],
    [{ bootstrapServers: ['localhost'] }, `invalid config 'bootstrapServers': must be a non-empty list of host:port, got ["localhost"]`],
    [{ processingGuarantee: 'exactly_once_v2' }, `invalid config 'processingGuarantee': must be 'at_least_once' or 'exactly_once', got "exactly_once_v2"`],
    [{ commitIntervalMs: 0 }, `invalid config 'commitIntervalMs': must be a positive integer, got 0`],
    [{ bufferedRecordsPerPartition: 1.5 }, `invalid config 'bufferedRecordsPerPartition': must be a positive integer, got 1.5`],
    [{ cacheMaxBytes: -1 }, `invalid config 'cacheMaxBytes': must be a non-negative integer, got -1`],
    [{ httpPort: 70000 }, `invalid config 'httpPort': must be 0..65535, got 70000`],
    [{ stateDir: '' }, `invalid config 'stateDir': must be a directory path`],
  ])('rejects %j naming the key', (override, message) => {
    const attempt = () => resolveConfig({ ...base, ...(override as object) });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('accepts port 0 (ephemeral)', () => {
    expect(resolveConfig({ ...base, httpPort: 0 }).httpPort).toBe(0);
  });
});
