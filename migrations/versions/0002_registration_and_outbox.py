"""Registration (categories, registrations, tokens, agenda, seat counters), mail outbox, registration window.

Revision ID: 5b4ca59222e2
Revises: 7d48d9954974
Create Date: 2026-11-28 13:41:12.331151
"""

import sqlalchemy as sa
from alembic import op


revision = '5b4ca59222e2'
down_revision = '7d48d9954974'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', name='outbox_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('uid', name=op.f('uq_outbox_message_uid'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('ix_outbox_message_status_next_attempt', ['status', 'next_attempt_at'], unique=False)

    op.create_table('ticket_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_ticket_category_capacity_positive')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_ticket_category_price_positive')),
    sa.CheckConstraint('seats_taken >= 0', name=op.f('ck_ticket_category_seats_taken_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_ticket_category_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_category')),
    sa.UniqueConstraint('event_id', 'slug', name='uq_ticket_category_event_slug')
    )
    with op.batch_alter_table('ticket_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_category_event_id'), ['event_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'waiting', 'cancelled', name='registration_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('organisation_type', sa.Enum('public_hospital', 'private_clinic', 'agency', 'vendor', 'consultancy', 'academic', 'other', name='organisation_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('job_role', sa.Enum('ciso', 'cio', 'dpo', 'physician', 'engineer', 'executive', 'student', 'other', name='job_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('days_mask', sa.Integer(), nullable=False),
    sa.Column('accessibility_needs', sa.Text(), nullable=False),
    sa.Column('dietary_needs', sa.Text(), nullable=False),
    sa.Column('needs_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('privacy_consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('newsletter', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('checkin_code_hash', sa.String(length=64), nullable=True),
    sa.Column('feed_generation', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('days_mask > 0 OR erased_at IS NOT NULL', name=op.f('ck_registration_days_chosen')),
    sa.ForeignKeyConstraint(['category_id'], ['ticket_category.id'], name=op.f('fk_registration_category_id_ticket_category')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('checkin_code_hash', name=op.f('uq_registration_checkin_code_hash')),
    sa.UniqueConstraint('uid', name=op.f('uq_registration_uid'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_registration_waiting', ['category_id', 'status', 'waiting_since'], unique=False)
        batch_op.create_index('uq_registration_active_email', ['event_id', 'email'], unique=True, sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))

    op.create_table('access_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('confirm', 'manage', 'feed', name='token_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_access_token_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_token_token_hash'))
    )
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_token_registration_id'), ['registration_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('holds_seat', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_agenda_item_registration_id_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talk_id'], ['talk.id'], name=op.f('fk_agenda_item_talk_id_talk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'talk_id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_talk_id'), ['talk_id'], unique=False)

    op.create_table('seat_counter',
    sa.Column('talk_id', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('taken >= 0', name=op.f('ck_seat_counter_taken_positive')),
    sa.ForeignKeyConstraint(['talk_id'], ['talk.id'], name=op.f('fk_seat_counter_talk_id_talk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('talk_id', name=op.f('pk_seat_counter'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('registration_closes_at')
        batch_op.drop_column('registration_opens_at')

    op.drop_table('seat_counter')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_talk_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_token_registration_id'))

    op.drop_table('access_token')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_active_email', sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))
        batch_op.drop_index('ix_registration_waiting')
        batch_op.drop_index(batch_op.f('ix_registration_category_id'))

    op.drop_table('registration')
    with op.batch_alter_table('ticket_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_category_event_id'))

    op.drop_table('ticket_category')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_status_next_attempt')
        batch_op.drop_index(batch_op.f('ix_outbox_message_registration_id'))

    op.drop_table('outbox_message')
