"""The manager's team visits and the thread on a visit, through the real sync server (SQLite
and PostgreSQL): the manager reads her sellers' synced visits with filters and comments; the
seller finds the comment on her Today and her visit, replies, and the manager finds the reply."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from client.services.field_work import record_claim, record_observation
from client.services.session import Session, sign_in, sign_out
from client.services.synchronization import sync_now
from client.services.team_visits import VisitFilter, team_feed, team_visit
from client.services.today import AlertKind, today_agenda
from client.services.visit_comments import comment_on_visit, mark_thread_read, unread_comments
from client.services.visits import add_addendum, check_in, check_out, save_visit, visit_screen
from client.settings import ClientSettings
from client.sync import SyncApi
from shared.errors import ValidationFailed
from shared.models import VisitOutcome
from tests.client.factories import make_claim, make_observation

NOW = datetime.now(UTC).replace(microsecond=0)


def _device(server, tmp_path, login: str) -> Session:
    http = httpx.Client(base_url="http://testserver", transport=server._transport)
    session = sign_in(
        ClientSettings(data_dir=tmp_path / login), login, "secret-pass-1", api=SyncApi("", http_client=http)
    )
    sync_now(session)
    return session


@pytest.fixture
def team(server, tmp_path) -> Iterator[tuple[Session, Session, Session]]:
    sessions = tuple(_device(server, tmp_path, login) for login in ("ana.garcia", "bruno.diaz", "marta.jefa"))
    yield sessions  # type: ignore[misc]
    for session in sessions:
        sign_out(session)


def _visit(session: Session, customer: str, notes: str, outcome: VisitOutcome, at: datetime):
    visit = check_in(session, customer, now=at)
    save_visit(session, visit.id, purpose="", notes=notes, outcome=outcome, next_step="")
    return check_out(session, visit.id, now=at + timedelta(minutes=40))


def test_the_manager_reads_the_team_visits_with_filters(team):
    ana, bruno, marta = team
    yesterday = NOW - timedelta(days=1)
    hers = _visit(ana, "C1", "Wants nitrile gloves, size M", VisitOutcome.QUOTE, yesterday)
    record_observation(ana, make_observation("C1", visit_id=hers.id))
    record_claim(ana, make_claim("C1", visit_id=hers.id))
    _visit(bruno, "C2", "Nobody there", VisitOutcome.NOT_AVAILABLE, NOW - timedelta(days=3))
    for session in (ana, bruno, marta):
        sync_now(session)

    feed = team_feed(marta, VisitFilter())
    assert [(v.visit.seller_login, v.customer_name) for v in feed.visits] == [
        ("ana.garcia", "Suministros Peñalara C1 S.L."),  # the newest first
        ("bruno.diaz", "Suministros Peñalara C2 S.L."),
    ]
    assert (feed.visits[0].observations, feed.visits[0].claims, feed.visits[0].comments) == (1, 1, 0)
    assert [login for login, _name in feed.sellers] == ["ana.garcia", "bruno.diaz"]
    assert feed.more is False

    def customers(**wanted) -> list[str]:
        return [v.visit.customer_code for v in team_feed(marta, VisitFilter(**wanted)).visits]

    assert customers(seller="bruno.diaz") == ["C2"]
    assert customers(customer="c1") == ["C1"]  # name or code, any case
    assert customers(outcome=VisitOutcome.QUOTE) == ["C1"]
    assert customers(text="nitrile") == ["C1"]
    assert customers(since=yesterday.date()) == ["C1"]
    assert customers(until=(NOW - timedelta(days=2)).date()) == ["C2"]
    assert customers(since=NOW.date() + timedelta(days=1)) == []
    with pytest.raises(ValidationFailed) as reversed_period:
        team_feed(marta, VisitFilter(since=date(2026, 12, 5), until=date(2026, 12, 1)))
    assert reversed_period.value.key == "problem.feed.period_reversed"

    shown = team_visit(marta, hers.id)
    assert (shown.seller_name, shown.visit.notes) == ("Ana Garcia", "Wants nitrile gloves, size M")
    assert [o.competitor for o in shown.observations] == ["Würth"]
    assert len(shown.claims) == 1
    assert len(team_feed(marta, VisitFilter(), limit=1).visits) == 1
    assert team_feed(marta, VisitFilter(), limit=1).more is True


def test_a_comment_reaches_the_seller_and_her_reply_reaches_the_manager(team):
    ana, _bruno, marta = team
    visit = _visit(ana, "C1", "Wants samples", VisitOutcome.FOLLOW_UP, NOW - timedelta(hours=3))
    sync_now(ana)
    sync_now(marta)

    with pytest.raises(ValidationFailed) as empty:
        comment_on_visit(marta, visit.id, "   ")
    assert empty.value.key == "problem.visit.empty_comment"
    comment_on_visit(marta, visit.id, "Send them the samples by Friday")
    waiting = team_visit(marta, visit.id).thread
    assert [(line.comment.text, line.waiting, line.unread) for line in waiting] == [
        ("Send them the samples by Friday", True, False)  # her own line: never news to her
    ]
    sync_now(marta)
    sync_now(ana)

    alerts = [a for a in today_agenda(ana).alerts if a.kind == AlertKind.COMMENT]
    assert [(a.detail, a.reference, a.params["author"]) for a in alerts] == [
        ("Send them the samples by Friday", str(visit.id), "Marta Jefa")
    ]
    lines = visit_screen(ana, visit.id).comments
    assert [(line.author_name, line.unread, line.waiting) for line in lines] == [("Marta Jefa", True, False)]
    assert mark_thread_read(ana, visit.id) == 1
    assert not [a for a in today_agenda(ana).alerts if a.kind == AlertKind.COMMENT]
    assert mark_thread_read(ana, visit.id) == 0

    add_addendum(ana, visit.id, "Sent on Thursday")
    sync_now(ana)
    sync_now(marta)
    with marta.store.read() as db:
        news = unread_comments(db, marta.login)
    assert [(c.author_name, c.text, c.visit_seller) for c in news] == [("Ana Garcia", "Sent on Thursday", "ana.garcia")]
    thread = team_visit(marta, visit.id).thread
    assert [line.comment.text for line in thread] == ["Send them the samples by Friday", "Sent on Thursday"]
    assert all(line.comment.posted_at is not None for line in thread)  # the server's clock orders them
    assert thread[0].comment.posted_at <= thread[1].comment.posted_at
    assert [f.unread for f in team_feed(marta, VisitFilter()).visits] == [1]
