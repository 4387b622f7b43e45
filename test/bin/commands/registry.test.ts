import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../bin/commands/registry.ts';

afterEach(() => vi.restoreAllMocks());

describe('streamhouse registry (arguments)', () => {
  it('prints its usage with --help', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await run(['--help'])).toBe(0);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/^usage: streamhouse registry \[--host H\] \[--port P\] \[--topic T\]/);
  });

  it('refuses an unknown option and a bad port with exit code 2 and a message naming it', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['--bogus'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/Unknown option '--bogus'/);
    expect(await run(['--port', 'eighty'])).toBe(2);
    expect(String(err.mock.calls[1]?.[0])).toBe('streamhouse registry: --port "eighty" is not a port number');
  });
});
