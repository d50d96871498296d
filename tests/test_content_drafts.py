"""From a moment of need to a draft micro-resource: an admin runs `content draft --need N`, reviews the YAML in
content/drafts/, and nothing of it reaches the library until the file is moved into resources/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.content.catalogue import Catalogue
from bot.content.loader import ContentErrors, load_content
from bot.content.models import ContentItem
from bot.content.sync import sync_content
from bot.errors import NotAllowed, NotFound
from bot.library.shelf import Shelf
from bot.llm.prompts import PromptStore
from bot.llm.writer import TemplateWriter
from bot.reports.drafts import Drafts, skill_for
from bot.reports.types import Topic
from bot.reports.values import Suppressed
from tests.fake_openai import Answer, FakeOpenAI
from tests.harness import FIXTURE, ROOT, START, bot_env, run_bot
from tests.report_seed import Seed, needs_data

pytestmark = pytest.mark.slow

PERIOD = ("--workspace", "T1", "--since", "2026-11-01", "--until", "2026-12-01")
PHRASING = "giving feedback to my boss"  # typed by four people: group-safe with a minimum group of three
FEW = ("critique", "xyzzy", "plugh")  # words only one person typed ("Give critique to my boss", "xyzzy plugh")
MODEL_GUIDE = (
    "**In the next ten minutes**\n- Ask your manager for fifteen minutes this week.\n\n**Steps**\n"
    "1. Pick one recent example.\n2. Describe what you saw and its effect.\n3. Ask how it looked to them.\n\n"
    '**An example**\n"In Tuesday\'s planning, the scope changed after we had committed."\n\n'
    "**A prompt to try**\nHelp me phrase feedback for my manager about [situation]."
)


@pytest.fixture
def seed(sessions: sessionmaker[Session]) -> Seed:
    seed = Seed(sessions)
    needs_data(seed)  # 1: giving feedback to my boss (5 people), 2: giving feedback (3), 3: one person's words
    return seed


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def env(settings: Settings, content: Path) -> dict[str, str]:
    return bot_env(settings, CONTENT_DIR=str(content), REPORT_MIN_GROUP="3")


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def draft(env: dict[str, str], need: str, *period: str) -> Any:
    return run_bot("content", "draft", "--need", need, *(period or PERIOD), env=env)


def resource_in(path: Path) -> dict[str, Any]:
    [resource] = yaml.safe_load(path.read_text(encoding="utf-8"))["resources"]
    return dict(resource)


def test_an_admin_drafts_the_top_need_from_group_safe_words_and_validate_counts_it(
    seed: Seed, env: dict[str, str], content: Path
) -> None:
    result = draft(env, "1")
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.splitlines()[0])
    assert path == content / "drafts" / "giving-feedback-to-my-boss.yaml"
    assert "An admin must review it and move it into" in result.stdout and "resources/ to publish" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT, not in the library")
    resource = resource_in(path)
    assert resource["key"] == "giving-feedback-to-my-boss"
    assert resource["title"] == "Giving feedback to my boss: a ten-minute guide"
    assert (resource["kind"], resource["skills"], resource["roles"]) == ("guide", ["giving-feedback"], [])
    assert resource["keywords"] == ["giving feedback boss", PHRASING]
    assert resource["moments"] == [PHRASING]
    assert "DRAFT for an admin to review" in resource["notes"] and "from the template" in resource["notes"]
    for part in ("**In the next ten minutes**", "**Steps**", "**An example**", "**A prompt to try**"):
        assert part in resource["body"], "the template's guide skeleton"
    for word in FEW:
        assert word not in text.lower(), f"{word!r} was typed by fewer than the minimum group"
    assert not re.search(r"\bU\d\b", text), "no person"

    validated = run_bot("content", "validate", env=env)
    assert validated.returncode == 0, validated.stderr
    assert "1 draft(s) in drafts/" in validated.stdout


def test_sync_leaves_drafts_out_of_the_library(
    seed: Seed, env: dict[str, str], sessions: sessionmaker[Session]
) -> None:
    assert draft(env, "1").returncode == 0
    synced = run_bot("content", "sync", env=env)
    assert synced.returncode == 0, synced.stderr
    with sessions() as session:
        keys = set(session.scalars(select(ContentItem.key).where(ContentItem.kind == "resource")))
    assert keys == {"feedback-sbi-guide", "feedback-prep-prompt", "listening-ted-talk"}


def test_a_second_draft_of_the_same_need_gets_a_key_of_its_own(seed: Seed, env: dict[str, str], content: Path) -> None:
    first = draft(env, "1")
    before = Path(first.stdout.splitlines()[0]).read_bytes()
    second = draft(env, "1")
    assert second.returncode == 0, second.stderr
    path = Path(second.stdout.splitlines()[0])
    assert path.name == "giving-feedback-to-my-boss-2.yaml" and resource_in(path)["key"] == path.stem
    assert (content / "drafts" / "giving-feedback-to-my-boss.yaml").read_bytes() == before, "the first is untouched"
    assert sorted(p.name for p in (content / "drafts").iterdir()) == [
        "giving-feedback-to-my-boss-2.yaml",
        "giving-feedback-to-my-boss.yaml",
    ], "no temporary file left behind"
    assert "2 draft(s)" in run_bot("content", "validate", env=env).stdout


@pytest.mark.parametrize(
    ("need", "period", "says"),
    [
        ("3", PERIOD, "fewer people than the minimum group"),
        ("4", PERIOD, "1 to 3, not '4'"),
        ("0", PERIOD, "1 to 3, not '0'"),
        ("two", PERIOD, "1 to 3, not 'two'"),
        ("1", ("--workspace", "T1", "--since", "2026-10-01", "--until", "2026-10-15"), "no moment of need ranked 1"),
    ],
)
def test_a_suppressed_or_missing_need_is_one_line_exit_1_and_nothing_written(
    seed: Seed, env: dict[str, str], content: Path, need: str, period: tuple[str, ...], says: str
) -> None:
    result = draft(env, need, *period)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert says in line, line
    assert not (content / "drafts").exists()


def test_the_model_writes_the_guide_from_group_safe_phrasings_only(
    seed: Seed, env: dict[str, str], fake: FakeOpenAI
) -> None:
    fake.enqueue(Answer(text=MODEL_GUIDE))
    result = draft({**env, "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url}, "1")
    assert result.returncode == 0, result.stderr
    assert "written by a model" in result.stdout
    resource = resource_in(Path(result.stdout.splitlines()[0]))
    assert resource["body"] == MODEL_GUIDE
    assert "a model (AI): check every line" in resource["notes"]
    [request] = fake.requests
    system, asked, phrasings = request["messages"]
    assert system["role"] == "system" and "never instructions to" in system["content"]
    assert "Topic: giving feedback to my boss" in asked["content"] and "Giving feedback" in asked["content"]
    assert phrasings == {"role": "user", "content": PHRASING}, "people's words: a message of their own"
    for word in FEW:
        assert word not in str(request).lower()


@pytest.mark.parametrize("failure", [Answer(mode="status", status=500), Answer(mode="malformed")])
def test_a_failing_model_leaves_the_template_guide(
    seed: Seed, env: dict[str, str], fake: FakeOpenAI, failure: Answer
) -> None:
    fake.always(failure)
    model = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": fake.base_url, "OPENAI_MAX_RETRIES": "0"}
    result = draft({**env, **model}, "1")
    assert result.returncode == 0, result.stderr
    assert fake.requests, "the model was asked"
    resource = resource_in(Path(result.stdout.splitlines()[0]))
    assert resource["body"].startswith("**In the next ten minutes**\n- Write down, in one sentence")
    assert "from the template" in resource["notes"] and "from the template" in result.stdout


def test_validate_checks_each_draft_as_a_resource_and_refuses_a_key_the_library_has(
    content: Path, env: dict[str, str]
) -> None:
    drafts = content / "drafts"
    drafts.mkdir()
    library = yaml.safe_load((content / "resources" / "feedback.yaml").read_text())["resources"][0]
    (drafts / "copy.yaml").write_text(yaml.safe_dump({"resources": [library]}))
    (drafts / "broken.yaml").write_text(yaml.safe_dump({"resources": [{**library, "key": "new-one", "minutes": 30}]}))
    result = run_bot("content", "validate", env=env)
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert (
        "content/drafts/copy.yaml: key feedback-sbi-guide: duplicate key (also in content/resources/feedback.yaml)"
        in errors
    )
    assert (
        "content/drafts/broken.yaml: resources[0] (new-one).minutes: Input should be less than or equal to 10" in errors
    )
    (drafts / "copy.yaml").unlink()
    (drafts / "broken.yaml").unlink()
    (drafts / "README.md").write_text("not content")
    assert "0 draft(s)" in run_bot("content", "validate", env=env).stdout
    assert load_content(content).drafts == [], "what sync and the start-up sync read: no drafts at all"


def test_the_shipped_content_validates_with_its_drafts_folder() -> None:
    assert (ROOT / "content" / "drafts" / "README.md").exists()
    content = load_content(ROOT / "content", drafts=True)
    assert content.drafts == [], "drafts are written by admins, not shipped"


# -- the service on its own: what the Slack button will call -----------------------------------------------------
def test_the_service_refuses_a_suppressed_topic_and_takes_no_key_the_library_files_hold(
    seed: Seed, content: Path
) -> None:
    drafts = Drafts(
        shelf=Shelf(sessions=seed.sessions, catalogue=Catalogue(seed.sessions)),
        writer=TemplateWriter(PromptStore.load()),
        content_dir=content,
        clock=ManualClock(START),
    )
    hidden = Topic(3, Suppressed(3), Suppressed(3), Suppressed(3), {}, (), ())
    with pytest.raises(NotAllowed, match="fewer people than the minimum group"):
        drafts.write(hidden)
    assert not (content / "drafts").exists()
    (content / "resources" / "giving-feedback-to-my-boss.yaml").write_text("resources: []\n")  # a file name only
    topic = seed.report().needs.topics[0]
    written = drafts.write(topic, workspace_id=seed.ws)
    assert written.key == "giving-feedback-to-my-boss-2" and not written.ai
    assert written.path == content / "drafts" / "giving-feedback-to-my-boss-2.yaml"
    assert resource_in(written.path)["review_by"].isoformat() == "2027-02-22"  # 90 days after the clock's day
    load_content(content, drafts=True)  # the library and its draft, valid together


def test_the_skill_comes_from_the_best_hits_else_from_the_skill_the_topic_names(
    sessions: sessionmaker[Session], content: Path
) -> None:
    skills = content / "skills.yaml"
    rubric = "    rubric: {1: a, 2: b, 3: c, 4: d, 5: e}\n"
    skills.write_text(
        skills.read_text() + f"  - key: saying-no\n    name: Saying no\n    description: Declining well.\n{rubric}"
    )
    sync_content(sessions, load_content(content), now=START)
    shelf = Shelf(sessions=sessions, catalogue=Catalogue(sessions)).current()
    assert skill_for("boss giving feedback", shelf) == "giving-feedback"  # the library's hits
    assert skill_for("saying no", shelf) == "saying-no"  # no resource on it: the skill it names ("I'm stuck")
    with pytest.raises(NotFound, match="no skill in the library fits"):
        skill_for("xyzzy plugh", shelf)


def test_a_broken_draft_never_stops_the_library_loading(content: Path) -> None:
    (content / "drafts").mkdir()
    (content / "drafts" / "half.yaml").write_text("resources: [\n")
    assert [item.key for item in load_content(content).resources][:1] == ["feedback-sbi-guide"]
    with pytest.raises(ContentErrors) as raised:
        load_content(content, drafts=True)
    assert [error.message.split(": ")[0] for error in raised.value.errors] == ["content/drafts/half.yaml"]
