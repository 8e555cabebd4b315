"""The JCM's tables (SQLAlchemy Core), on the register's metadata so they can reference its accounts.

Records of the JCM cycle (methodologies, projects, monitoring periods, notifications of issuance, authorisations)
and the registries' holding accounts are plain rows. The ledger is two tables:

- ``jcm_transactions``: append-only movements. Each row moves one contiguous serial range
  ``[serial_start, serial_end]`` of one (project, vintage) out of one open block (``source_block_id``) into one
  account; an issuance has no source. An operation a user asks for (a transfer of 12,000 t) is one or more rows
  sharing an ``operation_id``.
- ``jcm_blocks``: the holdings, derived from the movements by the database itself (migration 0003's triggers):
  inserting a movement closes its source block and writes the moved range into the target account and the
  remainders back into the source account. Balances are therefore never written by application code.

``jcm_adjustments`` holds the corresponding adjustments that first transfers and uses trigger (also written by
the database, one row per movement that causes one).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from setu.store.register.tables import metadata
from setu.store.register.types import UTCDateTime

PARTIES = ("JPN", "IND")
ACCOUNT_KINDS = ("issuance", "government_holding", "entity_holding", "cancellation", "retirement")
MOVEMENT_KINDS = ("issuance", "internal_transfer", "external_transfer", "cancellation", "retirement")
PURPOSES = ("ndc", "oimp", "ndc_and_oimp")
FIRST_TRANSFER_DEFINITIONS = ("first_international_transfer", "authorisation", "issuance", "use_or_cancellation")
GRANT_ROLES = ("registry_admin", "secretariat")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _created() -> list[Column]:
    return [Column("created_at", UTCDateTime, nullable=False), Column("created_by", String(64), nullable=False)]


jcm_grants = Table(
    "jcm_grants",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("party", String(3)),
    *_created(),
    UniqueConstraint("account_id", "role", "party", name="uq_jcm_grants_account_role_party"),
    CheckConstraint(_in("role", GRANT_ROLES), name="ck_jcm_grants_role"),
    CheckConstraint(f"(role = 'secretariat') OR ({_in('party', PARTIES)})", name="ck_jcm_grants_party"),
)

jcm_methodologies = Table(
    "jcm_methodologies",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("sectoral_scope", String(120), nullable=False),
    Column("approved_on", Date, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("illustrative", Boolean, nullable=False),
    *_created(),
    UniqueConstraint("code", "version", name="uq_jcm_methodologies_code_version"),
    CheckConstraint("version >= 1", name="ck_jcm_methodologies_version"),
    CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="ck_jcm_methodologies_validity"),
)

jcm_projects = Table(
    "jcm_projects",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("host_party", String(3), nullable=False),
    Column("partner_party", String(3), nullable=False),
    Column("methodology_id", String(36), ForeignKey("jcm_methodologies.id"), nullable=False, index=True),
    Column("sector", String(120), nullable=False),
    Column("activity_type", String(120), nullable=False),
    Column("participants", JSON, nullable=False),
    Column("pdd_reference", String(300), nullable=False),
    Column("validator", String(200), nullable=False),
    Column("validated_on", Date, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("register_project_id", String(36), ForeignKey("projects.id")),
    Column("illustrative", Boolean, nullable=False),
    *_created(),
    CheckConstraint(_in("host_party", PARTIES), name="ck_jcm_projects_host"),
    CheckConstraint(f"{_in('partner_party', PARTIES)} AND partner_party <> host_party", name="ck_jcm_projects_partner"),
    CheckConstraint("registered_on >= validated_on", name="ck_jcm_projects_registration"),
)

jcm_monitoring_periods = Table(
    "jcm_monitoring_periods",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(36), ForeignKey("jcm_projects.id"), nullable=False, index=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("verified_tco2e", BigInteger, nullable=False),
    Column("verifier", String(200), nullable=False),
    Column("verified_on", Date, nullable=False),
    *_created(),
    CheckConstraint("period_end >= period_start", name="ck_jcm_monitoring_periods_dates"),
    CheckConstraint("verified_on >= period_end", name="ck_jcm_monitoring_periods_verified_after"),
    CheckConstraint("verified_tco2e > 0", name="ck_jcm_monitoring_periods_quantity"),
)

jcm_notices = Table(
    "jcm_notices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("monitoring_period_id", String(36), ForeignKey("jcm_monitoring_periods.id"), nullable=False, unique=True),
    Column("notified_on", Date, nullable=False),
    Column("vintage", Integer, nullable=False),
    Column("total_tco2e", BigInteger, nullable=False),
    Column("japan_government_tco2e", BigInteger, nullable=False),
    Column("india_government_tco2e", BigInteger, nullable=False),
    Column("participants_tco2e", BigInteger, nullable=False),
    Column("participant_allocations", JSON, nullable=False),
    *_created(),
    CheckConstraint(
        "japan_government_tco2e >= 0 AND india_government_tco2e >= 0 AND participants_tco2e >= 0",
        name="ck_jcm_notices_shares",
    ),
    CheckConstraint(
        "japan_government_tco2e + india_government_tco2e + participants_tco2e = total_tco2e",
        name="ck_jcm_notices_allocation",
    ),
    CheckConstraint("total_tco2e > 0", name="ck_jcm_notices_total"),
)

jcm_accounts = Table(
    "jcm_accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("registry", String(3), nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("name", String(200), nullable=False),
    Column("holder_org_id", String(36), ForeignKey("organisations.id"), index=True),
    *_created(),
    CheckConstraint(_in("registry", PARTIES), name="ck_jcm_accounts_registry"),
    CheckConstraint(_in("kind", ACCOUNT_KINDS), name="ck_jcm_accounts_kind"),
    CheckConstraint("kind <> 'entity_holding' OR holder_org_id IS NOT NULL", name="ck_jcm_accounts_holder"),
)

jcm_authorisations = Table(
    "jcm_authorisations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(60), nullable=False, unique=True),
    Column("party", String(3), nullable=False),
    Column("project_id", String(36), ForeignKey("jcm_projects.id"), nullable=False, index=True),
    Column("vintage_from", Integer, nullable=False),
    Column("vintage_to", Integer, nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("first_transfer_definition", String(32), nullable=False),
    Column("authorised_at", UTCDateTime, nullable=False),
    Column("terms", Text, nullable=False),
    *_created(),
    CheckConstraint(_in("party", PARTIES), name="ck_jcm_authorisations_party"),
    CheckConstraint(_in("purpose", PURPOSES), name="ck_jcm_authorisations_purpose"),
    CheckConstraint(_in("first_transfer_definition", FIRST_TRANSFER_DEFINITIONS), name="ck_jcm_authorisations_ft"),
    CheckConstraint("vintage_to >= vintage_from", name="ck_jcm_authorisations_vintages"),
    # 2/CMA.3 annex, para 2(b): for use towards NDCs the first transfer is the first international transfer.
    CheckConstraint(
        "purpose = 'oimp' OR first_transfer_definition = 'first_international_transfer'",
        name="ck_jcm_authorisations_ndc_first_transfer",
    ),
)

jcm_transactions = Table(
    "jcm_transactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("operation_id", String(36), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("project_id", String(36), ForeignKey("jcm_projects.id"), nullable=False, index=True),
    Column("vintage", Integer, nullable=False),
    Column("serial_start", BigInteger, nullable=False),
    Column("serial_end", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("source_block_id", Integer, index=True),  # checked by the movement trigger (blocks refer back here)
    Column("source_account_id", String(36), ForeignKey("jcm_accounts.id"), index=True),
    Column("target_account_id", String(36), ForeignKey("jcm_accounts.id"), nullable=False, index=True),
    Column("source_registry", String(3)),
    Column("target_registry", String(3), nullable=False),
    Column("notice_id", String(36), ForeignKey("jcm_notices.id")),
    Column("authorisation_id", String(36), ForeignKey("jcm_authorisations.id")),
    Column("first_transfer", Boolean, nullable=False),
    Column("purpose", String(16)),
    Column("corrects_operation_id", String(36)),
    CheckConstraint(_in("kind", MOVEMENT_KINDS), name="ck_jcm_transactions_kind"),
    CheckConstraint("serial_start >= 1 AND serial_end >= serial_start", name="ck_jcm_transactions_serials"),
    CheckConstraint("quantity = serial_end - serial_start + 1", name="ck_jcm_transactions_quantity"),
    CheckConstraint(
        "(kind = 'issuance' AND source_block_id IS NULL AND source_account_id IS NULL AND source_registry IS NULL"
        " AND notice_id IS NOT NULL)"
        " OR (kind <> 'issuance' AND source_block_id IS NOT NULL AND source_account_id IS NOT NULL"
        " AND source_registry IS NOT NULL)",
        name="ck_jcm_transactions_source",
    ),
    # An external transfer names both registries in one row: it is recorded on both sides or on neither.
    CheckConstraint(
        "kind = 'issuance' OR (kind = 'external_transfer' AND source_registry <> target_registry)"
        " OR (kind <> 'external_transfer' AND source_registry = target_registry)",
        name="ck_jcm_transactions_registries",
    ),
    CheckConstraint("NOT first_transfer OR authorisation_id IS NOT NULL", name="ck_jcm_transactions_authorised"),
    CheckConstraint(
        f"(kind IN ('retirement', 'cancellation') AND {_in('purpose', (*PURPOSES, 'voluntary', 'omge'))})"
        " OR (kind NOT IN ('retirement', 'cancellation') AND purpose IS NULL)",
        name="ck_jcm_transactions_purpose",
    ),
)

jcm_blocks = Table(
    "jcm_blocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", String(36), ForeignKey("jcm_projects.id"), nullable=False),
    Column("vintage", Integer, nullable=False),
    Column("serial_start", BigInteger, nullable=False),
    Column("serial_end", BigInteger, nullable=False),
    Column("account_id", String(36), ForeignKey("jcm_accounts.id"), nullable=False, index=True),
    Column("first_transferred", Boolean, nullable=False),
    Column("authorisation_id", String(36), ForeignKey("jcm_authorisations.id")),
    Column("created_by_tx", Integer, ForeignKey("jcm_transactions.id"), nullable=False, index=True),
    Column("closed_by_tx", Integer, ForeignKey("jcm_transactions.id"), index=True),
    CheckConstraint("serial_start >= 1 AND serial_end >= serial_start", name="ck_jcm_blocks_serials"),
)

jcm_adjustments = Table(
    "jcm_adjustments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("transaction_id", Integer, ForeignKey("jcm_transactions.id"), nullable=False, index=True),
    Column("party", String(3), nullable=False),
    Column("vintage", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("cause", String(16), nullable=False),
    Column("tco2e", BigInteger, nullable=False),
    UniqueConstraint("transaction_id", "cause", name="uq_jcm_adjustments_transaction_cause"),
    CheckConstraint("cause IN ('first_transfer', 'use')", name="ck_jcm_adjustments_cause"),
    CheckConstraint(
        "(cause = 'first_transfer' AND tco2e > 0) OR (cause = 'use' AND tco2e < 0)", name="ck_jcm_adjustments_sign"
    ),
)

#: The tables in reference order (creation; a backup replays them in this order).
JCM_TABLES: tuple[Table, ...] = (
    jcm_grants, jcm_methodologies, jcm_projects, jcm_monitoring_periods, jcm_notices, jcm_accounts,
    jcm_authorisations, jcm_transactions, jcm_blocks, jcm_adjustments,
)  # fmt: skip
