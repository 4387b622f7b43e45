package dev.streamhouse.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Usage: IcebergCheck DIR METADATA_LOCATION. DIR holds the table's metadata files as 0, 1, ...
 * and index.tsv mapping each name to its s3:// location. Parses the metadata JSON with
 * TableMetadataParser (strict v2), then reads every manifest list and manifest of every
 * snapshot with Iceberg's readers and prints one JSON line with what it found.
 */
public final class IcebergCheck {
  public static void main(String[] args) throws Exception {
    InMemoryFileIO io = new InMemoryFileIO();
    for (String line : Files.readAllLines(Path.of(args[0], "index.tsv"))) {
      String[] kv = line.split("\t", 2);
      io.addFile(kv[1], Files.readAllBytes(Path.of(args[0], kv[0])));
    }
    TableMetadata m = TableMetadataParser.read(io, args[1]);
    StringBuilder out = new StringBuilder();
    out.append("{\"formatVersion\":").append(m.formatVersion());
    out.append(",\"lastSequenceNumber\":").append(m.lastSequenceNumber());
    out.append(",\"fields\":[");
    List<String> fields = new ArrayList<>();
    for (Types.NestedField f : m.schema().columns()) fields.add("[" + f.fieldId() + ",\"" + f.name() + "\",\"" + f.type() + "\"]");
    out.append(String.join(",", fields)).append("]");
    out.append(",\"spec\":\"").append(m.spec().fields().toString().replace("\"", "'")).append("\"");
    out.append(",\"snapshots\":[");
    List<String> snaps = new ArrayList<>();
    for (Snapshot s : m.snapshots()) {
      long records = 0, dataFiles = 0, deleteFiles = 0;
      for (ManifestFile mf : s.dataManifests(io)) {
        try (CloseableIterable<DataFile> it = ManifestFiles.read(mf, io, m.specsById())) {
          for (DataFile f : it) { records += f.recordCount(); dataFiles++; }
        }
      }
      for (ManifestFile mf : s.deleteManifests(io)) {
        try (CloseableIterable<DeleteFile> it = ManifestFiles.readDeleteManifest(mf, io, m.specsById())) {
          for (DeleteFile f : it) deleteFiles++;
        }
      }
      Map<String, String> sum = s.summary();
      snaps.add("{\"id\":\"" + s.snapshotId() + "\",\"sequenceNumber\":" + s.sequenceNumber() + ",\"operation\":\"" + s.operation()
          + "\",\"liveRecords\":" + records + ",\"liveDataFiles\":" + dataFiles + ",\"liveDeleteFiles\":" + deleteFiles
          + ",\"totalRecords\":\"" + sum.get("total-records") + "\"}");
    }
    out.append(String.join(",", snaps)).append("]}");
    System.out.println(out);
  }
}
