"""What the workers' fork server does once, after importing the stages' modules
(`workers.PRELOAD` names this module last), so that every worker of every stage is forked with
it done rather than doing it for itself:
- the gazetteer reduced to the names the place finder needs (grouping and comparing both
  look places up);
- `gc.freeze()`: the modules' objects, hundreds of thousands, are moved where no garbage
  collection scans them again, in the server and in each worker.
"""

from __future__ import annotations

import gc

from .places import gazetteer

gazetteer()
gc.freeze()
