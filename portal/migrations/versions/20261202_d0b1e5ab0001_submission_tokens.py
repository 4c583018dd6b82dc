"""Tickets, replies and account requests keep their form's one-time token, unique per author: a form sent twice
creates one row

Unique indexes rather than constraints, so SQLite adds them in place: a batch rebuild of `tickets` would drop
the table, and with foreign keys on, its replies and attachments would go with it (ON DELETE CASCADE).

Revision ID: d0b1e5ab0001
Revises: a1f0c0de0004
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0b1e5ab0001'
down_revision = 'a1f0c0de0004'
branch_labels = None
depends_on = None

# table -> the column naming the row's author, with whom the token is unique
AUTHORS = {'tickets': 'reporter_id', 'ticket_messages': 'author_id', 'account_requests': 'requested_by_id'}


def upgrade():
    for table, author in AUTHORS.items():
        op.add_column(table, sa.Column('submission_token', sa.String(length=43), nullable=True))
        op.create_index(f'ix_{table}_submission_token', table, [author, 'submission_token'], unique=True)


def downgrade():
    for table in AUTHORS:
        op.drop_index(f'ix_{table}_submission_token', table_name=table)
        op.drop_column(table, 'submission_token')
