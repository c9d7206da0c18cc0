"""Shopify orders export import: grouping line rows into orders, bad rows by line, idempotent re-import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from grassroots.db.session import session_scope
from grassroots.errors import ImportRejected
from grassroots.tracking.models import CommerceSource, Customer, Order, OrderLine
from grassroots.tracking.orders_csv import blocks
from grassroots.tracking.service import import_orders_csv
from grassroots.tracking.utm import parse_utm
from tests.support import FIXTURES, api_headers, workspace_id

EXPORT = FIXTURES / "shopify" / "orders_export.csv"


def run_import(engine: Engine, text: str, batch_bytes: int = 300) -> object:
    with session_scope(engine) as session:
        return import_orders_csv(session, workspace_id(engine), io.BytesIO(text.encode()), batch_bytes=batch_bytes)


def test_export_rows_become_orders_and_a_bad_row_skips_its_order(engine: Engine) -> None:
    result = run_import(engine, EXPORT.read_text())
    assert (result.rows, result.new, result.skipped_orders) == (6, 3, 1)  # type: ignore[attr-defined]
    [error] = result.errors  # type: ignore[attr-defined]
    # Line 7, not record 6: the first order's Notes hold a quoted newline.
    assert error.line == 7 and "#1003" in error.reason and "Lineitem price 'abc'" in error.reason
    with session_scope(engine) as session:
        stored = {o.number: o for o in session.scalars(select(Order))}
        assert set(stored) == {"#1001", "#1002", "#1004"}
        first = stored["#1001"]
        assert first.source is CommerceSource.shopify and first.external_id == "450789469"
        assert first.email == "maya.buyer@example.com" and first.discount_codes == ["MAYA10"]
        assert (first.total, first.discounts) == (Decimal("94.05"), Decimal("9.90"))
        assert first.created_at.isoformat() == "2026-03-13T20:09:54+00:00"
        lines = session.scalars(select(OrderLine).where(OrderLine.order_id == first.id).order_by(OrderLine.id)).all()
        assert [(x.title, x.quantity, x.price) for x in lines] == [
            ("Glow Serum - 30ml", 1, Decimal("59.00")), ("Night Cream", 2, Decimal("20.00")),
        ]  # fmt: skip
        maya = session.scalars(select(Customer).where(Customer.email == "maya.buyer@example.com")).one()
        assert (maya.orders_count, maya.total_spent, maya.name) == (2, Decimal("158.05"), "Maya Buyer")


def test_reimport_updates_in_place(engine: Engine) -> None:
    run_import(engine, EXPORT.read_text())
    changed = EXPORT.read_text().replace("jonas@example.com,paid", "jonas@example.com,refunded")
    result = run_import(engine, changed, batch_bytes=1 << 20)
    assert result.new == 0 and result.updated == 3  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 3
        assert session.scalar(select(func.count()).select_from(OrderLine)) == 4
        jonas = session.scalars(select(Order).where(Order.number == "#1002")).one()
        assert jonas.financial_status == "refunded"


def test_file_problems_are_rejected_with_a_line(engine: Engine) -> None:
    with pytest.raises(ImportRejected) as missing:
        run_import(engine, "Name,Email\n#1,a@b.c\n")
    assert missing.value.rows[0].line == 1 and "Total" in missing.value.rows[0].reason
    header = EXPORT.read_text().splitlines()[0]
    with pytest.raises(ImportRejected) as all_bad:
        run_import(engine, header + "\n" + "#9" + "," * header.count(",") + "\n")
    assert all_bad.value.rows[0].line == 2 and "Total is empty" in all_bad.value.rows[0].reason
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 0


def test_upload_through_the_api(owner_client: TestClient) -> None:
    files = {"file": ("orders_export.csv", EXPORT.read_bytes())}
    response = owner_client.post("/api/v1/orders/import", files=files, headers=api_headers(owner_client))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["new"] == 3 and body["errors"] == [{"line": 7, "message": body["errors"][0]["message"]}]


def test_value_parsers() -> None:
    utm = parse_utm("/p?utm_source=Instagram&utm_medium=influencer&utm_content=%40maya")
    assert (utm.source, utm.medium, utm.campaign, utm.content) == ("instagram", "influencer", None, "@maya")


def test_landing_site_column_fills_utm_and_name_keys_orders_without_id(engine: Engine) -> None:
    text = (
        "Name,Email,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Landing Site,Discount Code\n"
        "#7,a@example.com,EUR,10.00,2026-03-13T16:09:54+00:00,1,Mask,10.00,/?utm_source=TikTok&utm_content=lena,"
        '"LENA-20, EXTRA"\n'
    )
    result = run_import(engine, text)
    assert result.new == 1  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        order = session.scalars(select(Order)).one()
        assert (order.source, order.external_id) == (CommerceSource.csv, "#7")
        assert (order.utm_source, order.utm_content, order.utm_medium) == ("tiktok", "lena", None)
        assert order.discount_codes == ["LENA-20", "EXTRA"] and order.subtotal == Decimal("10.00")


def test_pieces_end_only_at_record_boundaries() -> None:
    data = b'a,"x\ny",1\nb,"say ""hi""\n",2\nc,z,3\n'
    for size in (1, 5, 9, 64):
        pieces = list(blocks(io.BytesIO(data), size))
        assert b"".join(pieces) == data
        assert all(piece.endswith(b"\n") and piece.count(b'"') % 2 == 0 for piece in pieces)
