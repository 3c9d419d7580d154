"""The board paper as one self-contained HTML file (inline CSS, charts as data URIs)."""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from forcepack.report.format import typographic
from forcepack.report.model import Block, Paper


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _idbreaks(measure_id: str) -> Markup:
    """A measure id that may break only after its dots and underscores, never mid-word."""
    escaped = str(Markup.escape(measure_id))
    return Markup(escaped.replace(".", ".<wbr>").replace("_", "_<wbr>"))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("forcepack.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["b64"] = _b64
    env.filters["idbreaks"] = _idbreaks
    env.filters["typographic"] = typographic
    return env


def stylesheet(extra: str = "") -> str:
    """The paper's stylesheet (shared by HTML and PDF), plus any ``extra`` rules."""
    css = resources.files("forcepack.report").joinpath("templates/paper.css").read_text("utf-8")
    return css + extra


def html_string(paper: Paper, *, extra_css: str = "", created: str | None = None) -> str:
    """The paper as an HTML document; no external requests (fonts are local, images inline)."""
    env = _environment()
    block_template = env.get_template("blocks.html.j2")

    def blocks(items: tuple[Block, ...]) -> Markup:
        return Markup(block_template.render(blocks=items))

    return env.get_template("paper.html.j2").render(
        paper=paper, css=Markup(stylesheet(extra_css)), blocks=blocks, created=created
    )


def render_html(paper: Paper, path: str | Path) -> Path:
    """Write the paper as one self-contained HTML file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_string(paper), encoding="utf-8")
    return path
