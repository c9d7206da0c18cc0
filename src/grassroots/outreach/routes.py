"""Pages: the outreach queue, reviewing a draft (edit, send, skip), templates, a campaign's and a collaboration's
outreach, and logging a reply in one click. Nothing is sent without a person pressing Send."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.campaigns import forms
from grassroots.campaigns.audit import Actor
from grassroots.campaigns.forms import Posted
from grassroots.errors import Conflict, InvalidInput
from grassroots.judgments.outreach.wording import language_name
from grassroots.outreach import drafts, follow_ups, replies, service
from grassroots.web.csrf import verify_csrf
from grassroots.web.deps import DB, PageUser, PageWriter
from grassroots.web.paths import Id
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]


def _page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    nav = "campaigns" if request.url.path.startswith("/campaigns/") else "outreach"
    base = {"nav": nav, "flash": forms.take_flash(request), "language_name": language_name}
    return render(request, f"outreach/{name}.html", base | ctx, status=status)


@router.get("/outreach", response_class=HTMLResponse)
def queue_page(request: Request, user: PageUser, db: DB) -> HTMLResponse:
    """Drafts to review, sent messages, replies and failures, with counts."""
    return _page(request, "queue", {"view": service.overview(db, request.app.state.settings, user.workspace_id)})


@router.get("/outreach/review")
def review_next(request: Request, user: PageUser, db: DB) -> Response:
    """Open the first draft waiting for review."""
    first = drafts.next_draft(db, user.workspace_id)
    if first is None:
        forms.flash(request, "Nothing left to review.")
        return RedirectResponse("/outreach", status_code=303)
    return RedirectResponse(f"/outreach/drafts/{first}", status_code=303)


def _review(request: Request, db: DB, user: PageUser, draft_id: int, **extra: Any) -> HTMLResponse:
    view = drafts.review(db, user.workspace_id, draft_id)
    form = extra.pop("form", None) or {"subject": view.draft.subject, "body": view.draft.body}
    status = 400 if extra.get("errors") else 200
    return _page(request, "review", {"r": view, "form": form, "errors": {}, **extra}, status)


@router.get("/outreach/drafts/{draft_id}", response_class=HTMLResponse)
def review_page(request: Request, draft_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """One draft: who, why it reads as it does, the cited post, editable subject and body, send or skip."""
    return _review(request, db, user, draft_id)


def _typed(fields: forms.Fields) -> dict[str, str]:
    return {"subject": forms.one(fields, "subject"), "body": (fields.get("body") or [""])[0]}


@router.post("/outreach/drafts/{draft_id}/save", dependencies=CSRF)
def save(request: Request, draft_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Keep the edits without sending."""
    typed = _typed(fields)
    try:
        drafts.save_draft(db, user.workspace_id, draft_id, typed["subject"], typed["body"])
    except (InvalidInput, Conflict) as exc:
        return _review(request, db, user, draft_id, form=typed, errors=getattr(exc, "errors", {}) or
                       {"form": exc.detail})  # fmt: skip
    forms.flash(request, "Saved. Nothing was sent.")
    return RedirectResponse(f"/outreach/drafts/{draft_id}", status_code=303)


@router.post("/outreach/drafts/{draft_id}/send", dependencies=CSRF)
def send(request: Request, draft_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Send the draft as it reads in the form, then open the next one waiting."""
    typed = _typed(fields)
    settings = request.app.state.settings
    try:
        message = drafts.send_draft(db, settings, user.workspace_id, draft_id, typed["subject"], typed["body"],
                                    Actor.of(user))  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        return _review(request, db, user, draft_id, form=typed, errors={"form": exc.detail})
    forms.flash(request, f"Sent to {message.to_email} (it leaves with the mail queue).")
    return _next(draft_id, user, db)


@router.post("/outreach/drafts/{draft_id}/skip", dependencies=CSRF)
def skip(request: Request, draft_id: Id, user: PageWriter, db: DB) -> Response:
    """Leave the draft unsent and open the next one."""
    try:
        drafts.skip_draft(db, user.workspace_id, draft_id, Actor.of(user))
    except Conflict as exc:
        forms.flash(request, exc.detail)
        return RedirectResponse(f"/outreach/drafts/{draft_id}", status_code=303)
    forms.flash(request, "Skipped: nothing was sent.")
    return _next(draft_id, user, db)


def _next(draft_id: int, user: PageUser, db: DB) -> Response:
    following = drafts.next_draft(db, user.workspace_id, after=draft_id)
    return RedirectResponse(f"/outreach/drafts/{following}" if following else "/outreach", status_code=303)


@router.get("/outreach/templates", response_class=HTMLResponse)
def templates_page(request: Request, user: PageUser, db: DB, kind: str = "intro", language: str = "en") -> Response:
    """The workspace's wording per kind and language, with the placeholders it may use."""
    try:
        view = service.template_view(db, user.workspace_id, kind, language)
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
        return RedirectResponse("/outreach/templates", status_code=303)
    return _page(request, "templates", {"t": view, "form": {"subject": view.subject, "body": view.body},
                                        "errors": {}})  # fmt: skip


@router.post("/outreach/templates", dependencies=CSRF)
def save_template(request: Request, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Save (or, with reset=1, forget) the wording; a bad one is shown again with what is wrong."""
    kind, language = forms.one(fields, "kind"), forms.one(fields, "language")
    typed = _typed(fields)
    try:
        if forms.one(fields, "reset") == "1":
            service.reset_template(db, user.workspace_id, kind, language)
            forms.flash(request, "Back to the built-in wording.")
        else:
            service.save_template(db, user.workspace_id, kind, language, typed["subject"], typed["body"], user.email)
            forms.flash(request, "Template saved: new drafts use it.")
    except InvalidInput as exc:
        view = service.template_view(db, user.workspace_id, kind, "en" if "language" in exc.errors else language)
        errors = exc.errors or {"form": exc.detail}
        return _page(request, "templates", {"t": view, "form": typed, "errors": errors}, 400)
    return RedirectResponse(f"/outreach/templates?kind={kind}&language={language}", status_code=303)


@router.post("/outreach/poll", dependencies=CSRF)
def poll_now(request: Request, user: PageWriter, db: DB) -> Response:
    """Queue a look at the mailbox for replies now."""
    on = service.ensure_polling(db, request.app.state.settings)
    forms.flash(request, "Checking the mailbox for replies." if on else "No mailbox is set up (GRASSROOTS_IMAP_HOST).")
    return RedirectResponse("/outreach", status_code=303)


@router.get("/campaigns/{campaign_id}/outreach", response_class=HTMLResponse)
def campaign_outreach(request: Request, campaign_id: Id, user: PageUser, db: DB) -> HTMLResponse:
    """The roster with who was written to; tick creators to draft personal messages for them."""
    view = service.campaign_view(db, request.app.state.settings, user.workspace_id, campaign_id)
    return _page(request, "campaign", {"v": view, "errors": {}})


@router.post("/campaigns/{campaign_id}/outreach/drafts", dependencies=CSRF)
def draft_for_campaign(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Draft for the ticked creators (or, with all=1, everyone still a prospect), then review them one by one."""
    wanted = None if forms.one(fields, "all") == "1" else forms.ids(fields, "collaboration_ids")
    try:
        made = drafts.draft_outreach(db, request.app.state.settings, user.workspace_id, campaign_id, wanted,
                                     Actor.of(user))  # fmt: skip
    except InvalidInput as exc:
        forms.flash(request, exc.detail)
        return RedirectResponse(f"/campaigns/{campaign_id}/outreach", status_code=303)
    forms.flash(request, f"{len(made)} draft{'s' * (len(made) != 1)} to review. Nothing is sent until you press Send.")
    return RedirectResponse(f"/outreach/drafts/{made[0].id}", status_code=303)


@router.post("/campaigns/{campaign_id}/outreach/settings", dependencies=CSRF)
def follow_up_settings(request: Request, campaign_id: Id, user: PageWriter, db: DB, fields: Posted) -> Response:
    """Save the campaign's follow-up limit, or show it again with what is wrong."""
    try:
        number = follow_ups.set_max_follow_ups(db, user.workspace_id, campaign_id, forms.one(fields, "max_follow_ups"))
    except InvalidInput as exc:
        view = service.campaign_view(db, request.app.state.settings, user.workspace_id, campaign_id)
        return _page(request, "campaign", {"v": view, "errors": exc.errors}, 400)
    forms.flash(request, f"At most {number} follow-up{'s' * (number != 1)} per message.")
    return RedirectResponse(f"/campaigns/{campaign_id}/outreach", status_code=303)


@router.get("/campaigns/{campaign_id}/collaborations/{collaboration_id}/outreach", response_class=HTMLResponse)
def collaboration_outreach(request: Request, campaign_id: Id, collaboration_id: Id, user: PageUser, db: DB) -> Any:
    """What was written to and heard from this creator, their timeline, and a one-click 'they replied'."""
    view = service.collaboration_view(db, user.workspace_id, campaign_id, collaboration_id)
    return _page(request, "collaboration", {"v": view})


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/outreach/draft", dependencies=CSRF)
def draft_one(request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB) -> Response:
    """Draft a first message for this creator and open it for review."""
    [made] = drafts.draft_outreach(db, request.app.state.settings, user.workspace_id, campaign_id,
                                   [collaboration_id], Actor.of(user))  # fmt: skip
    return RedirectResponse(f"/outreach/drafts/{made.id}", status_code=303)


@router.post("/campaigns/{campaign_id}/collaborations/{collaboration_id}/outreach/reply", dependencies=CSRF)
def log_reply(
    request: Request, campaign_id: Id, collaboration_id: Id, user: PageWriter, db: DB, fields: Posted
) -> Response:
    """Record that the creator replied (one click; follow-ups stop)."""
    note = forms.one(fields, "note")
    replies.log_reply(db, user.workspace_id, collaboration_id, Actor.of(user), note, campaign_id=campaign_id)
    forms.flash(request, "Reply logged: no more follow-ups will be drafted.")
    back = f"/campaigns/{campaign_id}/collaborations/{collaboration_id}/outreach"
    return RedirectResponse(forms.safe_next(forms.one(fields, "next"), back), status_code=303)
