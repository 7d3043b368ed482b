"""Profile a build's CPU time, not its wall time, which a busy machine distorts.

    python bench/cpu_profile.py OUT build.py --config ... [build options]

Runs the command's script under cProfile with `time.process_time` as its clock, writes the
profile to OUT (read it with `python -m pstats OUT`) and prints the CPU seconds of the build's
parts, the table in the README. cProfile's overhead inflates code of many small calls (Jinja,
the timeline) several times over: read the shares, not the seconds. Worker processes are not
profiled; an edit runs in the building process.
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import sys
import time

# (part of a build, the function whose cumulative time it is: file name and function name)
PARTS = [
    ("reading articles", "readers.py", "read_articles"),
    ("code hashes", "cache.py", "code_hash"),
    ("analysing articles", "pipeline.py", "_analyse_one"),
    ("grouping calendar runs", "pipeline.py", "_group_run"),
    ("describing and comparing events", "pipeline.py", "_describe_one"),
    ("timeline()", "describe.py", "timeline"),
    ("storylines()", "storylines.py", "storylines"),
    ("digest.json", "digest_json.py", "digest_json"),
    ("rendering (Jinja)", "environment.py", "render"),
    ("writing the site (rendering included)", "write.py", "write_site"),
]


def parts(profile: pstats.Stats) -> list[tuple[str, float]]:
    """Each part's cumulative CPU seconds, the whole build's first."""
    cumulative: dict[tuple[str, str], float] = {}
    for (path, _, name), (_, _, _, seconds, _) in profile.stats.items():  # type: ignore[attr-defined]
        key = (path.rsplit("/", 1)[-1], name)
        cumulative[key] = max(cumulative.get(key, 0.0), seconds)
    found = [("the whole build", cumulative.get(("pipeline.py", "_build"), 0.0))]
    return found + [(label, cumulative.get((file, name), 0.0)) for label, file, name in PARTS]


def main() -> None:
    out, *command = sys.argv[1:]
    sys.argv = command
    profile = cProfile.Profile(time.process_time)
    try:
        profile.runcall(runpy.run_path, command[0], run_name="__main__")
    except SystemExit:
        pass
    finally:
        profile.dump_stats(out)
    table = parts(pstats.Stats(out))
    whole = table[0][1] or 1.0
    print("| part | CPU-s | share |\n| --- | --- | --- |")
    for label, seconds in table:
        print(f"| {label} | {seconds:.2f} | {100 * seconds / whole:.0f}% |")


if __name__ == "__main__":
    main()
