"""Teams and users of the demo: five sellers and a manager per team, one admin."""

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.low_level import hash_secret

from sync_server.importer.demo.names import slug
from sync_server.importer.demo.people import FIRST_NAMES, SURNAMES
from sync_server.importer.demo.writer import ExportWriter

DEMO_PASSWORD = "terreno-demo"
SELLERS_PER_TEAM = 5
EMAIL_DOMAIN = "terreno-demo.example"
"""A reserved domain (RFC 2606): quotes e-mailed from the demo can never reach a real inbox."""
_SALT = b"terreno-demo-v01"
"""16 bytes like PasswordHasher's own salts, so check_needs_rehash() does not flag the demo hashes."""

# The first team is written by hand so the sign-ins in the README stay the same forever.
_FIRST_SELLERS = (
    ("Ana García", "MAD"),
    ("John Smith", "MAD"),
    ("Marta Ruiz", "VLC"),
    ("Jordi Puig", "BCN"),
    ("João Silva", "BCN"),
)
_FIRST_MANAGER = "Laura Moreno"
_TEAM_NAMES = (
    "Centro",
    "Cataluña",
    "Levante",
    "Norte",
    "Sur",
    "Noroeste",
    "Aragón",
    "Andalucía Oriental",
    "Portugal",
    "Exportación",
)
_HOMES = ("MAD", "MAD", "VLC", "BCN", "BCN")


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One person who signs in to the demo."""

    login: str
    name: str
    role: str
    team_code: str | None
    home_warehouse: str | None


def _generated_people(count: int, stride: int, offset: int, taken: set[str]) -> list[str]:
    """`count` new full names whose logins are not in `taken`, in a fixed order (no randomness)."""
    first, last = FIRST_NAMES["es"], SURNAMES["es"]
    names: list[str] = []
    k = 0
    while len(names) < count:
        name = f"{first[(k * stride + offset) % len(first)]} {last[(k * (stride + 6) + offset) % len(last)]}"
        k += 1
        if login_for(name) not in taken:
            taken.add(login_for(name))
            names.append(name)
    return names


def login_for(name: str) -> str:
    """The login of a person: 'Íñigo Peñalver' → 'inigo.penalver'."""
    return slug(name, sep=".")


def team_code(team: int) -> str:
    """Code of the n-th team (0-based)."""
    return f"EQ{team + 1:02d}"


def team_name(team: int) -> str:
    """Readable name of the n-th team."""
    base = _TEAM_NAMES[team % len(_TEAM_NAMES)]
    return f"Equipo {base}" if team < len(_TEAM_NAMES) else f"Equipo {base} {team // len(_TEAM_NAMES) + 1}"


def demo_users(scale: int = 1) -> list[DemoUser]:
    """Every demo user: `5 × scale` sellers, `scale` managers (a team each) and the admin."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    taken = {login_for(n) for n, _ in _FIRST_SELLERS} | {login_for(_FIRST_MANAGER), "admin"}
    more_sellers = iter(_generated_people(SELLERS_PER_TEAM * (scale - 1), 7, 3, taken))
    more_managers = iter(_generated_people(scale - 1, 11, 5, taken))
    users: list[DemoUser] = []
    for team in range(scale):
        code = team_code(team)
        manager = _FIRST_MANAGER if team == 0 else next(more_managers)
        users.append(DemoUser(login_for(manager), manager, "manager", code, "MAD"))
        for seat in range(SELLERS_PER_TEAM):
            if team == 0:
                name, home = _FIRST_SELLERS[seat]
            else:
                name, home = next(more_sellers), _HOMES[(seat + team) % len(_HOMES)]
            users.append(DemoUser(login_for(name), name, "seller", code, home))
    users.append(DemoUser("admin", "Administración Terreno", "admin", None, None))
    return users


def demo_sign_ins(scale: int = 1) -> list[tuple[str, str, str]]:
    """(login, role, name) of every demo user; they all sign in with DEMO_PASSWORD."""
    return [(u.login, u.role, u.name) for u in demo_users(scale)]


def demo_password_hash() -> str:
    """argon2id hash of DEMO_PASSWORD with a fixed salt, so the export is byte-identical per run.

    The cost parameters are PasswordHasher's defaults, so `PasswordHasher().verify` accepts it
    and `check_needs_rehash` stays quiet.
    """
    hasher = PasswordHasher()
    return hash_secret(
        DEMO_PASSWORD.encode(),
        _SALT,
        time_cost=hasher.time_cost,
        memory_cost=hasher.memory_cost,
        parallelism=hasher.parallelism,
        hash_len=hasher.hash_len,
        type=hasher.type,
    ).decode("ascii")


def write_teams(writer: ExportWriter, scale: int) -> None:
    """teams.csv: one team per manager."""
    out = writer.open("teams.csv")
    for team in range(scale):
        out.write({"code": team_code(team), "name": team_name(team), "parent_code": None})
    out.close()


def write_users(writer: ExportWriter, users: list[DemoUser]) -> None:
    """users.csv: the demo users, each with the demo password's hash."""
    password_hash = demo_password_hash()
    out = writer.open("users.csv")
    for u in users:
        out.write(
            {
                "login": u.login,
                "name": u.name,
                "email": f"{u.login}@{EMAIL_DOMAIN}",
                "role": u.role,
                "team_code": u.team_code,
                "home_warehouse": u.home_warehouse,
                "password_hash": password_hash,
            }
        )
    out.close()


__all__ = [
    "DEMO_PASSWORD",
    "DemoUser",
    "demo_password_hash",
    "demo_sign_ins",
    "demo_users",
    "login_for",
    "team_code",
    "team_name",
    "write_teams",
    "write_users",
]
