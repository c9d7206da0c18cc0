"""Natural advocates: read the brand's own data into frames with a few set-based queries, rank, page.

The ranking itself is pure (``judgments/discovery/advocates.py``, explained in ``docs/discovery.md``); this module
only gathers its inputs: creators and their handles, store customers with their orders, the posts that mention
the brand (or are the brand's own) and the comments about it, with their sentiment where labelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Executable, Float, Text, cast, false, func, or_, select
from sqlalchemy.orm import Session

from grassroots.comments.models import CommentLabel
from grassroots.config import get_settings
from grassroots.creators.models import Comment, Creator, Post, SocialAccount
from grassroots.discovery.advocate_schemas import Advocate, AdvocatesPage
from grassroots.errors import InvalidInput, NotFound
from grassroots.judgments.discovery import advocates as judge
from grassroots.tracking.models import Customer, Order
from grassroots.workspaces.models import Workspace

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
_CHUNK = 5_000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def brand_handles(session: Session, workspace_id: int) -> list[str]:
    """The workspace's own handles, cleaned (no '@', lowercased); NotFound for an unknown workspace."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {workspace_id} not found")
    return judge.clean_handles(workspace.brand_handles)


def _frame(session: Session, stmt: Executable, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(session.execute(stmt).all(), schema=schema, orient="row")


def creators_frames(session: Session, workspace_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every creator of the workspace (``CREATORS``) and every handle they own (``ACCOUNTS``)."""
    creators = _frame(
        session,
        select(Creator.id, Creator.display_name, Creator.email, Creator.primary_handle, Creator.followers).where(
            Creator.workspace_id == workspace_id
        ),
        judge.CREATORS,
    )
    accounts = _frame(
        session,
        select(SocialAccount.creator_id, SocialAccount.handle).where(SocialAccount.workspace_id == workspace_id),
        judge.ACCOUNTS,
    )
    return creators, accounts


def customers_frame(session: Session, workspace_id: int) -> pl.DataFrame:
    """Store customers (``CUSTOMERS``) with their orders; guest orders without a customer are grouped by email.

    A customer's counts are the larger of the store's own totals (which include orders from before the store was
    connected) and the orders imported here; the currency is the one most of their orders were paid in.
    """
    email = func.lower(func.trim(Order.email))
    orders = _frame(
        session,
        select(
            Order.customer_id,
            email,
            Order.currency,
            func.count(),
            cast(func.sum(Order.total), Float),
            func.max(Order.created_at),
        )
        .where(Order.workspace_id == workspace_id)
        .group_by(Order.customer_id, email, Order.currency),
        {
            "customer_id": pl.Int64(),
            "email": pl.String(),
            "currency": pl.String(),
            "n": pl.Int64(),
            "total": pl.Float64(),
            "last": pl.Datetime("us"),
        },
    )
    stored = _frame(
        session,
        select(
            Customer.id, Customer.email, Customer.name, Customer.orders_count, cast(Customer.total_spent, Float)
        ).where(Customer.workspace_id == workspace_id),
        {
            "customer_id": pl.Int64(),
            "email": pl.String(),
            "name": pl.String(),
            "count": pl.Int64(),
            "spent": pl.Float64(),
        },
    )
    by_email = stored.drop_nulls("email").with_columns(pl.col("email").str.strip_chars().str.to_lowercase())
    owner = by_email.unique("email", keep="first").select("email", owner="customer_id")
    orders = (
        orders.join(owner, on="email", how="left")
        .with_columns(
            key=pl.coalesce(
                pl.col("customer_id").cast(pl.String), pl.col("owner").cast(pl.String), pl.format("guest:{}", "email")
            )
        )
        .drop_nulls("key")
    )
    per_key = orders.group_by("key").agg(
        n=pl.col("n").sum(),
        total=pl.col("total").sum(),
        last=pl.col("last").max(),
        currency=pl.col("currency").sort_by("n", descending=True).first(),
        guest_email=pl.col("email").first(),
    )
    counts = orders.group_by("currency").agg(pl.col("n").sum()).sort("n", "currency", descending=[True, False])
    usual = counts["currency"][0] if counts.height else None
    people = stored.with_columns(key=pl.col("customer_id").cast(pl.String))
    merged = people.join(per_key, on="key", how="full", coalesce=True)
    return merged.select(
        customer_key="key",
        email=pl.coalesce("email", "guest_email"),
        name="name",
        orders=pl.max_horizontal(pl.col("count").fill_null(0), pl.col("n").fill_null(0)).cast(pl.Int64),
        spent=pl.max_horizontal(pl.col("spent").fill_null(0.0), pl.col("total").fill_null(0.0)),
        # Customers without imported orders: the store's usual currency (its customer totals are in it).
        currency=pl.coalesce("currency", pl.lit(usual, pl.String)),
        last_order_at="last",
    ).cast(judge.CUSTOMERS)  # type: ignore[arg-type]


def _brand_post_filter(workspace_id: int, brand: Sequence[str]) -> ColumnElement[bool]:
    """A superset of the brand's posts, found in SQL; the judgment keeps only exact mentions.

    ``mentions`` is a JSON list: its text form is searched, on SQLite and PostgreSQL alike.
    """
    if not brand:
        return false()
    own = select(SocialAccount.id).where(
        SocialAccount.workspace_id == workspace_id, func.lower(SocialAccount.handle).in_(brand)
    )
    tests = [Post.account_id.in_(own)]
    for handle in brand:
        tests += [cast(Post.mentions, Text).ilike(f"%{handle}%"), Post.caption.ilike(f"%@{handle}%")]
    return or_(*tests)


_POST_COLUMNS = (
    Post.id,
    SocialAccount.creator_id,
    SocialAccount.handle,
    Post.caption,
    Post.mentions,
    Post.sponsored,
    Post.posted_at,
)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _tags(session: Session, brand: Sequence[str]) -> ColumnElement[bool]:
    """Comment text that tags a brand handle. SQLite's LIKE already ignores ASCII case; lower() per row would
    double the scan of every comment (the demo: 210k comments, 60 ms against 130 ms)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    return or_(*[Comment.text.like(f"%@{h}%") if sqlite else Comment.text.ilike(f"%@{h}%") for h in brand])


def brand_frames(session: Session, workspace_id: int, brand: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Posts (``POSTS``) and comments (``COMMENTS``) that may be about the brand, in a few set-based queries.

    Comments under the brand's posts come by the post index, comments tagging the brand by one scan; an OR of the
    two in one query would scan every comment and test both (five times slower on the demo).
    """
    if not brand:
        return pl.DataFrame(schema=judge.POSTS), pl.DataFrame(schema=judge.COMMENTS)
    posts_stmt = select(*_POST_COLUMNS).join(SocialAccount, SocialAccount.id == Post.account_id)
    posts = _frame(
        session,
        posts_stmt.where(Post.workspace_id == workspace_id, _brand_post_filter(workspace_id, brand)),
        judge.POSTS,
    )
    comments_stmt = select(
        Comment.id, Comment.post_id, Comment.author_handle, Comment.text, Comment.posted_at, CommentLabel.sentiment
    ).outerjoin(CommentLabel, CommentLabel.comment_id == Comment.id)
    under = [
        _frame(session, comments_stmt.where(Comment.post_id.in_(chunk)), judge.COMMENTS)
        for chunk in _chunks(posts["post_id"].to_list())
    ]
    tagging = _frame(
        session, comments_stmt.where(Comment.workspace_id == workspace_id, _tags(session, brand)), judge.COMMENTS
    )
    comments = pl.concat([*under, tagging]).unique("comment_id", keep="first", maintain_order=True)
    # Posts of comments that tag the brand elsewhere: needed to tell a creator's reply under their own post.
    missing = sorted(set(comments["post_id"].to_list()) - set(posts["post_id"].to_list()))
    extra = [
        _frame(session, posts_stmt.where(Post.workspace_id == workspace_id, Post.id.in_(chunk)), judge.POSTS)
        for chunk in _chunks(missing)
    ]
    return pl.concat([posts, *extra]), comments


def has_store(session: Session, workspace_id: int) -> bool:
    """True once the workspace has a store customer or an order."""
    customer = select(Customer.id).where(Customer.workspace_id == workspace_id).limit(1)
    order = select(Order.id).where(Order.workspace_id == workspace_id).limit(1)
    return session.scalar(customer) is not None or session.scalar(order) is not None


def rank(session: Session, workspace_id: int, *, today: datetime | None = None) -> tuple[pl.DataFrame, list[str]]:
    """Every advocate of the workspace, best first (the judgment's frame), and the brand handles used."""
    brand = brand_handles(session, workspace_id)
    creators, accounts = creators_frames(session, workspace_id)
    posts, comments = brand_frames(session, workspace_id, brand)
    customers = customers_frame(session, workspace_id)
    settings = get_settings()
    bounds = (settings.tier_nano_min, settings.tier_micro_min, settings.tier_macro_min, settings.tier_mega_min)
    now = (today or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    frame = judge.rank_advocates(customers, creators, accounts, comments, posts, brand, today=now, bounds=bounds)
    return frame, brand


def _advocate(row: dict[str, Any]) -> Advocate:
    said = sum(row[k] or 0 for k in ("positive", "neutral", "negative", "unlabelled"))
    last = row["last_signal_at"]
    return Advocate(
        key=row["key"],
        creator_id=row["creator_id"],
        name=row["name"],
        handle=row["handle"],
        followers=row["followers"],
        tier=row["tier"],
        matched_by=row["matched_by"],
        signals=row["signals"],
        score=row["score"],
        affinity=round(row["affinity"], 3),
        reach=round(row["reach"], 3),
        orders=row["orders"] or 0,
        spent=round(row["spent"] or 0.0, 2),
        currency=row["currency"],
        positive_comments=row["positive"] or 0,
        brand_comments=said,
        unpaid_mentions=row["unpaid_mentions"] or 0,
        last_signal_at=last.replace(tzinfo=UTC) if last else None,
        reasons=row["reasons"],
    )


def find_advocates(
    session: Session, workspace_id: int, *, limit: int = 200, offset: int = 0, today: datetime | None = None
) -> AdvocatesPage:
    """The workspace's natural advocates, best first: customers, commenters and fans with their reasons."""
    if not 1 <= limit <= MAX_LIMIT or not 0 <= offset <= MAX_OFFSET:
        errors = {"limit": f"1–{MAX_LIMIT}", "offset": f"0–{MAX_OFFSET:,}"}
        raise InvalidInput(f"limit must be 1–{MAX_LIMIT} and offset 0–{MAX_OFFSET:,}", errors)
    frame, brand = rank(session, workspace_id, today=today)
    rows = frame.slice(offset, limit).iter_rows(named=True)
    return AdvocatesPage(
        items=[_advocate(r) for r in rows],
        total=frame.height,
        creators=int(frame["creator_id"].is_not_null().sum()),
        limit=limit,
        offset=offset,
        brand_handles=brand,
        has_store=has_store(session, workspace_id),
    )
