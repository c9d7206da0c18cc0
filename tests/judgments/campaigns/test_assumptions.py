"""Assumptions: defaults with sources, read from a form in the units shown, stored and read back safely."""

import pytest

from grassroots.errors import InvalidInput
from grassroots.judgments.campaigns.assumptions import (
    FIELDS,
    Assumptions,
    assumptions_from_form,
    assumptions_from_json,
    shown,
)


def test_every_assumption_on_the_form_has_a_source_and_a_default_in_range() -> None:
    defaults = Assumptions()
    for spec in FIELDS:
        assert spec.source and spec.label
        assert spec.low <= shown(defaults, spec.name) <= spec.high, spec.name


def test_a_form_reads_percent_as_percent() -> None:
    a = assumptions_from_form({"conversion": "2.5", "average_order_value": "1,250", "macro_followers": "300000"})
    assert a.conversion == pytest.approx(0.025) and a.average_order_value == 1_250 and a.macro_followers == 300_000
    assert a.view_rate_nano == Assumptions().view_rate_nano


def test_a_bad_form_names_each_field_and_changes_nothing() -> None:
    with pytest.raises(InvalidInput) as caught:
        assumptions_from_form({"conversion": "lots", "click_through": "150", "macro_followers": "1.5e5x", "x": "1"})
    errors = caught.value.errors
    assert set(errors) == {"conversion", "click_through", "macro_followers"}
    assert "not a number" in errors["conversion"] and "from 0.01 % to 50 %" in errors["click_through"]


def test_stored_values_round_trip_and_bad_ones_fall_back() -> None:
    edited = assumptions_from_form({"conversion": "5"})
    assert edited.changed() == {"conversion": 0.05}
    assert assumptions_from_json(edited.changed()) == edited
    assert assumptions_from_json({"conversion": "5", "nope": 1, "click_through": 7.0, "macro_followers": 2e5}) == (
        Assumptions(macro_followers=200_000)
    )
    assert assumptions_from_json(None) == Assumptions()
