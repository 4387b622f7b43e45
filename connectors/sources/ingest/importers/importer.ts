import type { TopicSpec } from '../../../../topologies/topics.ts';
import type { SourceRow } from '../readers/source-row.ts';

/** A value ready for its target topic, and how many source rows it accounts for. */
export interface ImportOutput {
  readonly key: string;
  readonly value: unknown;
  /** 1 for one-row-one-record importers; the line count for an order built from its lines. */
  readonly rows: number;
  /** The first source line it came from, for the lineage header. */
  readonly line: number;
}

/** A row that cannot be accepted, and why. */
export interface ImportReject {
  readonly line: number;
  /** PARSE_ERROR (unreadable row), MAPPING_ERROR (a field cannot be converted) or SCHEMA_VIOLATION. */
  readonly code: 'PARSE_ERROR' | 'MAPPING_ERROR' | 'SCHEMA_VIOLATION';
  readonly reason: string;
  readonly raw: string;
}

export interface ImportBatch {
  readonly outputs: ImportOutput[];
  readonly rejects: ImportReject[];
}

/** What the file being imported is: its URI and content identity (see SourceFile.identity). */
export interface FileContext {
  readonly uri: string;
  readonly identity: string;
}

/**
 * Turns source rows into records of one topic. Every row pushed is eventually released,
 * exactly once, either inside an output (`rows`) or as a reject; an importer may hold rows
 * back (to build an order from consecutive lines) and says how many with `pending()`, so
 * that a checkpoint is only taken where all rows before it are released.
 */
export interface Importer {
  /** Lineage name, e.g. 'uci-online-retail'. */
  readonly name: string;
  readonly target: TopicSpec;
  begin(file: FileContext): void;
  push(row: SourceRow): ImportBatch;
  /** Releases whatever is held at the end of the file. */
  finish(): ImportBatch;
  pending(): number;
}

export const EMPTY_BATCH: ImportBatch = { outputs: [], rejects: [] };
