"""teams: the team each one belongs to (teams nest; a manager's scope is her subtree)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 02:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Teams imported before this revision stay at the top until the next import says otherwise.
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_code', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('parent_code')
