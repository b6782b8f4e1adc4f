"""The browser's bundle gives the same data and the same deadlines as the YAML."""

from __future__ import annotations

import json
from datetime import date

from conftest import FIXTURE_DATA
from escalation.bundle import load_bundle
from escalation.timeline import plan
from escalation_build.bank_holidays import calendar_for
from escalation_build.bundle import make_bundle
from escalation_build.sources import load_data_dir

TODAY = date(2026, 11, 24)


def test_the_bundle_holds_the_same_data_as_the_yaml():
    bundle = load_bundle(make_bundle(FIXTURE_DATA, TODAY))
    data, _ = load_data_dir(FIXTURE_DATA)
    assert bundle.data == data
    assert bundle.built == TODAY


def test_the_bundle_gives_the_same_deadlines_as_the_build():
    bundle = load_bundle(make_bundle(FIXTURE_DATA, TODAY))
    data, _ = load_data_dir(FIXTURE_DATA)
    here = plan(data.procedure(), calendar_for(data.partnership, TODAY), date(2026, 12, 24),
                today=TODAY)
    there = plan(bundle.data.procedure(), bundle.calendar, date(2026, 12, 24), today=TODAY)
    assert here == there
    assert there.stages[-1].due.day == date(2027, 1, 12)


def test_the_bundle_carries_the_bank_holidays_of_its_window():
    raw = json.loads(make_bundle(FIXTURE_DATA, TODAY))
    assert (raw["calendar"]["first_year"], raw["calendar"]["last_year"]) == (2025, 2031)
    assert raw["calendar"]["closed"]["2026-12-28"] == "Boxing Day (observed)"
    assert all(2025 <= int(day[:4]) <= 2031 for day in raw["calendar"]["closed"])
