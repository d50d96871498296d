"""Prompts as files in `prompts/`: loaded once, checked at start-up, rendered strictly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import jinja2
import yaml
from jinja2 import meta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import ContentError

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)  # noqa: S701


class PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    description: str
    variables: list[Annotated[str, Field(pattern=r"^[a-z_]+$")]]
    user_text: Annotated[str, Field(pattern=r"^[a-z_]+$")] | None = None
    max_tokens: Annotated[int, Field(ge=16, le=4000)]
    max_chars: Annotated[int, Field(ge=50, le=2900)]
    temperature: Annotated[float, Field(ge=0, le=2)] = 0.4
    system: str
    user: str
    fallback: str


@dataclass(frozen=True)
class RenderedPrompt:
    name: str
    system: str
    user: str
    fallback: str
    user_text: str | None
    max_tokens: int
    max_chars: int
    temperature: float


class PromptError(ContentError):
    """A prompt file is broken, or was rendered with the wrong variables."""


class Prompt:
    def __init__(self, spec: PromptFile, source: str) -> None:
        self.spec = spec
        self.source = source
        self._templates = {part: _ENV.from_string(getattr(spec, part)) for part in ("system", "user", "fallback")}
        for part in ("system", "user", "fallback"):
            used = meta.find_undeclared_variables(_ENV.parse(getattr(spec, part)))
            unknown = used - set(spec.variables)
            if unknown:
                raise PromptError(source, part, f"uses undeclared variable(s): {', '.join(sorted(unknown))}")

    def render(self, variables: Mapping[str, str], *, user_text: str | None = None) -> RenderedPrompt:
        """Render with exactly the declared variables: a missing or unknown one is an error."""
        given, declared = set(variables), set(self.spec.variables)
        if given != declared:
            problems = []
            if declared - given:
                problems.append(f"missing {', '.join(sorted(declared - given))}")
            if given - declared:
                problems.append(f"unknown {', '.join(sorted(given - declared))}")
            raise PromptError(self.source, "variables", "; ".join(problems))
        if (user_text is not None) and self.spec.user_text is None:
            raise PromptError(self.source, "user_text", "this prompt takes no text from the person")
        try:
            parts = {name: template.render(**variables).strip() for name, template in self._templates.items()}
        except jinja2.TemplateError as error:
            raise PromptError(self.source, "template", str(error)) from None
        return RenderedPrompt(
            name=self.spec.name,
            system=parts["system"],
            user=parts["user"],
            fallback=parts["fallback"],
            user_text=user_text,
            max_tokens=self.spec.max_tokens,
            max_chars=self.spec.max_chars,
            temperature=self.spec.temperature,
        )


class PromptStore:
    """Every prompt under a directory, loaded and checked once."""

    def __init__(self, prompts: Mapping[str, Prompt]) -> None:
        self._prompts = dict(prompts)

    @classmethod
    def load(cls, directory: Path = PROMPTS_DIR) -> PromptStore:
        prompts: dict[str, Prompt] = {}
        for path in sorted(directory.glob("*.yaml")):
            source = f"prompts/{path.name}"
            try:
                spec = PromptFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            except (yaml.YAMLError, ValidationError) as error:
                raise PromptError(source, "", f"invalid prompt file: {error}") from None
            if spec.name != path.stem:
                raise PromptError(source, "name", f"must match the file name ({path.stem})")
            prompts[spec.name] = Prompt(spec, source)
        if not prompts:
            raise PromptError(str(directory), "", "no prompt files found")
        return cls(prompts)

    def get(self, name: str) -> Prompt:
        try:
            return self._prompts[name]
        except KeyError:
            raise PromptError(f"prompts/{name}.yaml", "", "no such prompt") from None

    def names(self) -> list[str]:
        return sorted(self._prompts)
