"""metric indexes: a quote number's versions, a seller's quotes and requests by day

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 09:00:00
"""
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The dashboard's update reads a day's quotes of the sellers who pushed, and each pushed
    # quote number's versions: without these, both scanned every seller's history.
    op.create_index('ix_quotes_number', 'quotes', ['number'])
    op.create_index('ix_quotes_seller_login_issue_date', 'quotes', ['seller_login', 'issue_date'])
    op.create_index(
        'ix_approval_requests_requested_by_requested_at', 'approval_requests', ['requested_by', 'requested_at']
    )


def downgrade() -> None:
    op.drop_index('ix_approval_requests_requested_by_requested_at', 'approval_requests')
    op.drop_index('ix_quotes_seller_login_issue_date', 'quotes')
    op.drop_index('ix_quotes_number', 'quotes')
