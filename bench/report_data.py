"""A synthetic workspace for the report benchmark: N people in nine zones (one in twenty with no zone) and six
months of what they did, written with SQLAlchemy Core bulk inserts into a database migrated to head with the
shipped content synced, so every resource, technique, skill and challenge template id is real.

Everyone has an activity level (log-normal: most people use the bot a little, a few a lot; one in five barely).
Everything happens on working days, in working hours of the person's own zone. Per person, on average:

- about 6 searches, drawn from a pool of phrasings with a Zipf spread (a few asked by many, a long tail asked
  once): the labelled queries, the off-topic ones and phrasings made from the content's titles and keywords, a
  third of those with a typo. The real search index decides which found a good answer (and stores its hits);
  the pool grows with N (1,500 + N / 4 phrasings), as the distinct texts of a real workspace do.
- resources opened from half of the good answers (and now and then from the menu), "tailor" on some, the
  helpful / not helpful button on a quarter of opens, the two-day follow-up answered on a third of first opens;
  "request a resource" on one in ten searches without a good answer.
- practice: four in ten subscribe to a technique (a quarter of those to a second), two to five weekdays for
  2-16 weeks; each due day a reminder delivery and a day done, skipped, snoozed, unanswered or missed (by the
  person's diligence); the monthly review's self-rating of the technique's skill for most months.
- challenges: three in ten are asked (one in ten of those twice) by one of the leads (one person in twenty),
  alone or in a cohort of 3-8; proposed, declined, expired, cancelled, active, paused, withdrawn or finished;
  the card, each check-in sent (some snoozed and asked again), answered with a reflection or not, progress
  logged, "I'm stuck" on some; ratings: baseline when accepted, after and thinking back at the end, the
  proposer's after when the person shared it, "did it stick?" a week after.
"""

from __future__ import annotations

import bisect
import json
import math
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Engine

SINCE = datetime(2026, 6, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 1, tzinfo=UTC)  # six months
ZONES = (
    ("Europe/London", 22),
    ("America/New_York", 18),
    ("Europe/Berlin", 14),
    ("America/Los_Angeles", 10),
    ("Asia/Kolkata", 10),
    ("America/Sao_Paulo", 6),
    ("Asia/Tokyo", 5),
    ("Australia/Sydney", 5),
    ("Africa/Lagos", 5),
    (None, 5),  # Slack never told us: the default zone
)
_OFF_TOPIC = (
    "expense report vpn laptop password payroll holiday allowance parking badge printer wifi okr okrs budget "
    "forecast invoice contract visa relocation pension salary bonus promotion calendar room booking excel sql "
    "python kubernetes docker jira confluence figma onboarding offboarding travel policy sick leave training "
    "certificate compliance gdpr security phishing mfa laptop monitor headset desk canteen gym"
)
OFF_TOPIC = tuple(_OFF_TOPIC.split())  # words of questions the library has no answer for
OFF_TOPIC_SHARE = 0.35  # of the generated phrasings: things the library has nothing for
CHUNK = 1_000  # people generated (and their rows inserted) at a time
GENERATOR_VERSION = 3  # part of the cache key: bump when the rows change


# -- random draws ---------------------------------------------------------------------------------------------
def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def pick(rng: random.Random, weighted: dict[Any, float]) -> Any:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


@dataclass(frozen=True)
class Phrasing:
    text: str
    fit: str  # good, closest or nothing: the kind of answer the search gave
    results: list[dict[str, Any]]

    @property
    def good(self) -> bool:
        return self.fit == "good"


@dataclass
class QueryPool:
    """Phrasings ranked by popularity; draw() follows Zipf's law over the ranks."""

    phrasings: list[Phrasing]
    cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        total = 0.0
        for rank in range(len(self.phrasings)):
            total += 1 / (rank + 1) ** 1.05
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> Phrasing:
        return self.phrasings[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def query_pool(shelf: Any, size: int, *, seed: int) -> QueryPool:
    """Labelled and off-topic queries first (the common ones), then phrasings made from the content."""
    from bench.common import load_queries
    from bench.synthetic import load_vocabulary, make_queries

    rng = random.Random(seed)
    labelled = load_queries()
    head = [q.query for q in labelled]
    rng.shuffle(head)
    texts = list(dict.fromkeys(head))
    for query in make_queries(load_vocabulary(), [q for q in labelled if q.relevant], size * 2, seed=seed):
        if len(texts) >= size:
            break
        text = query.text
        if rng.random() < OFF_TOPIC_SHARE:
            text = " ".join(rng.sample(OFF_TOPIC, rng.randint(1, 3)) + text.split()[: rng.randint(0, 1)])
        if rng.random() < 0.2:
            text = text.title()  # people type capitals now and then
        if text.lower() not in {t.lower() for t in texts[-50:]}:
            texts.append(text)
    phrasings = []
    for text in texts[:size]:
        found = shelf.index.search(text, limit=3)
        hits = [{"key": h.key, "score": round(h.score, 3), "coverage": round(h.coverage, 2)} for h in found.hits]
        phrasings.append(Phrasing(text, str(found.fit), hits))
    return QueryPool(phrasings)


# -- the cast ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Someone:
    id: int
    tz: str | None
    activity: float
    diligence: float
    joined: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz or "UTC")


def working_moment(rng: random.Random, someone: Someone, after: datetime, before: datetime) -> datetime:
    """A working-day, working-hour instant in the person's zone within [after, before) (best effort)."""
    span = max((before - after).total_seconds(), 3600.0)
    for _ in range(6):
        at = after + timedelta(seconds=rng.random() * span)
        local = at.astimezone(someone.zone)
        if local.weekday() >= 5 and rng.random() < 0.9:
            continue
        hour = min(17, max(8, round(rng.gauss(12.5, 2.5))))
        moved = datetime.combine(local.date(), time(hour, rng.randrange(60)), someone.zone).astimezone(UTC)
        if after <= moved < before:
            return moved
    return after + timedelta(seconds=rng.random() * (before - after).total_seconds())


def local_at(day: date, minute: int, someone: Someone) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), someone.zone).astimezone(UTC)


# -- the writer: explicit ids, rows buffered per table, flushed in chunks ---------------------------------------
class Rows:
    def __init__(self, connection: Connection, tables: dict[str, Table]) -> None:
        self.connection, self.tables = connection, tables
        self.buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        self.next_ids: dict[str, int] = {name: 1 for name in tables}
        self.counts: dict[str, int] = {name: 0 for name in tables}

    def add(self, table: str, /, **row: Any) -> int:
        if "id" in self.tables[table].c and "id" not in row:
            row["id"] = self.next_ids[table]
            self.next_ids[table] += 1
        if self.buffers[table] and row.keys() != self.buffers[table][0].keys():  # executemany takes one shape
            raise ValueError(f"{table}: {sorted(row)} is not {sorted(self.buffers[table][0])}")
        self.buffers[table].append(row)
        self.counts[table] += 1
        return int(row.get("id", 0))

    def flush(self) -> None:
        for name, table in self.tables.items():  # in foreign-key order
            rows = self.buffers[name]
            for start in range(0, len(rows), 5_000):
                self.connection.execute(insert(table), rows[start : start + 5_000])
            rows.clear()


TABLES = (
    "workspaces",
    "people",
    "searches",
    "resource_events",
    "resource_opens",
    "resource_feedback",
    "practice_subscriptions",
    "practice_days",
    "challenge_proposals",
    "challenges",
    "challenge_entries",
    "ratings",
    "deliveries",
)


@dataclass(frozen=True)
class World:
    """What the generator draws from: the synced catalogue and the query pool."""

    state: Any
    pool: QueryPool
    rng: random.Random


def generate(connection: Connection, metadata: Any, state: Any, pool: QueryPool, people: int, *, seed: int) -> dict:
    """Write the workspace and its six months; the row count of each table."""
    rows = Rows(connection, {name: metadata.tables[name] for name in TABLES})
    rng = random.Random(seed)
    world = World(state, pool, rng)
    workspace = rows.add("workspaces", team_id="T0BENCH", name="Bench Inc", created_at=SINCE - timedelta(days=200))
    cast = list(_cast(rng, people))
    leads = [someone.id for someone in rng.sample(cast, max(1, people // 20))]
    for number, someone in enumerate(cast):
        _person(rows, world, workspace, someone)
        _library(rows, world, workspace, someone)
        _practice(rows, world, workspace, someone)
        if (number + 1) % CHUNK == 0:
            rows.flush()
    rows.flush()
    _challenges(rows, world, workspace, cast, leads)
    rows.flush()
    return dict(rows.counts)


def _cast(rng: random.Random, people: int) -> Iterator[Someone]:
    zones = dict(ZONES)
    for number in range(1, people + 1):
        light = rng.random() < 0.2
        joined = SINCE - timedelta(days=120) + timedelta(seconds=rng.random() * (UNTIL - SINCE).days * 86400 * 1.1)
        yield Someone(
            id=number,
            tz=pick(rng, zones),
            activity=0.1 if light else min(8.0, rng.lognormvariate(0, 0.8)),
            diligence=rng.uniform(0.3, 0.9),
            joined=min(joined, UNTIL - timedelta(days=10)),
        )


def _person(rows: Rows, world: World, workspace: int, someone: Someone) -> None:
    rng, state = world.rng, world.state
    role = rng.choice([None, *state.roles])
    skills = rng.sample(sorted(state.skills), rng.choice((0, 0, 1, 2)))
    rows.add(
        "people",
        id=someone.id,
        workspace_id=workspace,
        slack_user_id=f"U{someone.id:08d}",
        display_name=f"Person {someone.id}",
        title="",
        tz=someone.tz,
        dm_channel_id=f"D{someone.id:08d}",
        role_key=role,
        skills=skills,
        followups_enabled=rng.random() < 0.9,
        tz_notice_sent=someone.tz is None,
        created_at=someone.joined,
    )


def _start(someone: Someone) -> datetime:
    return max(SINCE, someone.joined)


def _library(rows: Rows, world: World, workspace: int, someone: Someone) -> None:
    rng, state = world.rng, world.state
    opened: set[int] = set()
    answered: set[tuple[int, str]] = set()

    def open_item(item: int, search: int | None, at: datetime) -> None:
        rows.add(
            "resource_events",
            workspace_id=workspace,
            person_id=someone.id,
            content_item_id=item,
            search_id=search,
            kind="opened",
            detail=None,
            created_at=at,
        )
        if rng.random() < 0.08:
            rows.add(
                "resource_events",
                workspace_id=workspace,
                person_id=someone.id,
                content_item_id=item,
                search_id=None,
                kind="tailored",
                detail=None,
                created_at=at + timedelta(minutes=3),
            )
        first = item not in opened
        if first:
            opened.add(item)
            rows.add("resource_opens", person_id=someone.id, content_item_id=item, opened_at=at, followup_at=None)
        answers = []
        if rng.random() < 0.25:
            answers.append(("button", pick(rng, {"helpful": 3, "not_helpful": 1}), at + timedelta(minutes=10)))
        if first and rng.random() < 0.33:
            answers.append(("followup", pick(rng, {"yes": 5, "not_yet": 3, "no": 2}), at + timedelta(days=2)))
        for source, value, when in answers:
            if (item, source) not in answered and when < UNTIL:
                answered.add((item, source))
                rows.add(
                    "resource_feedback",
                    person_id=someone.id,
                    content_item_id=item,
                    source=source,
                    value=value,
                    updated_at=when,
                )

    items = sorted(view.id for view in state.resources.values())
    for _ in range(poisson(rng, 6 * someone.activity)):
        phrasing = world.pool.draw(rng)
        at = working_moment(rng, someone, _start(someone), UNTIL - timedelta(hours=1))
        search = rows.add(
            "searches",
            workspace_id=workspace,
            person_id=someone.id,
            query=phrasing.text,
            results=phrasing.results,
            fit=phrasing.fit,
            created_at=at,
        )
        if phrasing.good and phrasing.results and rng.random() < 0.5:
            hit = phrasing.results[0 if rng.random() < 0.7 else rng.randrange(len(phrasing.results))]
            open_item(state.resources[hit["key"]].id, search, at + timedelta(minutes=1))
        elif not phrasing.good and rng.random() < 0.1:
            rows.add(
                "resource_events",
                workspace_id=workspace,
                person_id=someone.id,
                content_item_id=None,
                search_id=search,
                kind="requested",
                detail=phrasing.text,
                created_at=at + timedelta(minutes=1),
            )
    for _ in range(poisson(rng, 1.5 * someone.activity)):  # from the menu or the Home tab
        open_item(rng.choice(items), None, working_moment(rng, someone, _start(someone), UNTIL - timedelta(days=1)))


def _practice(rows: Rows, world: World, workspace: int, someone: Someone) -> None:
    rng, state = world.rng, world.state
    if rng.random() >= 0.4:
        return
    techniques = sorted(state.techniques)
    reviewed: set[tuple[str, str]] = set()
    for _ in range(2 if rng.random() < 0.25 else 1):
        technique = state.techniques[techniques[min(len(techniques) - 1, int(rng.expovariate(0.25)))]]
        _subscription(rows, world, workspace, someone, technique, reviewed)


def _subscription(
    rows: Rows, world: World, workspace: int, someone: Someone, technique: Any, reviewed: set[tuple[str, str]]
) -> None:
    from bot.outbox.keys import DeliveryKey

    rng = world.rng
    created = working_moment(rng, someone, _start(someone) - timedelta(days=30), UNTIL - timedelta(days=7))
    first = created.astimezone(someone.zone).date() + timedelta(days=1)
    last = first + timedelta(weeks=rng.randint(2, 16))
    weekdays = sorted(rng.sample(range(5), rng.randint(2, 5)))
    minute = rng.choice((8 * 60 + 30, 9 * 60, 9 * 60, 10 * 60, 13 * 60))
    ongoing = local_at(last, minute, someone) >= UNTIL
    status = ("paused" if rng.random() < 0.1 else "active") if ongoing else "stopped"
    sub = rows.add(
        "practice_subscriptions",
        workspace_id=workspace,
        person_id=someone.id,
        technique_key=technique.key,
        status=status,
        minute_of_day=minute,
        weekdays=weekdays,
        until=last,
        paused_until=None,
        pause_reason=None,
        suggested_by=None,
        next_due_at=None,
        next_due_date=None,
        used_variations=[],
        quiet_from=None,
        created_at=created,
        updated_at=created,
    )
    months: set[str] = set()
    day = first
    while day <= last:
        due = local_at(day, minute, someone)
        if due >= UNTIL:
            break
        if day.weekday() in weekdays:
            months.add(day.strftime("%Y-%m"))
            _practice_day(rows, world, workspace, someone, sub, day, due, DeliveryKey("practice", sub, day))
        day += timedelta(days=1)
    for month in sorted(months):
        first_of_next = (date.fromisoformat(month + "-01") + timedelta(days=32)).replace(day=1)
        at = local_at(first_of_next, minute + 1, someone)
        if at < UNTIL and (technique.skill, month) not in reviewed and rng.random() < 0.6:
            reviewed.add((technique.skill, month))
            rows.add(
                "ratings",
                workspace_id=workspace,
                person_id=someone.id,
                skill_key=technique.skill,
                rater="self",
                moment="monthly",
                value=min(5, max(1, round(rng.gauss(2.6 + 0.15 * len(reviewed), 0.8)))),
                source=f"review:{month}",
                created_at=at + timedelta(hours=rng.uniform(0, 30)),
            )


def _practice_day(
    rows: Rows, world: World, workspace: int, someone: Someone, sub: int, day: date, due: datetime, key: Any
) -> None:
    rng = world.rng
    status = pick(
        rng,
        {
            "done": someone.diligence,
            "skipped": 0.1,
            "snoozed": 0.02,
            "missed": 0.03,
            "scheduled": max(0.05, 0.85 - someone.diligence),
        },
    )
    answered = due + timedelta(minutes=rng.randint(2, 300)) if status in ("done", "skipped") else None
    rows.add(
        "practice_days",
        subscription_id=sub,
        local_date=day,
        variation=rng.randrange(4),
        status=status,
        reflection="Tried it in stand-up" if status == "done" and rng.random() < 0.1 else None,
        delivery_key=str(key),
        answered_at=answered if answered and answered < UNTIL else None,
    )
    if status != "missed":
        _delivery(rows, workspace, someone, str(key), "practice", sub, due)


def _delivery(rows: Rows, workspace: int, someone: Someone, key: str, kind: str, subject: int, at: datetime) -> None:
    sent = at < UNTIL
    rows.add(
        "deliveries",
        key=key,
        kind=kind,
        workspace_id=workspace,
        person_id=someone.id,
        subject_id=subject,
        user_id=f"U{someone.id:08d}",
        channel=f"D{someone.id:08d}",
        payload={"text": f"{kind} {subject}"},
        status="sent" if sent else "pending",
        due_at=at,
        expires_at=at + timedelta(hours=12),
        in_doubt=False,
        attempts=1 if sent else 0,
        sent_ts=f"{at.timestamp():.6f}" if sent else None,
        sent_at=at + timedelta(seconds=2) if sent else None,
        created_at=at - timedelta(hours=2),
    )


# -- challenges ---------------------------------------------------------------------------------------------------
def _challenges(rows: Rows, world: World, workspace: int, cast: list[Someone], leads: list[int]) -> None:
    rng = world.rng
    asked = [someone for someone in cast if rng.random() < 0.3]
    asked += [someone for someone in asked if rng.random() < 0.1]
    rng.shuffle(asked)
    templates = [world.state.challenges[key] for key in sorted(world.state.challenges)]
    index = 0
    while index < len(asked):
        size = rng.randint(3, 8) if rng.random() < 0.3 else 1
        cohort = {someone.id: someone for someone in asked[index : index + size]}  # once each per proposal
        index += size
        proposer = rng.choice(leads)
        template = rng.choice(templates)
        created = SINCE - timedelta(days=20) + timedelta(seconds=rng.random() * ((UNTIL - SINCE).days + 18) * 86400)
        proposal = rows.add(
            "challenge_proposals",
            workspace_id=workspace,
            proposer_id=proposer,
            template_key=template.key,
            note="Thought of you after Tuesday's retro" if rng.random() < 0.4 else None,
            peer_channel=None,
            anchor_link=None,
            sending=None,
            created_at=created,
        )
        for someone in cohort.values():
            if someone.id != proposer:
                _challenge(rows, world, workspace, someone, proposal, template, created)
        if index % CHUNK < size:
            rows.flush()


def _challenge(
    rows: Rows, world: World, workspace: int, someone: Someone, proposal: int, template: Any, created: datetime
) -> None:
    from bot.challenges.types import CheckinSpec

    rng = world.rng
    answered_at = created + timedelta(hours=rng.uniform(1, 48))
    answer = pick(rng, {"accepted": 78, "declined": 13, "expired": 6, "cancelled": 2, "change_asked": 1})
    if answered_at >= UNTIL:
        answer = "proposed"
    accepted = answer == "accepted"
    start = answered_at.astimezone(someone.zone).date() + timedelta(days=1)
    end = local_at(start + timedelta(days=template.days - 1), 18 * 60, someone)
    status, ended = answer, None if answer in ("proposed", "change_asked") else answered_at
    if accepted:
        withdrawn = rng.random() < 0.13
        if withdrawn:
            status, ended = (
                "withdrawn",
                local_at(start + timedelta(days=rng.randrange(template.days)), 11 * 60, someone),
            )
        elif end < UNTIL:
            status, ended = "finished", end
        else:
            status, ended = ("paused" if rng.random() < 0.1 else "active"), None
        if ended is not None and ended >= UNTIL:
            status, ended = "active", None
    challenge = rows.add(
        "challenges",
        workspace_id=workspace,
        proposal_id=proposal,
        person_id=someone.id,
        status=status,
        title=template.title,
        brief=template.brief,
        skill_key=template.skill,
        days=template.days,
        target_count=template.target_count,
        target_unit=template.target_unit,
        target_units=template.target_units,
        start_date=start,
        checkins=tuple(CheckinSpec(c.day, c.question) for c in template.checkins),
        progress=0,
        share_ratings=rng.random() < 0.4,
        created_at=created,
        updated_at=ended or answered_at,
        accepted_at=answered_at if accepted else None,
        ended_at=ended,
    )
    if accepted:
        _course(rows, world, workspace, someone, challenge, template, start, answered_at, ended)


def _course(
    rows: Rows,
    world: World,
    workspace: int,
    someone: Someone,
    challenge: int,
    template: Any,
    start: date,
    accepted: datetime,
    ended: datetime | None,
) -> None:
    from bot.challenges.planning import card_key, checkin_key, snooze_key

    rng = world.rng
    stop = ended or UNTIL
    _delivery(rows, workspace, someone, str(card_key(challenge)), "challenge_card", challenge, accepted)
    entry: Callable[..., int] = lambda kind, at, text, count=0, day=None: rows.add(  # noqa: E731
        "challenge_entries",
        challenge_id=challenge,
        person_id=someone.id,
        kind=kind,
        count=count,
        text=text,
        checkin_day=day,
        created_at=at,
    )
    for checkin in template.checkins:
        at = local_at(start + timedelta(days=checkin.day - 1), 10 * 60, someone)
        if at >= stop:
            break
        _delivery(
            rows, workspace, someone, str(checkin_key(challenge, checkin.day)), "challenge_checkin", challenge, at
        )
        if rng.random() < 0.1:
            later = at + timedelta(days=1)
            if later < stop:
                key = str(snooze_key(challenge, checkin.day))
                _delivery(rows, workspace, someone, key, "challenge_checkin", challenge, later)
        if rng.random() < someone.diligence and at + timedelta(hours=2) < UNTIL:
            entry("reflection", at + timedelta(hours=2), "Asked two open questions", day=checkin.day)
        if rng.random() < 0.5 and at + timedelta(hours=3) < UNTIL:
            entry("progress", at + timedelta(hours=3), None, count=1)
        if rng.random() < 0.06 and at + timedelta(hours=4) < UNTIL:
            entry("stuck", at + timedelta(hours=4), "Not sure how to start")
    source = f"challenge:{challenge}"
    rate: Callable[..., int] = lambda rater, moment, value, at: rows.add(  # noqa: E731
        "ratings",
        workspace_id=workspace,
        person_id=someone.id,
        skill_key=template.skill,
        rater=rater,
        moment=moment,
        value=min(5, max(1, value)),
        source=source,
        created_at=at,
    )
    baseline = rng.choice((1, 2, 2, 3, 3, 4))
    rate("self", "baseline", baseline, accepted)
    if ended is None or ended >= UNTIL or rng.random() < 0.15:
        return
    after = baseline + pick(rng, {-1: 1, 0: 3, 1: 5, 2: 2, 3: 0.5})
    rate("self", "after", after, ended)
    rate("self", "retrospective", baseline - pick(rng, {0: 4, 1: 2, -1: 1}), ended)
    if rng.random() < 0.35:
        rate("proposer", "after", after + rng.choice((-1, 0, 0, 1)), ended + timedelta(hours=rng.uniform(2, 72)))
    stick = ended + timedelta(days=7)
    if stick < UNTIL and rng.random() < 0.55:
        rate("self", "did_it_stick", rng.choice((2, 3, 3, 4, 4, 5)), stick)


# -- a cached SQLite file, and a copy of it on PostgreSQL ------------------------------------------------------------
CACHE_DIR = Path(tempfile.gettempdir()) / "learnbot-bench-report"


def pool_size(people: int) -> int:
    return 1_500 + people // 4


def cached_sqlite(people: int, *, seed: int) -> tuple[Path, dict[str, Any]]:
    """The generated workspace as a SQLite file (made once per N, seed and generator version) and how it was made."""
    path = CACHE_DIR / f"report-{people}-seed{seed}-v{GENERATOR_VERSION}.db"
    about = path.with_suffix(".json")
    if path.exists() and about.exists():
        return path, json.loads(about.read_text(encoding="utf-8"))
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp.db")
    for stale in (scratch, scratch.with_name(scratch.name + "-wal"), scratch.with_name(scratch.name + "-shm")):
        stale.unlink(missing_ok=True)
    made = _make(f"sqlite:///{scratch}", people, seed=seed)
    scratch.rename(path)
    about.write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
    return path, made


def _make(url: str, people: int, *, seed: int) -> dict[str, Any]:
    from sqlalchemy import text

    from bench.common import database_with_content
    from bot.content.catalogue import Catalogue
    from bot.library.shelf import Shelf
    from bot.schema import metadata

    started = perf_counter()
    with database_with_content(url) as database:
        shelf = Shelf(sessions=database.sessions, catalogue=Catalogue(database.sessions)).current()
        pool = query_pool(shelf, pool_size(people), seed=seed)
        pooled = perf_counter() - started
        with database.engine.begin() as connection:
            counts = generate(connection, metadata(), shelf.catalogue, pool, people, seed=seed)
        with database.engine.connect() as connection:
            connection.execute(text("ANALYZE"))
    return {
        "people": people,
        "seed": seed,
        "phrasings": len(pool.phrasings),
        "good_share_of_phrasings": sum(p.good for p in pool.phrasings) / len(pool.phrasings),
        "rows": counts,
        "pool_seconds": round(pooled, 1),
        "seconds": round(perf_counter() - started, 1),
    }


def copy_database(source: Engine, target_url: str) -> float:
    """Every table of `source` (migrated to head) into a fresh database at `target_url`, in chunks; seconds."""
    from sqlalchemy import func, select, text

    from bot.db.engine import make_engine
    from bot.db.migrate import upgrade
    from bot.schema import metadata

    started = perf_counter()
    target = make_engine(target_url)
    try:
        upgrade(target)
        with source.connect() as reading, target.begin() as writing:
            for table in metadata().sorted_tables:
                order = list(table.primary_key.columns)
                writing.execute(table.delete())
                batch: list[dict[str, Any]] = []
                for row in reading.execute(select(table).order_by(*order)).mappings():
                    batch.append(dict(row))
                    if len(batch) == 5_000:
                        writing.execute(insert(table), batch)
                        batch = []
                if batch:
                    writing.execute(insert(table), batch)
                if "id" in table.c and target.dialect.name == "postgresql":
                    top = writing.execute(select(func.max(table.c.id))).scalar()
                    if top is not None:
                        writing.execute(
                            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :top)"),
                            {"table": table.name, "top": top},
                        )
        if target.dialect.name == "postgresql":
            with target.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
    finally:
        target.dispose()
    return perf_counter() - started
