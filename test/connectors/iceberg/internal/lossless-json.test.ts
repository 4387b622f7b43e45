import { describe, expect, it } from 'vitest';
import { parseJson, sameId, stringifyJson } from '../../../../connectors/iceberg/internal/lossless-json.ts';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 as bigint and writes them back bare', () => {
    const text = '{"snapshot-id":7368291038475629183,"small":12,"f":1.5,"s":"7368291038475629183","neg":-9007199254740993}';
    const v = parseJson<Record<string, unknown>>(text);
    expect(v['snapshot-id']).toBe(7368291038475629183n);
    expect(v.neg).toBe(-9007199254740993n);
    expect(v.small).toBe(12);
    expect(v.s).toBe('7368291038475629183');
    expect(stringifyJson(v)).toBe(text);
  });

  it('leaves digits inside strings alone, escapes included', () => {
    const text = '{"a":"x\\"12345678901234567890","b":[18446744073709551615]}';
    expect(stringifyJson(parseJson(text))).toBe(text);
  });

  it('compares ids across number and bigint', () => {
    expect(sameId(5, 5n)).toBe(true);
    expect(sameId(5, 6)).toBe(false);
    expect(sameId(null, undefined)).toBe(true);
  });
});
