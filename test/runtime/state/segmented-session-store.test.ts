import { describe, expect, it } from 'vitest';
import { restoreAll } from '../../../runtime/state/batch-restore.ts';
import { ChangeLoggingSessionStore } from '../../../runtime/state/change-logging-session-store.ts';
import { inMemorySessionStore, persistentSessionStore } from '../../../runtime/state/segmented-session-store.ts';
import { sessions, sessionStoreContract } from './session-store.contract.ts';
import { b, RecordingContext, tempStateDir } from './store-test-context.ts';

sessionStoreContract('persistentSessionStore (LevelDB)', (o) => persistentSessionStore('s', o));
sessionStoreContract('inMemorySessionStore', (o) => inMemorySessionStore('s', o));
sessionStoreContract('changeLogging(persistentSessionStore)', (o) => new ChangeLoggingSessionStore(persistentSessionStore('s', o)));

describe('SegmentedSessionStore', () => {
  it('restores merges and removals from its changelog', async () => {
    const { dir, cleanup } = await tempStateDir();
    const context = new RecordingContext(dir);
    const options = { retentionMs: 1000 };
    const logged = new ChangeLoggingSessionStore(inMemorySessionStore('s', options));
    await logged.init(context);
    context.time = 40;
    // two sessions of k merged by a record in between: removed, and the merged one put
    logged.put(b('k'), 0, 10, b('1'));
    logged.put(b('k'), 30, 40, b('1'));
    logged.remove(b('k'), 0, 10);
    logged.remove(b('k'), 30, 40);
    logged.put(b('k'), 0, 40, b('3'));
    logged.put(b('u'), 5, 5, b('1'));
    expect(context.changes.map((c) => c.value)).toEqual(['1', '1', null, null, '3', '1']);
    const expected = await sessions(logged.all());
    expect(expected).toEqual(['k[0,40]=3', 'u[5,5]=1']); // one segment: by key, then end

    const restored = persistentSessionStore('s', options);
    await restored.init(new RecordingContext(dir));
    await restoreAll(restored, [context.rawChanges]);
    expect(await sessions(restored.all())).toEqual(expected);
    expect(restored.observedStreamTime).toBe(40);
    await restored.close();
    await cleanup();
  });
});
