import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { testCatalog } from '../harness.ts';
import { createTopics, kafka } from '../kafka-support.ts';

/** What a lake sink integration suite shares: see lakeSinkSuite. */
export interface LakeSinkSuite {
  readonly kafka: Kafka;
  /** Connected for the whole suite. */
  readonly admin: Admin;
  /** The suite's private catalog; set once `beforeAll` has run. */
  readonly env: Awaited<ReturnType<typeof testCatalog>>;
}

export interface LakeSinkSuiteOptions {
  /** The namespace the suite's tables live in; dropped with them. */
  namespace: string[];
  tables: string[];
  /** Made before the tests with `partitions` partitions each, deleted after. */
  topics: string[];
  partitions: number;
  /** A failed drop of a table or the namespace fails the suite (otherwise it is ignored). */
  strictDrop?: boolean;
}

/**
 * Registers the set-up every lake sink integration suite needs (a private catalog, a
 * connected admin, the suite's topics) and its clean-up (the topics, the admin, the tables
 * and the namespace, the catalog). A suite's own hooks registered after this call run after
 * its set-up and before its clean-up.
 */
export function lakeSinkSuite(name: string, options: LakeSinkSuiteOptions): LakeSinkSuite {
  const k = kafka();
  const suite = { kafka: k, admin: k.admin() } as { kafka: Kafka; admin: Admin; env: LakeSinkSuite['env'] };
  const drop = (dropping: Promise<unknown> | undefined) => (options.strictDrop ? dropping : dropping?.catch(() => undefined));
  beforeAll(async () => {
    suite.env = await testCatalog(name);
    await suite.admin.connect();
    await createTopics(suite.admin, options.topics, options.partitions);
  });
  afterAll(async () => {
    await suite.admin.deleteTopics({ topics: options.topics }).catch(() => undefined);
    await suite.admin.disconnect();
    for (const table of options.tables) await drop(suite.env?.client.dropTable(options.namespace, table, true));
    await drop(suite.env?.client.dropNamespace(options.namespace));
    await suite.env?.close();
  });
  return suite;
}
