"""The `content` commands (validate, sync, draft, tune-search, schema) and the sync that runs when the bot starts."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.cli import draft, tune
from bot.config import Settings
from bot.content.loader import DRAFTS, FOLDERS, TOP_FILES, Content, ContentErrors, load_content
from bot.content.sync import sync_content
from bot.runtime import Runtime, open_runtime

log = logging.getLogger(__name__)


def add_commands(commands: Any) -> None:
    content = commands.add_parser("content", help="validate, sync or describe the YAML content")
    actions = content.add_subparsers(title="content commands", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check every content file and draft; exit 1 on any error")
    validate.add_argument("directory", nargs="?", help="content directory (default: CONTENT_DIR)")
    validate.set_defaults(handler=cmd_validate)
    sync = actions.add_parser("sync", help="apply the content (never drafts/) to the database in one transaction")
    sync.add_argument("directory", nargs="?", help="content directory (default: CONTENT_DIR)")
    sync.set_defaults(handler=cmd_sync)
    draft.add_command(actions)
    tune.add_command(actions)
    schema = actions.add_parser("schema", help="write JSON Schemas of the content files for editors")
    schema.add_argument("--out", help="directory to write one schema per file type (default: print them)")
    schema.set_defaults(handler=cmd_schema)


def _directory(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.directory) if args.directory else settings.content_dir


def _load_or_report(directory: Path, *, drafts: bool = False) -> Content | None:
    try:
        return load_content(directory, drafts=drafts)
    except ContentErrors as failure:
        for error in failure.errors:
            print(error.message, file=sys.stderr)
        print(f"{len(failure.errors)} error(s) in {directory}; nothing was changed", file=sys.stderr)
        return None


def describe(content: Content) -> str:
    return (
        f"{len(content.skills)} skills, {len(content.roles)} roles, {len(content.resources)} resources, "
        f"{len(content.techniques)} techniques, {len(content.challenges)} challenges, "
        f"{len(content.synonyms)} synonym groups, "
        f"{len(content.holidays)} holidays"
    )


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    directory = _directory(args, settings)
    content = _load_or_report(directory, drafts=True)
    if content is None:
        return 1
    print(f"{directory}: ok ({describe(content)})")
    print(f"{len(content.drafts)} draft(s) in {DRAFTS}/: not synced until an admin moves each into resources/")
    return 0


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:

    content = _load_or_report(_directory(args, settings))
    if content is None:
        return 1
    runtime = open_runtime(settings, upgrade=False)
    try:
        report = sync_content(runtime.sessions, content, now=runtime.clock.now())
    finally:
        runtime.close()
    print(f"content synced: {report.summary()}")
    return 0


def schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of content file, keyed by the file name pattern it applies to."""
    found = {name: model.model_json_schema() for name, (model, _required) in TOP_FILES.items()}
    found.update({f"{folder}/*.yaml": model.model_json_schema() for folder, model in FOLDERS.items()})
    return found


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    documents = schemas()
    if not args.out:
        print(json.dumps(documents, indent=2))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for pattern, schema in documents.items():
        name = pattern.replace("/*.yaml", "").replace(".yaml", "") + ".schema.json"
        (out / name).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out / name}")
    return 0


def sync_on_start(runtime: Runtime) -> None:
    """Sync CONTENT_DIR when the bot starts; broken content stops the start with every error listed."""

    content = load_content(runtime.settings.content_dir)
    report = sync_content(runtime.sessions, content, now=runtime.clock.now())
    log.info("content synced: %s", report.summary())
