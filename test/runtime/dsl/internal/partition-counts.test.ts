import { describe, expect, it } from 'vitest';
import { partitionCounts, type CountedSubtopology } from '../../../../runtime/dsl/internal/partition-counts.ts';
import { StreamsError } from '../../../../runtime/errors/streams-error.ts';

const external: Record<string, number> = { orders: 2, customers: 5, clicks: 3, events: 5 };

/** `id: sources -> sinks [changelogs]`, to keep the topologies below readable. */
function sub(id: number, sourceTopics: string[], sinkTopics: string[] = [], changelogs: string[] = []): CountedSubtopology {
  return { id, sourceTopics, sinkTopics, changelogs };
}

function counts(subtopologies: CountedSubtopology[], written: Record<string, number | undefined>, onBroker: Record<string, number> = {}) {
  const result = partitionCounts({
    subtopologies,
    written: new Map(Object.entries(written)),
    existing: (t) => onBroker[t] ?? external[t],
  });
  return { topics: Object.fromEntries(result.topics), subtopologies: Object.fromEntries(result.subtopologies) };
}

function failure(run: () => unknown): StreamsError {
  try {
    run();
  } catch (error) {
    if (error instanceof StreamsError) return error;
    throw error;
  }
  throw new Error('expected a StreamsError');
}

describe('partitionCounts', () => {
  it('sizes a repartition topic by its writer, and changelogs and output topics by their subtopology', () => {
    const { topics, subtopologies } = counts(
      [sub(0, ['clicks'], ['by-user-repartition']), sub(1, ['by-user-repartition'], ['late-events'], ['counts-changelog'])],
      { 'by-user-repartition': undefined, 'late-events': undefined },
    );
    expect(topics).toEqual({ 'by-user-repartition': 3, 'late-events': 3, 'counts-changelog': 3 });
    expect(subtopologies).toEqual({ 0: 3, 1: 3 });
  });

  it('gives a topic written by two subtopologies the larger of their counts', () => {
    const { topics } = counts([sub(0, ['orders'], ['merged-repartition']), sub(1, ['customers'], ['merged-repartition']), sub(2, ['merged-repartition'])], {
      'merged-repartition': undefined,
    });
    expect(topics).toEqual({ 'merged-repartition': 5 });
  });

  it('sizes a repartition topic read beside an external topic as that topic, not as its writer', () => {
    const { topics, subtopologies } = counts(
      [sub(0, ['orders'], ['by-customer-repartition']), sub(1, ['by-customer-repartition', 'customers'], [], ['join-changelog'])],
      { 'by-customer-repartition': undefined },
    );
    expect(topics).toEqual({ 'by-customer-repartition': 5, 'join-changelog': 5 });
    expect(subtopologies).toEqual({ 0: 2, 1: 5 });
  });

  it('equalises a group of internal topics alone to the largest of their writers’ counts', () => {
    const { topics, subtopologies } = counts(
      [sub(0, ['orders'], ['left-repartition']), sub(1, ['events'], ['right-repartition']), sub(2, ['left-repartition', 'right-repartition'], [], ['join-changelog'])],
      { 'left-repartition': undefined, 'right-repartition': undefined },
    );
    expect(topics).toEqual({ 'left-repartition': 5, 'right-repartition': 5, 'join-changelog': 5 });
    expect(subtopologies).toEqual({ 0: 2, 1: 5, 2: 5 });
  });

  it('gives the other topics of a group its fixed count, even when their writers have more partitions', () => {
    const { topics, subtopologies } = counts(
      [sub(0, ['orders'], ['fixed-repartition']), sub(1, ['events'], ['other-repartition']), sub(2, ['fixed-repartition', 'other-repartition'])],
      { 'fixed-repartition': 1, 'other-repartition': undefined },
    );
    expect(topics).toEqual({ 'fixed-repartition': 1, 'other-repartition': 1 });
    expect(subtopologies[2]).toBe(1);
  });

  it('joins the groups of two subtopologies that read one topic: all of it must agree', () => {
    const { topics, subtopologies } = counts(
      [sub(0, ['orders'], ['a-repartition']), sub(1, ['a-repartition', 'b-repartition']), sub(2, ['events'], ['b-repartition']), sub(3, ['b-repartition', 'c-repartition']), sub(4, ['clicks'], ['c-repartition'])],
      { 'a-repartition': undefined, 'b-repartition': undefined, 'c-repartition': undefined },
    );
    expect(topics).toEqual({ 'a-repartition': 5, 'b-repartition': 5, 'c-repartition': 5 });
    expect(subtopologies).toEqual({ 0: 2, 1: 5, 2: 5, 3: 5, 4: 3 });
  });

  it('fails when the fixed counts of one group differ', () => {
    const err = failure(() =>
      counts([sub(0, ['orders'], ['a-repartition', 'b-repartition']), sub(1, ['a-repartition', 'b-repartition'])], { 'a-repartition': 2, 'b-repartition': 3 }),
    );
    expect(err.code).toBe('TOPICS_NOT_COPARTITIONED');
    expect(err.message).toBe('topics read together by subtopology 1 must have the same partition count, but a-repartition is fixed at 2, b-repartition is fixed at 3');
  });

  it('fails when a fixed count differs from an external topic of its group, or two external topics differ', () => {
    const fixed = failure(() => counts([sub(0, ['orders'], ['r-repartition']), sub(1, ['r-repartition', 'clicks'])], { 'r-repartition': 4 }));
    expect(fixed.message).toBe('topics read together by subtopology 1 must have the same partition count, but r-repartition is fixed at 4, clicks has 3');
    const externals = failure(() => counts([sub(0, ['orders', 'customers'])], {}));
    expect(externals.code).toBe('TOPICS_NOT_COPARTITIONED');
    expect(externals.message).toBe('topics read together by subtopology 0 must have the same partition count, but orders has 2, customers has 5');
    expect(externals.context).toEqual({ topic: 'orders' });
  });

  it('keeps the count of an internal topic that exists, and the rest of its group follows it', () => {
    const { topics } = counts(
      [sub(0, ['orders'], ['old-repartition']), sub(1, ['events'], ['new-repartition']), sub(2, ['old-repartition', 'new-repartition'], [], ['join-changelog'])],
      { 'old-repartition': undefined, 'new-repartition': undefined },
      { 'old-repartition': 4 },
    );
    expect(topics).toEqual({ 'old-repartition': 4, 'new-repartition': 4, 'join-changelog': 4 });
    const err = failure(() => counts([sub(0, ['orders'], ['r-repartition']), sub(1, ['r-repartition', 'customers'])], { 'r-repartition': undefined }, { 'r-repartition': 2 }));
    expect(err.message).toBe('topics read together by subtopology 1 must have the same partition count, but r-repartition exists with 2, customers has 5');
  });

  describe('a foreign-key join (registration written by the left side and read by the right, responses the other way)', () => {
    const fkJoin = (left: string, right: string) => [
      sub(10, [left, 'response-repartition'], ['registration-repartition'], ['left-changelog']),
      sub(11, [right, 'registration-repartition'], ['response-repartition'], ['subscriptions-changelog']),
    ];
    const written = { 'registration-repartition': undefined, 'response-repartition': undefined };

    it('between tables on topics: the registration topic takes the right table’s count, the response topic the left one’s', () => {
      const { topics, subtopologies } = counts(fkJoin('orders', 'customers'), written);
      expect(topics).toEqual({ 'registration-repartition': 5, 'response-repartition': 2, 'left-changelog': 2, 'subscriptions-changelog': 5 });
      expect(subtopologies).toEqual({ 10: 2, 11: 5 });
    });

    it('with the right table made by groupBy().aggregate(): the registration topic and the aggregate’s repartition topic are equalised', () => {
      const { topics, subtopologies } = counts([sub(0, ['events'], ['by-customer-repartition']), ...fkJoin('orders', 'by-customer-repartition')], {
        ...written,
        'by-customer-repartition': undefined,
      });
      expect(topics).toMatchObject({ 'by-customer-repartition': 5, 'registration-repartition': 5, 'response-repartition': 2 });
      expect(subtopologies).toEqual({ 0: 5, 10: 2, 11: 5 });
    });

    it('with both tables made by aggregations (a cycle of internal topics alone): the first side is sized by its known topic, and both groups agree', () => {
      const { topics, subtopologies } = counts(
        [sub(0, ['orders'], ['left-repartition']), sub(1, ['clicks'], ['right-repartition']), ...fkJoin('left-repartition', 'right-repartition')],
        { ...written, 'left-repartition': undefined, 'right-repartition': undefined },
      );
      expect(topics).toMatchObject({ 'left-repartition': 2, 'response-repartition': 2, 'right-repartition': 3, 'registration-repartition': 3 });
      expect(subtopologies).toEqual({ 0: 2, 1: 3, 10: 2, 11: 3 });
    });
  });

  it('fails with SOURCE_TOPIC_MISSING naming an external topic that does not exist', () => {
    const err = failure(() => counts([sub(0, ['nowhere'], ['r-repartition']), sub(1, ['r-repartition'])], { 'r-repartition': undefined }));
    expect(err.code).toBe('SOURCE_TOPIC_MISSING');
    expect(err.message).toBe('source topic(s) nowhere of subtopology 0 do not exist');
    expect(err.context).toEqual({ topic: 'nowhere' });
  });
});
