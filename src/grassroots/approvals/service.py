"""Content approvals: submit a version (portal, page or API), approve it or ask for changes, comment.

Every caption is checked for disclosure when it arrives (``checks.check_caption``); a version whose check failed
cannot be approved (``Conflict``, 409) until a new version fixes it. Approval copies the content and the
agreement's usage rights into the UGC library (``library.add_item``). Every step is a touchpoint on the
creator's timeline and moves the collaboration forward in the pipeline (never back).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from grassroots.approvals import checks, library
from grassroots.approvals.models import ContentComment, ContentDraft, ContentVersion, VersionStatus
from grassroots.approvals.schemas import CommentOut, DraftOut, QueueItemOut, VersionIn, VersionOut
from grassroots.campaigns import audit
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.models import Campaign, Collaboration, Stage
from grassroots.creators.models import Creator
from grassroots.db.base import utcnow
from grassroots.errors import Conflict, InvalidInput, NotFound
from grassroots.outreach import timeline

ORDER = list(Stage)
PIPELINE_END = ORDER.index(Stage.done)  # declined and paused come after: a stage the approvals never move


def require_collaboration(session: Session, workspace_id: int, collaboration_id: int) -> Collaboration:
    """A collaboration of the workspace, or NotFound (404)."""
    collaboration = session.get(Collaboration, collaboration_id)
    if collaboration is None or collaboration.workspace_id != workspace_id:
        raise NotFound(f"collaboration {collaboration_id} not found")
    return collaboration


def require_draft(session: Session, workspace_id: int, draft_id: int) -> ContentDraft:
    """A draft of the workspace, or NotFound (404)."""
    draft = session.get(ContentDraft, draft_id)
    if draft is None or draft.workspace_id != workspace_id:
        raise NotFound(f"draft {draft_id} not found")
    return draft


def require_version(session: Session, workspace_id: int, version_id: int) -> ContentVersion:
    """A version of the workspace, or NotFound (404)."""
    version = session.get(ContentVersion, version_id)
    if version is None or version.workspace_id != workspace_id:
        raise NotFound(f"version {version_id} not found")
    return version


def _advance(session: Session, collaboration: Collaboration, to: Stage, actor: Actor, note: str) -> None:
    """Move the collaboration forward to ``to`` (a collaboration past it, declined or paused stays)."""
    now = ORDER.index(collaboration.stage)
    if now < ORDER.index(to) <= PIPELINE_END:
        audit.record(session, collaboration, to, actor, note=note)


def _touch(session: Session, collaboration: Collaboration, draft: ContentDraft, kind: str, summary: str,
           actor: Actor, detail: str | None = None, version: ContentVersion | None = None) -> None:  # fmt: skip
    ref = ("content_version", version.id) if version is not None else ("content_draft", draft.id)
    timeline.record(session, workspace_id=collaboration.workspace_id, creator_id=collaboration.creator_id, kind=kind,
                    summary=summary, actor=actor.name, collaboration_id=collaboration.id, detail=detail,
                    url=f"/approvals/drafts/{draft.id}", ref=ref)  # fmt: skip


def _draft_for(session: Session, collaboration: Collaboration, data: VersionIn, author: str) -> ContentDraft:
    if data.draft_id is not None:
        draft = session.get(ContentDraft, data.draft_id)
        if draft is None or draft.collaboration_id != collaboration.id:
            raise InvalidInput("That draft is not part of this collaboration.", {"draft_id": "not one of these drafts"})
        return draft
    count = session.scalar(select(func.count()).where(ContentDraft.collaboration_id == collaboration.id)) or 0
    title = (data.title or "").strip() or f"Draft {count + 1}"
    draft = ContentDraft(workspace_id=collaboration.workspace_id, collaboration_id=collaboration.id, title=title,
                         created_by=author)  # fmt: skip
    session.add(draft)
    session.flush()
    return draft


def submit(session: Session, workspace_id: int, collaboration_id: int, data: VersionIn, actor: Actor, *,
           via: str, from_creator: bool) -> ContentVersion:  # fmt: skip
    """Add a version (a new draft's first, or the next of ``data.draft_id``), checked for disclosure."""
    collaboration = require_collaboration(session, workspace_id, collaboration_id)
    draft = _draft_for(session, collaboration, data, actor.name)
    session.execute(
        update(ContentVersion)
        .where(ContentVersion.draft_id == draft.id, ContentVersion.status == VersionStatus.awaiting_review)
        .values(status=VersionStatus.superseded)
        .execution_options(synchronize_session="fetch")
    )
    last = session.scalar(select(func.max(ContentVersion.number)).where(ContentVersion.draft_id == draft.id)) or 0
    check = checks.check_caption(data.caption, checks.mandatory_wording(session, workspace_id, collaboration.id))
    version = ContentVersion(
        workspace_id=workspace_id, draft_id=draft.id, number=last + 1, caption=data.caption,
        media_urls=data.media_urls, post_url=data.post_url, submitted_by=actor.name[:200], via=via,
        status=VersionStatus.awaiting_review, disclosure=check.disclosure, disclosure_reason=check.reason,
        expected_disclosure=check.expected, blocked_reason=check.blocked_reason,
    )  # fmt: skip
    session.add(version)
    session.flush()
    if data.note and data.note.strip():
        _comment(session, draft, version, actor.name, data.note, "comment", from_creator=from_creator)
    _advance(session, collaboration, Stage.in_review, actor, f"'{draft.title}' version {version.number} submitted")
    summary = f"Draft '{draft.title}' version {version.number} submitted"
    if check.blocked_reason:
        summary += " (cannot be approved: disclosure)"
    _touch(session, collaboration, draft, "draft_submitted", summary, actor, check.blocked_reason, version)
    return version


def _comment(session: Session, draft: ContentDraft, version: ContentVersion | None, author: str, body: str,
             kind: str, *, from_creator: bool = False) -> ContentComment:  # fmt: skip
    comment = ContentComment(workspace_id=draft.workspace_id, draft_id=draft.id,
                             version_id=version.id if version else None, author=author[:200],
                             from_creator=from_creator, kind=kind, body=body.strip())  # fmt: skip
    session.add(comment)
    session.flush()
    return comment


def _open_for_review(version: ContentVersion) -> None:
    if version.status is not VersionStatus.awaiting_review:
        raise Conflict(f"Version {version.number} is {version.status.label.lower()}: only a version awaiting "
                       "review can be approved or sent back.")  # fmt: skip


def approve(session: Session, workspace_id: int, version_id: int, actor: Actor, comment: str | None = None) -> int:
    """Approve a version awaiting review and add it to the UGC library; the library item's id.

    Refused (Conflict) when its disclosure check failed: the creator must send a fixed version.
    """
    version = require_version(session, workspace_id, version_id)
    _open_for_review(version)
    if version.blocked_reason:
        raise Conflict(f"Version {version.number} cannot be approved. {version.blocked_reason}")
    draft = require_draft(session, workspace_id, version.draft_id)
    collaboration = require_collaboration(session, workspace_id, draft.collaboration_id)
    version.status, version.decided_at, version.decided_by = VersionStatus.approved, utcnow(), actor.name[:200]
    _comment(session, draft, version, actor.name, comment or "Approved.", "approval")
    item = library.add_item(session, version, draft, collaboration)
    _advance(session, collaboration, Stage.approved, actor, f"'{draft.title}' version {version.number} approved")
    note = "rights as agreed" if item.rights.value == "agreed" else "usage rights not agreed in writing"
    _touch(session, collaboration, draft, "draft_approved",
           f"Draft '{draft.title}' version {version.number} approved ({note})", actor, comment, version)  # fmt: skip
    return item.id


def request_changes(session: Session, workspace_id: int, version_id: int, actor: Actor, comment: str) -> None:
    """Send a version back with a comment the creator reads in the portal."""
    if not comment.strip():
        raise InvalidInput("Say what should change.", {"comment": "say what should change"})
    version = require_version(session, workspace_id, version_id)
    _open_for_review(version)
    draft = require_draft(session, workspace_id, version.draft_id)
    collaboration = require_collaboration(session, workspace_id, draft.collaboration_id)
    version.status, version.decided_at, version.decided_by = (VersionStatus.changes_requested, utcnow(),
                                                              actor.name[:200])  # fmt: skip
    _comment(session, draft, version, actor.name, comment, "changes")
    _touch(session, collaboration, draft, "changes_requested",
           f"Changes requested on '{draft.title}' version {version.number}", actor, comment, version)  # fmt: skip


def add_comment(session: Session, workspace_id: int, draft_id: int, actor: Actor, body: str) -> None:
    """A brand comment on a draft (the creator sees it in the portal)."""
    if not body.strip():
        raise InvalidInput("Write a comment.", {"comment": "write a comment"})
    draft = require_draft(session, workspace_id, draft_id)
    _comment(session, draft, None, actor.name, body[:4000], "comment")


def _draft_out(session: Session, draft: ContentDraft, collaboration: Collaboration, creator_name: str) -> DraftOut:
    versions = list(
        session.scalars(
            select(ContentVersion).where(ContentVersion.draft_id == draft.id).order_by(ContentVersion.number.desc())
        )
    )
    comments = session.scalars(
        select(ContentComment).where(ContentComment.draft_id == draft.id).order_by(ContentComment.id)
    )
    return DraftOut(
        id=draft.id, collaboration_id=collaboration.id, campaign_id=collaboration.campaign_id,
        creator_id=collaboration.creator_id, creator_name=creator_name, title=draft.title,
        status=versions[0].status if versions else VersionStatus.awaiting_review,
        versions=[VersionOut.model_validate(v) for v in versions],
        comments=[CommentOut.model_validate(c) for c in comments],
    )  # fmt: skip


def _creator_name(session: Session, creator_id: int) -> str:
    creator = session.get(Creator, creator_id)
    return creator.display_name if creator else "a creator"


def drafts_of(session: Session, workspace_id: int, collaboration_id: int) -> list[DraftOut]:
    """A collaboration's drafts, newest first, each with its versions and comments."""
    collaboration = require_collaboration(session, workspace_id, collaboration_id)
    name = _creator_name(session, collaboration.creator_id)
    drafts = session.scalars(
        select(ContentDraft).where(ContentDraft.collaboration_id == collaboration.id).order_by(ContentDraft.id.desc())
    )
    return [_draft_out(session, d, collaboration, name) for d in drafts]


def draft(session: Session, workspace_id: int, draft_id: int) -> DraftOut:
    """One draft with its versions and comments."""
    found = require_draft(session, workspace_id, draft_id)
    collaboration = require_collaboration(session, workspace_id, found.collaboration_id)
    return _draft_out(session, found, collaboration, _creator_name(session, collaboration.creator_id))


def collaboration_context(session: Session, workspace_id: int, collaboration_id: int) -> dict[str, object]:
    """What the collaboration's content page shows: the campaign, the creator and the expected disclosure."""
    collaboration = require_collaboration(session, workspace_id, collaboration_id)
    return {
        "collaboration": collaboration,
        "campaign": session.get(Campaign, collaboration.campaign_id),
        "creator_name": _creator_name(session, collaboration.creator_id),
        "expected": checks.mandatory_wording(session, workspace_id, collaboration.id) or checks.DEFAULT_WORDING,
    }


def queue(session: Session, workspace_id: int, limit: int = 500) -> list[QueueItemOut]:
    """Versions awaiting review, oldest first (the creator waiting longest comes first)."""
    rows = session.execute(
        select(ContentVersion, ContentDraft, Collaboration, Campaign.name, Creator.display_name)
        .join(ContentDraft, ContentDraft.id == ContentVersion.draft_id)
        .join(Collaboration, Collaboration.id == ContentDraft.collaboration_id)
        .join(Campaign, Campaign.id == Collaboration.campaign_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(ContentVersion.workspace_id == workspace_id, ContentVersion.status == VersionStatus.awaiting_review)
        .order_by(ContentVersion.submitted_at, ContentVersion.id)
        .limit(limit)
    ).all()
    return [
        QueueItemOut(
            draft_id=d.id,
            title=d.title,
            collaboration_id=c.id,
            campaign_id=c.campaign_id,
            campaign_name=campaign,
            creator_id=c.creator_id,
            creator_name=creator,
            version=VersionOut.model_validate(v),
        )
        for v, d, c, campaign, creator in rows
    ]
