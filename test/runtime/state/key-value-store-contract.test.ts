import { CachingKeyValueStore } from '../../../runtime/state/caching-key-value-store.ts';
import { InMemoryKeyValueStore } from '../../../runtime/state/in-memory-key-value-store.ts';
import { decorateKeyValueBytesStore, meterKeyValueStore } from '../../../runtime/state/key-value-store-stack.ts';
import { LevelKeyValueStore } from '../../../runtime/state/level-key-value-store.ts';
import { keyValueStoreContract } from './key-value-store.contract.ts';

// One contract, every implementation and every decorator stack.
keyValueStoreContract('InMemoryKeyValueStore', () => new InMemoryKeyValueStore('kv'));
keyValueStoreContract('LevelKeyValueStore', () => new LevelKeyValueStore('kv'));
// A tiny write buffer forces background LevelDB batches on almost every write.
keyValueStoreContract('LevelKeyValueStore, 200-byte write buffer', () => new LevelKeyValueStore('kv', { writeBufferBytes: 200 }));
keyValueStoreContract('caching(changeLogging(level)), 10 MiB', () => decorateKeyValueBytesStore(new LevelKeyValueStore('kv'), { caching: {} }));
keyValueStoreContract('caching(changeLogging(level)), 300 bytes (constant eviction)', () =>
  decorateKeyValueBytesStore(new LevelKeyValueStore('kv', { writeBufferBytes: 300 }), { caching: { maxBytes: 300 } }),
);
keyValueStoreContract('caching(in-memory), 1000 bytes', () => new CachingKeyValueStore(new InMemoryKeyValueStore('kv'), { maxBytes: 1000 }));
keyValueStoreContract('metered(changeLogging(in-memory))', () =>
  meterKeyValueStore(decorateKeyValueBytesStore(new InMemoryKeyValueStore('kv')), { onOperation: () => {} }),
);
