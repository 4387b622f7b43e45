import type { WindowStore } from '../../state/window-store.ts';
import type { Window, Windowed } from '../../windows/window.ts';
import type { ValueGetterSupplier } from './value-getter.ts';

/** Looks a windowed result up in its window store; `slot` gives the store time of a window. */
export function windowStoreValueGetter<K, V>(
  storeName: string,
  slot: (window: Window) => number,
): ValueGetterSupplier<Windowed<K>, V> {
  return {
    storeNames: [storeName],
    get: () => {
      let store!: WindowStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore<WindowStore<K, V>>(storeName);
        },
        get: (key) => store.fetch(key.key, slot(key.window)) ?? null,
      };
    },
  };
}
