"""Docs generated from code stay current: the backtest table and the measures JSON schema."""

from __future__ import annotations

import json
from pathlib import Path

from setu.services import watch as service

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_backtest_table_in_docs_is_what_the_code_produces():
    table = service.backtest_markdown(service.run_backtest())
    assert table in (DOCS / "watch.md").read_text(encoding="utf-8"), (
        "docs/watch.md is stale: paste the output of `setu watch backtest --markdown`"
    )


def test_schema_file_is_current():
    on_disk = json.loads((DOCS / "watch-measures.schema.json").read_text(encoding="utf-8"))
    assert on_disk == service.measures_schema(), "regenerate with `setu watch schema > docs/watch-measures.schema.json`"
