import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../../deploy/local/services/kafka.ts';

describe('newClusterId', () => {
  it('draws again when the base64url id would start with "-"', () => {
    // 0xf8 is 111110xx: its first six bits are 62, which base64url writes as '-'.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    let calls = 0;
    const id = newClusterId(() => draws[calls++]!);
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
    expect(calls).toBe(2);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });

  it('returns a 22-character base64url encoding of 16 random bytes', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });
});
