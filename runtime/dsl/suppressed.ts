/** How `KTable.suppress` holds back results; only `untilWindowCloses` exists (Kafka's Suppressed). */
export interface Suppressed {
  readonly kind: 'untilWindowCloses';
  /** Name of the node; the buffer store is `<name>-store`. Generated when absent. */
  readonly name?: string;
}

export const Suppressed = {
  /**
   * Hold every window's updates and emit only its final result, once stream time reaches
   * the window end plus grace (the window is closed). Only for windowed tables.
   */
  untilWindowCloses(options: { name?: string } = {}): Suppressed {
    return { kind: 'untilWindowCloses', name: options.name };
  },
};
