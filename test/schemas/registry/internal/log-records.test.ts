import { describe, expect, it } from 'vitest';
import { encodeKey, encodeSchemaValue, parseKey, parseValue } from '../../../../schemas/registry/internal/log-records.ts';

// Keys exactly as Confluent's Jackson writer produces them (JsonPropertyOrder, NON_EMPTY):
// the topic is compacted on these bytes, so both registries must write the same ones.
describe('the _schemas record layout', () => {
  it('writes keys byte-identical to Confluent', () => {
    expect(encodeKey({ keytype: 'SCHEMA', subject: 'orders-value', version: 3 })).toBe(
      '{"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}',
    );
    expect(encodeKey({ keytype: 'CONFIG', subject: 'orders-value' })).toBe('{"keytype":"CONFIG","subject":"orders-value","magic":0}');
    expect(encodeKey({ keytype: 'CONFIG', subject: null })).toBe('{"keytype":"CONFIG","magic":0}');
    expect(encodeKey({ keytype: 'DELETE_SUBJECT', subject: 's' })).toBe('{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}');
    expect(encodeKey({ keytype: 'NOOP' })).toBe('{"keytype":"NOOP","magic":0}');
  });

  it('writes schema values in Confluent field order, schemaType only when not AVRO', () => {
    expect(encodeSchemaValue({ subject: 's', version: 1, id: 7, schema: '"string"', deleted: false })).toBe(
      '{"subject":"s","version":1,"id":7,"schema":"\\"string\\"","deleted":false}',
    );
    const withRefs = encodeSchemaValue({
      subject: 's',
      version: 2,
      id: 8,
      schemaType: 'AVRO',
      references: [{ name: 'a.B', subject: 'b', version: 1 }],
      schema: '"a.B"',
      deleted: true,
    });
    expect(JSON.parse(withRefs)).toEqual({ subject: 's', version: 2, id: 8, references: [{ name: 'a.B', subject: 'b', version: 1 }], schema: '"a.B"', deleted: true });
  });

  it('reads the keys Confluent writes, including the global config key and unknown types', () => {
    expect(parseKey('{"keytype":"SCHEMA","subject":"x","version":2,"magic":1}')).toEqual({ keytype: 'SCHEMA', subject: 'x', version: 2 });
    expect(parseKey('{"keytype":"CONFIG","magic":0}')).toEqual({ keytype: 'CONFIG', subject: null });
    expect(parseKey('{"keytype":"CONFIG","subject":null,"magic":0}')).toEqual({ keytype: 'CONFIG', subject: null });
    expect(parseKey('{"keytype":"MODE","subject":"x","magic":0}')).toEqual({ keytype: 'OTHER', raw: '{"keytype":"MODE","subject":"x","magic":0}' });
    expect(parseKey('not json')).toEqual({ keytype: 'OTHER', raw: 'not json' });
  });

  it('reads values with fields it does not know (newer Confluent versions add metadata, ruleSet, md5)', () => {
    const v = parseValue('{"subject":"x","version":1,"id":3,"md5":"abc","metadata":null,"schema":"\\"int\\"","deleted":false}');
    expect(v).toMatchObject({ subject: 'x', version: 1, id: 3, schema: '"int"', deleted: false });
    expect(parseValue(null)).toBeNull();
  });
});
