"""Three kinds of answer through the real Bolt app (a command, a DM) and a real database: a good match, the
closest the library has (said as such, Request a resource first, a moment of need met in part), nothing; the
decision read from content/search.yaml, checked like the rest of the content, and refitted by
`content tune-search` to exactly the file that is shipped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.content.loader import ContentErrors, load_content
from bot.content.types import ElsewhereView
from bot.library.elsewhere import Elsewhere
from bot.library.fit import Features, Fit, decide
from bot.library.models import Search
from bot.reports.build import build_report
from bot.reports.values import Scope
from bot.sandbox.session import Sandbox
from tests.harness import ROOT, START, Person, controls, rows, shown, synced_sandbox

# Good when the description carries three quarters of the query; related when it names a skill and carries
# some of it. Crafted, so that the test reads the file, whatever the shipped fit says.
SEARCH = """good:
  weights: {described: 40}
  bias: -30
  threshold: 0.5
related:
  weights: {named_skill: 10, described: 20}
  bias: -15
  threshold: 0.5
"""
GOOD, CLOSEST, NOTHING = "giving feedback", "giving feedback across cultures", "learning spanish"
# A question that belongs elsewhere (elsewhere.yaml): nothing yet, said with where to ask.
ELSEWHERE = "payslip missing"
ELSEWHERE_YAML = """elsewhere:
  - key: hr
    name: HR policy, pay and benefits
    where: your HR or people team
    words: [payslip, salary, holiday]
    phrases: [sick leave]
"""


@pytest.fixture
def tuned(settings: Settings, content_dir: Path) -> Iterator[Sandbox]:
    (content_dir / "search.yaml").write_text(SEARCH)
    (content_dir / "elsewhere.yaml").write_text(ELSEWHERE_YAML)
    with synced_sandbox(settings, content_dir, report_min_group=3) as bot:
        yield bot


def test_a_good_match_the_closest_we_have_and_nothing_yet_through_the_command(tuned: Sandbox) -> None:
    alex = Person(tuned, "U0ALEX")
    good = shown(alex.learn(GOOD).blocks)
    assert "The best I have for “giving feedback”" in good and "exactly yet" not in good

    closest = alex.learn(CLOSEST)
    text = shown(closest.blocks)
    assert "Nothing in the library answers “giving feedback across cultures” exactly yet. The closest I have:" in text
    assert "Not what you need? *Request a resource*" in text
    ids = [element["action_id"] for element, _ in controls(closest.blocks)]
    assert ids.count("resource_show") + ids.count("resource_open") >= 2, "the closest resources, with their buttons"
    footer = next(b for b in closest.blocks if b.get("block_id") == "results_footer")["elements"]
    assert footer[0]["action_id"] == "resource_request" and footer[0]["style"] == "primary", "requesting comes first"
    assert closest.text.startswith("The closest I have for")

    nothing = shown(alex.learn(NOTHING).blocks)
    assert "I have nothing in the library that really fits “learning spanish” yet" in nothing

    elsewhere = alex.learn(ELSEWHERE)
    said = shown(elsewhere.blocks)
    assert "it sounds like a question about HR policy, pay and benefits, which this library leaves to others" in said
    assert "Where to ask: your HR or people team" in said and "really fits" not in said, "where to ask, not a guide"
    assert [element["action_id"] for element, _ in controls(elsewhere.blocks)] == ["resource_request"]
    assert elsewhere.text == "Nothing in the library for “payslip missing” yet"
    assert [(s.query, s.fit) for s in rows(tuned, Search)] == [
        (GOOD, Fit.GOOD),
        (CLOSEST, Fit.CLOSEST),
        (NOTHING, Fit.NOTHING),
        (ELSEWHERE, Fit.NOTHING),
    ]


def test_the_dm_answers_with_the_same_three_kinds(tuned: Sandbox) -> None:
    sam = Person(tuned, "U0SAM")
    for words in (GOOD, CLOSEST, NOTHING, ELSEWHERE):
        sam.write_dm(words)
    said = [shown(m.blocks) for m in sam.dms()]
    assert "The best I have for “giving feedback”" in said[0]
    assert "The closest I have:" in said[1]
    assert "nothing in the library that really fits" in said[2]
    assert "a question about HR policy, pay and benefits" in said[3]


def test_the_closest_counts_as_a_moment_of_need_met_in_part(tuned: Sandbox) -> None:
    people = [Person(tuned, user) for user in ("U0ALEX", "U0SAM", "U0JO")]
    for person in people:
        person.learn(CLOSEST)
        person.learn(GOOD)
    report = build_report(
        tuned.runtime.sessions,
        Scope(people[0].ref.workspace_id, "test"),
        since=START - timedelta(days=1),
        until=START + timedelta(days=1),
        shelf=tuned.world.shelf.current(),
        min_group=3,
        default_tz="UTC",
    )
    [topic] = report.needs.topics
    assert topic.kinds["closest"] == 3 and topic.kinds["searched"] == 0, "a good match is no need at all"
    assert topic.phrasings == (CLOSEST,)


def test_search_yaml_is_checked_with_its_file_and_field(content_dir: Path) -> None:
    (content_dir / "search.yaml").write_text(
        SEARCH.replace("named_skill", "mood").replace("threshold: 0.5", "threshold: 1.5", 1)
    )
    with pytest.raises(ContentErrors) as raised:
        load_content(content_dir)
    said = [(e.path, e.field, e.problem) for e in raised.value.errors]
    assert all(path.endswith("search.yaml") for path, _, _ in said)
    assert {field for _, field, _ in said} == {"good.threshold", "related.weights"}, said
    assert any("unknown feature mood" in problem for _, _, problem in said)


def test_without_search_yaml_a_rule_of_thumb_decides() -> None:
    def features(described: float, known: float, elsewhere: float = 0.0) -> Features:
        return Features(described, 1.0, 1.0, 0.0, known, known, 0.0, 0.2, elsewhere)

    assert decide(features(0.8, 1.0), None) is Fit.GOOD
    assert decide(features(0.4, 0.8), None) is Fit.CLOSEST
    assert decide(features(0.4, 0.3), None) is Fit.NOTHING, "mostly words the library never uses: nothing related"
    assert decide(features(0.6, 1.0, elsewhere=0.7), None) is Fit.NOTHING, "more of it belongs elsewhere"
    assert decide(features(0.8, 1.0, elsewhere=0.3), None) is Fit.GOOD


def test_what_belongs_elsewhere_is_weighed_by_its_words_and_phrases_in_their_forms() -> None:
    it = ElsewhereView("it", "IT", None, frozenset({"laptop", "log"}), (("meeting", "room"), ("logged", "out")))
    hr = ElsewhereView("hr", "HR", None, frozenset({"expense", "holiday"}), ())
    about = Elsewhere([it, hr]).about

    def share(text: str) -> tuple[float, str | None]:
        tokens = text.split()
        found, topic = about(tokens, [0.0 if token in {"a", "my", "me", "out"} else 1.0 for token in tokens])
        return round(found, 2), topic.key if topic else None

    assert share("laptops logging me out") == (1.0, "it"), "plurals and -ing with the consonant doubled"
    assert share("book a meeting rooms") == (0.67, "it"), "a phrase, word for word, its words in their forms"
    assert share("meeting agenda") == (0.0, None), "one word of a phrase is not the phrase"
    assert share("customer says too expensive") == (0.0, None), "matched as typed, not by stem"
    assert share("delegating before my holiday") == (0.33, "hr")
    assert share("expense laptop holiday") == (0.67, "hr"), "the topic that carries most"


def test_elsewhere_yaml_is_checked_with_its_file_and_field(content_dir: Path) -> None:
    def errors(text: str) -> list[tuple[str, str, str]]:
        (content_dir / "elsewhere.yaml").write_text(text)
        with pytest.raises(ContentErrors) as raised:
            load_content(content_dir)
        return [(e.path.split("/")[-1], e.field, e.problem) for e in raised.value.errors]

    assert errors("elsewhere:\n  - {key: it, name: IT, words: [laptop, Wi-Fi], phrases: [vpn]}\n") == [
        ("elsewhere.yaml", "elsewhere[0] (it).words[1]", "should be one word of lower-case letters and digits (several words go under phrases)"),
        ("elsewhere.yaml", "elsewhere[0] (it).phrases[0]", "should be two or more words of lower-case letters and digits, separated by single spaces"),
    ]  # fmt: skip
    twice = "elsewhere:\n  - {key: it, name: IT, words: [laptop]}\n  - {key: it, name: IT again, words: [vpn]}\n"
    assert errors(twice) == [("elsewhere.yaml", "", "duplicate key it")]


def test_refitting_on_the_shipped_content_and_labels_gives_the_shipped_search_yaml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["content", "tune-search", "--dir", "content", "--check"]) == 0, capsys.readouterr().err
    assert "content/search.yaml: as the labels give" in capsys.readouterr().out


def test_tune_search_writes_a_file_the_content_accepts_and_refuses_wrong_labels(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(
        "queries:\n"
        + "".join(
            f"  - query: {q}\n    relevant: [feedback-sbi-guide]\n" for q in ("giving feedback", "feedbak", "praise")
        )
        + "".join(
            f"  - query: {q}\n    related: [feedback-prep-prompt]\n"
            for q in (CLOSEST, "feedback for a colleague abroad")
        )
        + "nothing: [payslip missing, vpn keeps disconnecting, python decorators, weather tomorrow]\n"
    )
    assert main(["content", "tune-search", "--dir", str(content_dir), "--labels", str(labels)]) == 0
    written = load_content(content_dir).search
    assert (
        written is not None and "9 labelled queries in labels.yaml (3 good, 2 closest, 4 nothing)" in written.fitted_on
    )
    assert main(["content", "tune-search", "--dir", str(content_dir), "--labels", str(labels), "--check"]) == 0

    labels.write_text("queries:\n  - query: giving feedback\n    relevant: [no-such-guide]\n")
    capsys.readouterr()
    assert main(["content", "tune-search", "--dir", str(content_dir), "--labels", str(labels)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "labels.yaml: queries[0] (giving feedback): no resource no-such-guide" in err[0]
