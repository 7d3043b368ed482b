"""Profile a build's CPU time, not its wall time, which a busy machine distorts.

    python bench/cpu_profile.py OUT build.py --config ... [build options]

Runs the command's script under cProfile with `time.process_time` as its clock and writes the
profile to OUT (read it with `python -m pstats OUT`). cProfile's overhead inflates code of many
small calls (Jinja, the timeline) several times over: read the shares, not the seconds. Worker
processes are not profiled; an edit runs in the building process.
"""

from __future__ import annotations

import cProfile
import runpy
import sys
import time


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


if __name__ == "__main__":
    main()
