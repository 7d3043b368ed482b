"""What the workers' fork server does once, after importing the stages' modules
(`workers.PRELOAD` names this module last), so that every worker of every stage is forked with
it done rather than doing it for itself:
- the gazetteer reduced to the names the place finder needs (grouping and comparing both
  look places up);
- dateparser's languages loaded: the first publication date that no expected form reads
  makes dateparser load and compile every language it knows (1.9 CPU-s, 39 MB, the same for
  any settings), and real news has such dates (a date line cut short) in most workers' share;
- Ctrl-C ignored: the terminal sends it to the workers too, and the build, which gets it
  as well, shuts them down after their current task; each would otherwise print a traceback
  (the fork server starts each worker with the signal handlers it had when this ran);
- `gc.freeze()`: the modules' objects, hundreds of thousands, are moved where no garbage
  collection scans them again, in the server and in each worker.
"""

from __future__ import annotations

import gc
import signal

from .dates import parse_published
from .places import gazetteer

signal.signal(signal.SIGINT, signal.SIG_IGN)
gazetteer()
parse_published("a date no language reads", "UTC", "DMY")
gc.freeze()
