"""Relative dates resolved against the dispatch's date, with their precision."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.dates import find_dates

THU = dt.date(2017, 3, 2)  # a Thursday

CASES = [
    ("on Tuesday", THU, "2017-02-28", "day"),
    ("on Thursday", THU, "2017-03-02", "day"),  # the dispatch's own weekday is that day
    ("Friday", THU, "2017-02-24", "day"),
    ("yesterday", THU, "2017-03-01", "day"),
    ("today", THU, "2017-03-02", "day"),
    ("over the weekend", THU, "2017-02-25", "week"),
    ("last week", THU, "2017-02-23", "week"),
    ("last month", THU, "2017-02-01", "month"),
    ("late last month", THU, "2017-02-21", "week"),
    ("earlier this month", THU, "2017-03-01", "month"),
    ("in August 2014", THU, "2014-08-01", "month"),
    ("since 2014", THU, "2014-01-01", "year"),
    ("last year", THU, "2016-01-01", "year"),
    ("early this year", THU, "2017-01-01", "month"),
    ("last December", THU, "2016-12-01", "month"),
    ("last March", THU, "2016-03-01", "month"),
    ("in May last year", THU, "2016-05-01", "month"),
    ("in December", THU, "2016-12-01", "month"),
    ("on Feb. 23", THU, "2017-02-23", "day"),
    ("March 27, 2016", THU, "2016-03-27", "day"),
    ("mid-January 2016", THU, "2016-01-11", "week"),
    ("since early 2015", THU, "2015-01-01", "month"),
    ("two days ago", THU, "2017-02-28", "day"),
    ("in mid-September", dt.date(2015, 1, 27), "2014-09-11", "week"),
]


@pytest.mark.parametrize(("text", "anchor", "expected", "precision"), CASES)
def test_relative_date(text, anchor, expected, precision):
    found = find_dates(text, anchor)
    assert len(found) == 1, found
    assert found[0].value.isoformat() == expected
    assert found[0].value.precision.value == precision


def test_two_days_earlier_counts_from_the_date_just_mentioned():
    found = find_dates("Two days earlier, troops seized the field.", THU, dt.date(2016, 6, 21))
    assert found[0].value.isoformat() == "2016-06-19"


@pytest.mark.parametrize("text", ["February 30, 2017", "the 40 km road", "March 3 percent"])
def test_non_dates_are_not_dates(text):
    assert all(d.value.date.month != 2 or d.value.date.day != 30 for d in find_dates(text, THU))
    assert not [d for d in find_dates(text, THU) if d.text.endswith(("km", "percent"))]


def test_future_dates_are_dropped():
    assert find_dates("on March 27, 2019", THU) == []


@given(
    st.text(max_size=200), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1))
)
def test_find_dates_never_raises_and_spans_are_right(text, anchor):
    for d in find_dates(text, anchor):
        assert text[d.start : d.end] == d.text
        assert d.value.date <= anchor + dt.timedelta(days=1)
