/**
 * One row as a reader hands it over: the 1-based line (CSV: the first line of the record,
 * JSON Lines: the line, Parquet: the row) and either its fields or why it is unreadable.
 * `raw` is the text of the row as found, kept for the rejects topic.
 */
export type SourceRow =
  | { readonly line: number; readonly fields: Record<string, unknown>; readonly raw: string }
  | { readonly line: number; readonly error: string; readonly raw: string };

/** Bytes of the stored file consumed so far, for progress bars. */
export interface ReadProgress {
  bytes: number;
}

export type SourceFormat = 'csv' | 'jsonl' | 'parquet';
