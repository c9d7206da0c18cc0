"""`grassroots backup` / `restore`: an online copy that restores every row, on SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from grassroots.campaigns.models import Campaign, CampaignGoal, Collaboration
from grassroots.comments.models import CommentLabel
from grassroots.config import Settings, get_settings
from grassroots.connectors.credentials import decrypt_secret
from grassroots.connectors.models import Connection, SyncRun, SyncState, WebhookDelivery
from grassroots.connectors.service import connect
from grassroots.creators.models import Comment, Creator, FollowerSnapshot, Platform, Post, SocialAccount
from grassroots.db import backup as backups
from grassroots.db.session import session_scope
from grassroots.demo.models import DemoTruth
from grassroots.errors import InvalidInput
from grassroots.tracking.models import CommerceSource, Customer, DiscountKind, Order, OrderLine, PromoCode
from grassroots.vetting.models import VettingReport
from grassroots.workspaces import data_cli
from grassroots.workspaces import service as workspaces
from grassroots.workspaces.models import Role

# Every table populate() fills (tables added later are compared too, even when empty).
POPULATED = (
    "workspace", "user_account", "api_token", "creator", "social_account", "post", "comment", "comment_label",
    "follower_snapshot", "vetting_report", "demo_truth", "promo_code", "campaign", "collaboration", "customer",
    "sales_order", "order_line", "connection", "sync_state", "sync_run", "webhook_delivery",
)  # fmt: skip
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
SHOP_SECRETS = {"access_token": "shpat_backup_test_token", "client_secret": "shpss_backup_test_secret"}


def populate(engine: Engine, settings: Settings, name: str = "Brand", tag: str = "a") -> int:
    """A workspace with a row in every table (names carry ``tag``); returns its id."""
    with session_scope(engine) as s:
        ws = workspaces.get_or_create_workspace(s, name)
        user = workspaces.create_user(s, ws, f"owner-{tag}@brand.test", "a long password", Role.owner)
        workspaces.create_token(s, user, "ci")
        creator = Creator(workspace_id=ws.id, display_name=f"Ana {tag}", email=f"ana-{tag}@creator.test",
                          notes='=HYPERLINK("http://evil.test","click")', primary_handle=f"ana.{tag}")  # fmt: skip
        s.add(creator)
        s.flush()
        account = SocialAccount(workspace_id=ws.id, creator_id=creator.id, platform=Platform.instagram,
                                handle=f"ana.{tag}", followers=4200, bio="skin care, -honest- reviews")  # fmt: skip
        s.add(account)
        s.flush()
        post = Post(workspace_id=ws.id, account_id=account.id, caption="new serum", hashtags=["sp"], posted_at=WHEN)
        s.add(post)
        s.flush()
        comment = Comment(workspace_id=ws.id, post_id=post.id, author_handle=f"fan.{tag}", author_has_avatar=True,
                          text="+1 where can I get this?", posted_at=WHEN)  # fmt: skip
        s.add(comment)
        s.flush()
        s.add_all([
            CommentLabel(workspace_id=ws.id, comment_id=comment.id, sentiment="positive", sentiment_score=0.9,
                         emotion="joy", purchase_intent="high", question_type="where", request=True,
                         language="en", mode="fast"),
            FollowerSnapshot(workspace_id=ws.id, account_id=account.id, day=date(2026, 3, 1), followers=4100),
            VettingReport(workspace_id=ws.id, account_id=account.id, creator_id=creator.id, day=date(2026, 3, 2),
                          credibility=81, tier="nano", reasons=[{"text": "fine"}], details={"er": 0.05}),
            DemoTruth(workspace_id=ws.id, account_id=account.id, label="pod", detail={"pod": 1}),
            PromoCode(workspace_id=ws.id, code=f"ANA10{tag.upper()}", creator_id=creator.id,
                      source=CommerceSource.shopify, kind=DiscountKind.percentage, value=Decimal("10.00")),
        ])  # fmt: skip
        campaign = Campaign(workspace_id=ws.id, name="Launch", goal=CampaignGoal.launch, budget=Decimal("500.00"))
        customer = Customer(workspace_id=ws.id, source=CommerceSource.shopify, external_id=f"77{tag}",
                            email=f"maya-{tag}@buyer.test", name=f"Maya {tag}", total_spent=Decimal("94.05"))  # fmt: skip
        s.add_all([campaign, customer])
        s.flush()
        order = Order(workspace_id=ws.id, source=CommerceSource.shopify, external_id=f"45{tag}", number="#1001",
                      customer_id=customer.id, email=f"maya-{tag}@buyer.test", created_at=WHEN, currency="USD",
                      subtotal=Decimal("99.00"), discounts=Decimal("9.90"), total=Decimal("94.05"),
                      discount_codes=[f"ANA10{tag.upper()}"])  # fmt: skip
        s.add_all([order, Collaboration(workspace_id=ws.id, campaign_id=campaign.id, creator_id=creator.id)])
        s.flush()
        s.add(OrderLine(workspace_id=ws.id, order_id=order.id, title="Glow Serum", quantity=1, price=Decimal("59.00")))
        connection = connect(s, ws.id, "shopify", SHOP_SECRETS, {"shop": f"{tag}.myshopify.com"}, settings=settings)
        s.add_all([
            SyncState(workspace_id=ws.id, connection_id=connection.id, stream="orders", cursor="page-2"),
            SyncRun(workspace_id=ws.id, connection_id=connection.id, fetched=3, errors=[{"item": "x", "reason": "y"}]),
            WebhookDelivery(provider="shopify", delivery_id=f"d-{tag}", workspace_id=ws.id, connection_id=connection.id,
                            topic="orders/create", status="processed",
                            body=f'{{"email": "maya-{tag}@buyer.test", "customer": {{"id": "77{tag}"}}}}'.encode()),
        ])  # fmt: skip
        return ws.id


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in backups.all_tables()
        }


def test_round_trip_restores_every_row_and_the_secrets(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ws = populate(engine, settings)
    before = snapshot(engine)
    assert [name for name in POPULATED if not before[name]] == []
    target = tmp_path / "nightly.backup"
    target.write_text("an older backup")
    target.chmod(0o644)

    assert backups.backup(engine, target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.backup"]  # no partial file or -wal left behind

    with session_scope(engine) as s:
        s.execute(delete(Creator))
        s.execute(update(Customer).values(email="changed@buyer.test"))
        s.execute(delete(Connection))
        workspaces.get_or_create_workspace(s, "Added after the backup")
    assert snapshot(engine) != before

    backups.restore(engine, target)
    assert snapshot(engine) == before
    with session_scope(engine) as s:
        secret = s.scalars(select(Connection.secret)).one()
        assert decrypt_secret(secret, settings=settings) == SHOP_SECRETS
        s.add(Creator(workspace_id=ws, display_name="after the restore"))  # the id sequences were restored too
    assert backups.check_secrets(engine, settings) == backups.SecretCheck(stored=1, readable=1)
    other_key = Settings(data_dir=tmp_path, secret_key="a different secret key")
    assert not backups.check_secrets(engine, other_key).ok


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind(engine: Engine, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(InvalidInput, match="not a"):
        backups.restore(engine, junk)
    with pytest.raises(InvalidInput, match="no backup file"):
        backups.restore(engine, tmp_path / "missing.backup")
    if engine.dialect.name == "sqlite":
        live = Path(str(engine.url.database))
        with pytest.raises(InvalidInput, match="the database itself"):
            backups.backup(engine, live)
        with pytest.raises(InvalidInput, match="the database itself"):
            backups.restore(engine, live)


@pytest.mark.postgres
def test_postgres_backup_says_when_pg_dump_is_missing(
    _pg_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _pg_engine  # pg_dump is only used for PostgreSQL
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    with pytest.raises(backups.BackupFailed, match="pg_dump is not installed"):
        backups.backup(engine, tmp_path / "db.backup")
    assert list(tmp_path.iterdir()) == []


def test_conninfo_quotes_values_and_leaves_the_password_out() -> None:
    url = make_url("postgresql+psycopg://ana:s3cret@db.internal:6543/my db?sslmode=require&prepare_threshold=5")
    info = backups.conninfo(url)
    assert info == "dbname='my db' host='db.internal' port='6543' user='ana' sslmode='require'"
    assert "s3cret" not in backups.conninfo(make_url("postgresql://o'brien:s3cret@h/d"))
    assert "user='o\\'brien'" in backups.conninfo(make_url("postgresql://o'brien:s3cret@h/d"))


def test_backup_runs_while_another_connection_writes(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ws = populate(engine, settings)
    target = tmp_path / "online.backup"
    with engine.connect() as writer:
        writer.execute(Creator.__table__.insert().values(workspace_id=ws, display_name="uncommitted"))
        backups.backup(engine, target)  # does not wait for the open write transaction, nor copy its row
        writer.rollback()
    with session_scope(engine) as s:
        s.add(Creator(workspace_id=ws, display_name="after the backup"))
    backups.restore(engine, target)
    with session_scope(engine) as s:
        assert list(s.scalars(select(Creator.display_name).order_by(Creator.id))) == ["Ana a"]


def test_the_commands_name_the_key_and_warn_when_it_changed(cli_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = typer.Typer()
    app.command("backup")(data_cli.backup)
    app.command("restore")(data_cli.restore)
    runner = CliRunner()
    with session_scope() as s:
        ws = workspaces.get_or_create_workspace(s, "Glow")
        connect(s, ws.id, "shopify", SHOP_SECRETS, {"shop": "glow.myshopify.com"})
    made = runner.invoke(app, ["backup", str(cli_home / "glow.backup")])
    assert made.exit_code == 0, made.output
    assert str(cli_home / "secret_key") in made.output.replace("\n", "") and "Keep the key" in made.output
    monkeypatch.setenv("GRASSROOTS_CONNECTOR_KEY", "a new key")
    get_settings.cache_clear()
    restored = runner.invoke(app, ["restore", str(cli_home / "glow.backup"), "--yes"])
    assert restored.exit_code == 0 and "1 of 1 connection secrets cannot be decrypted" in restored.output
