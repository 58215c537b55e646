"""Nested teams: ancestors, subtrees, loops and unknown parents, and who answers for a team."""

import pytest

from shared.rules.teams import (
    ancestors,
    cycles,
    is_below,
    managing_teams,
    subtree,
    teams_in_view,
    unknown_parents,
)

# IBERIA ─┬─ CENTRO ── MADRID
#         └─ NORESTE
# ISLAS (alone)
TREE = {"IBERIA": None, "CENTRO": "IBERIA", "MADRID": "CENTRO", "NORESTE": "IBERIA", "ISLAS": None}
LOOP = {"A": "B", "B": "C", "C": "A", "D": "A", "E": "E"}


@pytest.mark.parametrize(
    ("parents", "code", "expected"),
    [
        (TREE, "MADRID", ("CENTRO", "IBERIA")),
        (TREE, "NORESTE", ("IBERIA",)),
        (TREE, "IBERIA", ()),
        (TREE, "NOWHERE", ()),
        ({"X": "GONE"}, "X", ("GONE",)),  # an unknown parent is named, then the walk stops
        (LOOP, "D", ("A", "B", "C")),  # a loop is walked once
        (LOOP, "E", ()),
    ],
)
def test_ancestors(parents, code, expected):
    assert ancestors(parents, code) == expected


@pytest.mark.parametrize(
    ("parents", "root", "expected"),
    [
        (TREE, "IBERIA", {"IBERIA", "CENTRO", "MADRID", "NORESTE"}),
        (TREE, "CENTRO", {"CENTRO", "MADRID"}),
        (TREE, "NORESTE", {"NORESTE"}),
        (TREE, "ISLAS", {"ISLAS"}),
        (TREE, "NOWHERE", set()),
        (LOOP, "A", {"A", "B", "C", "D"}),
        (LOOP, "E", {"E"}),
    ],
)
def test_subtree(parents, root, expected):
    assert subtree(parents, root) == expected


@pytest.mark.parametrize(
    ("code", "root", "expected"),
    [("MADRID", "IBERIA", True), ("MADRID", "MADRID", True), ("IBERIA", "MADRID", False), ("ISLAS", "IBERIA", False)],
)
def test_is_below(code, root, expected):
    assert is_below(TREE, code, root) is expected


@pytest.mark.parametrize(
    ("parents", "expected"),
    [
        (TREE, ()),
        (LOOP, (("A", "B", "C"), ("E",))),
        ({"D": "A", "A": "B", "B": "A"}, (("A", "B"),)),  # the loop starts where it is entered
        ({}, ()),
    ],
)
def test_cycles(parents, expected):
    assert cycles(parents) == expected


def test_unknown_parents():
    assert unknown_parents({"A": None, "B": "A", "C": "GONE"}) == (("C", "GONE"),)


@pytest.mark.parametrize(
    ("team", "managed", "expected"),
    [
        ("MADRID", {"MADRID", "CENTRO", "IBERIA"}, ("MADRID", "CENTRO", "IBERIA")),
        ("MADRID", {"IBERIA"}, ("IBERIA",)),  # a team without a manager answers upwards
        ("NORESTE", {"CENTRO"}, ()),
        ("IBERIA", {"IBERIA", "CENTRO"}, ("IBERIA",)),
    ],
)
def test_managing_teams(team, managed, expected):
    assert managing_teams(TREE, team, managed) == expected


@pytest.mark.parametrize(
    ("parents", "team_of", "expected"),
    [
        # a regional director: her region holds everyone, each team below its own
        (TREE, {"rosa": "IBERIA", "ana": "MADRID", "bea": "CENTRO", "eva": "NORESTE"},
         {"IBERIA": ("ana", "bea", "eva", "rosa"), "CENTRO": ("ana", "bea"), "MADRID": ("ana",),
          "NORESTE": ("eva",)}),
        # a team manager with a team below hers
        (TREE, {"carla": "CENTRO", "ana": "MADRID"}, {"CENTRO": ("ana", "carla"), "MADRID": ("ana",)}),
        # an administrator's view: teams side by side, someone without a team in none
        (TREE, {"ana": "MADRID", "ivo": "ISLAS", "root": None}, {"ISLAS": ("ivo",), "MADRID": ("ana",)}),
        # one team in view: no team scopes (they would be everyone's)
        (TREE, {"ana": "MADRID", "luis": "MADRID"}, {}),
        ({}, {}, {}),
        # a loop of parents is walked once
        (LOOP, {"a": "A", "d": "D"}, {"A": ("a", "d"), "D": ("d",)}),
    ],
)  # fmt: skip
def test_teams_in_view(parents, team_of, expected):
    assert teams_in_view(parents, team_of) == expected
