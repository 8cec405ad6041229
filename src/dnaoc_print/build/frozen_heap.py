"""Imported last in the fork server (see workers.PRELOAD): what the modules before it
made on import is collected once and then frozen (``gc.freeze``), as Python's
documentation advises before forking. A worker forked from the server then never
walks those objects in a collection (a full one took about 27 ms a worker) and so never
copies the memory pages they sit on by touching them."""

import gc

gc.collect()
gc.freeze()
