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


# Plain ALTER TABLE on both engines (SQLite >= 3.35 drops a column in place): a batch "move and copy" would
# drop the projects table, which the milestones' foreign keys forbid once there are records.
def upgrade() -> None:
    op.add_column("projects", sa.Column("infrastructure_ref", sa.String(length=128), nullable=True))


def downgrade() -> None:
    op.drop_column("projects", "infrastructure_ref")
