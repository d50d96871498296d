"""The `content` commands (validate, sync, schema) and the sync that runs on start."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime


def add_content_commands(commands: Any) -> None:
    content = commands.add_parser("content", help="validate, sync or describe the YAML content")
    actions = content.add_subparsers(title="content commands", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check every content file; exit 1 on any error")
    validate.add_argument("directory", nargs="?")
    sync = actions.add_parser("sync", help="apply the content to the database in one transaction")
    sync.add_argument("directory", nargs="?")
    schema = actions.add_parser("schema", help="write a JSON Schema of the content files for editors")
    schema.add_argument("--out", help="file to write (default: standard output)")


def sync_on_start(runtime: Runtime) -> None:
    """Sync content when the bot starts (content arrives with the library)."""
    return
