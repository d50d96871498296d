"""The delivery outbox: claiming under leases, retries, checks before re-sending, permanent errors."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.outbox import repository as outbox
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.models import Delivery
from bot.outbox.types import DeliveryStatus
from bot.people.models import Person, Workspace
from bot.sandbox.emulator import SlackEmulator
from bot.slack.notifier import SlackNotifier
from tests.harness import START, add_due_message, delivery, rows


@pytest.fixture
def slack(emulator: SlackEmulator) -> SlackEmulator:
    for user_id, name in (("U0ALEX", "Alex"), ("U0SAM", "Sam")):
        emulator.add_user(user_id, name)
    for channel_id in ("C0TEAM", "C0OTHER", "C0GONE"):
        emulator.add_channel(channel_id, channel_id.lower())
    return emulator


def make_dispatcher(sessions: sessionmaker[Session], emulator: SlackEmulator, **options: object) -> Dispatcher:
    client = WebClient(token="xoxb-test", base_url=emulator.api_url, timeout=10, retry_handlers=[])
    return Dispatcher(sessions=sessions, notifier=SlackNotifier(client), **options)  # type: ignore[arg-type]


def test_materialising_the_same_key_twice_creates_one_row(sessions: sessionmaker[Session]) -> None:
    first = add_due_message(sessions, key=1, due_at=START)
    second = add_due_message(sessions, key=1, due_at=START + timedelta(hours=1))
    assert first == second
    assert [(d.key, d.status) for d in rows(sessions, Delivery)] == [("test:1", "pending")]


def test_a_due_message_is_sent_once_with_its_delivery_id_as_metadata(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START)
    dispatcher = make_dispatcher(sessions, slack)
    report = dispatcher.dispatch_due(START)
    again = dispatcher.dispatch_due(START + timedelta(minutes=1))
    assert (report.sent, again.sent) == (1, 0)
    [message] = slack.dm_messages("U0ALEX")
    assert message.text == "Time to practise"
    assert message.metadata == {"event_type": "learnbot_delivery", "event_payload": {"delivery_id": delivery_id}}
    row = delivery(sessions, delivery_id)
    assert (row.status, row.sent_ts, row.channel) == ("sent", message.ts, message.channel)


def test_nothing_is_sent_before_it_is_due(sessions: sessionmaker[Session], slack: SlackEmulator) -> None:
    add_due_message(sessions, key=1, due_at=START + timedelta(minutes=5))
    assert make_dispatcher(sessions, slack).dispatch_due(START).sent == 0
    assert slack.dm_messages("U0ALEX") == []


def test_a_claimed_row_is_invisible_to_other_claimers_until_its_lease_ends(sessions: sessionmaker[Session]) -> None:
    add_due_message(sessions, key=1, due_at=START)
    lease = timedelta(seconds=60)
    with transaction(sessions) as session:
        [claimed] = outbox.claim(session, owner="a", now=START, lease=lease, limit=10)
        assert not claimed.in_doubt
    with transaction(sessions) as session:
        assert outbox.claim(session, owner="b", now=START + timedelta(seconds=59), lease=lease, limit=10) == []
    with transaction(sessions) as session:
        [reclaimed] = outbox.claim(session, owner="b", now=START + timedelta(seconds=61), lease=lease, limit=10)
    assert reclaimed.in_doubt, "a lease that ran out without an outcome leaves the row in doubt"
    assert reclaimed.attempts == 2


def test_a_429_waits_for_retry_after_without_sleeping(sessions: sessionmaker[Session], slack: SlackEmulator) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START)
    slack.fail("chat.postMessage", "status", status=429, retry_after=30)
    dispatcher = make_dispatcher(sessions, slack)
    report = dispatcher.dispatch_due(START)
    row = delivery(sessions, delivery_id)
    assert report.retrying == 1
    assert row.not_before == START + timedelta(seconds=30)
    assert not row.in_doubt, "a 429 means nothing was posted"
    assert dispatcher.dispatch_due(START + timedelta(seconds=29)).sent == 0
    assert dispatcher.dispatch_due(START + timedelta(seconds=30)).sent == 1
    assert len(slack.dm_messages("U0ALEX")) == 1


@pytest.mark.parametrize("failure", [{"mode": "drop_after"}, {"mode": "status", "status": 503}])
def test_an_accepted_post_whose_answer_is_lost_is_not_posted_twice(
    sessions: sessionmaker[Session], slack: SlackEmulator, failure: dict[str, object]
) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START)
    if failure["mode"] == "drop_after":
        slack.fail("chat.postMessage", "drop_after")  # Slack posts it, then the connection drops
    else:
        slack.fail("chat.postMessage", "status", status=503)  # a 5xx: it may or may not have been posted
    dispatcher = make_dispatcher(sessions, slack)
    first = dispatcher.dispatch_due(START)
    assert first.retrying == 1
    row = delivery(sessions, delivery_id)
    assert row.in_doubt and row.status == "pending"
    second = dispatcher.dispatch_due(row.not_before)
    messages = slack.dm_messages("U0ALEX")
    assert len(messages) == 1
    assert (second.found, second.sent) == ((1, 0) if failure["mode"] == "drop_after" else (0, 1))
    assert delivery(sessions, delivery_id).sent_ts == messages[0].ts
    assert slack.calls_to("conversations.history"), "the retry looked in Slack before posting"


def test_a_dropped_connection_before_slack_did_anything_posts_once_on_retry(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    add_due_message(sessions, key=1, due_at=START)
    slack.fail("chat.postMessage", "drop")
    dispatcher = make_dispatcher(sessions, slack)
    dispatcher.dispatch_due(START)
    dispatcher.dispatch_due(START + timedelta(minutes=1))
    assert len(slack.dm_messages("U0ALEX")) == 1


@pytest.mark.parametrize("code", ["user_not_found", "user_disabled"])
def test_a_person_who_is_gone_is_marked_and_their_other_messages_cancelled(
    sessions: sessionmaker[Session], slack: SlackEmulator, code: str
) -> None:
    first = add_due_message(sessions, key=1, due_at=START)
    later = add_due_message(sessions, key=2, due_at=START + timedelta(hours=1))
    slack.fail("conversations.open", "error", error=code)
    report = make_dispatcher(sessions, slack).dispatch_due(START)
    assert report.failed == 1
    assert delivery(sessions, first).status == DeliveryStatus.FAILED
    assert delivery(sessions, later).status == DeliveryStatus.CANCELLED
    with sessions() as session:
        assert session.query(Person).one().unreachable_at == START
    assert len(slack.calls_to("chat.postMessage")) == 0


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived", "not_in_channel"])
def test_a_channel_that_is_gone_fails_that_delivery_and_calls_the_kind_hook(
    sessions: sessionmaker[Session], slack: SlackEmulator, code: str
) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START, channel="C0GONE")
    seen: list[str] = []
    slack.fail("chat.postMessage", "error", error=code)
    dispatcher = make_dispatcher(sessions, slack, on_target_gone={"test": lambda _s, gone: seen.append(gone.code)})
    assert dispatcher.dispatch_due(START).failed == 1
    assert delivery(sessions, delivery_id).status == DeliveryStatus.FAILED
    assert seen == [code]
    assert len(slack.calls_to("chat.postMessage")) == 1, "no retries for a permanent error"


@pytest.mark.parametrize("code", ["token_revoked", "account_inactive", "invalid_auth", "not_authed"])
def test_a_revoked_token_pauses_the_workspace_and_keeps_its_messages(
    sessions: sessionmaker[Session], slack: SlackEmulator, code: str
) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START)
    add_due_message(sessions, key=2, due_at=START)
    slack.fail("conversations.open", "error", error=code)
    dispatcher = make_dispatcher(sessions, slack)
    dispatcher.dispatch_due(START)
    with sessions() as session:
        assert session.query(Workspace).one().pause_reason == code
    assert delivery(sessions, delivery_id).status == DeliveryStatus.PENDING
    assert len(slack.calls_to("conversations.open")) == 1, "the second message was not tried"
    assert dispatcher.dispatch_due(START + timedelta(minutes=5)).sent == 0


@pytest.mark.parametrize("code", ["invalid_blocks", "msg_too_long", "missing_scope"])
def test_a_message_slack_rejects_is_failed_not_retried(
    sessions: sessionmaker[Session], slack: SlackEmulator, code: str
) -> None:
    delivery_id = add_due_message(sessions, key=1, due_at=START)
    slack.fail("chat.postMessage", "error", error=code)
    dispatcher = make_dispatcher(sessions, slack)
    dispatcher.dispatch_due(START)
    dispatcher.dispatch_due(START + timedelta(hours=1))
    assert delivery(sessions, delivery_id).last_error == code
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_a_message_later_than_its_catch_up_window_is_expired_not_sent(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    late = add_due_message(sessions, key=1, due_at=START, window=timedelta(hours=2))
    on_time = add_due_message(sessions, key=2, due_at=START + timedelta(hours=1, minutes=40))
    report = make_dispatcher(sessions, slack).dispatch_due(START + timedelta(hours=2, minutes=1))
    assert (report.expired, report.sent) == (1, 1)
    assert delivery(sessions, late).status == DeliveryStatus.EXPIRED
    assert delivery(sessions, on_time).status == DeliveryStatus.SENT


def test_twenty_minutes_late_is_still_sent(sessions: sessionmaker[Session], slack: SlackEmulator) -> None:
    add_due_message(sessions, key=1, due_at=START)
    assert make_dispatcher(sessions, slack).dispatch_due(START + timedelta(minutes=20)).sent == 1


def test_concurrent_dispatchers_send_each_message_exactly_once(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    users = [f"U{index:04d}" for index in range(60)]
    for index, user in enumerate(users):
        slack.add_user(user, user)
        add_due_message(sessions, key=index, due_at=START, user_id=user)
    dispatchers = [make_dispatcher(sessions, slack, batch=5) for _ in range(4)]
    barrier = threading.Barrier(len(dispatchers))
    reports = []

    def run(dispatcher: Dispatcher) -> None:
        barrier.wait()
        reports.append(dispatcher.dispatch_due(START))

    threads = [threading.Thread(target=run, args=(d,)) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == len(users)
    assert sorted(m.user for u in users for m in slack.dm_messages(u)) == ["U0LEARNBOT"] * len(users)
    assert len(slack.calls_to("chat.postMessage")) == len(users)


def test_a_429_holds_back_the_whole_channel_without_sleeping(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    first = add_due_message(sessions, key=1, due_at=START, channel="C0TEAM")
    second = add_due_message(sessions, key=2, due_at=START, channel="C0TEAM")
    elsewhere = add_due_message(sessions, key=3, due_at=START, channel="C0OTHER")
    slack.fail("chat.postMessage", "status", status=429, retry_after=20, channel="C0TEAM")
    report = make_dispatcher(sessions, slack).dispatch_due(START)
    assert (report.sent, report.retrying) == (1, 2)
    assert (
        delivery(sessions, first).not_before == delivery(sessions, second).not_before == START + timedelta(seconds=20)
    )
    assert delivery(sessions, elsewhere).status == "sent"
    assert sorted(c.args["channel"] for c in slack.calls_to("chat.postMessage")) == ["C0OTHER", "C0TEAM"], (
        "one try per held channel"
    )


def test_the_dm_channel_is_remembered_for_next_time(sessions: sessionmaker[Session], slack: SlackEmulator) -> None:
    add_due_message(sessions, key=1, due_at=START)
    make_dispatcher(sessions, slack).dispatch_due(START)
    with sessions() as session:
        assert session.query(Person).one().dm_channel_id == "D0ALEX"


def test_a_budget_stops_claiming_once_spent_and_leaves_the_rest_for_the_next_call(
    sessions: sessionmaker[Session], slack: SlackEmulator
) -> None:
    ids = [add_due_message(sessions, key=n, due_at=START) for n in range(3)]
    dispatcher = make_dispatcher(sessions, slack, batch=1)
    assert dispatcher.dispatch_due(START, budget=0.0).sent == 0, "spent before the first claim"
    assert {delivery(sessions, i).status for i in ids} == {DeliveryStatus.PENDING}
    assert dispatcher.dispatch_due(START).sent == 3, "without a budget: until nothing is claimable"
