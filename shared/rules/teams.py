"""Teams nest (DESIGN §3): a region holds teams, a team may hold teams, and a manager's scope is
her team's whole subtree.

The tree is given as `parents` (team code → its parent's code, or None at the top), as the
ERP export's `teams.csv` states it. The importer refuses an unknown parent and a cycle, but a
reader never trusts that: every walk here stops at an unknown code and at a loop.
"""

from collections.abc import Iterable, Mapping

Parents = Mapping[str, str | None]


def ancestors(parents: Parents, code: str) -> tuple[str, ...]:
    """The teams above `code`, nearest first (not `code` itself); stops at an unknown parent
    or a loop."""
    above: list[str] = []
    seen = {code}
    parent = parents.get(code)
    while parent is not None and parent not in seen:
        above.append(parent)
        seen.add(parent)
        parent = parents.get(parent)
    return tuple(above)


def subtree(parents: Parents, root: str) -> frozenset[str]:
    """`root` and every team below it, at any depth (empty when `root` is no team)."""
    if root not in parents:
        return frozenset()
    children: dict[str, list[str]] = {}
    for code, parent in parents.items():
        if parent is not None and parent != code:
            children.setdefault(parent, []).append(code)
    found = {root}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def is_below(parents: Parents, code: str, root: str) -> bool:
    """Whether team `code` is `root` or lies under it."""
    return code == root or root in ancestors(parents, code)


def cycles(parents: Parents) -> tuple[tuple[str, ...], ...]:
    """Every loop of parents, once each, starting at its member met first in `parents`' order
    (a team that is its own parent is a loop of one)."""
    found: list[tuple[str, ...]] = []
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        code: str | None = start
        while code is not None and code in parents and code not in done and code not in on_path:
            path.append(code)
            on_path.add(code)
            code = parents[code]
        if code is not None and code in on_path:
            found.append(tuple(path[path.index(code) :]))
        done.update(path)
    return tuple(found)


def unknown_parents(parents: Parents) -> tuple[tuple[str, str], ...]:
    """(team, parent) for every parent that names no team."""
    return tuple((code, parent) for code, parent in parents.items() if parent is not None and parent not in parents)


def managing_teams(parents: Parents, team: str, managed: Iterable[str]) -> tuple[str, ...]:
    """The teams whose managers answer for `team`, nearest first: `team` and the teams above
    it that have a manager (`managed`: the codes of teams with at least one manager)."""
    has_manager = set(managed)
    return tuple(code for code in (team, *ancestors(parents, team)) if code in has_manager)


def teams_in_view(parents: Parents, team_of: Mapping[str, str | None]) -> dict[str, tuple[str, ...]]:
    """Per team a person in view (`team_of`: login → her team) belongs to, the logins in view
    in that team or below it, sorted; nothing when fewer than two teams are in view (one team's
    figures are everyone's). A regional director thus sees her region and each team under it."""
    codes = sorted({code for code in team_of.values() if code})
    if len(codes) < 2:
        return {}
    return {
        code: tuple(sorted(login for login, own in team_of.items() if own and is_below(parents, own, code)))
        for code in codes
    }


__all__ = ["Parents", "ancestors", "cycles", "is_below", "managing_teams", "subtree", "teams_in_view",
           "unknown_parents"]  # fmt: skip
