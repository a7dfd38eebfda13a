"""Talks' search text rebuilt as French stems, with organisations and the track.

Revision ID: d8a3c4e5f6b8
Revises: c7f2b3d4e5a7
Create Date: 2026-12-02 17:00:00.000000

The search now compares stems (``congress.programme.search``), so rows written
by the earlier folded-words index would no longer match: every talk's
``search_text`` is computed again. The index is derived data, so the downgrade
leaves it as it is (a later upgrade rebuilds it).
"""

import sqlalchemy as sa
from alembic import op

from congress.programme.models import Disclosure
from congress.programme.services import search_key

revision = "d8a3c4e5f6b8"
down_revision = "c7f2b3d4e5a7"
branch_labels = None
depends_on = None

talk = sa.table(
    "talk",
    sa.column("id", sa.Integer),
    sa.column("title", sa.Text),
    sa.column("abstract", sa.Text),
    sa.column("disclosure", sa.String),
    sa.column("track_id", sa.Integer),
    sa.column("search_text", sa.Text),
)
track = sa.table("track", sa.column("id", sa.Integer), sa.column("name", sa.String))
speaker = sa.table(
    "speaker",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("affiliation", sa.String),
)
link = sa.table(
    "talk_speaker",
    sa.column("talk_id", sa.Integer),
    sa.column("speaker_id", sa.Integer),
    sa.column("position", sa.Integer),
)


def upgrade() -> None:
    connection = op.get_bind()
    tracks = dict(connection.execute(sa.select(track.c.id, track.c.name)).all())
    people: dict[int, list[tuple[str, str]]] = {}
    rows = connection.execute(
        sa.select(link.c.talk_id, speaker.c.name, speaker.c.affiliation)
        .join(speaker, speaker.c.id == link.c.speaker_id)
        .order_by(link.c.talk_id, link.c.position)
    )
    for talk_id, name, affiliation in rows:
        people.setdefault(talk_id, []).append((name, affiliation or ""))
    talks = connection.execute(
        sa.select(talk.c.id, talk.c.title, talk.c.abstract, talk.c.disclosure, talk.c.track_id)
    ).all()
    for talk_id, title, abstract, disclosure, track_id in talks:
        speakers = people.get(talk_id, [])
        text = search_key(
            title,
            abstract or "",
            [name for name, _ in speakers],
            Disclosure(disclosure),
            organisations=[affiliation for _, affiliation in speakers],
            track=tracks.get(track_id, "") if track_id is not None else "",
        )
        connection.execute(talk.update().where(talk.c.id == talk_id).values(search_text=text))


def downgrade() -> None:
    """Nothing to undo in the schema; the older search reads stems less well but works."""
