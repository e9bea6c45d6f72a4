"""Imported once by the worker fork server (see ``ingest.workers``), never by the CLI:
loads what every parse needs so that each forked worker starts warm.

Parsers import some libraries lazily and compile some patterns on first use (the CSS
selectors of the HTML parser cost a quarter of a second); parsing two tiny documents
here pays for that once, in the server, instead of once per worker. Then everything
loaded is moved out of the garbage collector's sight (``gc.freeze``): otherwise each
worker's first collection writes to every object's header, copying the pages it shares
with the server.
"""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path

from ingest.workers import parse_one

TINY = {
    "tiny.html": "<html><head><title>Audit Committee 1 May 2009</title></head><body>"
    "<h1>Report</h1><p>Recommendations</p><table><tr><th>No</th><th>Recommendation</th>"
    "<th>Owner</th></tr><tr><td>1</td><td>Publish the register</td><td>Head of HR</td>"
    "</tr></table></body></html>",
    "tiny.txt": "Audit Committee\n1 May 2009\n\nRecommendations\n\n1. Publish the register.\n",
}


def warm_up() -> None:
    with tempfile.TemporaryDirectory(prefix="papertrail-warmup-") as folder:
        for name, content in TINY.items():
            path = Path(folder) / name
            path.write_text(content, encoding="utf-8")
            parse_one(path)


warm_up()
gc.freeze()
