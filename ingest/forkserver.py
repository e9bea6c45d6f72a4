"""The worker processes' start method: a ``forkserver`` that imports the parsers once.

Workers are forked from a server process that has already imported the parsers and
normalisers (``PRELOAD``) and parsed two tiny papers (``ingest.warmup``), so a worker
starts in milliseconds and shares those pages. That warm-up costs the server about two
seconds; ``start_early`` sets it going as the ``ingest`` command starts, so it runs
beside the command's own imports and database checks instead of after them (the first
worker's start waits for the server, not the other way round). This module imports
nothing heavy for that reason.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext, SpawnContext

# What the fork server imports before forking workers: everything a parse may need, and
# ``ingest.cli`` because multiprocessing re-runs the ``papertrail`` script in each worker
# (as ``__mp_main__``): with its imports already loaded that costs nothing. ``warmup``
# comes last: it parses two tiny papers, then freezes the garbage collector's view.
PRELOAD = ["parsers.registry", "parsers.pdf", "parsers.docx", "parsers.html", "parsers.text",
           "parsers.legacy", "parsers.ocr", "normalise.records", "normalise.nlp", "ingest.cli",
           "ingest.warmup"]  # fmt: skip

CONTEXT: ForkServerContext | SpawnContext
if "forkserver" in multiprocessing.get_all_start_methods():
    CONTEXT = multiprocessing.get_context("forkserver")
    CONTEXT.set_forkserver_preload(PRELOAD)
else:  # no fork server here: each worker imports what it needs, a second or so per start
    CONTEXT = multiprocessing.get_context("spawn")


def start_early() -> None:
    """Start the fork server now, in the background, if this platform has one."""
    if isinstance(CONTEXT, ForkServerContext):
        forkserver.ensure_running()
