"""The changes the suite must catch: each is applied to a scratch copy of the tree, the challenge and practice
tests are run, and at least one of them must fail. Slow (a minute or two per change), so not part of
`make test`: run it with `python -m tests.mutants` after changing what these guard.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = [
    "tests/test_challenge_guards.py",
    "tests/test_challenges.py",
    "tests/test_challenge_course.py",
    "tests/test_challenge_fixes.py",
    "tests/test_challenge_fixes_words.py",
    "tests/test_challenge_people.py",
    "tests/test_practice.py",
]
MUTANTS = {  # what changes: (file, the code as it is, the code as the change would make it)
    "the summary window opened without checking whose challenge it is": (
        "bot/challenges/sharing.py",
        "return self.summary_of(session, ended(owned(session, person, challenge_id)))",
        "return self.summary_of(session, ended(repository.get(session, challenge_id)))",
    ),
    "practice pausing itself after six unanswered instead of five": (
        "bot/practice/schedule.py",
        "PAUSE_AFTER = 5",
        "PAUSE_AFTER = 6",
    ),
    "a proposal that never expires": (
        "bot/challenges/waiting.py",
        "                made += self._expire(session, state, challenge, person, proposer, now=now)\n",
        "                pass\n",
    ),
    "a proposal that is never reminded": (
        "bot/challenges/waiting.py",
        "            if not challenge.reminded and waiting_on is not None:",
        "            if False and waiting_on is not None:",
    ),
    "the proposer asked for a rating without the person's consent": (
        "bot/challenges/ending.py",
        "if challenge.share_ratings and proposer is not None",
        "if proposer is not None",
    ),
    "the proposer shown the person's ratings without their consent": (
        "bot/challenges/home.py",
        "ratings=_ratings(session, challenge) if challenge.share_ratings else None",
        "ratings=_ratings(session, challenge)",
    ),
    "a cohort card that names nobody who shared": (
        "bot/slack/blocks/challenges.py",
        "        if cohort.shared:\n",
        "        if False:\n",
    ),
    "a move to another zone that leaves challenges planned in the old one": (
        "bot/composition.py",
        "        people.hooks.zone_changed.append(course.replan_person)\n",
        "",
    ),
    "a card title not escaped": ("bot/slack/blocks/challenges.py", "*{escape(terms.title)}*", "*{terms.title}*"),
    "a card brief not escaped": ("bot/slack/blocks/challenges.py", "escape(terms.brief)]", "terms.brief]"),
}


def caught(copy: Path, path: str, before: str, after: str) -> str:
    file = copy / path
    original = file.read_text()
    if before not in original:
        return f"the code to change is gone from {path}: update this list"
    file.write_text(original.replace(before, after, 1))
    try:
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-n", "2", "-p", "no:cacheprovider", *TESTS]
        run = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=False)
    finally:
        file.write_text(original)
    failed = [line.removeprefix("FAILED ") for line in run.stdout.splitlines() if line.startswith("FAILED")]
    return f"caught by {failed[0].split(' - ')[0]}" if failed else "NOT CAUGHT"


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "tree"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.db"))
        results = {name: caught(copy, *change) for name, change in MUTANTS.items()}
    for name, result in results.items():
        print(f"{name}: {result}")
    return 0 if all(result.startswith("caught") for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
