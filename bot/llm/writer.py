"""Writers: the template writer (no network) and the OpenAI-compatible writer that falls back to it.

The model writer never raises and never blocks past the caller's deadline: timeouts, rate limits, server
errors, malformed or cut-off answers, refusals and an exhausted token budget all give the template text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta
from typing import Any

import openai
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.db.engine import transaction
from bot.llm import repository
from bot.llm.output import clean_output
from bot.llm.prompts import PromptStore, RenderedPrompt
from bot.llm.types import WriteRequest, Written

log = logging.getLogger(__name__)

USER_TEXT_MAX = 2000  # the person's own words, as sent to the model


class TemplateWriter:
    """Every text from the prompt's deterministic fallback template. Needs no network."""

    def __init__(self, store: PromptStore) -> None:
        self.store = store

    def write(self, request: WriteRequest) -> Written:
        return Written(render(self.store, request).fallback, ai=False, note="template")

    def close(self) -> None:
        return


def render(store: PromptStore, request: WriteRequest) -> RenderedPrompt:
    user_text = request.user_text[:USER_TEXT_MAX] if request.user_text is not None else None
    return store.get(request.prompt).render(request.variables, user_text=user_text)


def messages_for(rendered: RenderedPrompt) -> list[dict[str, str]]:
    """Instructions in the system message; the person's text, when any, alone in a message of its own."""
    messages = [{"role": "system", "content": rendered.system}, {"role": "user", "content": rendered.user}]
    if rendered.user_text is not None:
        messages.append({"role": "user", "content": rendered.user_text})
    return messages


BREAK_AFTER = 3  # failures in a row (timeouts, 429s, 5xx, no connection) before the model is left alone
COOL_DOWN = timedelta(minutes=5)
UNAVAILABLE = frozenset({"timeout", "rate_limited", "connection", "deadline"})


class Breaker:
    """After a few failures in a row the model is not called for a while (the templates answer), so a down
    or throttling model costs each request nothing; the first success closes it again."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._failures = 0
        self._open_until: datetime | None = None
        self._lock = threading.Lock()

    def open(self) -> bool:
        with self._lock:
            return self._open_until is not None and self._clock.now() < self._open_until

    def record(self, outcome: str) -> None:
        """Count a failure that says the model is unavailable (a bad answer does not); a success resets."""
        with self._lock:
            if outcome == "ok":
                self._failures, self._open_until = 0, None
                return
            if outcome not in UNAVAILABLE and not outcome.startswith("http_5"):
                return
            self._failures += 1
            now = self._clock.now()
            if self._failures >= BREAK_AFTER and (self._open_until is None or now >= self._open_until):
                self._open_until = now + COOL_DOWN  # after it, one try: a failure opens it again at once
                log.warning(
                    "llm: the model failed %s times in a row (last: %s); the templates answer for %s minutes",
                    self._failures,
                    outcome,
                    int(COOL_DOWN.total_seconds() // 60),
                )


class OpenAIWriter:
    def __init__(
        self,
        *,
        store: PromptStore,
        client: openai.OpenAI,
        model: str,
        sessions: sessionmaker[Session],
        clock: Clock,
        daily_budget: int,
        cache_seconds: int,
        moderation: bool = False,
    ) -> None:
        self.store = store
        self._client = client
        self._model = model
        self._sessions = sessions
        self._clock = clock
        self._budget = daily_budget
        self._cache_for = timedelta(seconds=cache_seconds)
        self._moderation = moderation
        self.breaker = Breaker(clock)

    def close(self) -> None:
        """Nothing to wait for: a call still in flight runs on a daemon thread, and its answer, which nobody
        can use any more, goes with the process."""
        return

    def write(self, request: WriteRequest) -> Written:
        rendered = render(self.store, request)
        if request.deadline is not None and request.deadline <= 0:
            return Written(rendered.fallback, ai=False, note="no time left")
        if self.breaker.open():
            return Written(rendered.fallback, ai=False, note="model unavailable")
        messages = messages_for(rendered)
        key = self._cache_key(rendered, messages)
        workspace = request.workspace_id or 0
        try:
            with transaction(self._sessions) as session:
                cached = repository.cached_text(session, key, now=self._clock.now())
                used = repository.tokens_used(session, workspace_id=workspace, day=self._clock.now().date())
        except SQLAlchemyError:
            log.warning("llm: cannot read the cache or budget; using the template", exc_info=True)
            return Written(rendered.fallback, ai=False, note="database")
        if cached is not None:
            return Written(cached, ai=True, note="cache")
        if used >= self._budget:
            self._record(rendered, workspace, "budget", None, 0.0)
            return Written(rendered.fallback, ai=False, note="budget")
        future: Future[Written | None] = Future()
        threading.Thread(
            target=_settle,
            args=(future, self._call, rendered, messages, key, request, workspace),
            name="llm",
            daemon=True,
        ).start()
        try:
            written = future.result(timeout=request.deadline)
        except FutureTimeout:
            log.info("llm: %s passed its %.1fs deadline; template sent", rendered.name, request.deadline)
            self.breaker.record("deadline")
            return Written(rendered.fallback, ai=False, note="deadline")
        return written or Written(rendered.fallback, ai=False, note="model failed")

    def _cache_key(self, rendered: RenderedPrompt, messages: list[dict[str, str]]) -> str:
        material = [self._model, rendered.max_tokens, rendered.temperature, messages]
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def _call(
        self, rendered: RenderedPrompt, messages: list[dict[str, str]], key: str, request: WriteRequest, workspace: int
    ) -> Written | None:
        started = time.monotonic()
        if self._moderation and rendered.user_text and self._flagged(rendered.user_text):
            self._record(rendered, workspace, "moderation", None, started)
            return None
        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=messages,  # type: ignore[arg-type]
                max_tokens=rendered.max_tokens,
                temperature=rendered.temperature,
            )
        except Exception as error:  # every failure of the call means: use the template
            self._record(rendered, workspace, _failure(error), None, started)
            return None
        outcome, text = _judge(response, rendered, request.allowed_links)
        self._record(rendered, workspace, outcome, response, started, cache=(key, text), author=request.author_id)
        return Written(text, ai=True) if text is not None else None

    def _flagged(self, text: str) -> bool:
        try:
            result = self._client.moderations.create(input=text)
        except Exception:
            log.warning("llm: moderation call failed; treating the text as flagged", exc_info=True)
            return True
        return any(item.flagged for item in result.results)

    def _record(
        self,
        rendered: RenderedPrompt,
        workspace: int,
        outcome: str,
        response: Any,
        started: float,
        *,
        cache: tuple[str, str | None] | None = None,
        author: int | None = None,
    ) -> None:
        usage = getattr(response, "usage", None)
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        now = self._clock.now()
        duration = int((time.monotonic() - started) * 1000) if started else 0
        self.breaker.record(outcome)
        if outcome != "ok":
            log.info("llm: %s used the template (%s)", rendered.name, outcome)
        try:
            with transaction(self._sessions) as session:
                repository.record_call(
                    session,
                    workspace_id=workspace or None,
                    prompt=rendered.name,
                    model=self._model,
                    outcome=outcome,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    duration_ms=duration,
                    now=now,
                )
                if prompt_tokens + completion_tokens:
                    repository.add_tokens(
                        session, workspace_id=workspace, day=now.date(), tokens=prompt_tokens + completion_tokens
                    )
                if cache is not None and cache[1] is not None and self._cache_for:
                    expires = now + self._cache_for
                    repository.cache_text(session, cache[0], cache[1], now=now, expires_at=expires, person_id=author)
        except SQLAlchemyError:
            log.warning("llm: could not record a call", exc_info=True)


def _settle(future: Future[Any], call: Any, *args: Any) -> None:
    """Run `call` and put its result in `future` (a daemon thread per call: a hung model never holds up a
    shutdown; the breaker and the callers' deadlines keep their number small)."""
    if future.set_running_or_notify_cancel():
        try:
            future.set_result(call(*args))
        except BaseException as error:
            future.set_exception(error)


def _failure(error: Exception) -> str:
    if isinstance(error, openai.APITimeoutError):
        return "timeout"
    if isinstance(error, openai.RateLimitError):
        return "rate_limited"
    if isinstance(error, openai.APIStatusError):
        return f"http_{error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "connection"
    return "malformed"


def _judge(response: Any, rendered: RenderedPrompt, allowed_links: frozenset[str]) -> tuple[str, str | None]:
    """Decide whether the answer can be shown: ("ok", text) or (why not, None)."""
    choices = getattr(response, "choices", None) or []
    if not choices:
        return "malformed", None
    choice = choices[0]
    message = getattr(choice, "message", None)
    if getattr(message, "refusal", None):
        return "refusal", None
    if choice.finish_reason == "length":
        return "cut_off", None
    if choice.finish_reason == "content_filter":
        return "content_filter", None
    text = clean_output(getattr(message, "content", None), max_chars=rendered.max_chars, allowed_links=allowed_links)
    return ("ok", text) if text is not None else ("empty", None)
