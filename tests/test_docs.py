"""Docs and code cannot drift (datasette's test_docs.py habit): every command in the README's CLI table runs
in the real `grassroots` app, every command of the app is in the table, and every /api/v1 route is in docs/api.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from grassroots.cli import app
from grassroots.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
API_DOCS = (ROOT / "docs" / "api.md").read_text()


def readme_commands() -> list[tuple[str, ...]]:
    """The command words of each `grassroots …` in the first cell of the README's CLI table ("a|b" expanded)."""
    table = README.split("## The CLI", 1)[1].split("\n## ", 1)[0]
    commands: list[tuple[str, ...]] = []
    for row in table.splitlines():
        if not row.startswith("| `grassroots"):
            continue
        first_cell = row.split("` | ", 1)[0] + "`"
        for snippet in re.findall(r"`grassroots ([^`]+)`", first_cell.replace("\\|", "|")):
            words: list[list[str]] = [[]]
            for token in snippet.split():
                if token.startswith(("-", "[", "<")) or token[0].isupper() or token.isupper():
                    break
                words = [[*w, alt] for w in words for alt in token.split("|")]
            commands.extend(tuple(w) for w in words if w)
    return sorted(set(commands))


def app_commands() -> list[tuple[str, ...]]:
    """Every leaf command of the real Typer app, as its words."""
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(command: Any, words: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):  # a group (typer vendors its own click, so no isinstance check)
            for name, sub in command.commands.items():
                walk(sub, (*words, name))
        else:
            found.append(words)

    walk(root, ())
    return sorted(found)


def test_the_readme_table_was_read() -> None:
    assert ("vet",) in readme_commands() and ("train", "sentiment") in readme_commands()


@pytest.mark.parametrize("words", readme_commands(), ids=" ".join)
def test_every_readme_command_exists(words: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_every_command_is_in_the_readme() -> None:
    documented = set(readme_commands())
    # `grassroots connect instagram|…` documents `connect` (the provider is an argument).
    missing = [" ".join(w) for w in app_commands() if not any(d[: len(w)] == w for d in documented)]
    assert missing == []


def test_every_api_route_is_in_the_api_docs() -> None:
    schema = create_app().openapi()
    routes = [f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops]
    assert len(routes) > 10
    missing = [
        r
        for r in routes
        if r.startswith(("GET /api/v1", "POST", "PATCH", "PUT", "DELETE")) and f"`{r}`" not in API_DOCS
    ]
    assert missing == []
