"""Reads streamhouse's Iceberg tables with PyIceberg (and pyarrow) and prints JSON.

Input (stdin): {"catalog": {uri, s3.endpoint, ...}, "table": "ns.name", "ops": [...]}
Each op is {"op": name, ...}; the output is a JSON list with one result per op:
  schema       fields with ids and types, identifier field ids, partition spec
  count        row count of the current snapshot (optionally "filter")
  rows         rows sorted by "order_by", as JSON-able values (optional "columns", "filter")
  distinct     count and distinct count of "column"
  files        number of data files the scan plans (optional "filter"), and their paths
  snapshots    id, parent, sequence number, operation and summary of every snapshot
  parquet_ids  Parquet field ids of one data file read with pyarrow.parquet directly
"""
import json
import sys
from decimal import Decimal
from datetime import date, datetime, time

import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.expressions import parser


def jsonable(v):
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


def scan(table, op):
    kwargs = {}
    if op.get("filter"):
        kwargs["row_filter"] = parser.parse(op["filter"])
    if op.get("columns"):
        kwargs["selected_fields"] = tuple(op["columns"])
    return table.scan(**kwargs)


def run(table, catalog, op):
    name = op["op"]
    if name == "schema":
        schema = table.schema()
        return {
            "schema_id": schema.schema_id,
            "fields": json.loads(schema.model_dump_json())["fields"],
            "identifier_field_ids": list(schema.identifier_field_ids),
            "spec": json.loads(table.spec().model_dump_json()),
            "properties": dict(table.properties),
            "format_version": table.metadata.format_version,
        }
    if name == "count":
        return scan(table, op).to_arrow().num_rows
    if name == "rows":
        arrow = scan(table, op).to_arrow()
        if op.get("order_by"):
            arrow = arrow.sort_by(op["order_by"])
        return jsonable(arrow.to_pylist())
    if name == "distinct":
        arrow = scan(table, {"columns": [op["column"]]}).to_arrow()
        col = arrow.column(op["column"])
        return {"count": len(col), "distinct": len(pc.unique(col))}
    if name == "files":
        tasks = list(scan(table, op).plan_files())
        return {"count": len(tasks), "paths": [t.file.file_path for t in tasks],
                "sizes": [t.file.file_size_in_bytes for t in tasks],
                "delete_files": sum(len(t.delete_files) for t in tasks)}
    if name == "snapshots":
        return [{"id": s.snapshot_id, "parent": s.parent_snapshot_id, "sequence_number": s.sequence_number,
                 "operation": s.summary.operation.value if s.summary else None,
                 "summary": dict(s.summary.additional_properties) if s.summary else {}}
                for s in table.metadata.snapshots]
    if name == "parquet_ids":
        path = op.get("path") or next(iter(table.scan().plan_files())).file.file_path
        with table.io.new_input(path).open() as f:
            schema = pq.read_schema(f)
        out = {}
        for field in schema:
            meta = field.metadata or {}
            out[field.name] = int(meta[b"PARQUET:field_id"]) if b"PARQUET:field_id" in meta else None
        return {"path": path, "field_ids": out, "types": {f.name: str(f.type) for f in schema}}
    raise ValueError(f"unknown op {name}")


def main():
    req = json.load(sys.stdin)
    catalog = RestCatalog("streamhouse", **req["catalog"])
    table = catalog.load_table(req["table"])
    print(json.dumps([run(table, catalog, op) for op in req["ops"]]))


if __name__ == "__main__":
    main()
