"""The form machinery: a record shown in its form and sent back unchanged is the same record (every kind),
and supply-chain links survive their one-per-line text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData

from setu.register.catalog import BY_NAME, NOUNS
from setu.register.fields import Role
from setu.register.visibility import Principal
from setu.web.record_forms import FormState, noun_fields, parse_submission, raw_from_record, values_from_raw

OPERATOR = Principal(account_id="cli", username="cli", role=Role.ADMIN, organisation_id=None, government=True)


def as_form(raw: dict[str, object]) -> FormData:
    """What a browser sends for the form's fields: one pair per value, lists as repeated names."""
    pairs = []
    for name, value in raw.items():
        pairs += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
    return FormData(pairs)


@pytest.mark.parametrize("noun", NOUNS, ids=lambda noun: noun.name)
def test_a_record_sent_back_unchanged_is_the_same_record(site, noun):
    records, _ = site.register.records.list(OPERATOR, noun, noun.query(limit=200))
    assert records
    fields = noun_fields(noun)
    for record in records:
        state, _, data = parse_submission(noun.create, fields, as_form(raw_from_record(fields, record.model_dump())))
        assert data is not None, state.errors
        assert data.model_dump() == noun.create.model_validate(record.model_dump(include=set(noun.input_fields))
                                                               ).model_dump()


node = st.from_regex(r"[a-z0-9][a-z0-9._:/-]{0,20}", fullmatch=True)
note = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(str.strip)


@given(st.lists(st.tuples(node, note), max_size=6))  # a node id never holds "=": the first one splits
def test_links_survive_their_text(links):
    fields = tuple(f for f in noun_fields(BY_NAME["projects"]) if f.name == "links")
    record = {"links": [{"node_id": n, "vulnerability": v} for n, v in links]}
    state = FormState()
    values = values_from_raw(fields, raw_from_record(fields, record), state, {"links"})
    assert values["links"] == record["links"] and not state.errors
