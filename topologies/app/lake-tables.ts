import type { SinkTableConfig } from '../../connectors/iceberg/index.ts';
import type { PipelineTopicNames } from '../pipeline-topics.ts';

/**
 * The gold topics as Iceberg upsert tables (one current row per key), for the lake sink
 * that `npm start` runs when the catalog is reachable. Values are the topics' JSON rows;
 * money stays exact as decimal text (string columns). A topic's null (a deleted row) is
 * skipped by the sink, so a deleted row stays in the table (known gap).
 */
const str = (name: string) => ({ name, type: 'string' });
const optStr = (name: string) => ({ name, type: ['null', 'string'], default: null });
const long = (name: string) => ({ name, type: 'long' });
const int = (name: string) => ({ name, type: 'int' });
const record = (name: string, fields: object[]) => ({ type: 'record', name, namespace: 'streamhouse.gold', fields });

export function goldLakeTables(topics: PipelineTopicNames): SinkTableConfig[] {
  return [
    {
      topics: [topics.salesPerformance],
      namespace: ['gold'],
      table: 'sales_performance',
      format: 'json',
      key: ['window', 'windowStart', 'category', 'channel', 'country'],
      partitionBy: [],
      schema: record('SalesRow', [str('window'), long('windowStart'), long('windowEnd'), str('category'), str('channel'), str('country'), str('revenue'), long('orders'), long('units'), str('aov')]),
    },
    {
      topics: [topics.channelPerformance],
      namespace: ['gold'],
      table: 'channel_performance',
      format: 'json',
      key: ['day', 'channel'],
      partitionBy: [],
      schema: record('ChannelRow', [long('day'), str('channel'), long('sessions'), long('conversions'), optStr('conversionRate'), str('revenue'), str('spend'), optStr('roas'), optStr('cac')]),
    },
    {
      topics: [topics.attribution],
      namespace: ['gold'],
      table: 'attribution',
      format: 'json',
      key: ['model', 'channel', 'campaign'],
      partitionBy: [],
      schema: record('AttributionRow', [str('model'), str('channel'), str('campaign'), str('revenue')]),
    },
    {
      topics: [topics.rfm],
      namespace: ['gold'],
      table: 'rfm',
      format: 'json',
      key: ['customerId'],
      partitionBy: [],
      schema: record('RfmRow', [str('customerId'), long('asOf'), long('lastPurchase'), int('recencyDays'), int('frequency'), str('monetary'), int('r'), int('f'), int('m'), str('segment')]),
    },
  ];
}
