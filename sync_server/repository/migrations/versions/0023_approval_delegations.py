"""approval_delegations, and on whose behalf a decision was made

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 02:40:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('approval_delegations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('delegator_login', sa.String(length=64), nullable=False),
    sa.Column('delegate_login', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_delegations'))
    )
    with op.batch_alter_table('approval_delegations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_approval_delegations_delegate_login_ends_on'), ['delegate_login', 'ends_on'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_approval_delegations_delegator_login'), ['delegator_login'], unique=False)
    # Decisions made before this revision were made in their decider's own right.
    with op.batch_alter_table('approval_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('approval_decisions', schema=None) as batch_op:
        batch_op.drop_column('on_behalf_of')
    with op.batch_alter_table('approval_delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_delegations_delegator_login'))
        batch_op.drop_index(batch_op.f('ix_approval_delegations_delegate_login_ends_on'))
    op.drop_table('approval_delegations')
