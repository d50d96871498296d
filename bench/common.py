"""What the benchmarks share: tables, percentiles, the labelled queries and a throwaway database with content."""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
QUERIES_FILE = BENCH_DIR / "queries.yaml"
CONTENT_DIR = ROOT / "content"


# -- the labelled queries ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelledQuery:
    query: str
    relevant: tuple[str, ...]
    role: str | None = None


def load_queries(path: Path = QUERIES_FILE) -> list[LabelledQuery]:
    """The labelled queries: those with relevant resources, then those the library has nothing for."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledQuery(query=str(item["query"]), relevant=tuple(item.get("relevant", ())), role=item.get("role"))
        for item in data["queries"]
    ] + [LabelledQuery(query=str(query), relevant=()) for query in data.get("nothing", [])]


# -- figures -----------------------------------------------------------------------------------------------
def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0-100) percentile with linear interpolation between the closest ranks; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * share / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(milliseconds: Sequence[float]) -> dict[str, float]:
    return {
        "count": len(milliseconds),
        "p50_ms": percentile(milliseconds, 50),
        "p90_ms": percentile(milliseconds, 90),
        "p99_ms": percentile(milliseconds, 99),
        "max_ms": max(milliseconds) if milliseconds else math.nan,
        "mean_ms": sum(milliseconds) / len(milliseconds) if milliseconds else math.nan,
    }


def peak_rss_mb() -> float:
    """The process's peak resident set size so far (ru_maxrss is in KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- output ----------------------------------------------------------------------------------------------------
def fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "") -> str:
    """A plain-text table: numbers right-aligned, text left-aligned."""
    cells = [[fmt(value) for value in row] for row in rows]
    numeric = [all(isinstance(row[i], int | float) for row in rows) if rows else False for i in range(len(headers))]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if numeric[i] else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)]
    return "\n".join(out)


def write_results(name: str, results: dict[str, Any], *, quick: bool) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    document = {
        "benchmark": name,
        "quick": quick,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "results": results,
    }
    path.write_text(json.dumps(document, indent=2, default=_json_default, allow_nan=False) + "\n", encoding="utf-8")
    return path


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def clean_for_json(value: Any) -> Any:
    """NaN and infinities become None, so the JSON stays strict."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {key: clean_for_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_for_json(item) for item in value]
    return value


# -- a database with the shipped content --------------------------------------------------------------------
@dataclass(frozen=True)
class ContentDatabase:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]


@contextmanager
def sqlite_with_content(content_dir: Path = CONTENT_DIR) -> Iterator[ContentDatabase]:
    """A throwaway SQLite file, migrated to head, with the content synced."""
    with (
        tempfile.TemporaryDirectory(prefix="learnbot-bench-") as scratch,
        database_with_content(f"sqlite:///{Path(scratch) / 'bench.db'}", content_dir) as database,
    ):
        yield database


@contextmanager
def database_with_content(url: str, content_dir: Path = CONTENT_DIR) -> Iterator[ContentDatabase]:
    from bot.content.loader import load_content
    from bot.content.sync import sync_content
    from bot.db.engine import make_engine, make_session_factory
    from bot.db.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        sync_content(sessions, load_content(content_dir), now=datetime.now(UTC))
        yield ContentDatabase(url=url, engine=engine, sessions=sessions)
    finally:
        engine.dispose()


@contextmanager
def throwaway_database(scratch: Path, name: str) -> Iterator[str]:
    """A SQLite file in `scratch`, or a fresh database `name` on BENCH_DATABASE_URL's PostgreSQL server,
    dropped afterwards."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        yield f"sqlite:///{scratch / (name + '.db')}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from bot.config import Settings

    url = make_url(Settings(_env_file=None, database_url=server).database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        with admin.connect() as connection:
            connection.execute(drop)
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()
