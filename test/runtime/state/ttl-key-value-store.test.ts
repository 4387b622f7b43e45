import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '../../../runtime/dsl/streams-builder.ts';
import { silentLogger } from '../../../runtime/errors/logger.ts';
import { LongSerde } from '../../../runtime/serde/long-serde.ts';
import { StringSerde } from '../../../runtime/serde/string-serde.ts';
import { TopologyTestDriver } from '../../../runtime/testing/topology-test-driver.ts';

const STR = new StringSerde();
const LONG = new LongSerde();

async function rig(persistent: boolean) {
  const b = new StreamsBuilder();
  b.stream('in', { keySerde: STR, valueSerde: STR })
    .groupByKey()
    .count({ store: 'counts', ttl: '10s', storeType: persistent ? 'persistent' : 'inMemory', caching: false })
    .toStream()
    .to('out', { keySerde: STR, valueSerde: LONG });
  const d = await TopologyTestDriver.create(b.build(), { applicationId: 'ttl', logger: silentLogger });
  return { d, input: d.createInputTopic('in', STR, STR), out: d.createOutputTopic('out', STR, LONG) };
}

for (const persistent of [false, true]) {
  describe(`TTL of non-windowed state (${persistent ? 'LevelDB' : 'memory'})`, () => {
    it('forgets a key 10 s of event time after its last write', async () => {
      const t = await rig(persistent);
      await t.input.pipeInput('gone', 'z', 0); // never written again
      await t.input.pipeInput('k', 'a', 0);
      await t.input.pipeInput('k', 'b', 5_000); // last write at 5 s
      await t.input.pipeInput('k', 'c', 14_999); // 9.999 s later: still there
      await t.input.pipeInput('other', 'x', 24_999); // stream time 24.999 s
      await t.input.pipeInput('k', 'd', 25_000); // 10.001 s after the last write: expired, counting restarts
      expect(
        t.out
          .readKeyValuesToList()
          .filter((r) => r.key === 'k')
          .map((r) => r.value),
      ).toEqual([1, 2, 3, 1]);
      await t.d.commit(); // sweeps expired entries
      expect(t.d.getKeyValueStore<string, number>('counts').get('other')).toBe(1);
      const changelog = t.d.createOutputTopic('ttl-counts-changelog', STR, STR).readRecordsToList();
      expect(changelog.some((r) => r.key === 'gone' && r.value === null)).toBe(true); // the expiry was logged
      // 'k' expired and was counted again while one record was processed: the changelog
      // holds the last change of that record (changes are coalesced per key until sent).
      expect(changelog.filter((r) => r.key === 'k').at(-1)?.value).not.toBeNull();
      await t.d.close();
    });
  });
}
