"""Delivery keys: what makes a delivery unique. Built by `str(key)`, read back by `DeliveryKey.parse`.

`practice:12:2026-11-24` (a day's reminder), `practice:12:2026-11-24:snooze:1` (its first snooze),
`monthly_review:7:review:2026-11` (a person's monthly review), `practice_suggestion:12`, `followup:7:2026-11-26`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SNOOZE = "snooze"


@dataclass(frozen=True)
class DeliveryKey:
    kind: str
    subject: int  # the row of `kind` it is about: a subscription, a person
    day: date | None = None  # the local date it belongs to
    occasion: str | None = None  # what else makes it unique, e.g. review:2026-11
    snooze: int | None = None  # the n-th snooze of the same day

    def __str__(self) -> str:
        parts = [self.kind, str(self.subject)]
        if self.day is not None:
            parts.append(self.day.isoformat())
        if self.occasion is not None:
            parts.append(self.occasion)
        if self.snooze is not None:
            parts += [SNOOZE, str(self.snooze)]
        return ":".join(parts)

    @classmethod
    def parse(cls, text: str) -> DeliveryKey:
        """The key `str()` built; ValueError for anything else."""
        kind, subject, *rest = text.split(":")
        day = None
        if rest and _DATE.match(rest[0]):
            day, rest = date.fromisoformat(rest[0]), rest[1:]
        snooze = None
        if len(rest) >= 2 and rest[-2] == SNOOZE:
            snooze, rest = int(rest[-1]), rest[:-2]
        return cls(kind=kind, subject=int(subject), day=day, occasion=":".join(rest) or None, snooze=snooze)

    def snoozed(self, number: int) -> DeliveryKey:
        return DeliveryKey(self.kind, self.subject, self.day, self.occasion, number)

    @property
    def is_snooze(self) -> bool:
        return self.snooze is not None


def subject_prefix(kind: str, subject: int) -> str:
    """What every key of one subject of a kind starts with."""
    return f"{kind}:{subject}:"
