"""Bank holidays from the maintained `holidays` package, at build time only.

The browser never imports this: the build writes the dates into the data bundle.
"""

from __future__ import annotations

from datetime import date

import holidays

from escalation.calendar import Calendar
from escalation.model import Partnership


def region_problem(country: str, subdivision: str) -> tuple[str, str] | None:
    """The field and what is wrong, for a region the holidays package has no bank
    holidays for."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        return "country", (f"'{country}' is not a country the bank holiday list knows: use a "
                           "two-letter code such as GB")
    if subdivision not in supported[country]:
        return "subdivision", (f"'{subdivision}' is not a part of {country} the bank holiday "
                               "list knows: use one of " + ", ".join(supported[country]))
    return None


def holiday_window(partnership: Partnership, today: date) -> tuple[int, int]:
    return (today.year - partnership.holiday_years_before,
            today.year + partnership.holiday_years_after)


def bank_holidays(partnership: Partnership, first_year: int, last_year: int) -> dict[date, str]:
    region = partnership.region
    found = holidays.country_holidays(region.country, subdiv=region.subdivision,
                                      years=range(first_year, last_year + 1))
    return dict(sorted(found.items()))


def calendar_for(partnership: Partnership, today: date,
                 years: tuple[int, int] | None = None) -> Calendar:
    """The partnership's working-day calendar: its region's bank holidays and its own
    closure days, for the window of years its data asks for (or the years given)."""
    first, last = years or holiday_window(partnership, today)
    closed = bank_holidays(partnership, first, last)
    for closure in partnership.closure_days:
        closed.setdefault(closure.date, closure.name)
    return Calendar(first_year=first, last_year=last, closed=closed)
