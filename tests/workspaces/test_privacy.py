"""`grassroots forget`: a customer, a creator or a commenter is erased; counts, orders and revenue stay."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, Table, func, select, update
from typer.testing import CliRunner

from grassroots.comments.models import CommentLabel
from grassroots.config import Settings
from grassroots.connectors.models import WebhookDelivery
from grassroots.creators.models import Comment, Creator, Platform, Post, SocialAccount
from grassroots.db import backup as backups
from grassroots.db.session import session_scope
from grassroots.errors import InvalidInput, NotFound
from grassroots.tracking.models import CommerceSource, Customer, Order, PromoCode
from grassroots.workspaces import data_cli, privacy
from grassroots.workspaces import service as workspaces
from tests.workspaces.test_backup import populate

WHEN = datetime(2026, 3, 20, 10, tzinfo=UTC)
MAYA = "maya-a@buyer.test"


@pytest.fixture
def world(engine: Engine, settings: Settings) -> tuple[int, int]:
    """Workspaces A and B (populate), plus in A a guest order by Maya, Jonas's order and Mo with fans' comments."""
    a = populate(engine, settings, "Brand", tag="a")
    b = populate(engine, settings, "Other brand", tag="b")
    with session_scope(engine) as s:
        s.add_all([
            _order(a, "guest-1", "MAYA-A@Buyer.test", "12.50"),
            _order(a, "jonas-1", "jonas@buyer.test", "40.00"),
            _order(b, "maya-elsewhere", MAYA, "7.00"),  # the same person in another brand's store: not asked
        ])  # fmt: skip
        mo = Creator(workspace_id=a, display_name="Mo", primary_handle="mo.a")
        s.add(mo)
        s.flush()
        account = SocialAccount(workspace_id=a, creator_id=mo.id, platform=Platform.tiktok, handle="mo.a")
        s.add(account)
        s.flush()
        post = Post(workspace_id=a, account_id=account.id, caption="hi", posted_at=WHEN)
        b_post = s.scalars(select(Post.id).where(Post.workspace_id == b)).one()
        s.add(post)
        s.flush()
        s.add_all([
            Comment(workspace_id=a, post_id=post.id, author_handle="Fan.A", author_has_avatar=False, text="me", posted_at=WHEN),
            Comment(workspace_id=a, post_id=post.id, author_handle="other.fan", text="nice", posted_at=WHEN),
            Comment(workspace_id=b, post_id=b_post, author_handle="fan.a", text="in B", posted_at=WHEN),
        ])  # fmt: skip
    return a, b


def _order(ws: int, number: str, email: str, total: str) -> Order:
    return Order(workspace_id=ws, source=CommerceSource.csv, external_id=number, number=number, email=email,
                 created_at=WHEN, currency="USD", subtotal=Decimal(total), total=Decimal(total))  # fmt: skip


def revenue(engine: Engine) -> dict[int, tuple[int, Decimal]]:
    with session_scope(engine) as s:
        query = select(Order.workspace_id, func.count(), func.sum(Order.total)).group_by(Order.workspace_id)
        return {ws: (n, Decimal(total)) for ws, n, total in s.execute(query)}


def refers_to(table: Table, names: set[str]) -> bool:
    return any(fk.column.table.name in names for fk in table.foreign_keys)


def _only_under(table: Table, kept: set[str], doomed: set[str]) -> bool:
    """True when every doomed parent of ``table`` is a table whose creator link is only set to NULL."""
    parents = {fk.column.table.name for fk in table.foreign_keys} & doomed
    return bool(parents) and parents <= kept - {"collaboration"} and table.name not in kept


def dump(engine: Engine, skip_workspace: int) -> str:
    """Every row of every table as text, except the rows of one workspace."""
    rows: list[str] = []
    with engine.connect() as conn:
        for table in backups.all_tables():
            for row in conn.execute(select(table)):
                values = row._mapping
                if values.get("workspace_id") == skip_workspace or (
                    table.name == "workspace" and row.id == skip_workspace
                ):
                    continue
                rows.append(repr([bytes(v) if isinstance(v, memoryview) else v for v in values.values()]))
    return "\n".join(rows).lower()


def test_forget_customer_erases_them_everywhere_and_keeps_revenue(engine: Engine, world: tuple[int, int]) -> None:
    a, b = world
    before = revenue(engine)
    assert MAYA in dump(engine, skip_workspace=b) and "maya a" in dump(engine, skip_workspace=b)
    with session_scope(engine) as s:  # what referral checks keep: hashes of the address, IP and card
        s.execute(update(Order).where(Order.workspace_id == a, Order.email == MAYA)
                  .values(shipping_key="addr-hash", fingerprints={"ip": "ip-hash"}))  # fmt: skip
    with session_scope(engine) as s:
        counts = privacy.forget_customer(s, a, email=" Maya-A@Buyer.test ")
    assert counts == {"customer": 1, "sales_order": 2, "webhook_delivery": 1}
    text = dump(engine, skip_workspace=b)
    # the customer's id as a whole value (a random password hash may contain the letters 77a)
    assert MAYA not in text and "maya a" not in text and "'77a'" not in text and '"77a"' not in text
    assert revenue(engine) == before
    with session_scope(engine) as s:
        customer = s.scalars(select(Customer).where(Customer.workspace_id == a)).one()
        pseudonym = f"forgotten-{customer.id}"
        assert (customer.email, customer.name, customer.external_id) == (None, pseudonym, pseudonym)
        assert customer.total_spent == Decimal("94.05")
        assert s.scalar(select(func.count()).select_from(Order).where(Order.customer_id == customer.id)) == 1
        assert not set(s.scalars(select(Order.shipping_key).where(Order.workspace_id == a))) - {None}
        assert [f for f in s.scalars(select(Order.fingerprints).where(Order.workspace_id == a)) if f] == []
        assert s.scalar(select(Order.email).where(Order.workspace_id == b, Order.number == "maya-elsewhere")) == MAYA
        delivery = s.scalars(select(WebhookDelivery).where(WebhookDelivery.workspace_id == a)).one()
        assert delivery.body is None and delivery.status == "processed"  # still a duplicate if the shop retries
    with session_scope(engine) as s, pytest.raises(NotFound):
        privacy.forget_customer(s, a, email=MAYA)


def test_forget_customer_by_the_shops_id(engine: Engine, world: tuple[int, int]) -> None:
    a, b = world
    before = revenue(engine)
    with session_scope(engine) as s:
        counts = privacy.forget_customer(s, a, external_id="77a", source="shopify")
    # Found by the shop's id, their email is erased from the guest order too.
    assert counts == {"customer": 1, "sales_order": 2, "webhook_delivery": 1}
    assert MAYA not in dump(engine, skip_workspace=b) and revenue(engine) == before
    with session_scope(engine) as s:
        with pytest.raises(NotFound):
            privacy.forget_customer(s, a, external_id="77a")
        with pytest.raises(NotFound):
            privacy.forget_customer(s, b, external_id="77a", source="woocommerce")
        with pytest.raises(InvalidInput):
            privacy.forget_customer(s, a)


def test_forget_creator_deletes_them_and_what_hangs_off_them(engine: Engine, world: tuple[int, int]) -> None:
    a, b = world
    before = revenue(engine)
    with session_scope(engine) as s:
        counts = privacy.forget_creator(s, a, "@ANA.A")
    expected = {
        "comment_label": 1, "comment": 1, "post": 1, "follower_snapshot": 1, "vetting_report": 1, "demo_truth": 1,
        "stage_change": 0, "ledger_entry": 0, "outbound_message": 0, "collaboration": 1, "promo_code": 1,
        "search_profile": 0, "shortlist_entry": 0, "social_account": 1, "creator": 1,
    }  # fmt: skip
    assert {key: counts.get(key) for key in expected} == expected
    # Every other step (timeline, portal, gifts, links...) found nothing of this creator's to remove.
    assert {key: n for key, n in counts.items() if key not in expected and n} == {}
    text = dump(engine, skip_workspace=b)
    assert "ana-a@creator.test" not in text and "ana.a" not in text
    assert revenue(engine) == before
    with session_scope(engine) as s:
        assert s.scalars(select(Creator.primary_handle).where(Creator.workspace_id == a)).all() == ["mo.a"]
        code = s.scalars(select(PromoCode).where(PromoCode.workspace_id == a)).one()
        assert code.creator_id is None and code.code == "ANA10A"
        assert s.scalar(select(func.count()).select_from(Creator).where(Creator.workspace_id == b)) == 1
        with pytest.raises(NotFound, match=r"@ana\.a"):
            privacy.forget_creator(s, a, "ana.a")


def test_forget_creator_covers_every_table_that_hangs_off_a_creator(engine: Engine, world: tuple[int, int]) -> None:
    doomed = {"creator"}
    while grown := {t.name for t in backups.all_tables() if t.name not in doomed and refers_to(t, doomed)}:
        doomed |= grown
    # A table that only unlinks its rows (ON DELETE SET NULL) keeps them, so what hangs off it stays too.
    kept = {t.name for t in backups.all_tables() for fk in t.foreign_keys if fk.ondelete == "SET NULL"}
    doomed -= {t.name for t in backups.all_tables() if t.name not in {"creator"} and _only_under(t, kept, doomed)}
    with session_scope(engine) as s:
        counts = privacy.forget_creator(s, world[0], "ana.a")
    assert doomed - set(counts) == set(), "forget_creator must handle these tables"


def test_forget_commenter_puts_one_pseudonym_on_their_comments(engine: Engine, world: tuple[int, int]) -> None:
    a, b = world
    with session_scope(engine) as s:
        labels = s.scalar(select(func.count()).select_from(CommentLabel))
        comments = s.scalar(select(func.count()).select_from(Comment))
        assert privacy.forget_commenter(s, a, "@fan.a") == {"comment": 2}
    with session_scope(engine) as s:
        theirs = s.scalars(select(Comment).where(Comment.workspace_id == a, Comment.author_handle.like("forgotten-%")))
        rows = sorted(theirs, key=lambda c: c.id)
        assert {c.author_handle for c in rows} == {f"forgotten-{rows[0].id}"}
        assert [(c.author_has_avatar, c.text) for c in rows] == [(None, "+1 where can I get this?"), (None, "me")]
        assert s.scalar(select(func.count()).select_from(Comment)) == comments
        assert s.scalar(select(func.count()).select_from(CommentLabel)) == labels
        handles = set(s.scalars(select(Comment.author_handle).where(Comment.workspace_id == a)))
        assert "other.fan" in handles and not {"fan.a", "Fan.A"} & handles
        assert (
            s.scalar(select(Comment.author_handle).where(Comment.workspace_id == b, Comment.text == "in B")) == "fan.a"
        )
        assert privacy.forget_commenter(s, b, "fan.a", erase_text=True) == {"comment": 1}
        assert (
            s.scalar(select(Comment.text).where(Comment.workspace_id == b, Comment.author_handle.like("forgotten-%")))
            == ""
        )
        with pytest.raises(NotFound):
            privacy.forget_commenter(s, a, "fan.a")


runner = CliRunner()


def test_the_forget_commands_report_not_found_without_a_traceback(cli_home: Path) -> None:
    app = typer.Typer()
    app.add_typer(data_cli.forget_app, name="forget")
    no_workspace = runner.invoke(app, ["forget", "customer", "nobody@buyer.test", "--workspace", "Glow", "--yes"])
    assert no_workspace.exit_code == 1 and "no workspace named 'Glow'" in no_workspace.output
    with session_scope() as s:
        ws = workspaces.get_or_create_workspace(s, "Glow").id
        s.add(_order(ws, "1", "ana@buyer.test", "10.00"))
    for args in (["customer", "nobody@buyer.test"], ["creator", "nobody"], ["commenter", "nobody"]):
        missing = runner.invoke(app, ["forget", *args, "--workspace", "Glow", "--yes"])
        assert missing.exit_code == 1 and "Error:" in missing.output and "Traceback" not in missing.output
        assert isinstance(missing.exception, SystemExit)
    refused = runner.invoke(app, ["forget", "customer", "ana@buyer.test", "--workspace", "Glow"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    done = runner.invoke(app, ["forget", "customer", "ana@buyer.test", "--workspace", "Glow", "--yes"])
    assert done.exit_code == 0 and "sales_order" in done.output, done.output
