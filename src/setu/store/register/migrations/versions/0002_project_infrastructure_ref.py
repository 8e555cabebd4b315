"""Projects can point at a submarine cable or landing station: nullable ``projects.infrastructure_ref``
(``cable:<id>`` or ``station:<id>`` of the optional submarine-cables data pack).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("infrastructure_ref", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("infrastructure_ref")
