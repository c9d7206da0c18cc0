"""What the export tests compare: every stored account with its creator, in handle order."""

from __future__ import annotations

from sqlalchemy import Engine, select

from grassroots.creators.models import SocialAccount
from grassroots.db.session import session_scope


def snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with session_scope(engine) as session:
        accounts = session.scalars(select(SocialAccount).order_by(SocialAccount.handle)).all()
        return [
            (a.platform, a.handle, a.display_name, a.followers, a.engagement_rate, a.verified, a.bio, a.url,
             a.creator.display_name, a.creator.search_text, a.creator.email, a.creator.location_key, a.creator.followers)
            for a in accounts
        ]  # fmt: skip
