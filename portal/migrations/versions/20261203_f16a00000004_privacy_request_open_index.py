"""One open privacy request per e-mail and kind (a partial unique index; erased rows, e-mail blank, apart)

Revision ID: f16a00000004
Revises: f16a00000005
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a00000004'
down_revision = 'f16a00000005'
branch_labels = None
depends_on = None

OPEN = "status IN ('received', 'acknowledged') AND email <> ''"


def upgrade():
    op.create_index('uq_privacy_requests_open', 'privacy_requests', ['email', 'kind'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade():
    op.drop_index('uq_privacy_requests_open', table_name='privacy_requests')
