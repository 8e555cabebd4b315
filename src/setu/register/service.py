"""The register's use cases over one database, assembled once by each entry point (CLI, API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from argon2 import PasswordHasher

from setu.errors import CatalogError
from setu.jcm.service import JcmService
from setu.register.accounts import AccountService
from setu.register.audit import AuditService
from setu.register.followup import FollowUpService
from setu.register.records import ExternalChecks, RecordService
from setu.register.transfer import TransferService
from setu.store.register.database import RegisterDatabase


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RegisterService:
    database: RegisterDatabase
    records: RecordService
    accounts: AccountService
    audit: AuditService
    followup: FollowUpService
    transfer: TransferService
    jcm: JcmService

    @classmethod
    def open(
        cls,
        url: str,
        *,
        clock: Callable[[], datetime] = utc_now,
        token_ttl: timedelta = timedelta(hours=8),
        hasher: PasswordHasher | None = None,
        require_current: bool = True,
        external_checks: ExternalChecks | None = None,
    ) -> RegisterService:
        """Open the register at ``url``; refuses a database whose schema is not at the latest migration."""
        database = RegisterDatabase(url)
        if require_current and not database.is_current():
            raise CatalogError(
                f"the register database at {database!r} is not at the current schema: run `setu register init-db`"
            )
        records = RecordService(database, clock, external_checks)

        def today() -> date:
            return clock().date()

        return cls(
            database=database,
            records=records,
            accounts=AccountService(database, clock, token_ttl=token_ttl, hasher=hasher),
            audit=AuditService(database, clock),
            followup=FollowUpService(database, today),
            transfer=TransferService(database, records, clock),
            jcm=JcmService(database, clock),
        )

    def close(self) -> None:
        self.database.dispose()
