"""Matplotlib figures as inline SVG for one HTML page. Matplotlib is imported on first use (the bot's start-up
never pays for it), figures are drawn one at a time under a lock (its settings are global), the same figure
gives the same bytes, and every id is prefixed so that several charts can share a page."""

from __future__ import annotations

import atexit
import html
import io
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Ids are hashed with a fixed salt; text stays text (the browser's font, searchable, small); "$" is no maths.
STYLE: dict[str, Any] = {
    "svg.hashsalt": "learnbot",
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans", "sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#57606a",
    "axes.labelcolor": "#1f2328",
    "xtick.color": "#57606a",
    "ytick.color": "#57606a",
    "hatch.color": "#6e7781",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
}
# No date, no creator, no RDF block: nothing that changes between two runs, no address in the page.
METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}

_LOCK = threading.Lock()
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^")]+)')
_NAMESPACE = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'\s+(width|height)="[^"]*"')


def render(*, prefix: str, label: str, size: tuple[float, float], draw: Callable[[Figure], None]) -> str:
    """One figure drawn by `draw` as an `<svg>` element for inline use: it scales to its container."""
    with _LOCK:
        matplotlib = _matplotlib()
        from matplotlib.figure import Figure

        with matplotlib.rc_context(STYLE):
            figure = Figure(figsize=size, layout="constrained")
            draw(figure)
            out = io.StringIO()
            figure.savefig(out, format="svg", metadata=METADATA)
    return inline(out.getvalue(), prefix=prefix, label=label)


def inline(svg: str, *, prefix: str, label: str) -> str:
    """Matplotlib's SVG document as an element of an HTML page: no prologue, no namespaces (HTML knows
    them), a viewBox and no fixed size, every id and reference to one prefixed."""
    element = svg[svg.index("<svg") :]
    opening, rest = element.split(">", 1)
    opening = _SIZE.sub("", _NAMESPACE.sub("", opening))
    opening += f' class="chart" role="img" aria-label="{html.escape(label)}"'
    element = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', f"{opening}>{rest}")
    return _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", element).strip()


def slug(text: str) -> str:
    """A piece of an id from a key or a word: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _matplotlib() -> Any:
    # Before the import: matplotlib would otherwise keep its cache under $HOME. A fresh private directory
    # (a fixed name in a shared /tmp could be someone else's), removed when the process ends.
    if "MPLCONFIGDIR" not in os.environ:
        os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="learnbot-matplotlib-")
        atexit.register(shutil.rmtree, os.environ["MPLCONFIGDIR"], ignore_errors=True)
    import matplotlib

    return matplotlib
