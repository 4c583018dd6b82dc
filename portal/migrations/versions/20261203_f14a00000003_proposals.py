"""Proposals to the system's makers, the tickets each answers, and the dated steps of their status

Revision ID: f14a00000003
Revises: f14a00000004
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f14a00000003'
down_revision = 'f14a00000004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('area', sa.String(length=10), nullable=False),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('source_known_issue_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("area IN ('feature', 'function', 'interface')", name=op.f('ck_proposals_area')),
    sa.CheckConstraint("status IN ('drafted', 'sent', 'accepted', 'in_test', 'released', 'declined')", name=op.f('ck_proposals_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_known_issue_id'], ['known_issues.id'], name=op.f('fk_proposals_source_known_issue_id_known_issues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_status'), ['status'], unique=False)

    op.create_table('proposal_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(length=10), nullable=True),
    sa.Column('new_status', sa.String(length=10), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("new_status IN ('drafted', 'sent', 'accepted', 'in_test', 'released', 'declined')", name=op.f('ck_proposal_changes_new_status')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_proposal_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_changes_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_changes')),
    sa.UniqueConstraint('proposal_id', 'new_status', name=op.f('uq_proposal_changes_proposal_id'))
    )
    op.create_table('proposal_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_tickets_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_proposal_tickets_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_tickets')),
    sa.UniqueConstraint('proposal_id', 'ticket_id', name=op.f('uq_proposal_tickets_proposal_id'))
    )
    with op.batch_alter_table('proposal_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_tickets_ticket_id'), ['ticket_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_tickets_ticket_id'))

    op.drop_table('proposal_tickets')
    op.drop_table('proposal_changes')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_status'))

    op.drop_table('proposals')
