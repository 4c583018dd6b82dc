"""Where a material is also published (Bình dân học vụ số, the ministry portal, the National Public Service Portal)

Revision ID: f14a00000005
Revises: f14a00000002
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f14a00000005'
down_revision = 'f14a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('material_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=40), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("platform IN ('binh_dan_hoc_vu_so', 'ministry_portal', 'national_public_service_portal')", name=op.f('ck_material_publications_platform')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_material_publications_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_publications_material_id_materials'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_publications')),
    sa.UniqueConstraint('material_id', 'platform', name=op.f('uq_material_publications_material_id'))
    )


def downgrade():
    op.drop_table('material_publications')
