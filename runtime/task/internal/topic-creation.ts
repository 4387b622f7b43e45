import { setTimeout as sleepMs } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';
import { StreamsError } from '../../errors/streams-error.ts';

export interface TopicCreationOptions {
  /** Metadata checks before giving up; default 12 (about 15 s with the default backoff). */
  attempts?: number;
  /** First wait between checks, doubled each time up to `maxBackoffMs`; default 100. */
  initialBackoffMs?: number;
  /** Default 2000. */
  maxBackoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Creates `topics` and waits until the cluster metadata shows every partition of each
 * with a leader. Idempotent: a topic that already exists (created by another instance,
 * or by an earlier attempt whose reply was lost) counts as created.
 *
 * kafkajs' `createTopics` fails on a retriable error such as
 * UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") when the
 * metadata it reads right after creation is stale, and its `waitForLeaders` only retries
 * LEADER_NOT_AVAILABLE. So each round reads the metadata itself, creates what is still
 * missing (a retriable error is remembered, not thrown), and waits with exponential
 * backoff; only when the rounds run out does it throw INTERNAL_TOPIC_CREATION_FAILED
 * (retriable), naming the topics that are not ready.
 */
export async function createTopicsAndWait(admin: Admin, topics: readonly ITopicConfig[], options: TopicCreationOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 12;
  const sleep = options.sleep ?? sleepMs;
  let backoff = options.initialBackoffMs ?? 100;
  let lastError: unknown;
  let notReady = topics.map((t) => t.topic);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const state = await readiness(admin, topics).catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (state !== undefined) {
      notReady = [...state.missing, ...state.incomplete];
      if (notReady.length === 0) return;
      const toCreate = topics.filter((t) => state.missing.includes(t.topic));
      if (toCreate.length > 0) {
        try {
          await admin.createTopics({ topics: [...toCreate], waitForLeaders: false });
        } catch (err) {
          if (!isRetriable(err)) throw creationFailed(toCreate.map((t) => t.topic), err, false);
          lastError = err;
        }
      }
    }
    if (attempt < attempts - 1) {
      await sleep(backoff);
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 2_000);
    }
  }
  throw creationFailed(notReady, lastError, true);
}

/** Topics absent from the metadata, and topics lacking partitions or leaders. */
async function readiness(admin: Admin, topics: readonly ITopicConfig[]): Promise<{ missing: string[]; incomplete: string[] }> {
  const metadata = await admin.fetchTopicMetadata({ topics: [] });
  const byName = new Map(metadata.topics.map((t) => [t.name, t.partitions]));
  const missing: string[] = [];
  const incomplete: string[] = [];
  for (const t of topics) {
    const partitions = byName.get(t.topic);
    if (partitions === undefined) missing.push(t.topic);
    else if (partitions.length < (t.numPartitions ?? 1) || partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0)) {
      incomplete.push(t.topic);
    }
  }
  return { missing, incomplete };
}

/** kafkajs errors carry `retriable`; an aggregate is retriable when each of its errors is (or already exists). */
function isRetriable(err: unknown): boolean {
  const e = err as { retriable?: boolean; type?: string; errors?: unknown[] };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every(isRetriable);
  return e.retriable === true;
}

function creationFailed(topics: readonly string[], cause: unknown, retriable: boolean): StreamsError {
  const reason = cause instanceof Error ? cause.message : 'metadata does not show every partition with a leader';
  return new StreamsError('INTERNAL_TOPIC_CREATION_FAILED', `could not create internal topics ${topics.join(', ')}: ${reason}`, {
    cause,
    retriable,
    context: { topic: topics[0] },
  });
}
