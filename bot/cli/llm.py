"""The `llm` commands: list the prompts, and preview one rendered and answered."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings
from bot.errors import BadInput


def add_commands(commands: Any) -> None:
    llm = commands.add_parser("llm", help="the prompts and the model")
    actions = llm.add_subparsers(title="llm commands", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the prompts and their variables")
    listing.set_defaults(handler=cmd_list)
    preview = actions.add_parser("preview", help="render a prompt and show the answer (the template without a key)")
    preview.add_argument("prompt")
    preview.add_argument("--var", action="append", default=[], metavar="KEY=VALUE", help="a variable (repeat)")
    preview.add_argument("--text", help="the person's own text, for prompts that take it")
    preview.set_defaults(handler=cmd_preview)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.llm.prompts import PromptStore

    store = PromptStore.load()
    for name in store.names():
        spec = store.get(name).spec
        extra = f" + the person's {spec.user_text}" if spec.user_text else ""
        print(f"{name}: {spec.description}\n    variables: {', '.join(spec.variables)}{extra}")
    return 0


def cmd_preview(args: argparse.Namespace, settings: Settings) -> int:
    from bot.llm.client import build_writer
    from bot.llm.prompts import PromptStore
    from bot.llm.types import WriteRequest
    from bot.llm.writer import messages_for, render
    from bot.runtime import open_runtime

    variables = dict(_pair(item) for item in args.var)
    request = WriteRequest(prompt=args.prompt, variables=variables, user_text=args.text)
    rendered = render(PromptStore.load(), request)
    for message in messages_for(rendered):
        print(f"--- {message['role']} ---\n{message['content']}")
    runtime = open_runtime(settings)
    writer = build_writer(settings, sessions=runtime.sessions, clock=runtime.clock)
    try:
        written = writer.write(request)
    finally:
        writer.close()
        runtime.close()
    source = "model" if written.ai else f"template ({written.note})"
    print(f"--- answer, from the {source} ---\n{written.text}")
    return 0


def _pair(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise BadInput(f"--var takes KEY=VALUE, not {item!r}")
    return key.strip(), value
