"""The library in a report: per resource, what people answered (helpful, not helpful; the follow-up's yes, not
yet, no) and how often it was opened, counted in the database with the distinct people behind each count; and
the library's moments of need (searches without a good answer, requested resources, "not helpful"),
published as SQL (person_id, kind, subject, at) for the report to group by topic and local time. The
aggregate SQL lives here beside the repository (on the same tables, nowhere else)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, distinct, func, literal, select
from sqlalchemy.orm import Session

from bot.db.figures import Among, Tally, tally
from bot.library.fit import Fit
from bot.library.models import ResourceEvent, ResourceFeedback, Search
from bot.people import roster

ANSWERS = ("helpful", "not_helpful", "yes", "not_yet", "no")
OPENED, REQUESTED = "opened", "requested"
SEARCHED, NOT_HELPFUL = "searched", "not_helpful"  # kinds of moments of need (with REQUESTED)
CLOSEST = "closest"  # a search answered with the closest the library has: a need met only in part
QUERY, ITEM = "q:", "item:"  # the subject of a moment of need: what was typed, or a resource not helpful


def _people(column: Any, among: Among) -> list[Any]:
    return among.of_people(column)


def resources(session: Session, among: Among) -> dict[int, dict[str, Tally]]:
    """Per content item id: each answer (`ANSWERS`, given or changed in the period) and `opened`."""
    members = roster.members()
    found: dict[int, dict[str, Tally]] = {}
    answers = (
        select(
            ResourceFeedback.content_item_id,
            ResourceFeedback.value,
            func.count(),
            func.count(distinct(ResourceFeedback.person_id)),
        )
        .join(members, members.c.person_id == ResourceFeedback.person_id)
        .where(
            members.c.workspace_id == among.workspace_id,
            *_people(ResourceFeedback.person_id, among),
            ResourceFeedback.updated_at >= among.since,
            ResourceFeedback.updated_at < among.until,
        )
        .group_by(ResourceFeedback.content_item_id, ResourceFeedback.value)
    )
    opens = (
        select(
            ResourceEvent.content_item_id, literal(OPENED), func.count(), func.count(distinct(ResourceEvent.person_id))
        )
        .where(
            ResourceEvent.workspace_id == among.workspace_id,
            *_people(ResourceEvent.person_id, among),
            ResourceEvent.kind == OPENED,
            ResourceEvent.content_item_id.is_not(None),
            ResourceEvent.created_at >= among.since,
            ResourceEvent.created_at < among.until,
        )
        .group_by(ResourceEvent.content_item_id)
    )
    for statement in (answers, opens):
        for item, measure, count, people in session.execute(statement):
            if item is not None:
                found.setdefault(int(item), {})[str(measure)] = tally(count, people)
    return found


def needs(among: Among) -> list[Select[int, str, str, datetime]]:
    """The library's moments of need of `among`'s people in its period: (person_id, kind, subject, at), the subject
    `q:<what they typed, lower case>` for a search without a good answer (kind `closest` when it got the closest
    the library has, `searched` when nothing) or a requested resource, and
    `item:<id>` for a resource they found not helpful."""
    members = roster.members()
    searches = select(
        Search.person_id.label("person_id"),
        case((Search.fit == Fit.CLOSEST, literal(CLOSEST)), else_=literal(SEARCHED)).label("kind"),
        (literal(QUERY) + func.lower(Search.query)).label("subject"),
        Search.created_at.label("at"),
    ).where(
        Search.workspace_id == among.workspace_id,
        *_people(Search.person_id, among),
        Search.fit != Fit.GOOD,
        Search.created_at >= among.since,
        Search.created_at < among.until,
    )
    requested = select(
        ResourceEvent.person_id,
        literal(REQUESTED),
        literal(QUERY) + func.lower(func.coalesce(ResourceEvent.detail, "")),
        ResourceEvent.created_at,
    ).where(
        ResourceEvent.workspace_id == among.workspace_id,
        *_people(ResourceEvent.person_id, among),
        ResourceEvent.kind == REQUESTED,
        ResourceEvent.created_at >= among.since,
        ResourceEvent.created_at < among.until,
    )
    unhelpful = (
        select(
            ResourceFeedback.person_id,
            literal(NOT_HELPFUL),
            literal(ITEM) + cast(ResourceFeedback.content_item_id, String),
            ResourceFeedback.updated_at,
        )
        .join(members, members.c.person_id == ResourceFeedback.person_id)
        .where(
            members.c.workspace_id == among.workspace_id,
            *_people(ResourceFeedback.person_id, among),
            ResourceFeedback.value == NOT_HELPFUL,
            ResourceFeedback.updated_at >= among.since,
            ResourceFeedback.updated_at < among.until,
        )
    )
    return [searches, requested, unhelpful]  # to be joined with UNION ALL (with other domains' needs)
