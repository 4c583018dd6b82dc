"""Focal contacts and their history, duty texts, pending imports, the training plan, materials and feeds

Revision ID: a1f0c0de0002
Revises: a1f0c0de0001
Create Date: 2026-11-24

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f0c0de0002'
down_revision = 'a1f0c0de0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('duty_texts',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('department', 'commune')", name=op.f('ck_duty_texts_kind')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_duty_texts'))
    )
    op.create_table('feed_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_clock'))
    )
    op.create_table('contact_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seat_key', sa.String(length=40), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_contact_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_contact_changes_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_changes'))
    )
    with op.batch_alter_table('contact_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_changes_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_changes_seat_key'), ['seat_key'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('commune_code', sa.Integer(), nullable=True),
    sa.Column('seat', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('cccd', sa.String(length=12), nullable=True),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('is_shared_person_allowed', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'department' AND department_id IS NOT NULL AND commune_code IS NULL AND seat IN (1, 2)) OR (kind = 'commune' AND commune_code IS NOT NULL AND department_id IS NULL AND seat = 1)", name=op.f('ck_contacts_seat')),
    sa.CheckConstraint("cccd IS NULL OR (length(cccd) = 12 AND trim(cccd, '0123456789') = '')", name=op.f('ck_contacts_cccd')),
    sa.ForeignKeyConstraint(['commune_code'], ['communes.code'], name=op.f('fk_contacts_commune_code_communes')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_contacts_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_contacts_province_code_provinces')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_contacts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('commune_code', name=op.f('uq_contacts_commune_code')),
    sa.UniqueConstraint('department_id', 'seat', name=op.f('uq_contacts_department_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_province_code'), ['province_code'], unique=False)

    op.create_table('feed_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=12), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('department', 'commune', 'both')", name=op.f('ck_materials_audience')),
    sa.CheckConstraint('(stored_name IS NOT NULL) <> (link IS NOT NULL)', name=op.f('ck_materials_file_or_link')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_materials_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_materials_stored_name'))
    )
    op.create_table('pending_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('domain', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_pending_imports_province_code_provinces')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_imports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_pending_imports_token'))
    )
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_imports_user_id'), ['user_id'], unique=False)

    op.create_table('training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=12), nullable=False),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.Column('meeting_url', sa.String(length=500), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('enrolled', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('cancel_reason', sa.String(length=300), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('override_reason', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('department', 'commune', 'both')", name=op.f('ck_training_sessions_audience')),
    sa.CheckConstraint("mode IN ('in_person', 'online', 'both')", name=op.f('ck_training_sessions_mode')),
    sa.CheckConstraint("status IN ('scheduled', 'changed', 'cancelled')", name=op.f('ck_training_sessions_status')),
    sa.CheckConstraint('capacity > 0 AND enrolled >= 0 AND enrolled <= capacity', name=op.f('ck_training_sessions_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_training_sessions_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_sessions'))
    )
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_sessions_starts_at'), ['starts_at'], unique=False)

    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attendance', sa.String(length=10), nullable=True),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("attendance IS NULL OR attendance IN ('present', 'absent', 'excused')", name=op.f('ck_enrolments_attendance')),
    sa.CheckConstraint("status IN ('enrolled', 'waiting')", name=op.f('ck_enrolments_status')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_enrolments_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_enrolments_enrolled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_enrolments_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('session_id', 'contact_id', name=op.f('uq_enrolments_session_id'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_session_id'), ['session_id'], unique=False)

    op.create_table('training_session_materials',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_training_session_materials_material_id_materials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_session_materials_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'material_id', name=op.f('pk_training_session_materials'))
    )
    with op.batch_alter_table('training_session_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_materials_material_id'), ['material_id'], unique=False)

    op.create_table('training_session_provinces',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_training_session_provinces_province_code_provinces')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_session_provinces_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'province_code', name=op.f('pk_training_session_provinces'))
    )
    with op.batch_alter_table('training_session_provinces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_provinces_province_code'), ['province_code'], unique=False)

    op.create_table('training_session_trainers',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_session_trainers_session_id_training_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_session_trainers_user_id_users')),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_training_session_trainers'))
    )
    with op.batch_alter_table('training_session_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_trainers_user_id'), ['user_id'], unique=False)


def downgrade():
    for table in ['training_session_trainers', 'training_session_provinces', 'training_session_materials', 'enrolments', 'training_sessions', 'pending_imports', 'materials', 'feed_tokens', 'contacts', 'contact_changes', 'feed_clock', 'duty_texts']:
        op.drop_table(table)
