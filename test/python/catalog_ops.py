"""Drives streamhouse's REST catalog with PyIceberg as the client and prints JSON.

Input (stdin): {"catalog": {...RestCatalog properties}, "ns": "name", "step": "create"|"read"|"sql",
                "sqlite": path (for "sql")}
  create  namespaces + properties, create a partitioned table, append rows with PyIceberg,
          list/exists/rename checks; prints what it saw
  read    counts and ids of the renamed table
  sql     opens the catalog's SQLite file with PyIceberg's SqlCatalog (same tables) and lists
"""
import json
import sys

import pyarrow as pa
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import IdentityTransform
from pyiceberg.types import LongType, NestedField, StringType


def main():
    req = json.load(sys.stdin)
    ns = req["ns"]
    out = {}
    if req["step"] == "sql":
        from pyiceberg.catalog.sql import SqlCatalog
        props = {k: v for k, v in req["catalog"].items() if k != "uri"}
        sql = SqlCatalog("streamhouse", uri=f"sqlite:///{req['sqlite']}", warehouse="s3://unused", **props)
        out["namespaces"] = [list(n) for n in sql.list_namespaces()]
        out["tables"] = [list(t) for t in sql.list_tables(ns)]
        t = sql.load_table(f"{ns}.renamed")
        out["count"] = t.scan().to_arrow().num_rows
        print(json.dumps(out))
        return
    cat = RestCatalog("streamhouse", **req["catalog"])
    if req["step"] == "create":
        cat.create_namespace(ns, {"owner": "lake-test"})
        out["namespaces"] = [list(n) for n in cat.list_namespaces()]
        out["props"] = cat.load_namespace_properties(ns)
        r = cat.update_namespace_properties(ns, removals={"owner", "nope"}, updates={"team": "data"})
        out["update"] = {"updated": sorted(r.updated), "removed": sorted(r.removed), "missing": sorted(r.missing)}
        schema = Schema(NestedField(1, "id", LongType(), required=True), NestedField(2, "country", StringType(), required=False))
        spec = PartitionSpec(PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="country"))
        t = cat.create_table(f"{ns}.py_table", schema=schema, partition_spec=spec)
        arrow = pa.Table.from_pylist([{"id": i, "country": ["de", "fr", "nl"][i % 3]} for i in range(30)],
                                     schema=pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("country", pa.string())]))
        t.append(arrow)
        t.append(arrow.slice(0, 10))
        t = cat.load_table(f"{ns}.py_table")
        out["snapshot_ids"] = [str(s.snapshot_id) for s in t.metadata.snapshots]
        out["count"] = t.scan().to_arrow().num_rows
        out["tables"] = [list(x) for x in cat.list_tables(ns)]
        out["exists"] = cat.table_exists(f"{ns}.py_table")
        out["missing_exists"] = cat.table_exists(f"{ns}.nope")
        try:
            cat.create_namespace(ns)
            out["dup_namespace"] = "created"
        except Exception as e:
            out["dup_namespace"] = type(e).__name__
    elif req["step"] == "rename":
        cat.rename_table(f"{ns}.py_table", f"{ns}.renamed")
        out["tables"] = [list(x) for x in cat.list_tables(ns)]
    elif req["step"] == "read":
        t = cat.load_table(f"{ns}.renamed")
        arrow = t.scan().to_arrow()
        out["count"] = arrow.num_rows
        out["ids"] = sorted(arrow.column("id").to_pylist())
        out["snapshots"] = len(t.metadata.snapshots)
        out["metadata_log"] = len(t.metadata.metadata_log)
        try:
            cat.drop_namespace(ns)
            out["drop_nonempty"] = "dropped"
        except Exception as e:
            out["drop_nonempty"] = type(e).__name__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
