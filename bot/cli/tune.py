"""`content tune-search`: fit how /learn tells a good match from the closest it has and from nothing yet, on
labelled queries, and write `<content>/search.yaml` (or, with --check, say whether it is what they give)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings

LABELS = Path("bench/queries.yaml")  # the starter library's labelled queries (bench/README.md says how written)


def add_command(actions: Any) -> None:
    tune = actions.add_parser(
        "tune-search",
        help="fit the search's good / closest / nothing decision on labelled queries; write search.yaml",
        description=(
            "Searches each labelled query in the content as it is now, fits two logistic models on the features "
            "the search measures (thresholds by 5-fold cross-validation) and writes <content>/search.yaml, which "
            "content sync applies. Run it again when the content or the labels change."
        ),
    )
    tune.add_argument("--labels", type=Path, default=LABELS, help=f"labelled queries (default: {LABELS})")
    tune.add_argument("--dir", type=Path, metavar="CONTENT_DIR", help="content directory (default: CONTENT_DIR)")
    tune.add_argument("--check", action="store_true", help="write nothing; exit 1 when search.yaml differs")
    tune.set_defaults(handler=cmd_tune)


def cmd_tune(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.content import _load_or_report
    from bot.content.catalogue import Catalogue
    from bot.content.sync import sync_content
    from bot.db.engine import make_engine, make_session_factory
    from bot.db.migrate import upgrade
    from bot.library.shelf import Shelf
    from bot.library.tuning import load_labels, to_yaml, tune

    directory: Path = args.dir or settings.content_dir
    content = _load_or_report(directory)
    if content is None:
        return 1
    with tempfile.TemporaryDirectory(prefix="learnbot-tune-") as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'tune.db'}")
        try:
            upgrade(engine)
            sessions = make_session_factory(engine)
            sync_content(sessions, content, now=datetime.now(UTC))
            indexed = Shelf(sessions=sessions, catalogue=Catalogue(sessions)).current()
        finally:
            engine.dispose()
    labels = load_labels(args.labels, set(indexed.catalogue.resources))
    tuned = tune(indexed.index, labels, source=args.labels.name)
    print(tuned.search.fitted_on)
    for (label, answer), count in sorted(tuned.confusion.items()):
        print(f"  labelled {label}, answered {answer} (out of fold): {count}")
    text = to_yaml(tuned.search)
    target = directory / "search.yaml"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is not what {args.labels} gives: run `content tune-search`", file=sys.stderr)
            return 1
        print(f"{target}: as the labels give")
        return 0
    partial = target.with_suffix(".yaml.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    print(f"wrote {target}; `content sync` (or the bot's start) applies it")
    return 0
