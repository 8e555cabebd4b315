"""Names for record ids, so that pages show "Gallium recycling pilot", never a UUID.

Every lookup reads through the register service with the caller's ``Principal``: a name the caller may not
read is never shown (the page says "not visible to you" instead). Each noun's records are read once per
page, on first use.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from setu.register.catalog import BY_NAME
from setu.register.visibility import Principal

MAX_LISTED = 200
HIDDEN = "(not visible to you)"


def segment(noun_name: str) -> str:
    """The URL segment of a noun: ``action_items`` -> ``action-items``."""
    return noun_name.replace("_", "-")


class RecordNames:
    """Labels and links of the records ``principal`` may read, by noun and id."""

    def __init__(self, records: Any, principal: Principal):
        self.records = records
        self.principal = principal
        self._rows: dict[str, dict[str, BaseModel]] = {}

    def rows(self, noun_name: str) -> dict[str, BaseModel]:
        if noun_name not in self._rows:
            noun = BY_NAME[noun_name]
            items, _ = self.records.list(self.principal, noun, noun.query(limit=MAX_LISTED))
            self._rows[noun_name] = {item.id: item for item in items}
        return self._rows[noun_name]

    def label(self, noun_name: str, record: BaseModel | None) -> str:
        if record is None:
            return HIDDEN
        values = record.model_dump()
        if noun_name == "organisations":
            return f"{values['name']} ({values['country']})"
        if noun_name == "meetings":
            dialogue = self.name("dialogues", values["dialogue_id"])
            return f"{dialogue}: meeting of {values['held_on'].isoformat()}" + (
                f", {values['location']}" if values["location"] else "")
        if noun_name == "decisions":
            text = values["text"]
            return text if len(text) <= 80 else text[:77] + "…"
        if noun_name == "contacts":
            what = self.name("projects", values["project_id"]) if values["project_id"] else \
                self.name("dialogues", values["dialogue_id"])
            return f"{self.name('people', values['person_id'])}: {values['role']} of {what}"
        return str(values.get("title") or values.get("name"))

    def name(self, noun_name: str, record_id: str | None) -> str:
        if not record_id:
            return ""
        return self.label(noun_name, self.rows(noun_name).get(record_id))

    def href(self, noun_name: str, record_id: str) -> str | None:
        return f"/register/{segment(noun_name)}/{record_id}" if record_id in self.rows(noun_name) else None

    def choices(self, noun_name: str) -> list[tuple[str, str]]:
        """(id, label) of every record of the noun the caller may read, by label."""
        return sorted(((record_id, self.label(noun_name, row)) for record_id, row in self.rows(noun_name).items()),
                      key=lambda pair: pair[1].lower())
