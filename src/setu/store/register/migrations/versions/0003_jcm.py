"""The Joint Crediting Mechanism: methodologies, projects, monitoring periods, notifications of issuance,
holding accounts of the Japan and India registries, authorisations, the append-only unit ledger, the holdings it
derives and the corresponding adjustments, with the triggers of ``setu.store.jcm.triggers`` that enforce the
ledger's invariants in the database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 11:41:52
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from setu.store.jcm import triggers


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('jcm_methodologies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('sectoral_scope', sa.String(length=120), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= valid_from', name='ck_jcm_methodologies_validity'),
    sa.CheckConstraint('version >= 1', name='ck_jcm_methodologies_version'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_methodologies')),
    sa.UniqueConstraint('code', 'version', name='uq_jcm_methodologies_code_version')
    )
    op.create_table('jcm_accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('registry', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('holder_org_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind <> 'entity_holding' OR holder_org_id IS NOT NULL", name='ck_jcm_accounts_holder'),
    sa.CheckConstraint("kind IN ('issuance', 'government_holding', 'entity_holding', 'cancellation', 'retirement')", name='ck_jcm_accounts_kind'),
    sa.CheckConstraint("registry IN ('JPN', 'IND')", name='ck_jcm_accounts_registry'),
    sa.ForeignKeyConstraint(['holder_org_id'], ['organisations.id'], name=op.f('fk_jcm_accounts_holder_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_accounts')),
    sa.UniqueConstraint('number', name=op.f('uq_jcm_accounts_number'))
    )
    with op.batch_alter_table('jcm_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_accounts_holder_org_id'), ['holder_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_accounts_registry'), ['registry'], unique=False)

    op.create_table('jcm_grants',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('party', sa.String(length=3), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("(role = 'secretariat') OR (party IN ('JPN', 'IND'))", name='ck_jcm_grants_party'),
    sa.CheckConstraint("role IN ('registry_admin', 'secretariat')", name='ck_jcm_grants_role'),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_jcm_grants_account_id_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_grants')),
    sa.UniqueConstraint('account_id', 'role', 'party', name='uq_jcm_grants_account_role_party')
    )
    with op.batch_alter_table('jcm_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_grants_account_id'), ['account_id'], unique=False)

    op.create_table('jcm_projects',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('host_party', sa.String(length=3), nullable=False),
    sa.Column('partner_party', sa.String(length=3), nullable=False),
    sa.Column('methodology_id', sa.String(length=36), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('activity_type', sa.String(length=120), nullable=False),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('pdd_reference', sa.String(length=300), nullable=False),
    sa.Column('validator', sa.String(length=200), nullable=False),
    sa.Column('validated_on', sa.Date(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('register_project_id', sa.String(length=36), nullable=True),
    sa.Column('illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("host_party IN ('JPN', 'IND')", name='ck_jcm_projects_host'),
    sa.CheckConstraint("partner_party IN ('JPN', 'IND') AND partner_party <> host_party", name='ck_jcm_projects_partner'),
    sa.CheckConstraint('registered_on >= validated_on', name='ck_jcm_projects_registration'),
    sa.ForeignKeyConstraint(['methodology_id'], ['jcm_methodologies.id'], name=op.f('fk_jcm_projects_methodology_id_jcm_methodologies')),
    sa.ForeignKeyConstraint(['register_project_id'], ['projects.id'], name=op.f('fk_jcm_projects_register_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_projects')),
    sa.UniqueConstraint('reference', name=op.f('uq_jcm_projects_reference'))
    )
    with op.batch_alter_table('jcm_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_projects_methodology_id'), ['methodology_id'], unique=False)

    op.create_table('jcm_authorisations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('party', sa.String(length=3), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('vintage_from', sa.Integer(), nullable=False),
    sa.Column('vintage_to', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('first_transfer_definition', sa.String(length=32), nullable=False),
    sa.Column('authorised_at', sa.DateTime(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("first_transfer_definition IN ('first_international_transfer', 'authorisation', 'issuance', 'use_or_cancellation')", name='ck_jcm_authorisations_ft'),
    sa.CheckConstraint("party IN ('JPN', 'IND')", name='ck_jcm_authorisations_party'),
    sa.CheckConstraint("purpose = 'oimp' OR first_transfer_definition = 'first_international_transfer'", name='ck_jcm_authorisations_ndc_first_transfer'),
    sa.CheckConstraint("purpose IN ('ndc', 'oimp', 'ndc_and_oimp')", name='ck_jcm_authorisations_purpose'),
    sa.CheckConstraint('vintage_to >= vintage_from', name='ck_jcm_authorisations_vintages'),
    sa.ForeignKeyConstraint(['project_id'], ['jcm_projects.id'], name=op.f('fk_jcm_authorisations_project_id_jcm_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_authorisations')),
    sa.UniqueConstraint('reference', name=op.f('uq_jcm_authorisations_reference'))
    )
    with op.batch_alter_table('jcm_authorisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_authorisations_project_id'), ['project_id'], unique=False)

    op.create_table('jcm_monitoring_periods',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('verified_tco2e', sa.BigInteger(), nullable=False),
    sa.Column('verifier', sa.String(length=200), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name='ck_jcm_monitoring_periods_dates'),
    sa.CheckConstraint('verified_on >= period_end', name='ck_jcm_monitoring_periods_verified_after'),
    sa.CheckConstraint('verified_tco2e > 0', name='ck_jcm_monitoring_periods_quantity'),
    sa.ForeignKeyConstraint(['project_id'], ['jcm_projects.id'], name=op.f('fk_jcm_monitoring_periods_project_id_jcm_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_monitoring_periods'))
    )
    with op.batch_alter_table('jcm_monitoring_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_monitoring_periods_project_id'), ['project_id'], unique=False)

    op.create_table('jcm_notices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('monitoring_period_id', sa.String(length=36), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=False),
    sa.Column('total_tco2e', sa.BigInteger(), nullable=False),
    sa.Column('japan_government_tco2e', sa.BigInteger(), nullable=False),
    sa.Column('india_government_tco2e', sa.BigInteger(), nullable=False),
    sa.Column('participants_tco2e', sa.BigInteger(), nullable=False),
    sa.Column('participant_allocations', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint('japan_government_tco2e + india_government_tco2e + participants_tco2e = total_tco2e', name='ck_jcm_notices_allocation'),
    sa.CheckConstraint('japan_government_tco2e >= 0 AND india_government_tco2e >= 0 AND participants_tco2e >= 0', name='ck_jcm_notices_shares'),
    sa.CheckConstraint('total_tco2e > 0', name='ck_jcm_notices_total'),
    sa.ForeignKeyConstraint(['monitoring_period_id'], ['jcm_monitoring_periods.id'], name=op.f('fk_jcm_notices_monitoring_period_id_jcm_monitoring_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_notices')),
    sa.UniqueConstraint('monitoring_period_id', name=op.f('uq_jcm_notices_monitoring_period_id'))
    )
    op.create_table('jcm_transactions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('operation_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=False),
    sa.Column('serial_start', sa.BigInteger(), nullable=False),
    sa.Column('serial_end', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('source_block_id', sa.Integer(), nullable=True),
    sa.Column('source_account_id', sa.String(length=36), nullable=True),
    sa.Column('target_account_id', sa.String(length=36), nullable=False),
    sa.Column('source_registry', sa.String(length=3), nullable=True),
    sa.Column('target_registry', sa.String(length=3), nullable=False),
    sa.Column('notice_id', sa.String(length=36), nullable=True),
    sa.Column('authorisation_id', sa.String(length=36), nullable=True),
    sa.Column('first_transfer', sa.Boolean(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=True),
    sa.Column('corrects_operation_id', sa.String(length=36), nullable=True),
    sa.CheckConstraint("(kind = 'issuance' AND source_block_id IS NULL AND source_account_id IS NULL AND source_registry IS NULL AND notice_id IS NOT NULL) OR (kind <> 'issuance' AND source_block_id IS NOT NULL AND source_account_id IS NOT NULL AND source_registry IS NOT NULL)", name='ck_jcm_transactions_source'),
    sa.CheckConstraint("(kind IN ('retirement', 'cancellation') AND purpose IN ('ndc', 'oimp', 'ndc_and_oimp', 'voluntary', 'omge')) OR (kind NOT IN ('retirement', 'cancellation') AND purpose IS NULL)", name='ck_jcm_transactions_purpose'),
    sa.CheckConstraint("kind = 'issuance' OR (kind = 'external_transfer' AND source_registry <> target_registry) OR (kind <> 'external_transfer' AND source_registry = target_registry)", name='ck_jcm_transactions_registries'),
    sa.CheckConstraint("kind IN ('issuance', 'internal_transfer', 'external_transfer', 'cancellation', 'retirement')", name='ck_jcm_transactions_kind'),
    sa.CheckConstraint('NOT first_transfer OR authorisation_id IS NOT NULL', name='ck_jcm_transactions_authorised'),
    sa.CheckConstraint('quantity = serial_end - serial_start + 1', name='ck_jcm_transactions_quantity'),
    sa.CheckConstraint('serial_start >= 1 AND serial_end >= serial_start', name='ck_jcm_transactions_serials'),
    sa.ForeignKeyConstraint(['authorisation_id'], ['jcm_authorisations.id'], name=op.f('fk_jcm_transactions_authorisation_id_jcm_authorisations')),
    sa.ForeignKeyConstraint(['notice_id'], ['jcm_notices.id'], name=op.f('fk_jcm_transactions_notice_id_jcm_notices')),
    sa.ForeignKeyConstraint(['project_id'], ['jcm_projects.id'], name=op.f('fk_jcm_transactions_project_id_jcm_projects')),
    sa.ForeignKeyConstraint(['source_account_id'], ['jcm_accounts.id'], name=op.f('fk_jcm_transactions_source_account_id_jcm_accounts')),
    sa.ForeignKeyConstraint(['target_account_id'], ['jcm_accounts.id'], name=op.f('fk_jcm_transactions_target_account_id_jcm_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_transactions'))
    )
    with op.batch_alter_table('jcm_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_transactions_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_transactions_operation_id'), ['operation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_transactions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_transactions_source_account_id'), ['source_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_transactions_source_block_id'), ['source_block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_transactions_target_account_id'), ['target_account_id'], unique=False)

    op.create_table('jcm_adjustments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=3), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('tco2e', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("(cause = 'first_transfer' AND tco2e > 0) OR (cause = 'use' AND tco2e < 0)", name='ck_jcm_adjustments_sign'),
    sa.CheckConstraint("cause IN ('first_transfer', 'use')", name='ck_jcm_adjustments_cause'),
    sa.ForeignKeyConstraint(['transaction_id'], ['jcm_transactions.id'], name=op.f('fk_jcm_adjustments_transaction_id_jcm_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_adjustments')),
    sa.UniqueConstraint('transaction_id', 'cause', name='uq_jcm_adjustments_transaction_cause')
    )
    with op.batch_alter_table('jcm_adjustments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_adjustments_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('jcm_blocks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=False),
    sa.Column('serial_start', sa.BigInteger(), nullable=False),
    sa.Column('serial_end', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('first_transferred', sa.Boolean(), nullable=False),
    sa.Column('authorisation_id', sa.String(length=36), nullable=True),
    sa.Column('created_by_tx', sa.Integer(), nullable=False),
    sa.Column('closed_by_tx', sa.Integer(), nullable=True),
    sa.CheckConstraint('serial_start >= 1 AND serial_end >= serial_start', name='ck_jcm_blocks_serials'),
    sa.ForeignKeyConstraint(['account_id'], ['jcm_accounts.id'], name=op.f('fk_jcm_blocks_account_id_jcm_accounts')),
    sa.ForeignKeyConstraint(['authorisation_id'], ['jcm_authorisations.id'], name=op.f('fk_jcm_blocks_authorisation_id_jcm_authorisations')),
    sa.ForeignKeyConstraint(['closed_by_tx'], ['jcm_transactions.id'], name=op.f('fk_jcm_blocks_closed_by_tx_jcm_transactions')),
    sa.ForeignKeyConstraint(['created_by_tx'], ['jcm_transactions.id'], name=op.f('fk_jcm_blocks_created_by_tx_jcm_transactions')),
    sa.ForeignKeyConstraint(['project_id'], ['jcm_projects.id'], name=op.f('fk_jcm_blocks_project_id_jcm_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jcm_blocks'))
    )
    with op.batch_alter_table('jcm_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jcm_blocks_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_blocks_closed_by_tx'), ['closed_by_tx'], unique=False)
        batch_op.create_index(batch_op.f('ix_jcm_blocks_created_by_tx'), ['created_by_tx'], unique=False)
    for statement in triggers.statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in triggers.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('jcm_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_blocks_created_by_tx'))
        batch_op.drop_index(batch_op.f('ix_jcm_blocks_closed_by_tx'))
        batch_op.drop_index(batch_op.f('ix_jcm_blocks_account_id'))

    op.drop_table('jcm_blocks')
    with op.batch_alter_table('jcm_adjustments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_adjustments_transaction_id'))

    op.drop_table('jcm_adjustments')
    with op.batch_alter_table('jcm_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_target_account_id'))
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_source_block_id'))
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_source_account_id'))
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_project_id'))
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_operation_id'))
        batch_op.drop_index(batch_op.f('ix_jcm_transactions_at'))

    op.drop_table('jcm_transactions')
    op.drop_table('jcm_notices')
    with op.batch_alter_table('jcm_monitoring_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_monitoring_periods_project_id'))

    op.drop_table('jcm_monitoring_periods')
    with op.batch_alter_table('jcm_authorisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_authorisations_project_id'))

    op.drop_table('jcm_authorisations')
    with op.batch_alter_table('jcm_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_projects_methodology_id'))

    op.drop_table('jcm_projects')
    with op.batch_alter_table('jcm_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_grants_account_id'))

    op.drop_table('jcm_grants')
    with op.batch_alter_table('jcm_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jcm_accounts_registry'))
        batch_op.drop_index(batch_op.f('ix_jcm_accounts_holder_org_id'))

    op.drop_table('jcm_accounts')
    op.drop_table('jcm_methodologies')
