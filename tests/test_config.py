"""config.yaml: defaults, valid settings, and every mistake reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Config, ConfigError, Outlet, load_config


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path):
    config = load_config(tmp_path / "config.yaml")
    assert config.title is None  # the render stage names the site after its story
    assert config.timezone == "UTC"
    assert config.date_order == "DMY"
    assert config.similarity == 0.23
    assert config.max_days_apart == 3
    assert config.outlets == ()


def test_empty_file_gives_the_defaults(tmp_path):
    assert load_config(write_config(tmp_path, "")) == Config()


def test_valid_file_sets_every_field(tmp_path):
    path = write_config(
        tmp_path,
        """\
site:
  title: "Harbour news so far"
  description: A made-up digest
  base_url: https://example.org/digest
  language: fr
  timezone: Europe/Paris
dates:
  order: MDY
grouping:
  similarity: 0.35
  max_days_apart: 5
outlets:
  - name: Coast Courier
    aliases: [CC, Coast Courier staff]
    homepage: https://example.org/courier/
  - name: Bay Post
""",
    )
    config = load_config(path)
    assert config.title == "Harbour news so far"
    assert config.description == "A made-up digest"
    assert config.base_url == "https://example.org/digest/"  # a trailing slash is added
    assert config.language == "fr"
    assert config.timezone == "Europe/Paris"
    assert config.date_order == "MDY"
    assert config.similarity == 0.35
    assert config.max_days_apart == 5
    assert config.outlets == (
        Outlet("Coast Courier", ("CC", "Coast Courier staff"), "https://example.org/courier/"),
        Outlet("Bay Post"),
    )


def test_settings_not_given_keep_their_defaults(tmp_path):
    config = load_config(write_config(tmp_path, "site:\n  title: Only a title\n"))
    assert config.title == "Only a title"
    assert config.timezone == "UTC"
    assert config.date_order == "DMY"


def test_all_bad_keys_are_reported_in_one_error(tmp_path):
    path = write_config(
        tmp_path,
        """\
site:
  timezone: Mars/Olympus_Mons
  colour: blue
dates:
  order: DDMM
grouping:
  similarity: 1.5
  max_days_apart: 2.5
theme:
  dark: true
outlets:
  - aliases: [X]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    errors = caught.value.errors
    assert len(errors) == 7
    message = str(caught.value)

    def error_for(prefix: str) -> str:
        [line] = [e for e in errors if e.startswith(prefix)]
        return line

    assert "Mars/Olympus_Mons" in error_for("site.timezone:")
    assert "unknown" in error_for("site.colour:")
    assert "DDMM" in error_for("dates.order:")
    assert "1.5" in error_for("grouping.similarity:")
    assert "whole number" in error_for("grouping.max_days_apart:")
    assert "unknown section" in error_for("theme:")
    assert "name" in error_for("outlets:")
    # every line of the message names the file and the line of the setting
    assert sorted(message.splitlines()) == sorted(
        f"{path}:{line}: {error_for(key)}"
        for key, line in [
            ("site.timezone:", 2),
            ("site.colour:", 3),
            ("dates.order:", 5),
            ("grouping.similarity:", 7),
            ("grouping.max_days_apart:", 8),
            ("theme:", 9),
            ("outlets:", 11),
        ]
    )


def test_similarity_bounds_are_inclusive(tmp_path):
    assert load_config(write_config(tmp_path, "grouping:\n  similarity: 1\n")).similarity == 1
    assert load_config(write_config(tmp_path, "grouping:\n  similarity: 0\n")).similarity == 0
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, "grouping:\n  similarity: -0.1\n"))
    assert caught.value.errors[0].startswith("grouping.similarity:")


def test_outlet_homepage_that_is_not_a_url_is_reported(tmp_path):
    path = write_config(tmp_path, "outlets:\n  - name: Bay Post\n    homepage: bay-post\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    [error] = caught.value.errors
    assert error.startswith("outlets:")
    assert "homepage" in error and "bay-post" in error


def test_file_that_is_not_a_mapping_is_reported(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, "- site\n- dates\n"))
    assert "mapping" in str(caught.value)


def test_yaml_syntax_error_names_path_line_and_column(tmp_path):
    # line 2 has a second "key:" on it; the offending colon is its 11th character
    path = write_config(tmp_path, "site:\n  title: a: b\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:2:11: ")
    assert "mapping values are not allowed" in message


def test_yaml_syntax_error_on_a_tab_names_its_column(tmp_path):
    # a tab may not indent YAML: the tab is the first character of line 2
    path = write_config(tmp_path, "site:\n\ttitle: A\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:2:1: ")


def test_file_that_is_not_utf8_is_reported_with_its_path(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"site:\n  title: caf\xe9\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "utf-8" in str(caught.value).lower()


def test_section_with_every_setting_commented_out_keeps_the_defaults(tmp_path):
    config = load_config(write_config(tmp_path, "site:\n  # title: Draft\ndates:\n  order: MDY\n"))
    assert config.title is None
    assert config.date_order == "MDY"


@pytest.mark.parametrize(
    "address", ["local", "tcp://10.0.0.5:8786", "scheduler.example.org:8786", "tls://[::1]:8786"]
)
def test_a_dask_scheduler_is_set_at_the_top_of_the_file(tmp_path, address):
    config = load_config(write_config(tmp_path, f"scheduler: {address}\nscheduler_timeout: 3\n"))
    assert (config.scheduler, config.scheduler_timeout) == (address, 3)
    assert "scheduler" not in repr(config)  # where a build runs is no part of what it makes


def test_a_bad_scheduler_is_reported_with_its_line(tmp_path):
    path = write_config(tmp_path, "site:\n  title: T\nscheduler: my laptop\nscheduler_timeout: 0\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert [str(d) for d in error.value.diagnostics] == [
        f"{path}:3: scheduler: 'my laptop' is not 'local' nor a Dask scheduler address such "
        "as tcp://host:8786",
        f"{path}:4: scheduler_timeout: must be between 0.1 and 3600, not 0",
    ]
