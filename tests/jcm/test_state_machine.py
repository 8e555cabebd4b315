"""Random issuances, transfers, cancellations and retirements; every invariant checked after every step.

The machine drives the service as its users would (each operation by the principal whose role allows it) and
also tries what the rules forbid (moving retired or cancelled units, moving more than is held, a holder moving
another's units), which must change nothing. After each step: the ledger replays to the stored holdings
(``verify``), issued = held + cancelled + retired per project and vintage, the corresponding adjustments equal
the units first-transferred (added) and used towards Japan's NDC (subtracted), and every unit is in one account.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from setu.errors import ConflictError, PermissionDeniedError, ValidationError
from setu.jcm import model
from setu.jcm.sample import build_sample
from setu.jcm.service import JcmService
from setu.register.service import RegisterService
from setu.store.register.database import RegisterDatabase
from setu.store.register.scratch import postgres_schema, postgres_unreachable

from .conftest import FAST_HASHER, Clock

HOLDING = ["ILL-IN-GOV-001", "ILL-IN-ENT-001", "ILL-JP-GOV-001", "ILL-JP-ENT-001"]
OWNER = {"ILL-IN-GOV-001": "jcm-registry-ind", "ILL-IN-ENT-001": "jcm-holder-ind", "ILL-JP-GOV-001": "jcm-registry-jpn",
         "ILL-JP-ENT-001": "jcm-holder-jpn", "ILL-JP-RET-001": "jcm-registry-jpn", "ILL-IN-RET-001": "jcm-registry-ind",
         "ILL-IN-CAN-001": "jcm-registry-ind", "ILL-JP-CAN-001": "jcm-registry-jpn"}  # fmt: skip
PROJECTS = ["ILL-IN001", "ILL-IN002"]


class LedgerMachine(RuleBasedStateMachine):
    url_factory = None  # set by each engine's subclass

    def __init__(self) -> None:
        super().__init__()
        self._context = self.url_factory()
        url = self._context.__enter__()
        RegisterDatabase(url).upgrade()
        self.clock = Clock()
        self.register = RegisterService.open(url, clock=self.clock, hasher=FAST_HASHER)
        self.jcm = JcmService(self.register.database, self.clock)
        self.next_period = date(2026, 4, 1)

    @initialize()
    def sample(self) -> None:
        self.sample = build_sample(self.register, self.jcm)
        self.principals = self.sample.principals

    def teardown(self) -> None:
        self.register.close()
        self._context.__exit__(None, None, None)

    def held(self) -> dict[tuple[str, str], int]:
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for row in self.jcm.holdings():
            totals[(row["account"], row["project"])] += row["tco2e"]
        return totals

    def tick(self) -> None:
        self.clock.now += timedelta(hours=1)

    @rule(project=st.sampled_from(PROJECTS), japan=st.integers(0, 3_000), india=st.integers(0, 3_000),
          participant=st.integers(1, 1_000))  # fmt: skip
    def notify_issue_allocate(self, project: str, japan: int, india: int, participant: int) -> None:
        # Ten-day periods: twelve steps stay within 2026, the vintage every notification below names.
        start, end = self.next_period, self.next_period + timedelta(days=9)
        self.next_period = end + timedelta(days=1)
        secretariat, ind = self.principals["jcm-secretariat"], self.principals["jcm-registry-ind"]
        total = japan + india + participant
        self.jcm.add_monitoring_period(secretariat, model.MonitoringPeriodCreate(
            project=project, period_start=start, period_end=end, verified_tco2e=total, verifier="v",
            verified_on=end + timedelta(days=1)))  # fmt: skip
        self.jcm.add_notice(secretariat, model.NoticeCreate(
            project=project, period_start=start, notified_on=end + timedelta(days=2), vintage=2026,
            japan_government_tco2e=japan, india_government_tco2e=india,
            participants=[model.ParticipantAllocation(account="ILL-IN-ENT-001", tco2e=participant)]))  # fmt: skip
        self.tick()
        self.jcm.issue(ind, project, start, "issue")
        self.jcm.allocate(ind, project, start, "allocate")

    @rule(source=st.sampled_from(HOLDING), to=st.sampled_from(HOLDING), project=st.sampled_from(PROJECTS),
          share=st.floats(0.01, 1.0))  # fmt: skip
    def transfer(self, source: str, to: str, project: str, share: float) -> None:
        available = self.held().get((source, project), 0)
        if available == 0 or source == to:
            return
        quantity = max(1, int(available * share))
        self.tick()
        self.jcm.transfer(self.principals[OWNER[source]], model.TransferRequest(
            project=project, vintage=2026, quantity=quantity, source=source, target=to, reason="random"))  # fmt: skip

    @rule(registry=st.sampled_from(["IND", "JPN"]), project=st.sampled_from(PROJECTS), share=st.floats(0.01, 1.0),
          retire=st.booleans())  # fmt: skip
    def retire_or_cancel(self, registry: str, project: str, share: float, retire: bool) -> None:
        source = "ILL-JP-GOV-001" if registry == "JPN" else "ILL-IN-GOV-001"
        available = self.held().get((source, project), 0)
        if available == 0:
            return
        quantity = max(1, int(available * share))
        prefix = "ILL-JP" if registry == "JPN" else "ILL-IN"
        self.tick()
        if retire:
            self.jcm.retire(self.principals[OWNER[source]], model.RetirementRequest(
                project=project, vintage=2026, quantity=quantity, source=source, target=f"{prefix}-RET-001",
                reason="use"))  # fmt: skip
        else:
            self.jcm.cancel(self.principals[OWNER[source]], model.CancellationRequest(
                project=project, vintage=2026, quantity=quantity, source=source, target=f"{prefix}-CAN-001",
                reason="cancel"))  # fmt: skip

    @precondition(lambda self: hasattr(self, "principals"))
    @rule(frozen=st.sampled_from(["ILL-JP-RET-001", "ILL-IN-CAN-001"]), project=st.sampled_from(PROJECTS),
          excess=st.booleans(), wrong_holder=st.booleans())  # fmt: skip
    def forbidden_moves_change_nothing(self, frozen: str, project: str, excess: bool, wrong_holder: bool) -> None:
        before = self.jcm.holdings()
        frozen_move = model.TransferRequest(project=project, vintage=2026, quantity=1, source=frozen,
                                            target="ILL-IN-GOV-001", reason="x")  # fmt: skip
        attempts = [(OWNER[frozen], frozen_move)]
        if excess:
            held = self.held().get(("ILL-IN-GOV-001", project), 0)
            attempts.append(("jcm-registry-ind", model.TransferRequest(
                project=project, vintage=2026, quantity=held + 1, source="ILL-IN-GOV-001", target="ILL-IN-ENT-001",
                reason="x")))  # fmt: skip
        if wrong_holder:
            attempts.append(("jcm-holder-jpn", model.TransferRequest(
                project=project, vintage=2026, quantity=1, source="ILL-IN-ENT-001", target="ILL-JP-ENT-001",
                reason="x")))  # fmt: skip
        for username, request in attempts:
            with pytest.raises((ValidationError, PermissionDeniedError, ConflictError)):
                self.jcm.transfer(self.principals[username], request)
        assert self.jcm.holdings() == before

    @invariant()
    def ledger_is_consistent(self) -> None:
        assert self.jcm.verify() == []

    @invariant()
    def adjustments_balance_first_transfers_and_uses(self) -> None:
        movements = self.jcm.movements()
        first = sum(m.quantity for m in movements if m.first_transfer)
        # A use of ITMOs is a retirement of serials some earlier (or the same) movement first-transferred: by
        # Japan, and by India when it uses ITMOs it acquired back; India using units it never sent adjusts nothing.
        sent: dict[str, set[int]] = defaultdict(set)
        used: dict[str, int] = defaultdict(int)
        for m in sorted(movements, key=lambda m: m.id):
            if m.first_transfer:
                sent[m.project].update(range(m.serial_start, m.serial_end + 1))
            if m.kind == model.MovementKind.RETIREMENT:
                used[m.target_registry] += len(sent[m.project] & set(range(m.serial_start, m.serial_end + 1)))
        totals = self.jcm.adjustments()
        assert sum(t.first_transfer_tco2e for t in totals) == first
        for party in ("JPN", "IND"):
            assert sum(t.use_tco2e for t in totals if t.party == party) == -used[party]
        # Units used as ITMOs were first-transferred: what India added covers what was subtracted.
        assert first >= sum(used.values())

    @invariant()
    def issued_equals_held_cancelled_retired(self) -> None:
        issued: dict[str, int] = defaultdict(int)
        for m in self.jcm.movements():
            if m.kind == model.MovementKind.ISSUANCE:
                issued[m.project] += m.quantity
        held: dict[str, int] = defaultdict(int)
        serials: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for row in self.jcm.holdings():
            held[row["project"]] += row["tco2e"]
            serials[row["project"]].append((row["serial_start"], row["serial_end"]))
        assert dict(issued) == dict(held)
        for ranges in serials.values():  # every unit in exactly one account: the ranges tile 1..issued
            ranges.sort()
            assert ranges[0][0] == 1
            assert all(a[1] + 1 == b[0] for a, b in pairwise(ranges))


def _sqlite():
    import contextlib
    import tempfile

    @contextlib.contextmanager
    def scratch():
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/jcm.sqlite3"

    return scratch()


class SqliteLedger(LedgerMachine):
    url_factory = staticmethod(_sqlite)


class PostgresLedger(LedgerMachine):
    url_factory = staticmethod(postgres_schema)


SETTINGS = settings(max_examples=6, stateful_step_count=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip


def test_ledger_state_machine_sqlite() -> None:
    run_state_machine_as_test(SqliteLedger, settings=SETTINGS)


@pytest.mark.postgres
def test_ledger_state_machine_postgresql() -> None:
    reason = postgres_unreachable()
    if reason:
        pytest.skip(reason)
    run_state_machine_as_test(PostgresLedger, settings=settings(SETTINGS, max_examples=4))
