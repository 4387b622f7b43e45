import { describe, expect, it } from 'vitest';
import { customerChangeProblem } from '../../../../topologies/logic/scd2/change-validation.ts';

const good = { customerId: 'c1', effectiveFrom: 1_700_000_000_000, attributes: { city: 'Oslo', vip: true, visits: 3, email: null }, sequence: 4 };

describe('customer change validation', () => {
  it('accepts a well-formed change, with or without a sequence', () => {
    expect(customerChangeProblem('c1', good)).toBeUndefined();
    expect(customerChangeProblem('c1', { ...good, sequence: undefined })).toBeUndefined();
  });

  it.each([
    ['not an object', '{}', 'c1', 'a customer change must be a JSON object'],
    ['an array', [], 'c1', 'a customer change must be a JSON object'],
    ['no customer id', { ...good, customerId: '' }, 'c1', 'customerId is missing or empty'],
    ['a key of another customer', good, 'c2', 'the record key "c2" differs from customerId "c1"'],
    ['a null key', good, null, 'the record key null differs from customerId "c1"'],
    ['a text time', { ...good, effectiveFrom: '2024-01-01' }, 'c1', 'effectiveFrom must be epoch milliseconds (a safe integer)'],
    ['a fractional time', { ...good, effectiveFrom: 1.5 }, 'c1', 'effectiveFrom must be epoch milliseconds (a safe integer)'],
    ['a text sequence', { ...good, sequence: '4' }, 'c1', 'sequence must be an integer when present'],
    ['no attributes', { ...good, attributes: null }, 'c1', 'attributes must be an object'],
    ['a nested attribute', { ...good, attributes: { address: { city: 'Oslo' } } }, 'c1', 'attribute address must be a string, number, boolean or null'],
  ])('rejects %s', (_what, value, key, reason) => {
    expect(customerChangeProblem(key, value)).toBe(reason);
  });
});
