/** The key of a value on its bronze topic, as the catalog documents it (topologies/topics.ts). */
const KEY_FIELD: Record<string, string> = {
  'clickstream-event': 'user_id',
  'sales-order': 'order_id',
  product: 'product_id',
  'customer-profile': 'customer_id',
  campaign: 'campaign_id',
};

export function topicKey(schema: string, value: Record<string, unknown>): string {
  const field = KEY_FIELD[schema];
  if (!field) throw new Error(`no key rule for schema ${schema}`);
  return String(value[field]);
}
