"""The dashboard filter's rule: which records a segment and a top-level category keep."""

import pytest

from shared.rules.metric_filters import EVERYTHING, MetricFilter, keeps, root_categories


@pytest.mark.parametrize(
    ("where", "segment", "categories", "kept"),
    [
        (EVERYTHING, None, (), True),  # no filter: everything, a lead too
        (MetricFilter("oem"), "oem", (), True),
        (MetricFilter("oem"), "retail", ("GLOVES",), False),
        (MetricFilter("oem"), None, (), False),  # a lead: no customer, no segment
        (MetricFilter(category="GLOVES"), "oem", ("CABLE", "GLOVES"), True),  # one line of it is enough
        (MetricFilter(category="GLOVES"), "oem", ("CABLE",), False),
        (MetricFilter(category="GLOVES"), "oem", (), False),  # an opportunity: no product
        (MetricFilter(category="GLOVES"), "oem", (None,), False),  # a product without a category
        (MetricFilter("oem", "GLOVES"), "oem", ("GLOVES",), True),
        (MetricFilter("oem", "GLOVES"), "retail", ("GLOVES",), False),
    ],
)
def test_a_filter_keeps_the_records_of_its_segment_and_category(where, segment, categories, kept):
    assert keeps(where, segment, categories) is kept


@pytest.mark.parametrize(
    ("parents", "roots"),
    [
        ({"GLOVES": None, "GLV-NIT": "GLOVES", "NIT-9": "GLV-NIT"}, {"GLOVES": "GLOVES", "GLV-NIT": "GLOVES", "NIT-9": "GLOVES"}),
        ({"A": "B", "B": "A"}, {"A": "B", "B": "A"}),  # a loop in the data stops at the repeat
        ({"X": "GONE"}, {"X": "GONE"}),  # a parent not in the list is the top
    ],
)  # fmt: skip
def test_each_category_climbs_to_its_top(parents, roots):
    assert root_categories(parents) == roots


def test_only_a_filter_with_something_chosen_narrows():
    assert not EVERYTHING.is_any and MetricFilter(segment="oem").is_any and MetricFilter(category="C").is_any
