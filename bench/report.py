"""The report over six months of a synthetic workspace (bench/report_data.py) of 1,000, 10,000 and 50,000 people,
on SQLite and (with BENCH_DATABASE_URL) on PostgreSQL: `build_report` for the whole workspace and for a team of
a tenth of it, each renderer (json, csv, and html once `bot.reports.html` exists) on its own, each domain's
figures on their own, and a fresh `python -m bench.report --child` doing one whole report from cold: its peak
RSS with the interpreter and imports (VmHWM: on Linux ru_maxrss survives exec, so a child's ru_maxrss is at least
the parent's RSS at the fork), and the Python heap's peak with tracemalloc, in a second run.

Wall time beside CPU time: this process's (`time.process_time`), and on PostgreSQL the server backends' (from
/proc, for the database's client backends; parallel workers, which come and go, are not in it). A run whose wall
time is well above its CPU time was probably starved by something else on the machine and is taken again.

The SQLite file is generated once per size and seed and kept under the temp dir (learnbot-bench-report/); the
PostgreSQL database `learnbot_bench_report` is a copy of it, made per size and dropped at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT, fmt, table, throwaway_database
from bench.report_data import SINCE, UNTIL, cached_sqlite, copy_database

NAME = "report"
FULL = (1_000, 10_000, 50_000)
QUICK = (1_000,)
SEED = 7
TEAM_SHARE = 0.1
REPEATS = 3
STARVED = 1.5  # wall time above this many times the CPU time: probably starved, measured again
MIN_GROUP = 5
DEFAULT_TZ = "Europe/London"
GOAL_SECONDS, GOAL_PEOPLE, GOAL_MB = 5.0, 10_000, 200.0
PG_DATABASE = "learnbot_bench_report"


# -- renderers: each a step of its own; html as soon as bot.reports.html exists ----------------------------------
@dataclass(frozen=True)
class Renderer:
    name: str
    render: Callable[[Any], str] | None
    missing: str = ""


def renderers() -> list[Renderer]:
    from bot.reports.output import to_csv, to_json

    found = [Renderer("json", to_json), Renderer("csv", to_csv)]
    try:
        from bot.reports.html import to_html  # type: ignore[import-not-found, unused-ignore]
    except ImportError as error:
        found.append(Renderer("html", None, f"not available ({error})"))
    else:
        found.append(Renderer("html", to_html))
    return found


# -- timing ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float  # this process
    server: float  # PostgreSQL's backends (0 on SQLite)

    @property
    def starved(self) -> bool:
        return self.wall > 0.05 and self.wall > STARVED * (self.cpu + self.server)

    def as_dict(self) -> dict[str, float]:
        return {"wall": self.wall, "cpu": self.cpu, "server_cpu": self.server}


class Backends:
    """CPU seconds of the database's client backends, read from /proc (PostgreSQL on this machine only)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        # a connection of its own, so that the pooled one the report uses is among those counted
        postgres = engine.dialect.name == "postgresql"
        self.engine = create_engine(engine.url, poolclass=NullPool) if postgres else None
        self.tick = os.sysconf("SC_CLK_TCK")

    def cpu(self) -> float:
        if self.engine is None:
            return 0.0
        from sqlalchemy import text

        with self.engine.connect() as connection:
            pids = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                )
            ).scalars()
            return sum(self._seconds(pid) for pid in pids)

    def _seconds(self, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime, stime


def timed(step: Callable[[], Any], backends: Backends, repeats: int = REPEATS) -> tuple[Timed, Any]:
    """The median run by wall time of `repeats` (each starved one taken again, twice at most), and a result."""
    runs: list[Timed] = []
    result, retries = None, 0
    while len(runs) < repeats:
        server, cpu, started = backends.cpu(), time.process_time(), time.perf_counter()
        result = step()
        run = Timed(time.perf_counter() - started, time.process_time() - cpu, backends.cpu() - server)
        if run.starved and retries < 2:
            retries += 1
            continue
        runs.append(run)
    runs.sort(key=lambda run: run.wall)
    return runs[len(runs) // 2], result


# -- one database ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    engine: Any
    sessions: Any
    backends: Backends
    shelf: Any
    workspace_id: int
    team: frozenset[int]


@contextmanager
def opened(url: str) -> Iterator[Setting]:
    import random

    from sqlalchemy import select

    from bot.content.catalogue import Catalogue
    from bot.db.engine import make_engine, make_session_factory
    from bot.db.migrate import upgrade
    from bot.library.shelf import Shelf
    from bot.people.models import Person
    from bot.people.roster import workspaces

    engine = make_engine(url)
    try:
        upgrade(engine)  # a cached file gets the migrations added since it was made
        sessions = make_session_factory(engine)
        shelf = Shelf(sessions=sessions, catalogue=Catalogue(sessions)).current()
        with sessions() as session:
            workspace_id = workspaces(session)[0][0]
            everyone = sorted(session.scalars(select(Person.id).where(Person.workspace_id == workspace_id)))
        team = frozenset(random.Random(SEED).sample(everyone, max(1, round(len(everyone) * TEAM_SHARE))))
        yield Setting(engine, sessions, Backends(engine), shelf, workspace_id, team)
    finally:
        engine.dispose()


def report_of(setting: Setting, person_ids: frozenset[int] | None) -> Any:
    from bot.reports.build import build_report
    from bot.reports.values import Scope

    return build_report(
        setting.sessions,
        Scope(setting.workspace_id, "bench", person_ids),
        since=SINCE,
        until=UNTIL,
        shelf=setting.shelf,
        min_group=MIN_GROUP,
        default_tz=DEFAULT_TZ,
    )


def domains(setting: Setting) -> dict[str, Callable[[], Any]]:
    """Each domain's figures for the whole workspace, as build_report asks for them."""
    from bot.challenges import figures as challenge_figures
    from bot.db.figures import Among
    from bot.library import figures as library_figures
    from bot.measurement import figures as measurement_figures
    from bot.practice import figures as practice_figures
    from bot.reports.needs import needs
    from bot.reports.values import Rule

    among = Among(setting.workspace_id, None, SINCE, UNTIL)

    def step(figures: Callable[..., Any], *more: Any) -> Callable[[], Any]:
        def run() -> Any:
            with setting.sessions() as session:
                return figures(session, among, *more)

        return run

    return {
        "capability": step(measurement_figures.capability),
        "adherence": step(challenge_figures.adherence),
        "practice": step(practice_figures.practice),
        "library": step(library_figures.resources),
        "needs": step(needs, setting.shelf, Rule(MIN_GROUP), DEFAULT_TZ),
    }


def statements(setting: Setting, engine: Any, *, top: int = 5) -> list[dict[str, Any]]:
    """One whole report with each SQL statement timed: the slowest, with the database's plan of the slowest."""
    from sqlalchemy import event

    seen: list[tuple[float, str, Any]] = []

    def before(connection: Any, _cursor: Any, _statement: str, _params: Any, _context: Any, _many: bool) -> None:
        connection.info["bench_started"] = time.perf_counter()

    def after(connection: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        seen.append((time.perf_counter() - connection.info.pop("bench_started"), statement, params))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        report_of(setting, None)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    seen.sort(key=lambda item: -item[0])
    slowest = [{"seconds": seconds, "sql": " ".join(sql.split())[:160]} for seconds, sql, _ in seen[:top]]
    if seen:
        slowest[0]["plan"] = plan(engine, seen[0][1], seen[0][2])
    return slowest


def plan(engine: Any, statement: str, params: Any) -> list[str]:
    """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL) of a statement as the driver ran it."""
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(explain + statement, params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]
    finally:
        connection.close()


def measure(url: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with opened(url) as setting:
        report_of(setting, None)  # warm: the database's caches, SQLAlchemy's compiled statements
        whole, report = timed(lambda: report_of(setting, None), setting.backends)
        team, _ = timed(lambda: report_of(setting, setting.team), setting.backends)
        found["build_whole"], found["build_team"] = whole.as_dict(), team.as_dict()
        found["team_people"] = len(setting.team)
        found["starved_hint"] = whole.starved or team.starved
        found["renderers"] = {}
        for renderer in renderers():
            if renderer.render is None:
                found["renderers"][renderer.name] = {"missing": renderer.missing}
                continue
            render = renderer.render
            run, text = timed(lambda render=render: render(report), setting.backends)  # type: ignore[misc]
            found["renderers"][renderer.name] = {**run.as_dict(), "chars": len(text)}
        found["domains"] = {name: timed(step, setting.backends)[0].as_dict() for name, step in domains(setting).items()}
        found["slowest_statements"] = statements(setting, setting.engine)
        found["figures"] = {
            "capability_skills": len(report.capability),
            "topics": len(report.needs.topics),
            "resources": len(report.library.resources),
        }
    return found


# -- a fresh process, from cold ---------------------------------------------------------------------------------------
def cold(url: str, *, trace: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bench.report", "--child", url, *(["--trace"] if trace else [])]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the child failed ({done.returncode}): {done.stderr[-2000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "wall_with_start": time.perf_counter() - started}


def vm_peak_mb() -> float:
    """This process's own peak RSS (VmHWM), reset by exec, unlike ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(url: str, *, trace: bool) -> None:
    """One whole report from cold: imports, engine, the search index, build_report, every renderer."""
    import resource
    import tracemalloc

    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with opened(url) as setting:
        report = report_of(setting, None)
        sizes = {r.name: len(r.render(report)) for r in renderers() if r.render is not None}
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    figures = {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_rss_mb": vm_peak_mb(),
        # Linux keeps the larger of this and the parent's RSS at fork across exec: not the child's own figure
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heap_peak_mb": heap,
        "rendered": sizes,
    }
    print(json.dumps(figures))


# -- the run ---------------------------------------------------------------------------------------------------
def on(url: str, label: str) -> dict[str, Any]:
    print(f"  {label}: measuring", flush=True)
    found = measure(url)
    found["cold"] = cold(url, trace=False)
    found["cold_traced"] = cold(url, trace=True)
    return found


def run(*, quick: bool) -> dict[str, Any]:
    sizes = QUICK if quick else FULL
    results: dict[str, Any] = {"sizes": list(sizes), "since": SINCE.isoformat(), "until": UNTIL.isoformat()}
    results["load_average_at_start"] = os.getloadavg()
    results["data"], results["sqlite"], results["postgresql"] = {}, {}, {}
    server = os.environ.get("BENCH_DATABASE_URL")
    for people in sizes:
        started = time.perf_counter()
        path, made = cached_sqlite(people, seed=SEED)
        made["ready_seconds"] = time.perf_counter() - started
        results["data"][people] = made
        print(f"{people:,} people: {sum(made['rows'].values()):,} rows in {path}", flush=True)
        url = f"sqlite:///{path}"
        results["sqlite"][people] = on(url, "sqlite")
        if not server:
            continue
        with throwaway_database(Path("."), PG_DATABASE) as pg_url:
            from bot.db.engine import make_engine

            source = make_engine(url)
            try:
                made["copy_to_postgresql_seconds"] = copy_database(source, pg_url)
            finally:
                source.dispose()
            results["postgresql"][people] = on(pg_url, "postgresql")
    if not server:
        results["postgresql"] = {"skipped": "set BENCH_DATABASE_URL"}
    results["load_average_at_end"] = os.getloadavg()
    print_report(results)
    return results


# -- the tables ------------------------------------------------------------------------------------------------
def _rows(results: dict[str, Any], people: int) -> int:
    return sum(results["data"][people]["rows"].values())


def _time(figure: dict[str, Any]) -> str:
    if "missing" in figure:
        return "n/a"
    server = f" + {figure['server_cpu']:.2f}" if figure["server_cpu"] else ""
    return f"{figure['wall']:.3f} ({figure['cpu']:.2f}{server})"


def html_goal(found: dict[str, Any]) -> tuple[str, float]:
    """The time the goal is about: build + html, or build + json while html is not available."""
    used = "html" if "missing" not in found["renderers"]["html"] else "json"
    return used, found["build_whole"]["wall"] + found["renderers"][used]["wall"]


def print_report(r: dict[str, Any]) -> None:
    print(
        f"\nsix months ({r['since'][:10]} to {r['until'][:10]}); load average {r['load_average_at_start'][0]:.2f} "
        f"at start, {r['load_average_at_end'][0]:.2f} at end; times in s: wall (CPU here + CPU in PostgreSQL), "
        f"median of {REPEATS}\n"
    )
    for database in ("sqlite", "postgresql"):
        runs = r[database]
        if "skipped" in runs:
            print(f"{database}: skipped ({runs['skipped']})\n")
            continue
        rows = []
        for people, found in runs.items():
            renders = found["renderers"]
            used, seconds = html_goal(found)
            rows.append(
                [
                    people,
                    _rows(r, people),
                    _time(found["build_whole"]),
                    _time(found["build_team"]),
                    *(_time(renders[name]) for name in ("json", "csv", "html")),
                    f"{seconds:.2f} ({used})",
                    found["cold"]["peak_rss_mb"],
                    found["cold_traced"]["heap_peak_mb"],
                ]
            )
        headers = ["people", "rows", "whole", "team 10%", "json", "csv", "html", "whole + render", "RSS MB", "heap MB"]
        print(table(headers, rows, title=f"{database}: build_report and renderers"))
        names = list(next(iter(runs.values()))["domains"])
        print()
        print(
            table(
                ["people", *names],
                [[people, *(_time(found["domains"][n]) for n in names)] for people, found in runs.items()],
                title=f"{database}: each domain's figures, whole workspace",
            )
        )
        largest = list(runs)[-1]
        print(f"\n{database}: the slowest statements of one whole report at {largest:,} people (s)")
        for statement in runs[largest]["slowest_statements"]:
            print(f"  {statement['seconds']:.3f}  {statement['sql'][:110]}")
        print("  plan of the slowest:\n    " + "\n    ".join(runs[largest]["slowest_statements"][0].get("plan", [])))
        print()
        print_growth(r, database)
        print_goals(r, database)
        print()
    missing = next((f["renderers"]["html"].get("missing", "") for d in ("sqlite",) for f in r[d].values()), "")
    if missing:
        print(f"html: {missing}; the goal is checked on build + json meanwhile")


def print_growth(r: dict[str, Any], database: str) -> None:
    runs = r[database]
    sizes = [people for people in r["sizes"] if people in runs]
    rows = []
    for small, large in itertools.pairwise(sizes):
        rows.append(
            [
                f"{small:,} -> {large:,}",
                large / small,
                _rows(r, large) / _rows(r, small),
                runs[large]["build_whole"]["wall"] / runs[small]["build_whole"]["wall"],
                runs[large]["build_team"]["wall"] / runs[small]["build_team"]["wall"],
                runs[large]["cold"]["peak_rss_mb"] / runs[small]["cold"]["peak_rss_mb"],
            ]
        )
    if rows:
        headers = ["growth", "people", "rows", "whole (wall)", "team (wall)", "peak RSS"]
        print(table(headers, rows, title=f"{database}: growth ratios"))
        print()


def print_goals(r: dict[str, Any], database: str) -> None:
    found = r[database].get(GOAL_PEOPLE)
    if found is None:
        return
    used, seconds = html_goal(found)
    rss = found["cold"]["peak_rss_mb"]
    within = f"{GOAL_PEOPLE:,} people, build + {used} <= {GOAL_SECONDS:.0f} s"
    print(
        table(
            ["goal", "measured", "met"],
            [
                [within, fmt(seconds), seconds <= GOAL_SECONDS],
                [f"peak RSS from cold <= {GOAL_MB:.0f} MB", fmt(rss), rss <= GOAL_MB],
            ],
            title=f"{database}: goals",
        )
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--child", metavar="URL", required=True, help="do one whole report from cold and exit")
    parser.add_argument("--trace", action="store_true", help="with tracemalloc, for the Python heap's peak")
    args = parser.parse_args()
    child(args.child, trace=args.trace)
