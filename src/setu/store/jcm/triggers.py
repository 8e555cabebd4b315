"""The ledger's invariants as the database's own triggers, on SQLite and on PostgreSQL.

Registries of emission units keep their invariants in the store, not only in code paths (every unit in
exactly one account; no unit issued twice; a cancelled or retired unit never moves again). Here:

- ``jcm_transactions`` and ``jcm_adjustments`` are append-only (UPDATE and DELETE refused): a correction is a new
  movement that names the operation it corrects.
- The cycle's records (methodologies, projects, monitoring periods, notifications, accounts, authorisations) are
  never updated or deleted either: an account's kind or registry, a notification's total or an authorisation's
  date and purpose are what the movements were checked against.
- A movement is checked before it is written: its source block is open, lies in the source account and holds the
  serial range (PostgreSQL locks the block row first, so of two concurrent movements out of one block exactly one
  finds it open); the accounts lie in the registries the row names and are of the kind the movement needs; a
  cancelled or retired unit never moves; a unit is first-transferred once, and only under an authorisation that
  covers its project and vintage and was given no later than the movement; a use towards another Party's NDC
  needs the units to be first-transferred and authorised for use towards NDCs, a use for other international
  mitigation purposes needs them authorised for OIMP; an issuance follows a notification for the same project and vintage,
  never exceeds the notified total and never reuses a serial number.
- The holdings follow from the movement, written by the database: the source block is closed and its range is
  written again as the moved part (target account) and the remainders (source account), so the units of a
  (project, vintage) are conserved by construction: issued = held + cancelled + retired.
- ``jcm_blocks`` refuses DELETE, refuses any UPDATE but closing an open block by the movement that names it, and
  refuses a new block that overlaps an open one or lies outside an issued range.
- A corresponding adjustment is written for every first transfer (the first-transferring Party adds the quantity,
  decision 2/CMA.3, annex, para 8(a)) and for every use of first-transferred units towards an NDC (the using Party,
  the host too when it uses ITMOs it acquired back, subtracts it, para 8(b)), per vintage and year.

The two dialects say the same thing; ``tests/jcm`` runs the same cases on both.
"""

from __future__ import annotations

_MESSAGES = {
    "append_only": "jcm: the ledger is append-only: record a correcting movement instead",
    "source": "jcm: the source block is not open in the source account or does not hold the serial range",
    "frozen": "jcm: cancelled or retired units never move again",
    "source_registry": "jcm: the source account is not in the source registry",
    "target_registry": "jcm: the target account is not in the target registry",
    "target_kind": "jcm: the target account is not of the kind this movement needs",
    "first_once": "jcm: a unit is first-transferred once",
    "use_needs_first": "jcm: a use towards another Party's NDC needs the units to be first-transferred",
    "purpose": "jcm: the units are not authorised for this use: a use towards another Party's NDC needs an"
    " authorisation for use towards NDCs, a use for other international mitigation purposes one for OIMP",
    "authorisation_named": "jcm: a movement of authorised units names the authorisation that covers them",
    "first_rule": "jcm: a movement is marked as a first transfer exactly when it is one (as its authorisation defines it)",
    "period_overlap": "jcm: monitoring periods of a project never overlap: emission reductions are verified once",
    "notice_total": "jcm: a notification allocates exactly its monitoring period's verified reductions",
    "backdated": "jcm: a movement happens no earlier than the movement that brought its units to the source account",
    "records_fixed": "jcm: the JCM's records are never edited: record a new one (a new version, account or authorisation)",
    "authorisation": "jcm: a first transfer needs an earlier authorisation covering the project and vintage",
    "overissue": "jcm: an issuance follows a notification of the same project and vintage and never exceeds it",
    "serial_reuse": "jcm: serial numbers of a project and vintage are issued once",
    "blocks_delete": "jcm: holdings change only through movements",
    "blocks_update": "jcm: a block is only ever closed, by the movement that names it",
    "overlap": "jcm: the range overlaps an open block: every unit is in exactly one account",
    "never_issued": "jcm: the range was never issued",
}

_TRIGGERED = ("jcm_transactions", "jcm_adjustments")
#: The cycle's records and the accounts the movements name: fixed once written, or a retirement account could
#: turn into a holding account, a notification grow after issuance or an authorisation move after a first transfer.
_FIXED = ("jcm_methodologies", "jcm_projects", "jcm_monitoring_periods", "jcm_notices", "jcm_accounts",
          "jcm_authorisations")  # fmt: skip


def _sqlite_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _raise(key: str) -> str:
    return f"SELECT RAISE(ABORT, {_sqlite_quote(_MESSAGES[key])})"


_TARGET_KIND = (
    "(NEW.kind = 'issuance' AND t.kind = 'issuance')"
    " OR (NEW.kind IN ('internal_transfer', 'external_transfer') AND t.kind IN ('government_holding', 'entity_holding'))"
    " OR (NEW.kind = 'cancellation' AND t.kind = 'cancellation')"
    " OR (NEW.kind = 'retirement' AND t.kind = 'retirement')"
)
_AUTHORISED = (
    "SELECT 1 FROM jcm_authorisations a WHERE a.id = NEW.authorisation_id AND a.project_id = NEW.project_id"
    " AND NEW.vintage BETWEEN a.vintage_from AND a.vintage_to AND a.authorised_at <= NEW.at"
)
_NOTICE_OF_PROJECT = (
    "SELECT 1 FROM jcm_notices n JOIN jcm_monitoring_periods m ON m.id = n.monitoring_period_id"
    " WHERE n.id = NEW.notice_id AND m.project_id = NEW.project_id AND n.vintage = NEW.vintage"
)
_ISSUED_FOR_NOTICE = (
    "(SELECT COALESCE(SUM(i.quantity), 0) FROM jcm_transactions i WHERE i.kind = 'issuance'"
    " AND i.notice_id = NEW.notice_id)"
)
_ISSUANCE_OVERLAP = (
    "SELECT 1 FROM jcm_transactions i WHERE i.kind = 'issuance' AND i.project_id = NEW.project_id"
    " AND i.vintage = NEW.vintage AND i.serial_start <= NEW.serial_end AND i.serial_end >= NEW.serial_start"
)
_OPEN_OVERLAP = (
    "SELECT 1 FROM jcm_blocks b WHERE b.project_id = NEW.project_id AND b.vintage = NEW.vintage"
    " AND b.closed_by_tx IS NULL AND b.serial_start <= NEW.serial_end AND b.serial_end >= NEW.serial_start"
)
_WITHIN_ISSUED = (
    "SELECT 1 FROM jcm_transactions i WHERE i.kind = 'issuance' AND i.project_id = NEW.project_id"
    " AND i.vintage = NEW.vintage AND i.serial_start <= NEW.serial_start AND i.serial_end >= NEW.serial_end"
)
_BLOCK_COLUMNS = "project_id, vintage, serial_start, serial_end, account_id, first_transferred, authorisation_id, created_by_tx"
_NDC_USE = "NEW.kind = 'retirement' AND NEW.purpose IN ('ndc', 'ndc_and_oimp')"
_ABROAD = "NEW.target_registry <> (SELECT p.host_party FROM jcm_projects p WHERE p.id = NEW.project_id)"
_SOURCE_FIRST_TRANSFERRED = "EXISTS (SELECT 1 FROM jcm_blocks b WHERE b.id = NEW.source_block_id AND b.first_transferred)"
#: A use towards an NDC of first-transferred units (ITMOs) is adjusted by the using Party, the host included
#: when it uses ITMOs it first-transferred and acquired back (2/CMA.3 annex, para 8).
_USE_ADJUSTED = f"{_NDC_USE} AND (NEW.first_transfer OR {_SOURCE_FIRST_TRANSFERRED})"
#: The purposes an authorisation row ``a`` covers, for a use of ``NEW.purpose`` (abroad for NDCs; anywhere for OIMP).
_PURPOSE_COVERED = (
    "((NEW.purpose = 'oimp' AND a.purpose IN ('oimp', 'ndc_and_oimp'))"
    " OR (NEW.purpose IN ('ndc', 'ndc_and_oimp') AND a.purpose IN ('ndc', 'ndc_and_oimp')))"
)
_COVERING_AUTHORISATION = (
    "SELECT 1 FROM jcm_authorisations a JOIN jcm_projects p ON p.id = a.project_id WHERE a.project_id = NEW.project_id"
    " AND a.party = p.host_party AND NEW.vintage BETWEEN a.vintage_from AND a.vintage_to AND a.authorised_at <= NEW.at"
)


def _first_transfer_applies(source_first: str) -> str:
    """Whether ``NEW`` is the first transfer of its units (``setu.jcm.accounting.first_transfer_applies``):
    not first-transferred before, under the authorisation it names, as that authorisation defines it."""
    return (
        f"(NOT {source_first} AND EXISTS (SELECT 1 FROM jcm_authorisations a WHERE a.id = NEW.authorisation_id AND ("
        "(NEW.kind = 'retirement' AND NEW.purpose = 'oimp') OR "
        "(a.first_transfer_definition = 'first_international_transfer' AND (NEW.kind = 'external_transfer'"
        f" OR (NEW.kind = 'retirement' AND {_ABROAD})))"
        " OR a.first_transfer_definition IN ('issuance', 'authorisation')"
        " OR (a.first_transfer_definition = 'use_or_cancellation' AND NEW.kind IN ('retirement', 'cancellation')))))"
    )


_USE_NEEDS_PURPOSE = f"NEW.kind = 'retirement' AND (NEW.purpose = 'oimp' OR ({_NDC_USE} AND {_ABROAD}))"


_PERIOD_OVERLAP = (
    "SELECT 1 FROM jcm_monitoring_periods m WHERE m.project_id = NEW.project_id"
    " AND m.period_start <= NEW.period_end AND m.period_end >= NEW.period_start"
)
_NOTICE_NOT_VERIFIED = (
    "NOT EXISTS (SELECT 1 FROM jcm_monitoring_periods m WHERE m.id = NEW.monitoring_period_id"
    " AND m.verified_tco2e = NEW.total_tco2e)"
)


def sqlite_statements() -> list[str]:
    """CREATE TRIGGER statements for SQLite (RAISE(ABORT) rolls back the statement; the service the transaction)."""
    statements = [
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN {_raise('append_only')}; END"
        for table in _TRIGGERED
        for event in ("UPDATE", "DELETE")
    ]
    statements += [
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN {_raise('records_fixed')}; END"
        for table in _FIXED
        for event in ("UPDATE", "DELETE")
    ]
    statements.append(
        "CREATE TRIGGER jcm_monitoring_periods_check BEFORE INSERT ON jcm_monitoring_periods BEGIN "
        f"{_raise('period_overlap')} WHERE EXISTS ({_PERIOD_OVERLAP}); END"
    )
    statements.append(
        "CREATE TRIGGER jcm_notices_check BEFORE INSERT ON jcm_notices BEGIN "
        f"{_raise('notice_total')} WHERE {_NOTICE_NOT_VERIFIED}; END"
    )
    statements.append(
        "CREATE TRIGGER jcm_transactions_check BEFORE INSERT ON jcm_transactions BEGIN "
        f"{_raise('target_registry')} WHERE NOT EXISTS (SELECT 1 FROM jcm_accounts t WHERE t.id = NEW.target_account_id"
        " AND t.registry = NEW.target_registry); "
        f"{_raise('target_kind')} WHERE NOT EXISTS (SELECT 1 FROM jcm_accounts t WHERE t.id = NEW.target_account_id"
        f" AND ({_TARGET_KIND})); "
        f"{_raise('authorisation')} WHERE NEW.first_transfer AND NOT EXISTS ({_AUTHORISED}); "
        f"{_raise('overissue')} WHERE NEW.kind = 'issuance' AND (NOT EXISTS ({_NOTICE_OF_PROJECT})"
        f" OR {_ISSUED_FOR_NOTICE} + NEW.quantity > (SELECT n.total_tco2e FROM jcm_notices n WHERE n.id = NEW.notice_id)); "
        f"{_raise('serial_reuse')} WHERE NEW.kind = 'issuance' AND EXISTS ({_ISSUANCE_OVERLAP}); "
        f"{_raise('source')} WHERE NEW.kind <> 'issuance' AND NOT EXISTS (SELECT 1 FROM jcm_blocks b"
        " WHERE b.id = NEW.source_block_id AND b.closed_by_tx IS NULL AND b.account_id = NEW.source_account_id"
        " AND b.project_id = NEW.project_id AND b.vintage = NEW.vintage AND b.serial_start <= NEW.serial_start"
        " AND b.serial_end >= NEW.serial_end); "
        f"{_raise('frozen')} WHERE NEW.kind <> 'issuance' AND EXISTS (SELECT 1 FROM jcm_accounts s"
        " WHERE s.id = NEW.source_account_id AND s.kind IN ('cancellation', 'retirement')); "
        f"{_raise('source_registry')} WHERE NEW.kind <> 'issuance' AND NOT EXISTS (SELECT 1 FROM jcm_accounts s"
        " WHERE s.id = NEW.source_account_id AND s.registry = NEW.source_registry); "
        f"{_raise('backdated')} WHERE NEW.kind <> 'issuance' AND EXISTS (SELECT 1 FROM jcm_blocks b"
        " JOIN jcm_transactions t ON t.id = b.created_by_tx WHERE b.id = NEW.source_block_id AND t.at > NEW.at); "
        f"{_raise('first_once')} WHERE NEW.first_transfer AND NEW.kind <> 'issuance' AND {_SOURCE_FIRST_TRANSFERRED}; "
        f"{_raise('authorisation_named')} WHERE NEW.authorisation_id IS NULL AND EXISTS ({_COVERING_AUTHORISATION}); "
        f"{_raise('first_rule')} WHERE NEW.first_transfer <> {_first_transfer_applies(_SOURCE_FIRST_TRANSFERRED)}; "
        f"{_raise('use_needs_first')} WHERE {_NDC_USE} AND {_ABROAD} AND NOT NEW.first_transfer"
        f" AND NOT {_SOURCE_FIRST_TRANSFERRED}; "
        f"{_raise('purpose')} WHERE {_USE_NEEDS_PURPOSE} AND NOT EXISTS (SELECT 1 FROM jcm_blocks b"
        " JOIN jcm_authorisations a ON a.id = COALESCE(NEW.authorisation_id, b.authorisation_id)"
        f" WHERE b.id = NEW.source_block_id AND {_PURPOSE_COVERED}); "
        "END"
    )
    statements.append(
        "CREATE TRIGGER jcm_transactions_issue AFTER INSERT ON jcm_transactions WHEN NEW.kind = 'issuance' BEGIN "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) VALUES (NEW.project_id, NEW.vintage, NEW.serial_start,"
        " NEW.serial_end, NEW.target_account_id, NEW.first_transfer, NEW.authorisation_id, NEW.id); END"
    )
    source = "FROM jcm_blocks b WHERE b.id = NEW.source_block_id"
    statements.append(
        "CREATE TRIGGER jcm_transactions_move AFTER INSERT ON jcm_transactions WHEN NEW.kind <> 'issuance' BEGIN "
        "UPDATE jcm_blocks SET closed_by_tx = NEW.id WHERE id = NEW.source_block_id AND closed_by_tx IS NULL; "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) SELECT b.project_id, b.vintage, b.serial_start,"
        f" NEW.serial_start - 1, b.account_id, b.first_transferred, b.authorisation_id, NEW.id {source}"
        " AND b.serial_start < NEW.serial_start; "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) SELECT b.project_id, b.vintage, NEW.serial_end + 1,"
        f" b.serial_end, b.account_id, b.first_transferred, b.authorisation_id, NEW.id {source}"
        " AND b.serial_end > NEW.serial_end; "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) SELECT b.project_id, b.vintage, NEW.serial_start,"
        " NEW.serial_end, NEW.target_account_id, (b.first_transferred OR NEW.first_transfer),"
        f" COALESCE(NEW.authorisation_id, b.authorisation_id), NEW.id {source}; END"
    )
    year = "CAST(substr(NEW.at, 1, 4) AS INTEGER)"
    statements.append(
        "CREATE TRIGGER jcm_transactions_adjust_first AFTER INSERT ON jcm_transactions WHEN NEW.first_transfer BEGIN "
        "INSERT INTO jcm_adjustments (transaction_id, party, vintage, year, cause, tco2e)"
        f" SELECT NEW.id, a.party, NEW.vintage, {year}, 'first_transfer', NEW.quantity"
        " FROM jcm_authorisations a WHERE a.id = NEW.authorisation_id; END"
    )
    statements.append(
        f"CREATE TRIGGER jcm_transactions_adjust_use AFTER INSERT ON jcm_transactions WHEN {_USE_ADJUSTED} BEGIN "
        "INSERT INTO jcm_adjustments (transaction_id, party, vintage, year, cause, tco2e)"
        f" VALUES (NEW.id, NEW.target_registry, NEW.vintage, {year}, 'use', -NEW.quantity); END"
    )
    statements.append(f"CREATE TRIGGER jcm_blocks_no_delete BEFORE DELETE ON jcm_blocks BEGIN {_raise('blocks_delete')}; END")
    statements.append(
        "CREATE TRIGGER jcm_blocks_close_only BEFORE UPDATE ON jcm_blocks BEGIN "
        f"{_raise('blocks_update')} WHERE NOT (OLD.closed_by_tx IS NULL AND NEW.closed_by_tx IS NOT NULL"
        " AND NEW.id = OLD.id AND NEW.project_id = OLD.project_id AND NEW.vintage = OLD.vintage"
        " AND NEW.serial_start = OLD.serial_start AND NEW.serial_end = OLD.serial_end AND NEW.account_id = OLD.account_id"
        " AND NEW.first_transferred = OLD.first_transferred AND NEW.authorisation_id IS OLD.authorisation_id"
        " AND NEW.created_by_tx = OLD.created_by_tx)"
        " OR NOT EXISTS (SELECT 1 FROM jcm_transactions t WHERE t.id = NEW.closed_by_tx AND t.source_block_id = OLD.id); "
        f"{_raise('frozen')} WHERE EXISTS (SELECT 1 FROM jcm_accounts a WHERE a.id = OLD.account_id"
        " AND a.kind IN ('cancellation', 'retirement')); END"
    )
    statements.append(
        "CREATE TRIGGER jcm_blocks_check BEFORE INSERT ON jcm_blocks BEGIN "
        f"{_raise('overlap')} WHERE EXISTS ({_OPEN_OVERLAP}); "
        f"{_raise('never_issued')} WHERE NOT EXISTS ({_WITHIN_ISSUED}); "
        f"{_raise('never_issued')} WHERE NOT EXISTS (SELECT 1 FROM jcm_transactions t WHERE t.id = NEW.created_by_tx"
        " AND t.project_id = NEW.project_id AND t.vintage = NEW.vintage); END"
    )
    return statements


def _pg_raise(key: str) -> str:
    return f"RAISE EXCEPTION USING MESSAGE = {_sqlite_quote(_MESSAGES[key])}, ERRCODE = 'check_violation'"


def postgresql_statements() -> list[str]:
    """Functions and triggers for PostgreSQL (PL/pgSQL); the same rules as :func:`sqlite_statements`."""
    statements = [
        "CREATE FUNCTION jcm_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_pg_raise('append_only')}; END $$",
        *(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION jcm_append_only()"
            for table in _TRIGGERED
        ),
        "CREATE FUNCTION jcm_records_fixed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_pg_raise('records_fixed')}; END $$",
        *(
            f"CREATE TRIGGER {table}_fixed BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION jcm_records_fixed()"
            for table in _FIXED
        ),
    ]
    statements.append(
        "CREATE FUNCTION jcm_records_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_TABLE_NAME = 'jcm_monitoring_periods' THEN "
        # Concurrent periods of one project queue here, so the overlap check sees each other.
        "PERFORM pg_advisory_xact_lock(hashtext('jcm-period:' || NEW.project_id)); "
        f"IF EXISTS ({_PERIOD_OVERLAP}) THEN {_pg_raise('period_overlap')}; END IF; "
        f"ELSIF {_NOTICE_NOT_VERIFIED} THEN {_pg_raise('notice_total')}; END IF; "
        "RETURN NEW; END $$"
    )
    statements += [
        f"CREATE TRIGGER {table}_check BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION jcm_records_check()"
        for table in ("jcm_monitoring_periods", "jcm_notices")
    ]
    statements.append(
        "CREATE FUNCTION jcm_transactions_check() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE src jcm_blocks%ROWTYPE; source_kind text; source_registry text; "
        "BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM jcm_accounts t WHERE t.id = NEW.target_account_id AND t.registry = NEW.target_registry)"
        f" THEN {_pg_raise('target_registry')}; END IF; "
        f"IF NOT EXISTS (SELECT 1 FROM jcm_accounts t WHERE t.id = NEW.target_account_id AND ({_TARGET_KIND}))"
        f" THEN {_pg_raise('target_kind')}; END IF; "
        f"IF NEW.first_transfer AND NOT EXISTS ({_AUTHORISED}) THEN {_pg_raise('authorisation')}; END IF; "
        "IF NEW.kind = 'issuance' THEN "
        f"IF NEW.authorisation_id IS NULL AND EXISTS ({_COVERING_AUTHORISATION})"
        f" THEN {_pg_raise('authorisation_named')}; END IF; "
        f"IF NEW.first_transfer IS DISTINCT FROM {_first_transfer_applies('FALSE')}"
        f" THEN {_pg_raise('first_rule')}; END IF; "
        # Concurrent issuances of one project and vintage queue here, so the serial and total checks see each other.
        "PERFORM pg_advisory_xact_lock(hashtext('jcm-issuance:' || NEW.project_id || ':' || NEW.vintage::text)); "
        f"IF NOT EXISTS ({_NOTICE_OF_PROJECT}) OR {_ISSUED_FOR_NOTICE} + NEW.quantity >"
        f" (SELECT n.total_tco2e FROM jcm_notices n WHERE n.id = NEW.notice_id) THEN {_pg_raise('overissue')}; END IF; "
        f"IF EXISTS ({_ISSUANCE_OVERLAP}) THEN {_pg_raise('serial_reuse')}; END IF; "
        "RETURN NEW; END IF; "
        # The row lock makes two concurrent movements out of one block queue; the second then sees it closed.
        "SELECT * INTO src FROM jcm_blocks WHERE id = NEW.source_block_id FOR UPDATE; "
        "IF NOT FOUND OR src.closed_by_tx IS NOT NULL OR src.account_id <> NEW.source_account_id"
        " OR src.project_id <> NEW.project_id OR src.vintage <> NEW.vintage OR src.serial_start > NEW.serial_start"
        f" OR src.serial_end < NEW.serial_end THEN {_pg_raise('source')}; END IF; "
        "SELECT s.kind, s.registry INTO source_kind, source_registry FROM jcm_accounts s WHERE s.id = NEW.source_account_id; "
        f"IF source_kind IN ('cancellation', 'retirement') THEN {_pg_raise('frozen')}; END IF; "
        f"IF source_registry IS DISTINCT FROM NEW.source_registry THEN {_pg_raise('source_registry')}; END IF; "
        "IF (SELECT t.at FROM jcm_transactions t WHERE t.id = src.created_by_tx) > NEW.at"
        f" THEN {_pg_raise('backdated')}; END IF; "
        f"IF NEW.first_transfer AND src.first_transferred THEN {_pg_raise('first_once')}; END IF; "
        f"IF NEW.authorisation_id IS NULL AND EXISTS ({_COVERING_AUTHORISATION})"
        f" THEN {_pg_raise('authorisation_named')}; END IF; "
        f"IF NEW.first_transfer IS DISTINCT FROM {_first_transfer_applies('src.first_transferred')}"
        f" THEN {_pg_raise('first_rule')}; END IF; "
        f"IF {_NDC_USE} AND {_ABROAD} AND NOT NEW.first_transfer AND NOT src.first_transferred"
        f" THEN {_pg_raise('use_needs_first')}; END IF; "
        f"IF {_USE_NEEDS_PURPOSE} AND NOT EXISTS (SELECT 1 FROM jcm_authorisations a"
        f" WHERE a.id = COALESCE(NEW.authorisation_id, src.authorisation_id) AND {_PURPOSE_COVERED})"
        f" THEN {_pg_raise('purpose')}; END IF; "
        "RETURN NEW; END $$"
    )
    statements.append(
        "CREATE TRIGGER jcm_transactions_check BEFORE INSERT ON jcm_transactions "
        "FOR EACH ROW EXECUTE FUNCTION jcm_transactions_check()"
    )
    year = "EXTRACT(YEAR FROM NEW.at)::integer"
    statements.append(
        "CREATE FUNCTION jcm_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE src jcm_blocks%ROWTYPE; "
        "BEGIN "
        "IF NEW.kind = 'issuance' THEN "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) VALUES (NEW.project_id, NEW.vintage, NEW.serial_start,"
        " NEW.serial_end, NEW.target_account_id, NEW.first_transfer, NEW.authorisation_id, NEW.id); "
        "ELSE "
        "SELECT * INTO src FROM jcm_blocks WHERE id = NEW.source_block_id; "
        "UPDATE jcm_blocks SET closed_by_tx = NEW.id WHERE id = src.id AND closed_by_tx IS NULL; "
        f"IF NOT FOUND THEN {_pg_raise('source')}; END IF; "
        "IF src.serial_start < NEW.serial_start THEN "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) VALUES (src.project_id, src.vintage, src.serial_start,"
        " NEW.serial_start - 1, src.account_id, src.first_transferred, src.authorisation_id, NEW.id); END IF; "
        "IF src.serial_end > NEW.serial_end THEN "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) VALUES (src.project_id, src.vintage, NEW.serial_end + 1,"
        " src.serial_end, src.account_id, src.first_transferred, src.authorisation_id, NEW.id); END IF; "
        f"INSERT INTO jcm_blocks ({_BLOCK_COLUMNS}) VALUES (src.project_id, src.vintage, NEW.serial_start,"
        " NEW.serial_end, NEW.target_account_id, (src.first_transferred OR NEW.first_transfer),"
        " COALESCE(NEW.authorisation_id, src.authorisation_id), NEW.id); "
        "END IF; "
        "IF NEW.first_transfer THEN "
        "INSERT INTO jcm_adjustments (transaction_id, party, vintage, year, cause, tco2e)"
        f" SELECT NEW.id, a.party, NEW.vintage, {year}, 'first_transfer', NEW.quantity"
        " FROM jcm_authorisations a WHERE a.id = NEW.authorisation_id; END IF; "
        f"IF {_NDC_USE} AND (NEW.first_transfer OR src.first_transferred) THEN "
        "INSERT INTO jcm_adjustments (transaction_id, party, vintage, year, cause, tco2e)"
        f" VALUES (NEW.id, NEW.target_registry, NEW.vintage, {year}, 'use', -NEW.quantity); END IF; "
        "RETURN NULL; END $$"
    )
    statements.append(
        "CREATE TRIGGER jcm_transactions_apply AFTER INSERT ON jcm_transactions "
        "FOR EACH ROW EXECUTE FUNCTION jcm_transactions_apply()"
    )
    statements.append(
        "CREATE FUNCTION jcm_blocks_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {_pg_raise('blocks_delete')}; END IF; "
        "IF OLD.closed_by_tx IS NOT NULL OR NEW.closed_by_tx IS NULL"
        " OR (NEW.id, NEW.project_id, NEW.vintage, NEW.serial_start, NEW.serial_end, NEW.account_id,"
        " NEW.first_transferred, NEW.created_by_tx) IS DISTINCT FROM (OLD.id, OLD.project_id, OLD.vintage,"
        " OLD.serial_start, OLD.serial_end, OLD.account_id, OLD.first_transferred, OLD.created_by_tx)"
        " OR NEW.authorisation_id IS DISTINCT FROM OLD.authorisation_id"
        " OR NOT EXISTS (SELECT 1 FROM jcm_transactions t WHERE t.id = NEW.closed_by_tx AND t.source_block_id = OLD.id)"
        f" THEN {_pg_raise('blocks_update')}; END IF; "
        "IF EXISTS (SELECT 1 FROM jcm_accounts a WHERE a.id = OLD.account_id AND a.kind IN ('cancellation', 'retirement'))"
        f" THEN {_pg_raise('frozen')}; END IF; "
        "RETURN NEW; END $$"
    )
    statements.append(
        "CREATE TRIGGER jcm_blocks_guard BEFORE UPDATE OR DELETE ON jcm_blocks "
        "FOR EACH ROW EXECUTE FUNCTION jcm_blocks_guard()"
    )
    statements.append(
        "CREATE FUNCTION jcm_blocks_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF EXISTS ({_OPEN_OVERLAP}) THEN {_pg_raise('overlap')}; END IF; "
        f"IF NOT EXISTS ({_WITHIN_ISSUED}) THEN {_pg_raise('never_issued')}; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM jcm_transactions t WHERE t.id = NEW.created_by_tx AND t.project_id = NEW.project_id"
        f" AND t.vintage = NEW.vintage) THEN {_pg_raise('never_issued')}; END IF; "
        "RETURN NEW; END $$"
    )
    statements.append(
        "CREATE TRIGGER jcm_blocks_check BEFORE INSERT ON jcm_blocks FOR EACH ROW EXECUTE FUNCTION jcm_blocks_check()"
    )
    return statements


def drop_statements(dialect: str) -> list[str]:
    """Undo :func:`sqlite_statements` or :func:`postgresql_statements` (the tables' DROP removes the triggers too)."""
    if dialect == "sqlite":
        return []
    return [
        f"DROP FUNCTION IF EXISTS {name}() CASCADE"
        for name in ("jcm_append_only", "jcm_records_fixed", "jcm_records_check", "jcm_transactions_check", "jcm_transactions_apply", "jcm_blocks_guard",
                     "jcm_blocks_check")
    ]  # fmt: skip


def statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return sqlite_statements()
    if dialect == "postgresql":
        return postgresql_statements()
    raise ValueError(f"no JCM triggers for {dialect!r}")


#: The messages the triggers raise, so the service can tell a ledger rule from any other database error.
MESSAGES = dict(_MESSAGES)
