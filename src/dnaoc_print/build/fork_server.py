"""What the fork server runs before it forks any worker (see workers._context): it
imports the modules every worker needs (preload.PRELOAD) with Python's cycle collector
off, then collects once and freezes what is left (``gc.freeze``), as Python's
documentation advises before forking.

With the collector on, importing them set off 206 collections, walking the growing
heap again and again (42 to 57 ms of the fork server's CPU); and a worker's first
collection walked the 66,000 objects it inherited, writing to each and so copying every
memory page they sit on (about 60 ms a worker). Frozen here, no worker walks them. The
collector is on again for the workers, which collect as workers.collect_as_a_worker
says.
"""

import gc

from dnaoc_print.build.preload import import_preloaded

gc.disable()
try:
    import_preloaded()
finally:
    gc.collect()
    gc.freeze()
    gc.enable()
