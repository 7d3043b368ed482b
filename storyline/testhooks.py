"""Test-only: named points of a build at which a test can kill it, so that a crash is tried at
each step on any machine, however fast or loaded. With STORYLINE_TEST_KILL_AT set to a point's
name, the build kills itself with SIGKILL (as a power cut or the OOM killer would) on reaching
it; unset, as in every real build, `reached` does nothing."""

from __future__ import annotations

import os
import signal

VARIABLE = "STORYLINE_TEST_KILL_AT"
# cache-write: inside a cache transaction, not yet committed; staged: the changed files complete
# beside the output folder, not moved in; swapping: the first of them moved in, the rest not;
# swapped: the new site in place (its marker swapped in last), the backup of the files it
# replaced still beside, the cache not yet told
POINTS = ("cache-write", "staged", "swapping", "swapped")


def reached(point: str) -> None:
    if os.environ.get(VARIABLE) == point:
        os.kill(os.getpid(), signal.SIGKILL)
