"""The `grassroots` command as a person types it."""

from pathlib import Path

from typer.testing import CliRunner

from grassroots.cli import app

runner = CliRunner()


def test_help_explains_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "demo", "serve", "db", "user", "token", "creators"):
        assert command in result.output


def test_user_and_token_creation(cli_home: Path) -> None:
    created = runner.invoke(
        app,
        ["user", "create", "Ana@Brand.test", "--workspace", "Glow", "--role", "manager", "--password-stdin"],
        input="a long password\n",
    )
    assert created.exit_code == 0, created.output
    assert "ana@brand.test" in created.output
    again = runner.invoke(
        app, ["user", "create", "ana@brand.test", "--workspace", "Glow", "--password-stdin"], input="another password\n"
    )
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(
        app, ["user", "create", "b@brand.test", "--workspace", "Glow", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12" in short.output
    token = runner.invoke(app, ["token", "create", "ana@brand.test", "--name", "ci"])
    assert token.exit_code == 0 and "gr_" in token.output
    missing = runner.invoke(app, ["token", "create", "nobody@brand.test"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_import_then_list_with_filters(cli_home: Path) -> None:
    good = cli_home / "good.csv"
    good.write_text(
        "platform,handle,followers,location\ninstagram,ana,1500,Lyon\ntiktok,kai,6000,Austin\nyoutube,mo,25000,Leeds\n"
    )
    result = runner.invoke(app, ["creators", "import", str(good), "--workspace", "Glow"])
    assert result.exit_code == 0, result.output
    assert "3 creators" in result.output
    listed = runner.invoke(app, ["creators", "list", "--workspace", "Glow", "--tier", "nano", "--json"])
    assert listed.exit_code == 0 and '"primary_handle": "kai"' in listed.output and "ana" not in listed.output
    table = runner.invoke(app, ["creators", "list", "--workspace", "Glow", "--location", "leeds"])
    assert "@mo" in table.output and "1 creators" in table.output


def test_bad_import_lists_every_line_and_writes_nothing(cli_home: Path) -> None:
    bad = cli_home / "bad.csv"
    bad.write_text("platform,handle,followers\ninstagram,fine,10\ninstagram,,10\nfacebook,x,10\n")
    result = runner.invoke(app, ["creators", "import", str(bad), "--workspace", "Glow"])
    assert result.exit_code == 1
    assert "line 3" in result.output and "line 4" in result.output and "Traceback" not in result.output
    listed = runner.invoke(app, ["creators", "list", "--workspace", "Glow", "--json"])
    assert listed.output.strip() == ""
