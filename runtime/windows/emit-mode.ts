/**
 * When a windowed aggregation emits its results.
 *
 * - `onUpdate` (default): every record that changes a window emits the window's new
 *   result at once (the record's timestamp). Late records within the grace re-emit the
 *   window; such an update of a window whose end has passed carries the correction header.
 * - `onWindowClose`: one final result per window, once stream time reaches the window
 *   end plus grace (the watermark passes the window end). Timestamp: window end − 1.
 * - `onTimeWithCorrections`: one result when stream time reaches the window end (on
 *   time, timestamp window end − 1), then for each late record within the grace an
 *   updated result with header `streamhouse.correction: true`, so consumers upsert it.
 *
 * In every mode a record later than the grace goes to the late-events topic.
 */
export type EmitMode = 'onUpdate' | 'onWindowClose' | 'onTimeWithCorrections';

export const EMIT_MODES: readonly EmitMode[] = ['onUpdate', 'onWindowClose', 'onTimeWithCorrections'];
