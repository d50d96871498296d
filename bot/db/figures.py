"""What every domain's report figures share: counts with the number of distinct people behind them, paired
changes summarised in SQL, and the SQL that puts a UTC instant on a person's local weekday and hour (the
same on SQLite and PostgreSQL). Raw numbers only: suppression is the report's business."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, literal, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import TableValuedAlias

from bot.localtime import zone


@dataclass(frozen=True)
class Among:
    """Whose figures, over when: a workspace (or only `person_ids` in it), [since, until)."""

    workspace_id: int
    person_ids: frozenset[int] | None
    since: datetime
    until: datetime

    def of_people(self, column: Any) -> list[ColumnElement[bool]]:
        """`column` (a person id) among the scope's people: nothing for the whole workspace; for a team, its ids
        as one JSON parameter joined as a table (a team of thousands is not thousands of bind parameters)."""
        if self.person_ids is None:
            return []
        ids = lookup({str(person): "" for person in sorted(self.person_ids)}, "scope_people")
        return [column.in_(select(cast(ids.c.key, Integer)))]


@dataclass(frozen=True)
class Tally:
    """A count, and how many distinct people it comes from."""

    count: int = 0
    people: int = 0


@dataclass(frozen=True)
class Changes:
    """One skill's changes between two ratings, one per person (their latest pair): n, mean and sample variance
    computed in SQL, how many improved, and how many people per change value (-4..+4)."""

    people: int
    mean: float | None
    variance: float | None
    improved: int
    by_change: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Spread:
    """A mean of 1-5 ratings and how many distinct people gave them."""

    mean: float | None
    people: int


def tally(count: Any, people: Any) -> Tally:
    return Tally(int(count or 0), int(people or 0))


# -- a lookup table passed as one parameter -------------------------------------------------------------------
class json_pairs(FunctionElement[Any]):  # noqa: N801  (an SQL function)
    """The (key, value) rows of a JSON object of strings: json_each on SQLite, jsonb_each_text on PostgreSQL."""

    inherit_cache = True
    name = "json_pairs"


@compiles(json_pairs, "sqlite")
def _pairs_sqlite(element: json_pairs, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_pairs, "postgresql")
def _pairs_postgresql(element: json_pairs, compiler: SQLCompiler, **kw: Any) -> str:
    return f"jsonb_each_text(CAST({compiler.process(element.clauses, **kw)} AS JSONB))"


def lookup(mapping: Mapping[str, str], name: str) -> TableValuedAlias:
    """`mapping` as a table (key, value) to join with: one bind parameter however many entries, so the database
    can hash or index the join (a CASE with a branch per entry is tried branch by branch on every row)."""
    return json_pairs(literal(json.dumps(dict(mapping)), String)).table_valued("key", "value", name=name)


# -- local weekday and hour ----------------------------------------------------------------------------------
class local_slot(FunctionElement[int]):  # noqa: N801  (an SQL function)
    """weekday * 24 + hour (Sunday = 0, as SQL counts) of a UTC instant moved by `minutes`."""

    type = Integer()
    inherit_cache = True
    name = "local_slot"


@compiles(local_slot, "sqlite")
def _slot_sqlite(element: local_slot, compiler: SQLCompiler, **kw: Any) -> str:
    at, minutes = (compiler.process(clause, **kw) for clause in element.clauses)
    shift = f"(({minutes}) || ' minutes')"
    return f"(CAST(strftime('%w', {at}, {shift}) AS INTEGER) * 24 + CAST(strftime('%H', {at}, {shift}) AS INTEGER))"


@compiles(local_slot, "postgresql")
def _slot_postgresql(element: local_slot, compiler: SQLCompiler, **kw: Any) -> str:
    at, minutes = (compiler.process(clause, **kw) for clause in element.clauses)
    moved = f"(timezone('UTC', {at}) + ({minutes}) * interval '1 minute')"
    return f"(CAST(EXTRACT(DOW FROM {moved}) AS INTEGER) * 24 + CAST(EXTRACT(HOUR FROM {moved}) AS INTEGER))"


def offsets(name: str | None, default: str, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset in minutes over [since, until), as (until when, offset) pieces: one per stretch
    between clock changes (found hourly, then to the minute)."""
    tz = zone(name, default)

    def offset(at: datetime) -> int:
        return int((at.astimezone(tz).utcoffset() or timedelta()).total_seconds() // 60)

    pieces: list[tuple[datetime, int]] = []
    at, current = since, offset(since)
    while at < until:
        step = min(at + timedelta(hours=1), until)
        if step < until and offset(step) != current:
            low, high = at, step  # the change is in (low, high]: narrow it to the minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            pieces.append((high, current))
            current = offset(high)
        at = step
    pieces.append((until, current))
    return pieces


def local_slot_of(
    at: ColumnElement[Any],
    tz: ColumnElement[Any],
    zones: Iterable[str | None],
    default: str,
    since: datetime,
    until: datetime,
) -> ColumnElement[int]:
    """weekday * 24 + hour in each person's own zone (`tz`, one of `zones`; None or unknown: `default`)."""
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = []
    for name in zones:
        same = tz.is_(None) if name is None else tz == name
        whens += [
            (and_(same, at < end), literal_column(str(minutes)))
            for end, minutes in offsets(name, default, since, until)
        ]
    moved = case(*whens, else_=literal_column("0")) if whens else literal_column("0")
    return local_slot(at, moved)


def monday_first(slot: int) -> tuple[int, int]:
    """(weekday with Monday = 0, hour) of a `local_slot` value."""
    return (slot // 24 + 6) % 7, slot % 24
