"""The theme: its templates as text, the Jinja environment with the site's filters and
address functions, and the rendering of one page, whose failure is one line naming the
template's line."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from .. import __version__, urls
from ..config import Config
from ..model import Diagnostic, RenderError
from ..text import is_web_url
from .formats import (
    article_html,
    counted,
    date_formatter,
    machine_date,
)

GENERATOR = f"storyline {__version__}"


def render(
    theme: Theme, path: str, template: str, context: dict[str, Any], config: Config
) -> bytes:
    """The page at `path` (in the site) made with `template` from `context`."""
    full = {
        "site": config,
        "root": urls.root(path, config.base_url),
        "generator": GENERATOR,
        "canonical": (config.base_url + urls.pretty(path)) if config.base_url else None,
        **context,
    }
    try:
        return theme.environment().get_template(template).render(full).encode()
    except Exception as error:  # the theme's fault, or its data's: one line, no traceback
        raise RenderError(f"{_failed_at(error, theme, template)} (rendering {path})") from error


def _failed_at(error: Exception, theme: Theme, template: str) -> str:
    """`template:line: problem`, the line the innermost template frame's: Jinja puts the
    templates' own lines into the traceback."""
    paths = {path for _, _, path in theme.files}
    frames = traceback.extract_tb(error.__traceback__)
    inner = next((f for f in reversed(frames) if f.filename in paths), None)
    place = f"{inner.filename}:{inner.lineno}" if inner else None
    if isinstance(error, TemplateSyntaxError) and error.filename:
        place = f"{error.filename}:{error.lineno}"
    if isinstance(error, TemplateNotFound):
        problem = f"the template {error.name} does not exist"
    elif isinstance(error, TemplateError):
        problem = error.message or type(error).__name__
    else:
        problem = f"{type(error).__name__}: {error}"
    return f"{place or Path(theme.folder, template)}: {problem}"


@dataclass(frozen=True)
class Theme:
    """The templates, as text: a worker on another machine renders with them as they are
    here."""

    files: tuple[tuple[str, str, str], ...]  # name, source, path (for error messages)
    language: str
    folder: str  # where they were read from (for error messages)

    @classmethod
    def read(cls, templates: Path, language: str) -> Theme:
        """The theme folder's templates: its files but static/ (copied as they are). A file
        that is not UTF-8 text is no template (`check` names it)."""
        files = []
        for path in sorted(templates.rglob("*")):
            if path.is_file() and templates / "static" not in path.parents:
                try:
                    source = path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue
                files.append((path.relative_to(templates).as_posix(), source, str(path)))
        return cls(tuple(files), language, str(templates))

    def environment(self) -> Environment:
        return _environment(self)


@functools.lru_cache(maxsize=4)  # a worker renders many chunks with one theme
def _environment(theme: Theme) -> Environment:
    sources = {name: (source, path) for name, source, path in theme.files}

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in sources:
            return None
        source, path = sources[name]
        return source, path, lambda: True

    env = Environment(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fulldate"] = date_formatter(theme.language)
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["body"] = article_html
    env.filters["short"] = lambda text, n=40: (
        text if len(text.split()) <= n else " ".join(text.split()[:n]) + " …"
    )
    env.filters["outlets"] = lambda ids, by_id: ", ".join(
        dict.fromkeys(by_id[i].label for i in ids)
    )
    env.filters["counted"] = counted
    env.filters["machinedate"] = machine_date
    env.filters["pretty"] = urls.pretty
    # every href made from an article or a setting passes this test: `{% if url is web_url %}`
    env.tests["web_url"] = is_web_url
    env.globals["url"] = urls.FIXED
    env.globals["event_url"] = lambda e: urls.event_page(e.slug)
    env.globals["compare_url"] = lambda e: urls.compare_page(e.slug)
    env.globals["storyline_url"] = lambda s: urls.storyline_page(s.id)
    env.globals["quote_anchor"] = urls.quote_anchor
    return env


def template_problems(templates: Path) -> list[Diagnostic]:
    """Each template that does not compile (Jinja syntax), as `path:line: message`; a theme
    folder that does not exist is one problem."""
    if not templates.is_dir():
        return [Diagnostic(str(templates), "the templates folder does not exist")]
    env = Environment()
    problems = []
    for path in sorted(templates.rglob("*")):
        if path.suffix not in (".html", ".xml", ".txt") or not path.is_file():
            continue
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except TemplateSyntaxError as error:
            problems.append(Diagnostic(str(path), error.message or "syntax error", error.lineno))
        except UnicodeDecodeError as error:
            problems.append(Diagnostic(str(path), f"is not UTF-8 text ({error.reason})"))
    return problems
