"""`build.py init FOLDER`: a new digest of one's own, as `mkdocs new` and `hugo new site` make
one: a config with its title and description to fill in, an empty content folder, and a
how-to. The theme is the built-in one, taken by reference (no copy of the templates)."""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
# Storyline settings. Every key is optional; `storyline` reports every mistake at once.
site:
  title: ""               # the digest's name; left empty, the site is named after its story
  description: ""         # one line under the title and in link previews
  base_url: ""            # e.g. https://user.github.io/repo/ ; --base-url overrides it
  language: en            # of the articles and of the pages
  timezone: UTC           # publication dates are shown in this zone

dates:
  order: DMY              # how to read 04/09/2025: MDY (April 9), DMY (4 September) or YMD

# outlets:                # display names; aliases are how bylines and datelines name them
#   - name: Example News
#     aliases: [EN]
"""

HOW_TO = """\
# {name}

A news digest made with Storyline.

1. Put the articles of one story in `content/`: Markdown with YAML front matter (`.md`), text
   pasted from a web page (`.txt`), saved web pages (`.html`) or JSON Lines (`.jsonl`, one
   article a line with `id`, `title`, `text`, `source`, `published`, `url`).
2. Name the digest in `config.yaml` (`site.title` and `site.description`).
3. Run `storyline` here (or `storyline serve` to see it while you edit): the site is written to
   `output/`. `storyline check` lists every problem without writing anything.

To change the look, copy Storyline's built-in theme to `templates/` beside `config.yaml`.
"""


class ProjectError(Exception):
    """A folder that cannot become a new digest, as one line."""


def init_project(folder: Path) -> list[Path]:
    """Write a new digest's files into `folder` (made if missing) and return them. Nothing is
    overwritten: a folder that already holds a config or content is refused as a whole."""
    config, content, readme = folder / "config.yaml", folder / "content", folder / "README.md"
    taken = [p for p in (config, readme) if p.exists()]
    if content.exists() and (not content.is_dir() or any(content.iterdir())):
        taken.append(content)
    if taken:
        names = ", ".join(str(p) for p in taken)
        raise ProjectError(f"{names}: already there; init writes only into a new or empty folder")
    try:
        content.mkdir(parents=True, exist_ok=True)
        config.write_text(CONFIG, encoding="utf-8")
        readme.write_text(HOW_TO.format(name=folder.resolve().name), encoding="utf-8")
    except OSError as error:
        raise ProjectError(f"{error.filename or folder}: {error.strerror or error}") from error
    return [config, content, readme]
