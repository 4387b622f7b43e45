/** Snapshot ids are positive longs: numbers when they fit 2^53, bigint beyond. */
export type Long = number | bigint;

export const enum FileContent {
  Data = 0,
  PositionDeletes = 1,
  EqualityDeletes = 2,
}

export const enum EntryStatus {
  Existing = 0,
  Added = 1,
  Deleted = 2,
}

/** A data or delete file as a manifest entry describes it (spec, "data_file"). */
export interface DataFile {
  content: FileContent;
  filePath: string;
  fileFormat: 'PARQUET';
  specId: number;
  /** Partition values by partition field name, in the Row form. */
  partition: Record<string, unknown>;
  recordCount: number;
  fileSizeInBytes: number;
  valueCounts?: Map<number, Long>;
  nullValueCounts?: Map<number, Long>;
  lowerBounds?: Map<number, Buffer>;
  upperBounds?: Map<number, Buffer>;
  /** Position delete files that apply to one data file name it here. */
  referencedDataFile?: string;
}

export interface ManifestEntry {
  status: EntryStatus;
  snapshotId: Long | null;
  /** Null on ADDED entries: inherited from the manifest list entry. */
  sequenceNumber: number | null;
  fileSequenceNumber: number | null;
  dataFile: DataFile;
}

export interface FieldSummary {
  containsNull: boolean;
  containsNan?: boolean | null;
  lowerBound?: Buffer | null;
  upperBound?: Buffer | null;
}

/** One manifest as the manifest list describes it (spec, "manifest_file"). */
export interface ManifestFile {
  path: string;
  length: number;
  specId: number;
  /** 0 = data, 1 = deletes. */
  content: 0 | 1;
  sequenceNumber: number;
  minSequenceNumber: number;
  addedSnapshotId: Long;
  addedFilesCount: number;
  existingFilesCount: number;
  deletedFilesCount: number;
  addedRowsCount: number;
  existingRowsCount: number;
  deletedRowsCount: number;
  partitions?: FieldSummary[] | null;
}
