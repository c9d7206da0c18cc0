"""Row order helpers: sort only when needed, flag the key as sorted, rank within runs."""

from datetime import date

import polars as pl

from grassroots.judgments.vetting.order import is_sorted_by, rank_in_run, sorted_by


def test_sorted_by_sorts_when_needed_and_flags_the_first_key() -> None:
    frame = pl.DataFrame({"account_id": [2, 1, 1, 2], "day": [date(2026, 1, d) for d in (1, 3, 2, 2)]})
    assert not is_sorted_by(frame, ["account_id", "day"], [False, False])
    out = sorted_by(frame, ["account_id", "day"])
    assert out.rows() == sorted(frame.rows())
    assert out["account_id"].flags["SORTED_ASC"]
    newest_first = sorted_by(frame, ["account_id", "day"], [False, True])
    assert newest_first["day"].to_list() == [date(2026, 1, d) for d in (3, 2, 2, 1)]


def test_nulls_count_as_unsorted_and_ranks_restart_per_run() -> None:
    assert not is_sorted_by(pl.DataFrame({"a": [1, None, 2]}), ["a"], [False])
    assert is_sorted_by(pl.DataFrame({"a": [1, 1, 2]}), ["a"], [False])
    assert rank_in_run(pl.Series([5, 5, 5, 7, 9, 9])).to_list() == [0, 1, 2, 0, 0, 1]
    assert rank_in_run(pl.Series([], dtype=pl.Int64)).len() == 0
