"""The layout holds: arrows run one way (web/cli -> domain -> engine -> judgments), routes stay thin.

Read from the source with ``ast`` (function-level imports included), so a late import cannot slip past.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "grassroots"
DOMAINS = (
    "workspaces",
    "creators",
    "vetting",
    "comments",
    "campaigns",
    "tracking",
    "discovery",
    "outreach",
    "insights",
    "portal",
    "agreements",
    "approvals",
    "mentions",
    "gifting",
)
# What a pure judgment may use from the package: its own kind, settings and the error types.
PURE_ALLOWED = ("grassroots.judgments", "grassroots.config", "grassroots.errors")
ENGINE_ALLOWED = (*PURE_ALLOWED, "grassroots.engine")
NO_IO_LIBRARIES = ("sqlalchemy", "fastapi", "starlette", "httpx", "requests", "urllib.request", "socket", "psycopg")


def modules(folder: str) -> list[Path]:
    """Every Python file under ``src/grassroots/<folder>``."""
    return sorted((SRC / folder).rglob("*.py"))


def imported(path: Path) -> Iterator[str]:
    """Every module a file imports, at any depth (``from a import b`` yields ``a`` and ``a.b``)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _outside(names: Iterator[str], allowed: tuple[str, ...]) -> list[str]:
    own = [n for n in names if n == "grassroots" or n.startswith("grassroots.")]
    return sorted({n for n in own if not n.startswith(allowed) and n != "grassroots"})


@pytest.mark.parametrize("path", modules("judgments"), ids=lambda p: str(p.relative_to(SRC)))
def test_judgments_import_no_db_web_network_connectors_or_domain(path: Path) -> None:
    names = list(imported(path))
    assert _outside(iter(names), PURE_ALLOWED) == []
    assert [n for n in names if n.startswith(NO_IO_LIBRARIES)] == []


@pytest.mark.parametrize("path", modules("engine"), ids=lambda p: str(p.relative_to(SRC)))
def test_engine_imports_judgments_and_nothing_above_it(path: Path) -> None:
    names = list(imported(path))
    assert _outside(iter(names), ENGINE_ALLOWED) == []
    assert [n for n in names if n.startswith(NO_IO_LIBRARIES)] == []


def test_the_import_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from grassroots.db.session import session_scope\n    import httpx\n")
    names = list(imported(bad))
    assert _outside(iter(names), PURE_ALLOWED) == ["grassroots.db.session", "grassroots.db.session.session_scope"]
    assert "httpx" in names


def test_only_the_database_layer_imports_every_domains_models() -> None:
    users = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "grassroots.db.models" in set(imported(p)) and p.parent.name not in {"db", "migrations"}
    ]
    assert users == []


@pytest.mark.parametrize(
    "path",
    [p for d in DOMAINS if (SRC / d).is_dir() for p in modules(d) if p.name in {"routes.py", "api.py"}]
    + [p for p in modules("connectors") if p.name in {"routes.py", "api.py"}],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_routes_parse_call_a_service_and_render(path: Path) -> None:
    """No query, flush or repository call in a route module: services own the store."""
    tree = ast.parse(path.read_text())
    names = set(imported(path))
    assert not [n for n in names if n.startswith("sqlalchemy")], "a route imports SQLAlchemy"
    calls = [
        ast.unparse(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]
    store_calls = [c for c in calls if c.startswith(("db.", "repository.")) or c.endswith((".flush", ".execute"))]
    assert store_calls == []


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}
