"""A draft resource on disk: its key, its YAML (the library's own file layout, marked as a draft) and an atomic
write that never replaces a file."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bot.content.loader import DRAFTS

KEY_MAX = 56  # the schema's 60, less a "-50" for a taken key
HEADER = (
    "# DRAFT, not in the library: an admin reviews it, then moves this file into content/resources/ to publish it.\n"
    "# `content validate` checks it as a resource; `content sync` ignores content/drafts/ until then.\n"
)
# Where keys live, and the list each file holds: a draft may take none of them.
KEYED = (("resources", "resources"), ("techniques", "techniques"), (DRAFTS, "resources"))


def key_base(text: str) -> str:
    """Lower-case words joined by hyphens, cut at a word: `giving-feedback-to-my-boss`."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    key = ""
    for word in words or ["draft"]:
        longer = f"{key}-{word}" if key else word[:KEY_MAX]
        if len(longer) > KEY_MAX:
            break
        key = longer
    return key


def keys_in_use(content_dir: Path) -> set[str]:
    """Keys of the resources, techniques and drafts in the files, and the names of those files (publishing a
    draft moves `<key>.yaml` beside them). A file that cannot be read adds its name only: validate reports it."""
    keys: set[str] = set()
    for folder, plural in KEYED:
        for path in (content_dir / folder).glob("*.y*ml"):
            keys.add(path.stem)
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            items = data.get(plural) if isinstance(data, dict) else None
            if isinstance(items, list):
                keys.update(str(item["key"]) for item in items if isinstance(item, dict) and "key" in item)
    return keys


class _Dumper(yaml.SafeDumper):
    """Text of several lines as a `|` block, the way the library's files are written."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def draft_yaml(resource: dict[str, Any]) -> str:
    """The draft as a resources file of one resource, under a header that says it is a draft."""
    body = yaml.dump({"resources": [resource]}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    return HEADER + body


def create_exclusively(path: Path, text: str) -> bool:
    """Write `path` atomically unless it exists (False then): a temporary file in the same folder, fsynced,
    then linked into place, which unlike a rename never replaces a file; the temporary name goes either way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        try:
            path.hardlink_to(temporary)
        except FileExistsError:
            return False
        return True
    finally:
        Path(temporary).unlink()
