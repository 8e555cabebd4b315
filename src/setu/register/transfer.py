"""Export and import of the register as JSON (one document) or CSV (one file per kind of record).

An export holds exactly the records the caller may read, so it never carries another organisation's
restricted records. Import is for admins (it keeps ids, versions, owners and timestamps, which is what
makes export → import → export return the same document) and fails whole if any record is invalid,
already present, or names a record that does not exist.

CSV cells: lists and links are JSON text; an empty cell is "no value" for optional fields.
"""

from __future__ import annotations

import csv
import io
import json
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pydantic

from setu.errors import DataFormatError, ValidationError
from setu.register.audit import record_change
from setu.register.catalog import BY_NAME, NOUNS
from setu.register.noun import Noun
from setu.register.records import RecordService, input_error, plain, visible_rows
from setu.register.visibility import Principal, require_admin

FORMAT = "setu-register"
FORMAT_VERSION = 1
MAX_IMPORT_RECORDS = 100_000


def _annotation_args(noun: Noun, field: str) -> tuple[bool, bool]:
    """(optional, structured) for one field of a noun's public model."""
    annotation = noun.public.model_fields[field].annotation
    args = typing.get_args(annotation)
    optional = type(None) in args
    inner = [arg for arg in args if arg is not type(None)] if optional else [annotation]
    structured = any(typing.get_origin(arg) in (list, dict) or arg in (list, dict) for arg in inner)
    return optional, structured


class TransferService:
    def __init__(self, database: Any, records: RecordService, clock: Callable[[], datetime]):
        self.database = database
        self.records = records
        self.clock = clock

    # ----- export --------------------------------------------------------------------------------
    def export_records(self, principal: Principal) -> dict[str, list[dict[str, Any]]]:
        """Every record the caller may read, per kind, as JSON-ready dicts ordered by id."""
        out: dict[str, list[dict[str, Any]]] = {}
        with self.database.transaction(write=False) as tx:
            for noun in NOUNS:
                visible, _ = visible_rows(tx, principal, noun)
                out[noun.name] = [
                    noun.public.model_validate(row).model_dump(mode="json") for row in sorted(visible, key=lambda r: r["id"])
                ]
        return out

    def export_json(self, principal: Principal) -> str:
        document = {"format": FORMAT, "format_version": FORMAT_VERSION, "records": self.export_records(principal)}
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)

    def export_csv(self, principal: Principal) -> dict[str, str]:
        """File name -> CSV text, one file per kind of record, columns in the model's order."""
        files = {}
        for noun_name, rows in self.export_records(principal).items():
            noun = BY_NAME[noun_name]
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(noun.public.model_fields), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        key: (json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, list | dict)
                              else "" if value is None else value)
                        for key, value in row.items()
                    }
                )  # fmt: skip
            files[f"{noun_name}.csv"] = buffer.getvalue()
        return files

    # ----- import --------------------------------------------------------------------------------
    def parse_json(self, text: str, file: str = "<json>") -> dict[str, list[dict[str, Any]]]:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataFormatError(error.msg, file=file, line=error.lineno) from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise DataFormatError(f"not a {FORMAT} export", file=file, field="format")
        if document.get("format_version") != FORMAT_VERSION:
            raise DataFormatError(f"format_version must be {FORMAT_VERSION}", file=file, field="format_version")
        records = document.get("records")
        if not isinstance(records, dict) or any(not isinstance(rows, list) for rows in records.values()):
            raise DataFormatError("records must map each kind to a list", file=file, field="records")
        unknown = set(records) - set(BY_NAME)
        if unknown:
            raise DataFormatError(f"unknown kinds of record: {', '.join(sorted(unknown))}", file=file, field="records")
        return records

    def parse_csv(self, files: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
        records: dict[str, list[dict[str, Any]]] = {}
        for file_name, text in files.items():
            noun_name = file_name.removesuffix(".csv")
            if noun_name not in BY_NAME:
                raise DataFormatError("not a register CSV file (name it after a kind of record)", file=file_name)
            noun = BY_NAME[noun_name]
            reader = csv.DictReader(io.StringIO(text))
            expected = list(noun.public.model_fields)
            if reader.fieldnames != expected:
                raise DataFormatError(f"columns must be {', '.join(expected)}", file=file_name, line=1)
            rows = []
            for line, row in enumerate(reader, start=2):
                parsed: dict[str, Any] = {}
                for field, cell in row.items():
                    optional, structured = _annotation_args(noun, field)
                    if structured:
                        try:
                            parsed[field] = json.loads(cell) if cell else []
                        except json.JSONDecodeError:
                            raise DataFormatError("not valid JSON", file=file_name, line=line, field=field) from None
                    elif cell == "" and optional:
                        parsed[field] = None
                    else:
                        parsed[field] = cell
                rows.append(parsed)
            records[noun_name] = rows
        return records

    def import_records(self, principal: Principal, records: Mapping[str, list[dict[str, Any]]]) -> dict[str, int]:
        """Insert every record as it is (ids, versions, owners, timestamps kept); all or nothing."""
        require_admin(principal, "import records")
        if sum(len(rows) for rows in records.values()) > MAX_IMPORT_RECORDS:
            raise ValidationError(f"an import holds at most {MAX_IMPORT_RECORDS} records")
        counts: dict[str, int] = {}
        now = self.clock()
        with self.database.transaction() as tx:
            for noun in NOUNS:
                rows = records.get(noun.name, [])
                for index, raw in enumerate(rows):
                    try:
                        model = noun.public.model_validate(raw)
                    except pydantic.ValidationError as error:
                        raise ValidationError(f"{noun.name}[{index}]: {input_error(error)}") from None
                    row = plain(model.model_dump())
                    if noun.check is not None:
                        noun.check(row)
                    if tx.get(noun.name, row["id"]) is not None:
                        raise ValidationError(f"{noun.name}[{index}]: {noun.label} {row['id']} already exists")
                    values = {field: row[field] for field in noun.input_fields}
                    self.records.check_references(tx, principal, noun, values, set(values))
                    self.records.check_parents(tx, principal, noun, values, set(values))
                    tx.insert(noun.name, row)
                    record_change(
                        tx, at=now, actor=principal.username, action="import", entity=noun.name, entity_id=row["id"],
                        before=None, after=model.model_dump(mode="json"),
                    )  # fmt: skip
                counts[noun.name] = len(rows)
        return counts


__all__ = ["FORMAT", "FORMAT_VERSION", "TransferService"]
