"""Content as code: every error reported with file and field; sync is all or nothing, by key and hash."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.content import schemas
from bot.content.loader import ContentErrors, load_content
from bot.content.models import ContentItem
from bot.content.sync import sync_content
from tests.harness import ROOT, START

FIXTURE = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def errors_in(directory: Path) -> list[str]:
    with pytest.raises(ContentErrors) as raised:
        load_content(directory)
    return [error.message for error in raised.value.errors]


def test_the_fixture_and_the_shipped_content_load(content_dir: Path) -> None:
    content = load_content(content_dir)
    assert [item.key for item in content.resources] == [
        "feedback-sbi-guide",
        "feedback-prep-prompt",
        "listening-ted-talk",
    ]
    assert content.synonyms[0] == ["one-on-one", "1:1", "1-1"]
    load_content(ROOT / "content")


def test_every_error_is_reported_at_once_with_file_and_field(content_dir: Path) -> None:
    feedback = content_dir / "resources" / "feedback.yaml"
    text = feedback.read_text()
    text = text.replace("    minutes: 3\n", "    minutes: 30\n    colour: blue\n", 1)
    text = text.replace("skills: [giving-feedback]\n    owner", "skills: [mind-reading]\n    owner", 1)
    feedback.write_text(text)
    listening = content_dir / "resources" / "listening.yaml"
    listening.write_text(listening.read_text().replace("https://www.ted.com", "http://www.ted.com"))
    (content_dir / "resources" / "copy.yaml").write_text((content_dir / "resources" / "feedback.yaml").read_text())
    (content_dir / "skils.yaml").write_text("skills: []\n")
    errors = errors_in(content_dir)
    expected = [
        "content/resources/feedback.yaml: resources[0] (feedback-sbi-guide).minutes: Input should be less than or equal to 10",
        "content/resources/feedback.yaml: resources[0] (feedback-sbi-guide).colour: unknown field",
        "content/resources/listening.yaml: resources[0] (listening-ted-talk): url must start with https://",
        "content/skils.yaml: unknown content file (expected one of calendar.yaml, elsewhere.yaml, roles.yaml, search.yaml, skills.yaml, synonyms.yaml, teams.yaml)",
        "content/resources/feedback.yaml: feedback-prep-prompt.skills: unknown skill 'mind-reading'",
    ]
    for line in expected:
        assert line in errors, f"{line!r} not in {errors}"
    duplicate = "feedback.yaml: key feedback-prep-prompt: duplicate key (also in content/resources/copy.yaml)"
    assert "content/resources/" + duplicate in errors


def test_a_challenge_template_is_checked_field_by_field(content_dir: Path) -> None:
    template = content_dir / "challenges" / "listening.yaml"
    text = template.read_text()
    assert [item.key for item in load_content(content_dir).challenges] == ["three-summaries"]
    text = text.replace("skill: listening", "skill: juggling").replace("{day: 8,", "{day: 14,")
    text = text.replace("target: {count: 3,", "target: {count: 0,").replace(
        "    share_prompt:", "    colour: red\n    share_prompt:"
    )
    template.write_text(text)
    errors = errors_in(content_dir)
    where = "content/challenges/listening.yaml: challenges[0] (three-summaries)"
    for line in (
        f"{where}.target.count: Input should be greater than or equal to 1",
        f"{where}.colour: unknown field",
    ):
        assert line in errors, f"{line!r} not in {errors}"
    template.write_text(template.read_text().replace("{count: 0,", "{count: 3,").replace("    colour: red\n", ""))
    errors = errors_in(content_dir)
    assert f"{where}: checkins: day 14 is not before the last day (14), which has its close" in errors
    template.write_text(template.read_text().replace("{day: 14,", "{day: 8,"))
    assert errors_in(content_dir) == [
        "content/challenges/listening.yaml: three-summaries.skill: unknown skill 'juggling'"
    ]


def test_broken_yaml_names_the_line(content_dir: Path) -> None:
    (content_dir / "roles.yaml").write_text("roles:\n  - key: x\n    name: [unclosed\n")
    [error] = errors_in(content_dir)
    assert error.startswith("content/roles.yaml: line 4: not valid YAML")


def test_text_over_the_limits_and_wrong_kind_fields_are_reported(content_dir: Path) -> None:
    feedback = content_dir / "resources" / "feedback.yaml"
    text = feedback.read_text().replace("title: Give feedback", "title: " + "Long " * 30, 1)
    text = text.replace("    kind: prompt\n", "    kind: guide\n", 1)
    feedback.write_text(text)
    errors = errors_in(content_dir)
    assert any("(feedback-sbi-guide).title: String should have at most 100 characters" in e for e in errors)
    assert any("(feedback-prep-prompt): a guide needs `body`" in e for e in errors)


def test_a_missing_directory_or_file_is_one_clear_error(tmp_path: Path, content_dir: Path) -> None:
    assert errors_in(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: content directory not found (CONTENT_DIR)"]
    (content_dir / "skills.yaml").unlink()
    assert "content/skills.yaml: file is missing" in errors_in(content_dir)


def test_sync_adds_then_skips_unchanged_then_updates_and_retires(
    sessions: sessionmaker[Session], content_dir: Path
) -> None:
    first = sync_content(sessions, load_content(content_dir), now=START)
    assert (first.added, first.updated, first.retired, first.unchanged) == (11, 0, 0, 0)
    again = sync_content(sessions, load_content(content_dir), now=START)
    assert (again.added, again.updated, again.retired, again.unchanged) == (0, 0, 0, 11)
    feedback = content_dir / "resources" / "feedback.yaml"
    feedback.write_text(feedback.read_text().replace("minutes: 3", "minutes: 4"))
    (content_dir / "resources" / "listening.yaml").unlink()
    changed = sync_content(sessions, load_content(content_dir), now=START)
    assert (changed.added, changed.updated, changed.retired, changed.unchanged) == (0, 1, 1, 9)
    with sessions() as session:
        talk = session.query(ContentItem).filter_by(key="listening-ted-talk").one()
        assert talk.retired_at == START, "retired, not deleted: history that refers to it survives"
        assert session.query(ContentItem).filter_by(key="feedback-sbi-guide").one().data["minutes"] == 4


def test_a_broken_file_changes_nothing_in_the_database(sessions: sessionmaker[Session], content_dir: Path) -> None:
    sync_content(sessions, load_content(content_dir), now=START)
    with sessions() as session:
        before = sorted((i.key, i.hash, i.retired_at) for i in session.query(ContentItem))
    (content_dir / "resources" / "listening.yaml").write_text("resources:\n  - key: Bad Key\n")
    with pytest.raises(ContentErrors):
        sync_content(sessions, load_content(content_dir), now=START)
    with sessions() as session:
        assert sorted((i.key, i.hash, i.retired_at) for i in session.query(ContentItem)) == before


def test_validate_command_exits_1_and_lists_errors(content_dir: Path) -> None:
    (content_dir / "roles.yaml").write_text("roles:\n  - key: x\n    nam: y\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(content_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "content/roles.yaml: roles[0] (x).name: is required" in result.stderr
    assert "content/roles.yaml: roles[0] (x).nam: unknown field" in result.stderr
    assert "nothing was changed" in result.stderr


def test_schema_describes_every_file_type(tmp_path: Path) -> None:
    documents = schemas()
    assert set(documents) == {
        "skills.yaml",
        "roles.yaml",
        "synonyms.yaml",
        "calendar.yaml",
        "teams.yaml",
        "search.yaml",
        "elsewhere.yaml",
        "resources/*.yaml",
        "techniques/*.yaml",
        "challenges/*.yaml",
    }
    resource = documents["resources/*.yaml"]["$defs"]["Resource"]
    assert resource["additionalProperties"] is False
    assert set(resource["required"]) >= {"key", "title", "kind", "minutes", "summary", "skills", "owner", "review_by"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "schema", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads((tmp_path / "resources.schema.json").read_text())["title"] == "ResourcesFile"
