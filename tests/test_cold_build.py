"""A cold build does no work twice: each worker starts from the fork server's loaded state (the
gazetteer, the modules frozen out of the garbage collector's way) rather than loading it for
itself, and each article's Markdown is rendered once, by the cleaning, for the page too."""

from __future__ import annotations

import gc
from pathlib import Path

from dateparser.languages.loader import LocaleDataLoader

from storyline import places
from storyline.workers import LocalWorkers
from tests.conftest import write_tree


def _worker_state(_: int) -> tuple[int, int, int]:
    """In a worker, before it looks up any place or date: the gazetteers it holds, the
    languages dateparser has loaded, and the objects frozen out of garbage collection."""
    return (
        places.gazetteer.cache_info().currsize,
        len(LocaleDataLoader._loaded_locales),
        gc.get_freeze_count(),
    )


def test_workers_start_with_the_gazetteer_and_dates_loaded_and_the_modules_frozen():
    with LocalWorkers(2) as workers:
        states = list(workers.map(_worker_state, range(4), at_least=2, chunk=1))
    assert [gazetteers for gazetteers, _, _ in states] == [1, 1, 1, 1]
    assert min(languages for _, languages, _ in states) > 100  # dateparser knows some 200
    # the imported modules alone come to some hundreds of thousands of objects
    assert min(frozen for _, _, frozen in states) > 50_000


def test_a_markdown_article_is_rendered_once_for_cleaning_and_page(
    tmp_path: Path, build_site, monkeypatch
):
    import markdown

    rendered: list[str] = []
    convert = markdown.markdown

    def counted(text: str, **options: object) -> str:
        rendered.append(text)
        return convert(text, **options)

    monkeypatch.setattr(markdown, "markdown", counted)
    body = "The council met on *Tuesday*.\n\n- first point\n- second point\n"
    content = write_tree(
        tmp_path / "content",
        {
            f"{n}.md": f"---\ntitle: Council meets {n}\npublished: 2025-03-0{n}\n---\n{body}"
            for n in (1, 2)
        },
    )
    site, _ = build_site(content, jobs=1, cache=False)
    assert len(rendered) == 2
    page = next(site.glob("events/*/index.html")).read_text(encoding="utf-8")
    assert "<em>Tuesday</em>" in page and "<li>first point</li>" in page


def test_the_build_leaves_nothing_frozen(tmp_path: Path, build_site):
    content = write_tree(
        tmp_path / "content",
        {"a.md": "---\ntitle: One\npublished: 2025-03-01\n---\nThe council met.\n"},
    )
    build_site(content, jobs=1, cache=False)
    # `serve` builds again in the same process: what one build froze must be collectable
    assert gc.get_freeze_count() == 0
