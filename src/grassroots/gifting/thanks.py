"""The thank-you after a gift arrives: drafted on delivery, reviewed and sent only when a person presses send.

Seeding is a gift with no strings: the note thanks, and invites sharing only if the creator likes the product,
saying plainly that nothing is expected. It never asks for a post, a date or a tag.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration
from grassroots.config import Settings
from grassroots.creators.models import Creator
from grassroots.errors import InvalidInput
from grassroots.gifting.models import Gift, GiftStatus
from grassroots.gifting.service import lines_of, require_gift
from grassroots.outreach import timeline
from grassroots.outreach.mail import queue_message
from grassroots.workspaces.models import Workspace


def thanks_text(first_name: str, products: list[str], campaign: str, brand: str) -> tuple[str, str]:
    """The drafted subject and body (pure: tests read the wording)."""
    what = products[0] if len(products) == 1 else "the gift"
    subject = f"Thank you, {first_name}!"
    body = (
        f"Hi {first_name},\n\n"
        f"we're so glad {what} reached you. Thank you for being part of {campaign}.\n\n"
        "If you enjoy it and ever feel like sharing it, we'd love to see it. There's no obligation at all: "
        "the gift is yours either way, and we'd simply like to hear what you think, if you feel like telling us.\n\n"
        f"Warmly,\n{brand}"
    )
    return subject, body


def draft_thanks(session: Session, gift: Gift) -> None:
    """Draft the thank-you on the gift (never sent from here)."""
    if gift.thanks_body:
        return
    creator = session.get(Creator, gift.creator_id)
    collab = session.get(Collaboration, gift.collaboration_id)
    campaign = session.get(Campaign, collab.campaign_id) if collab else None
    workspace = session.get(Workspace, gift.workspace_id)
    assert creator is not None and campaign is not None and workspace is not None
    first = (creator.display_name or creator.primary_handle or "there").split()[0]
    products = [line.title for line in lines_of(session, gift.id)]
    gift.thanks_subject, gift.thanks_body = thanks_text(first, products, campaign.name, workspace.name)
    session.flush()


def send_thanks(
    session: Session, settings: Settings, workspace_id: int, gift_id: int, subject: str, body: str, actor: Actor
) -> Gift:
    """Queue the (reviewed, maybe edited) thank-you for sending, once; a timeline entry records it."""
    gift = require_gift(session, workspace_id, gift_id)
    if gift.status is not GiftStatus.delivered:
        raise InvalidInput("The thank-you is sent after the gift arrived.")
    if gift.thanks_message_id is not None:
        raise InvalidInput("The thank-you was sent already.")
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise InvalidInput("The thank-you needs a subject and a message.", {"thanks": "required"})
    creator = session.get(Creator, gift.creator_id)
    if creator is None or not creator.email:
        raise InvalidInput("This creator has no email address on their profile; add one to send the thank-you.")
    gift.thanks_subject, gift.thanks_body = subject[:300], body
    message = queue_message(session, settings, workspace_id, to=creator.email, subject=subject[:300], body=body,
                            key=f"gift-thanks-{gift.id}", creator_id=creator.id)  # fmt: skip
    gift.thanks_message_id = message.id
    session.flush()
    timeline.record(session, workspace_id=workspace_id, creator_id=creator.id, collaboration_id=gift.collaboration_id,
                    kind="thank_you_sent", summary=f"Thank-you sent: {subject[:200]}", actor=actor.name,
                    ref=("outbound_message", message.id))  # fmt: skip
    return gift
