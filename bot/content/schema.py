"""The content schema: what an admin may write in `content/`. Unknown fields are errors (extra="forbid")."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator, model_validator

from bot.content.challenge_limits import DAYS, DEFAULT_DAYS, TARGET

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
OneLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\n]*$")]

# Slack limits that content must respect (Block Kit: header 150, button 75, section 3000).
TITLE_MAX = 100
SUMMARY_MAX = 200
BODY_MAX = 6000  # shown in a modal, split into sections of at most 3000 characters
PROMPT_MAX = 2900  # shown in one section, inside a code block
VARIATION_MAX = 400
BRIEF_MAX = 1000
CHALLENGE_LINE_MAX = 300


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Skill(Strict):
    """A capability the bot helps people grow, with a 1-5 rubric of observable behaviours."""

    key: Key
    name: Annotated[OneLine, Field(max_length=60)]
    description: Annotated[OneLine, Field(max_length=SUMMARY_MAX)]
    rubric: dict[int, Annotated[OneLine, Field(max_length=300)]]

    @field_validator("rubric")
    @classmethod
    def _five_levels(cls, rubric: dict[int, str]) -> dict[int, str]:
        if sorted(rubric) != [1, 2, 3, 4, 5]:
            raise ValueError("needs exactly the levels 1, 2, 3, 4 and 5")
        return rubric


class Role(Strict):
    """A role people have; `titles` are words or phrases that identify it in a Slack profile title."""

    key: Key
    name: Annotated[OneLine, Field(max_length=60)]
    titles: list[Annotated[OneLine, Field(max_length=60)]] = Field(default_factory=list)


class ResourceKind(enum.StrEnum):
    VIDEO = "video"
    GUIDE = "guide"
    PROMPT = "prompt"
    CHECKLIST = "checklist"
    ARTICLE = "article"


class Resource(Strict):
    """A micro-resource: ten minutes or less, for a moment of need."""

    key: Key
    title: Annotated[OneLine, Field(max_length=TITLE_MAX)]
    kind: ResourceKind
    minutes: Annotated[int, Field(ge=1, le=10)]
    summary: Annotated[OneLine, Field(max_length=SUMMARY_MAX)]
    url: HttpUrl | None = None
    body: Annotated[str, Field(max_length=BODY_MAX)] | None = None
    prompt: Annotated[str, Field(max_length=PROMPT_MAX)] | None = None
    skills: Annotated[list[Key], Field(min_length=1)]
    roles: list[Key] = Field(default_factory=list)  # empty: useful to everyone
    moments: list[Annotated[OneLine, Field(max_length=120)]] = Field(default_factory=list)
    keywords: list[Annotated[OneLine, Field(max_length=60)]] = Field(default_factory=list)
    owner: Annotated[OneLine, Field(max_length=80)]
    review_by: date
    notes: str | None = None  # for authors only, never shown

    @model_validator(mode="after")
    def _content_matches_kind(self) -> Resource:
        needs = {
            ResourceKind.VIDEO: "url",
            ResourceKind.ARTICLE: "url",
            ResourceKind.GUIDE: "body",
            ResourceKind.CHECKLIST: "body",
            ResourceKind.PROMPT: "prompt",
        }[self.kind]
        if getattr(self, needs) in (None, ""):
            raise ValueError(f"a {self.kind.value} needs `{needs}`")
        if self.url is not None and self.url.scheme != "https":
            raise ValueError("url must start with https://")
        return self


class Technique(Strict):
    """A technique to practise for two minutes a day, with daily variations."""

    key: Key
    skill: Key
    title: Annotated[OneLine, Field(max_length=TITLE_MAX)]
    why: Annotated[OneLine, Field(max_length=SUMMARY_MAX)]
    variations: Annotated[list[Annotated[OneLine, Field(max_length=VARIATION_MAX)]], Field(min_length=10)]
    reflection: Annotated[OneLine, Field(max_length=SUMMARY_MAX)]


class ChallengeTarget(Strict):
    """What "done" counts: `count` of `unit` (singular), e.g. 3 conversation(s)."""

    count: Annotated[int, Field(ge=TARGET.low, le=TARGET.high)]
    unit: Annotated[OneLine, Field(max_length=40)]  # singular: "conversation"
    units: Annotated[OneLine, Field(max_length=40)] | None = None  # plural when not unit + "s"

    @property
    def plural(self) -> str:
        return self.units or f"{self.unit}s"


class CheckIn(Strict):
    """A check-in on day `day` of the challenge (day 1 is the start date)."""

    day: Annotated[int, Field(ge=1)]
    question: Annotated[OneLine, Field(max_length=CHALLENGE_LINE_MAX)]


class Fits(Strict):
    """Whom a challenge fits: the roles it is written for, and why (shown when proposing it to someone else)."""

    roles: Annotated[list[Key], Field(min_length=1)]
    because: Annotated[OneLine, Field(max_length=CHALLENGE_LINE_MAX)]  # "it asks for conversations with …"


class ChallengeTemplate(Strict):
    """A two-week (by default) on-the-job challenge a colleague can propose."""

    key: Key
    title: Annotated[OneLine, Field(max_length=TITLE_MAX)]
    skill: Key
    days: Annotated[int, Field(ge=DAYS.low, le=DAYS.high)] = DEFAULT_DAYS
    target: ChallengeTarget | None = None
    brief: Annotated[str, Field(min_length=1, max_length=BRIEF_MAX)]
    steps: Annotated[list[Annotated[OneLine, Field(max_length=CHALLENGE_LINE_MAX)]], Field(max_length=6)] = Field(
        default_factory=list
    )
    checkins: Annotated[list[CheckIn], Field(min_length=1, max_length=10)]
    reflection: Annotated[list[Annotated[OneLine, Field(max_length=CHALLENGE_LINE_MAX)]], Field(min_length=1)]
    share_prompt: Annotated[OneLine, Field(max_length=CHALLENGE_LINE_MAX)]
    fits: Fits | None = None  # None: anyone
    notes: str | None = None  # for authors only, never shown

    @model_validator(mode="after")
    def _checkins_inside(self) -> ChallengeTemplate:
        days = [checkin.day for checkin in self.checkins]
        if len(set(days)) != len(days):
            raise ValueError("checkins: two check-ins on the same day")
        late = [day for day in days if day >= self.days]
        if late:
            raise ValueError(f"checkins: day {late[0]} is not before the last day ({self.days}), which has its close")
        return self


# -- the files ---------------------------------------------------------------------------------------------------
class SkillsFile(Strict):
    skills: list[Skill]


class RolesFile(Strict):
    roles: list[Role]


SlackUser = Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,30}$")]


class TeamMembers(Strict):
    """Where a team's members come from: everyone in one Slack channel, or one user group (by id: names change)."""

    channel: Annotated[str, StringConstraints(pattern=r"^[CG][A-Z0-9]{2,30}$")] | None = None
    usergroup: Annotated[str, StringConstraints(pattern=r"^S[A-Z0-9]{2,30}$")] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> TeamMembers:
        if (self.channel is None) == (self.usergroup is None):
            raise ValueError("name exactly one of `channel` (a channel id, C…) or `usergroup` (a user group id, S…)")
        return self


class Team(Strict):
    """A team for reports: its members (a channel's or a user group's) and its leads, who may read its report."""

    key: Key
    name: Annotated[OneLine, Field(max_length=80)]
    members: TeamMembers
    leads: Annotated[list[SlackUser], Field(min_length=1)]


class TeamsFile(Strict):
    teams: list[Team]


class SynonymsFile(Strict):
    synonyms: list[Annotated[list[Annotated[OneLine, Field(max_length=60)]], Field(min_length=2)]]


WORD, PHRASE = r"^[a-z0-9]+$", r"^[a-z0-9]+( [a-z0-9]+)+$"
# One word as people type it, lower case: letters and digits ("vpn", "payslip", "401k").
Word = Annotated[str, StringConstraints(pattern=WORD, max_length=40)]
# Several words in a row, matched as typed ("meeting room", "sick leave").
Phrase = Annotated[str, StringConstraints(pattern=PHRASE, max_length=60)]
# What a pattern asks for, in words, for the error an admin reads.
PATTERN_HINTS = {
    WORD: "should be one word of lower-case letters and digits (several words go under phrases)",
    PHRASE: "should be two or more words of lower-case letters and digits, separated by single spaces",
}


class ElsewhereTopic(Strict):
    """A kind of question the library does not answer (IT, HR policy, the office, code...) and where to ask it."""

    key: Key
    name: Annotated[OneLine, Field(max_length=60)]  # "IT and workplace tools": said in the answer
    where: Annotated[OneLine, Field(max_length=120)] | None = None  # "#it-help" or "the IT portal"
    words: Annotated[list[Word], Field(min_length=1)]  # each also matches its plural, -ed and -ing forms
    phrases: list[Phrase] = Field(default_factory=list)


class ElsewhereFile(Strict):
    """elsewhere.yaml: the questions that belong elsewhere. Search weighs how much of a query is in these words
    when it decides "nothing yet", and says where to ask."""

    elsewhere: list[ElsewhereTopic]

    @model_validator(mode="after")
    def _unique_keys(self) -> ElsewhereFile:
        keys = [topic.key for topic in self.elsewhere]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"duplicate key {', '.join(repeated)}")
        return self


# What /learn's search measures of a query and its best hits (bot/library/fit.py): what search.yaml weighs.
SEARCH_FEATURES = (
    "described", "coverage", "score", "margin", "known", "topical", "named_skill", "terms", "elsewhere",
)  # fmt: skip


class Classifier(Strict):
    """A logistic model over the search's features: P = 1 / (1 + e^-(bias + sum of weight x feature)); yes when P
    reaches `threshold`."""

    weights: dict[str, float]
    bias: float
    threshold: float = Field(gt=0, lt=1)

    @field_validator("weights")
    @classmethod
    def _known_features(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(weights) - set(SEARCH_FEATURES))
        if unknown:
            raise ValueError(f"unknown feature {', '.join(unknown)}: the search measures {', '.join(SEARCH_FEATURES)}")
        return weights


class SearchFile(Strict):
    """search.yaml: how /learn tells a good match from the closest it has and from nothing yet. Written by
    `python -m bot content tune-search` from labelled queries; without it, a rule of thumb decides."""

    good: Classifier  # a resource answers the query
    related: Classifier  # the library has something related to it
    fitted_on: Annotated[OneLine, Field(max_length=300)] = ""


class ResourcesFile(Strict):
    resources: list[Resource]


class TechniquesFile(Strict):
    techniques: list[Technique]


class ChallengesFile(Strict):
    challenges: list[ChallengeTemplate]


class Holiday(Strict):
    date: date
    name: Annotated[OneLine, Field(max_length=80)]


class CalendarFile(Strict):
    """Workspace holidays: no practice reminders on these dates."""

    holidays: list[Holiday] = Field(default_factory=list)
