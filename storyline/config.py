"""config.yaml: a declarative schema with defaults; every error is reported at once (as MkDocs
does)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .model import Diagnostic

# what Dask accepts as a scheduler's address: [protocol://]host:port
DASK_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9A-Fa-f:]+\]|[\w.-]+):\d{1,5}")


class ConfigError(Exception):
    """Every problem of a settings file at once; `lines` gives each one's line where known
    (and `column`, the place of a YAML syntax error)."""

    def __init__(
        self,
        path: str,
        errors: list[str],
        lines: list[int | None] | None = None,
        column: int | None = None,
    ):
        self.errors = errors
        self.diagnostics = [
            Diagnostic(path, error, line, column)
            for error, line in zip(errors, lines or [None] * len(errors), strict=True)
        ]
        super().__init__("\n".join(str(d) for d in self.diagnostics))


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    homepage: str | None = None
    # the user's own labels, shown as given: {"lean": "...", "ownership": "...", "country": "..."}
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Config:
    title: str | None = None  # None: the render stage names the site after its story
    description: str = ""
    base_url: str | None = None
    language: str = "en"
    timezone: str = "UTC"
    date_order: str = "DMY"
    similarity: float = 0.23
    max_days_apart: int = 3
    entity_weight: float = 0.3
    date_penalty: float = 0.15
    place_penalty: float = 0.05
    candidate_window_days: int = 14
    storyline_similarity: float = 0.25
    attach_similarity: float = 0.15
    outlets: tuple[Outlet, ...] = field(default_factory=tuple)
    # where the build runs: no part of the site, so left out of the repr that cache keys and
    # page keys hash (a cluster build reuses a local build's cache, and the reverse)
    scheduler: str | None = field(default=None, repr=False, compare=False)
    scheduler_timeout: float = field(default=10.0, repr=False, compare=False)


# --- option types: each takes the raw value and returns (value, error) ---

Check = Callable[[Any], tuple[Any, str | None]]


def _string(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        return value, None
    return None, f"must be text, not {type(value).__name__}"


def _title(value: Any) -> tuple[Any, str | None]:
    """Empty or blank: no title, so the site is named after its story."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    return _string(value)


def _url(value: Any) -> tuple[Any, str | None]:
    if value in (None, ""):
        return None, None
    if not isinstance(value, str):
        return None, f"must be a URL, not {type(value).__name__}"
    parts = urlparse(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None, f"{value!r} is not an http(s) URL"
    return value.rstrip("/") + "/", None


def _timezone(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "must be a time zone name such as 'Europe/Paris'"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None, f"{value!r} is not a known time zone (use a name such as 'Europe/Paris')"
    return value, None


def _choice(*allowed: str) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        if value in allowed:
            return value, None
        return None, f"{value!r} is not one of {', '.join(allowed)}"

    return check


def _number(low: float, high: float, integer: bool = False) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            return None, f"must be {'a whole number' if integer else 'a number'}"
        if not low <= value <= high:
            return None, f"must be between {low} and {high}, not {value}"
        return value, None

    return check


def _scheduler(value: Any) -> tuple[Any, str | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, str) and (value == "local" or DASK_ADDRESS.fullmatch(value)):
        return value, None
    return None, f"{value!r} is not 'local' nor a Dask scheduler address such as tcp://host:8786"


def _outlets(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, "must be a list of outlets, each with name, aliases and homepage"
    outlets, problems = [], []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"[{i}] needs a 'name'")
            continue
        unknown = set(item) - {"name", "aliases", "homepage", "labels"}
        labels = item.get("labels") or {}
        aliases = item.get("aliases") or []
        homepage, url_error = _url(item.get("homepage"))
        if unknown:
            problems.append(f"[{i}] has unknown keys: {', '.join(sorted(unknown))}")
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"[{i}].aliases must be a list of names")
        if url_error:
            problems.append(f"[{i}].homepage: {url_error}")
        if not isinstance(labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float) for k, v in labels.items()
        ):
            problems.append(f"[{i}].labels must map label names to text (lean: centre)")
        if not problems:
            outlets.append(
                Outlet(
                    item["name"],
                    tuple(aliases),
                    homepage,
                    tuple((k, str(v)) for k, v in labels.items()),
                )
            )
    return tuple(outlets), "; ".join(problems) or None


# settings at the top of config.yaml, beside the sections: key -> (field of Config, check)
TOP_LEVEL: dict[str, tuple[str, Check]] = {
    "scheduler": ("scheduler", _scheduler),
    "scheduler_timeout": ("scheduler_timeout", _number(0.1, 3600)),
}
# key in a section of config.yaml -> (field of Config, check)
SCHEMA: dict[str, dict[str, tuple[str, Check]]] = {
    "site": {
        "title": ("title", _title),
        "description": ("description", _string),
        "base_url": ("base_url", _url),
        "language": ("language", _string),
        "timezone": ("timezone", _timezone),
    },
    "dates": {"order": ("date_order", _choice("DMY", "MDY", "YMD"))},
    "grouping": {
        "similarity": ("similarity", _number(0.0, 1.0)),
        "max_days_apart": ("max_days_apart", _number(0, 3650, integer=True)),
        "entity_weight": ("entity_weight", _number(0.0, 1.0)),
        "date_penalty": ("date_penalty", _number(0.0, 1.0)),
        "place_penalty": ("place_penalty", _number(0.0, 1.0)),
        "candidate_window_days": ("candidate_window_days", _number(0, 3650, integer=True)),
        "storyline_similarity": ("storyline_similarity", _number(0.0, 1.0)),
        "attach_similarity": ("attach_similarity", _number(0.0, 1.0)),
    },
}


def parse_config(data: Any, path: str = "config.yaml") -> Config:
    """Validate the loaded YAML; raise ConfigError naming every bad key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, ["the file must hold a mapping of settings"])
    values: dict[str, Any] = {}
    errors: list[str] = []
    for section, raw in data.items():
        if section == "outlets":
            values["outlets"], error = _outlets(raw or [])
            if error:
                errors.append(f"outlets: {error}")
            continue
        if section in TOP_LEVEL:
            _apply(section, TOP_LEVEL[section], raw, values, errors)
            continue
        options = SCHEMA.get(section)
        if options is None:
            known = ", ".join([*SCHEMA, "outlets", *TOP_LEVEL])
            errors.append(f"{section}: unknown section (known: {known})")
            continue
        if raw is None:
            continue  # a section whose settings are all commented out
        if not isinstance(raw, dict):
            errors.append(f"{section}: must be a mapping of settings")
            continue
        for key, value in raw.items():
            if key not in options:
                errors.append(f"{section}.{key}: unknown setting (known: {', '.join(options)})")
                continue
            _apply(f"{section}.{key}", options[key], value, values, errors)
    if errors:
        raise ConfigError(path, errors)
    return Config(**values)


def _apply(
    key: str, option: tuple[str, Check], value: Any, values: dict[str, Any], errors: list[str]
) -> None:
    """Check one setting: its value into `values` under its Config field, or its problem into
    `errors` under its key."""
    name, check = option
    checked, error = check(value)
    if error:
        errors.append(f"{key}: {error}")
    elif checked is not None:
        values[name] = checked


def load_config(path: Path) -> Config:
    """Read config.yaml; a missing file means all defaults."""
    if not path.exists():
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise ConfigError(
            str(path),
            [str(error.problem)],
            [mark.line + 1 if mark else None],
            mark.column + 1 if mark else None,
        ) from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [str(error)]) from error
    try:
        return parse_config(data, str(path))
    except ConfigError as error:
        lines = _key_lines(yaml.compose(text))
        where = [lines.get(e.split(":", 1)[0].split("[", 1)[0]) for e in error.errors]
        raise ConfigError(str(path), error.errors, where) from None


def _key_lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """The line of every setting, by its name as errors give it ("site.title")."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                name = f"{prefix}{key.value}"
                lines[name] = key.start_mark.line + 1
                if not prefix:
                    lines.update(_key_lines(value, f"{name}."))
    return lines
