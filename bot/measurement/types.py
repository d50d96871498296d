"""Who rated a skill, and when in a challenge or practice."""

from __future__ import annotations

import enum


class Rater(enum.StrEnum):
    SELF = "self"
    PROPOSER = "proposer"  # the colleague who proposed the challenge, on what they observed
    PEER = "peer"


class Moment(enum.StrEnum):
    BASELINE = "baseline"  # when accepting a challenge
    AFTER = "after"  # at its end
    RETROSPECTIVE = "retrospective"  # at its end: "thinking back, where were you before?"
    DID_IT_STICK = "did_it_stick"  # a week after a challenge: how often they still do it (not "I'm stuck")
    MONTHLY = "monthly"  # the practice's monthly review
