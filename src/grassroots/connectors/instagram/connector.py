"""Instagram connector: own profile, media, comments and insights; tagged media; business discovery; hashtags."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.connectors.base import BaseConnector, ConnectorError, Progress, SyncSummary, register
from grassroots.connectors.instagram import hashtag_budget
from grassroots.connectors.instagram.graph import (
    COMMENT_FIELDS,
    DEFAULT_BASE_URL,
    DEFAULT_VERSION,
    MEDIA_FIELDS,
    PROFILE_FIELDS,
    Graph,
    GraphError,
    after_cursor,
    comment_record,
    insight_values,
    post_record,
    profile_record,
)
from grassroots.connectors.instagram.webhook import queued_mentions
from grassroots.connectors.models import Connection
from grassroots.connectors.repository import commit_page, get_cursor, save_cursor
from grassroots.connectors.store import (
    AccountRecord,
    PostRecord,
    record_snapshot,
    stored_comment_counts,
    upsert_account,
    upsert_comments,
    upsert_posts,
)
from grassroots.creators.models import Platform, Post, SocialAccount
from grassroots.errors import InvalidInput

PAGE = 25
INSIGHT_METRICS = "reach,saved,shares,views"
ADVOCATES = "advocates"


def config_list(value: object) -> list[str]:
    """A list setting given as a list or a comma/space separated string, cleaned of '@' and '#'."""
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    return list(dict.fromkeys(str(i).strip().lstrip("@#").lower() for i in items if str(i).strip().lstrip("@#")))


@register
class InstagramConnector(BaseConnector):
    """Instagram Graph API with the brand's own Business/Creator account token."""

    provider: ClassVar[str] = "instagram"
    # Where an overridden base_url may point (tests add their local servers in settings).
    official_hosts: ClassVar[tuple[str, ...]] = ("facebook.com",)
    secret_fields: ClassVar[tuple[str, ...]] = ("access_token", "app_secret")
    optional_secrets: ClassVar[tuple[str, ...]] = ("app_secret",)
    required_config: ClassVar[tuple[str, ...]] = ("ig_user_id",)
    config_fields: ClassVar[tuple[str, ...]] = (
        "ig_user_id",
        "handles",
        "hashtags",
        "hashtag_edge",
        "graph_version",
        "base_url",
        "max_pages",
        "page_size",
        "verify_token",
    )

    def __init__(
        self, connection: Connection, secrets: dict[str, str], *, transport: httpx.BaseTransport | None = None
    ) -> None:
        super().__init__(connection, secrets, transport=transport)
        self.max_pages = self.int_setting("max_pages", 10)
        self.page = self.int_setting("page_size", PAGE)
        self.ig_user_id = self.config_str("ig_user_id")
        if not self.ig_user_id:
            raise ConnectorError("the Instagram connection needs ig_user_id (the brand's Instagram user id)")

    def _graph(self) -> Graph:
        return Graph(
            self.secrets["access_token"],
            base_url=self.config_str("base_url", DEFAULT_BASE_URL),
            version=self.config_str("graph_version", DEFAULT_VERSION),
            transport=self.transport,
            sleep=self.sleep,
        )

    def sync(self, session: Session, progress: Progress) -> SyncSummary:
        """Own account and media, tagged media, followed accounts, hashtags: each page committed."""
        self.graph = self._graph()
        try:
            own = self._own_account(session)
            progress("instagram: own media", 0, None)
            self._own_media(session, own, progress)
            self._tagged(session, own, progress)
            self._pending_mentions(session, own)
            self._discovery(session, own, progress)
            self._hashtags(session, progress)
        finally:
            self.graph.close()
        return self.summary

    # -- own account -------------------------------------------------------------------------------------------
    def _own_account(self, session: Session) -> SocialAccount:
        profile = self.graph.get(self.ig_user_id, {"fields": PROFILE_FIELDS})
        self.summary.fetched += 1
        account = self._store_profile(session, profile)
        self.connection.config = {**self.connection.config, "username": account.handle}
        commit_page(session, self.connection, "own_profile", None)
        return account

    def _store_profile(self, session: Session, profile: dict[str, Any]) -> SocialAccount:
        account, created = upsert_account(session, self.connection.workspace_id, profile_record(profile))
        self.summary.new += int(created)
        if account.followers is not None:
            record_snapshot(session, account, self.now().date(), account.followers, account.following)
        return account

    def _own_media(self, session: Session, own: SocialAccount, progress: Progress) -> None:
        stream = "own_media"
        after = get_cursor(session, self.connection, stream) or None
        for page_no in range(self.max_pages):
            params = {"fields": MEDIA_FIELDS, "limit": self.page, **({"after": after} if after else {})}
            edge = self.graph.get(f"{self.ig_user_id}/media", params)
            records = self._posts(edge.get("data") or [], f"@{own.handle}")
            before = stored_comment_counts(session, own, [r.external_id for r in records])
            self._store_posts(session, own, records)
            for record in records:
                if record.comments and before.get(record.external_id) != record.comments:
                    self._comments(session, own, record.external_id)
                if page_no == 0:  # insights change for recent media; older ones are settled
                    self._insights(session, own, record.external_id)
            after = after_cursor(edge)
            commit_page(session, self.connection, stream, after or "")
            progress("instagram: own media", page_no + 1, None)
            if after is None:
                return
        commit_page(session, self.connection, stream, "")  # page budget used: start from the newest next run

    def _comments(self, session: Session, own: SocialAccount, media_id: str) -> None:
        after: str | None = None
        for _ in range(self.max_pages):
            params = {"fields": COMMENT_FIELDS, "limit": 50, **({"after": after} if after else {})}
            edge = self.graph.get(f"{media_id}/comments", params)
            records = []
            for raw in edge.get("data") or []:
                self.summary.fetched += 1
                try:
                    records.append(comment_record(raw, media_id))
                except (ValueError, TypeError) as exc:
                    self.summary.skip(f"comment {raw.get('id', '?')} on media {media_id}", str(exc))
            new, updated = upsert_comments(session, own, records)
            self.summary.new += new
            self.summary.updated += updated
            after = after_cursor(edge)
            if after is None:
                return

    def _insights(self, session: Session, own: SocialAccount, media_id: str) -> None:
        try:
            body = self.graph.get(f"{media_id}/insights", {"metric": INSIGHT_METRICS})
        except GraphError as exc:
            # Some media types (stories past 24 h, old posts) have no insights: a note, not a failure.
            self.summary.note(f"insights of media {media_id}", exc.detail)
            return
        values = insight_values(body)
        post = session.scalar(select(Post).where(Post.account_id == own.id, Post.external_id == media_id))
        if post is None or not values:
            return
        post.saves = values.get("saved", post.saves)
        post.shares = values.get("shares", post.shares)
        post.views = values.get("views", post.views)

    # -- shared page handling ----------------------------------------------------------------------------------
    def _posts(self, media: list[dict[str, Any]], owner: str, mentions: tuple[str, ...] = ()) -> list[PostRecord]:
        records, hidden = [], 0
        for raw in media:
            self.summary.fetched += 1
            try:
                record = post_record(raw, extra_mentions=mentions)
            except (ValueError, TypeError, KeyError) as exc:
                self.summary.skip(f"{owner} media {raw.get('id', '?')}", f"malformed media: {exc}")
                continue
            hidden += record.likes is None
            records.append(record)
        if hidden:
            self.summary.note(owner, f"like counts hidden on {hidden} post(s); stored without likes")
        return records

    def _store_posts(self, session: Session, account: SocialAccount, records: list[PostRecord]) -> None:
        new, updated = upsert_posts(session, account, records)
        self.summary.new += new
        self.summary.updated += updated

    # -- accounts that tagged the brand ------------------------------------------------------------------------
    def _tagged(self, session: Session, own: SocialAccount, progress: Progress) -> None:
        stream = "tags"
        after = get_cursor(session, self.connection, stream) or None
        for page_no in range(self.max_pages):
            params = {"fields": MEDIA_FIELDS + ",username", "limit": self.page, **({"after": after} if after else {})}
            edge = self.graph.get(f"{self.ig_user_id}/tags", params)
            self._store_foreign_media(session, own, edge.get("data") or [])
            after = after_cursor(edge)
            commit_page(session, self.connection, stream, after or "")
            progress("instagram: tagged media", page_no + 1, None)
            if after is None:
                return
        commit_page(session, self.connection, stream, "")

    def _store_foreign_media(self, session: Session, own: SocialAccount, media: list[dict[str, Any]]) -> None:
        """Media by other accounts that tag or mention the brand: their authors are natural advocates."""
        by_author: dict[str, list[dict[str, Any]]] = {}
        for raw in media:
            author = str(raw.get("username") or "").lower()
            if not author:
                self.summary.fetched += 1
                self.summary.skip(f"tagged media {raw.get('id', '?')}", "no author username")
                continue
            by_author.setdefault(author, []).append(raw)
        for author, items in by_author.items():
            try:
                account, created = upsert_account(
                    session, own.workspace_id, AccountRecord(platform=Platform.instagram, handle=author)
                )
            except InvalidInput as exc:
                self.summary.fetched += len(items)
                self.summary.skip(f"@{author}", exc.detail)
                continue
            self.summary.new += int(created)
            self._store_posts(session, account, self._posts(items, f"@{author}", (own.handle,)))
        self._remember_advocates(session, by_author)

    def _remember_advocates(self, session: Session, by_author: dict[str, list[dict[str, Any]]]) -> None:
        """Accounts whose media tag or mention the brand, with those media ids (shown as natural advocates)."""
        if not by_author:
            return
        advocates: dict[str, list[str]] = json.loads(get_cursor(session, self.connection, ADVOCATES) or "{}")
        for author, items in by_author.items():
            ids = advocates.setdefault(author, [])
            ids.extend(str(i["id"]) for i in items if i.get("id") and str(i["id"]) not in ids)
        save_cursor(session, self.connection, ADVOCATES, json.dumps(advocates))

    def _pending_mentions(self, session: Session, own: SocialAccount) -> None:
        """Media that mentioned the brand (queued by the webhook), read with the mentioned_media field."""
        for delivery in queued_mentions(session, own.workspace_id):
            media_id = str((delivery.payload or {}).get("media_id") or "")
            fields = f"mentioned_media.media_id({media_id}){{{MEDIA_FIELDS},username}}"
            try:
                body = self.graph.get(self.ig_user_id, {"fields": fields})
                self._store_foreign_media(session, own, [body.get("mentioned_media") or {"id": media_id}])
                delivery.status = "processed"
            except GraphError as exc:
                self.summary.skip(f"mentioned media {media_id}", exc.detail)
                delivery.status = "failed"
            session.commit()

    # -- other accounts by business discovery ------------------------------------------------------------------
    def _handles(self, session: Session, own: SocialAccount) -> list[str]:
        configured = config_list(self.config.get("handles"))
        if configured:
            return [h for h in configured if h != own.handle]
        rows = session.scalars(
            select(SocialAccount.handle).where(
                SocialAccount.workspace_id == own.workspace_id,
                SocialAccount.platform == Platform.instagram,
                SocialAccount.id != own.id,
            )
        )
        return sorted(set(rows))

    def _discovery(self, session: Session, own: SocialAccount, progress: Progress) -> None:
        handles = self._handles(session, own)
        done = set(json.loads(get_cursor(session, self.connection, "discovery_round") or "[]"))
        for index, handle in enumerate(handles):
            progress("instagram: followed accounts", index, len(handles))
            if handle in done:
                continue
            self._discover(session, handle)
            done.add(handle)
            commit_page(session, self.connection, "discovery_round", json.dumps(sorted(done)))
        progress("instagram: followed accounts", len(handles), len(handles))
        commit_page(session, self.connection, "discovery_round", "[]")  # round complete

    def _discover(self, session: Session, handle: str) -> None:
        stream = f"discovery:{handle}"
        after = get_cursor(session, self.connection, stream) or None
        for _ in range(self.max_pages):
            media_edge = f"media.after({after}).limit({self.page})" if after else f"media.limit({self.page})"
            fields = f"business_discovery.username({handle}){{{PROFILE_FIELDS},{media_edge}{{{MEDIA_FIELDS}}}}}"
            try:
                body = self.graph.get(self.ig_user_id, {"fields": fields})
            except GraphError as exc:
                # One unreadable account (personal, renamed, restricted) must not stop the others.
                reason = (
                    "not a Business or Creator account (or no such account)" if exc.not_professional else exc.detail
                )
                self.summary.skip(f"@{handle}", reason)
                return
            profile = body.get("business_discovery") or {}
            try:
                account = self._store_profile(session, profile)
            except (ValueError, InvalidInput) as exc:
                self.summary.skip(f"@{handle}", f"malformed profile: {exc}")
                return
            self.summary.fetched += 1
            edge = profile.get("media") or {}
            self._store_posts(session, account, self._posts(edge.get("data") or [], f"@{handle}"))
            after = after_cursor(edge, self.page)
            commit_page(session, self.connection, stream, after or "")
            if after is None:
                return
        commit_page(session, self.connection, stream, "")

    # -- hashtags ----------------------------------------------------------------------------------------------
    def _hashtags(self, session: Session, progress: Progress) -> None:
        tags = config_list(self.config.get("hashtags"))
        edge_name = self.config_str("hashtag_edge", "recent_media")
        if edge_name not in {"recent_media", "top_media"}:
            raise ConnectorError("hashtag_edge must be recent_media or top_media")
        budget = hashtag_budget.load(get_cursor(session, self.connection, hashtag_budget.STREAM))
        for index, tag in enumerate(tags):
            progress("instagram: hashtags", index, len(tags))
            hashtag_id = budget.known_id(tag, self.now())
            if hashtag_id is None:
                refusal = budget.refusal(tag, self.now())
                if refusal:
                    self.summary.skip(f"#{tag}", refusal)
                    continue
                found = self.graph.get("ig_hashtag_search", {"user_id": self.ig_user_id, "q": tag}).get("data") or []
                hashtag_id = str(found[0]["id"]) if found else ""
                budget.record(tag, hashtag_id, self.now())
                commit_page(session, self.connection, hashtag_budget.STREAM, budget.dump(self.now()))
            if not hashtag_id:
                self.summary.skip(f"#{tag}", "Instagram knows no such hashtag")
                continue
            params = {"user_id": self.ig_user_id, "fields": MEDIA_FIELDS, "limit": 50}
            media = self.graph.get(f"{hashtag_id}/{edge_name}", params).get("data") or []
            self.summary.fetched += len(media)
            seen = hashtag_budget.merge_media(get_cursor(session, self.connection, f"hashtag:{tag}"), media)
            commit_page(session, self.connection, f"hashtag:{tag}", seen)
        progress("instagram: hashtags", len(tags), len(tags))
