"""Growth anomalies: a bought-followers step is caught, a viral post explains its jump, steady growth is clean."""

from datetime import UTC, date, datetime, timedelta

import polars as pl

from grassroots.judgments.vetting.growth import growth_anomalies, growth_summary


def _snapshots(account_id: int, series: list[int]) -> pl.DataFrame:
    start = date(2026, 9, 1)
    return pl.DataFrame(
        {
            "account_id": [account_id] * len(series),
            "day": [start + timedelta(days=i) for i in range(len(series))],
            "followers": series,
        }
    )


def _posts(rows: list[tuple[int, int, date, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(a, p, datetime(d.year, d.month, d.day, 12, tzinfo=UTC), likes, 0) for a, p, d, likes in rows],
        schema={
            "account_id": pl.Int64,
            "post_id": pl.Int64,
            "posted_at": pl.Datetime("us", "UTC"),
            "likes": pl.Int64,
            "comments": pl.Int64,
        },
        orient="row",
    )


def steady(n: int, start: int = 5_000, step: int = 8) -> list[int]:
    return [start + step * i + (i % 3) for i in range(n)]


def test_step_jump_without_post_is_an_unexplained_spike() -> None:
    series = steady(60)
    series[40:] = [v + 3_000 for v in series[40:]]
    snaps = _snapshots(1, series)
    anomalies = growth_anomalies(snaps, _posts([(1, 9, date(2026, 9, 10), 300)]))
    assert anomalies.height == 1
    row = anomalies.row(0, named=True)
    assert row["kind"] == "spike" and row["day"] == date(2026, 10, 11) and not row["explained"]
    assert row["change"] > 2_900
    summary = growth_summary(snaps, anomalies).row(0, named=True)
    assert summary["unexplained_spikes"] == 1 and summary["spike_share"] > 0.8


def test_viral_post_explains_the_jump() -> None:
    series = steady(60)
    series[40:] = [v + 3_000 for v in series[40:]]
    viral = _posts([(1, 5, date(2026, 10, 10), 40_000)])
    row = growth_anomalies(_snapshots(1, series), viral).row(0, named=True)
    assert row["explained"] and row["explaining_post_id"] == 5


def test_steady_growth_and_small_noise_are_not_anomalies() -> None:
    snaps = pl.concat([_snapshots(1, steady(90)), _snapshots(2, steady(90, 800, 2))])
    assert growth_anomalies(snaps, _posts([])).is_empty()


def test_purge_drop_is_reported() -> None:
    series = steady(50, 20_000, 20)
    series[30:] = [v - 1_500 for v in series[30:]]
    row = growth_anomalies(_snapshots(3, series), _posts([])).row(0, named=True)
    assert row["kind"] == "drop" and row["change"] < -1_400
