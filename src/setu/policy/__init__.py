"""PURE policy library and investment screening.

``library``: critical lists and instruments with their official citations. ``conditions`` and ``screening``:
rules held as data and the one engine that evaluates them (most restrictive requirement wins; a case outside
the regime's coverage - activities and period encoded - is "not covered", never "none"; every decision carries
the rules that fired, the facts that matched and the one-fact changes that would alter it).
``sectors``: the vocabulary of target activities. ``context`` and ``compare``: economic-security context from
the supply maps, and the comparison of critical lists. Nothing here opens a file; ``setu.sources.policy``
reads the data and ``setu.services.policy`` wires the two.
"""

from setu.policy.library import (
    NOTICE,
    Citation,
    CriticalList,
    Instrument,
    ListEntry,
    PartialDate,
    Period,
    PolicyLibrary,
)
from setu.policy.screening import (
    NOT_COVERED,
    Change,
    Coverage,
    FiredRule,
    NotApplicable,
    Regime,
    RegimeDecision,
    Requirement,
    Rule,
    screen,
    screen_regime,
)
from setu.policy.sectors import Sector, SectorVocabulary
from setu.policy.transaction import Basis, BeneficialOwner, Transaction

__all__ = [
    "NOTICE",
    "NOT_COVERED",
    "Basis",
    "BeneficialOwner",
    "Change",
    "Citation",
    "Coverage",
    "CriticalList",
    "FiredRule",
    "Instrument",
    "ListEntry",
    "NotApplicable",
    "PartialDate",
    "Period",
    "PolicyLibrary",
    "Regime",
    "RegimeDecision",
    "Requirement",
    "Rule",
    "Sector",
    "SectorVocabulary",
    "Transaction",
    "screen",
    "screen_regime",
]
