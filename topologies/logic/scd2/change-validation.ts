/**
 * Validation of a customer change as it arrives (JSON, keyed by customer id). A change that
 * fails it is not applied: the topology throws, and the processing exception handler
 * decides (fail: the task stops at that offset; continue: the record goes to the DLQ with
 * the reason), so nothing is lost and no half-valid version enters the dimension.
 * The key must equal `customerId`: changes are partitioned by it, together with the orders
 * they are joined to.
 */
export function customerChangeProblem(key: string | null, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a customer change must be a JSON object';
  const c = value as Record<string, unknown>;
  if (typeof c.customerId !== 'string' || c.customerId.length === 0) return 'customerId is missing or empty';
  if (key !== c.customerId) return `the record key ${JSON.stringify(key)} differs from customerId ${JSON.stringify(c.customerId)}`;
  if (!Number.isSafeInteger(c.effectiveFrom)) return 'effectiveFrom must be epoch milliseconds (a safe integer)';
  if (c.sequence !== undefined && c.sequence !== null && !Number.isSafeInteger(c.sequence)) return 'sequence must be an integer when present';
  if (typeof c.attributes !== 'object' || c.attributes === null || Array.isArray(c.attributes)) return 'attributes must be an object';
  const bad = Object.entries(c.attributes).find(([, v]) => v !== null && !['string', 'number', 'boolean'].includes(typeof v));
  return bad === undefined ? undefined : `attribute ${bad[0]} must be a string, number, boolean or null`;
}
