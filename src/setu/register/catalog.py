"""Every noun of the register, in an order where each record's references come before it.

Export, import, backup and the API all iterate this tuple, so a new noun is registered once here.
"""

from __future__ import annotations

from setu.errors import UnknownNameError
from setu.register.action_items import ACTION_ITEMS
from setu.register.contacts import CONTACTS
from setu.register.decisions import DECISIONS
from setu.register.dialogues import DIALOGUES
from setu.register.meetings import MEETINGS
from setu.register.milestones import MILESTONES
from setu.register.noun import Noun
from setu.register.organisations import ORGANISATIONS
from setu.register.people import PEOPLE
from setu.register.projects import PROJECTS

NOUNS: tuple[Noun, ...] = (
    ORGANISATIONS,
    PEOPLE,
    PROJECTS,
    MILESTONES,
    DIALOGUES,
    MEETINGS,
    DECISIONS,
    ACTION_ITEMS,
    CONTACTS,
)
BY_NAME: dict[str, Noun] = {noun.name: noun for noun in NOUNS}


def noun_named(name: str) -> Noun:
    try:
        return BY_NAME[name]
    except KeyError:
        import difflib

        raise UnknownNameError("record kind", name, difflib.get_close_matches(name, BY_NAME, n=3)) from None
