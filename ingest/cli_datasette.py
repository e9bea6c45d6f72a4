"""``papertrail datasette DB``: browse a database in Datasette with papertrail's metadata.

The metadata (descriptions, canned queries, hidden bookkeeping tables) ships inside the
package, so it works from an installed papertrail, not only from a checkout; it names
its database "papers", so a copy naming the database after the file is handed over.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from ingest.cli_common import app, checked_db, fail


def metadata_path() -> Path:
    """Where the packaged Datasette metadata is (a real file: setuptools installs it)."""
    return Path(str(files("store.datasette") / "metadata.json"))


def metadata_for(db: Path) -> dict[str, object]:
    """The packaged metadata with its database key set to the name Datasette gives ``db``."""
    data = json.loads(metadata_path().read_text(encoding="utf-8"))
    data["databases"] = {db.stem: data["databases"]["papers"]}
    return data


@app.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
def datasette(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Argument(help="The papertrail database to serve.")] = None,
    print_metadata: Annotated[
        bool,
        typer.Option("--metadata-path", help="Only print where the packaged metadata is."),
    ] = False,
) -> None:
    """Serve a database in Datasette with papertrail's metadata: descriptions, canned
    queries (overdue, slipped more than once, no owner, by owner) and the bookkeeping
    tables hidden. Options after the database go to `datasette serve` (--port, --host,
    -o to open a browser). Needs the datasette extra: pip install 'papertrail[datasette]'.

    Example:

    \b
        papertrail datasette council.db --port 8001
        datasette council.db -m "$(papertrail datasette --metadata-path)"
    """
    if print_metadata:
        print(metadata_path())
        return
    if db is None:
        fail("give the database to serve (or --metadata-path)", code=2)
    checked_db(db)
    if importlib.util.find_spec("datasette") is None:
        fail("Datasette is not installed: pip install 'papertrail[datasette]'")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fh:
        json.dump(metadata_for(db), fh)
        fh.flush()
        command = [sys.executable, "-m", "datasette", "serve", str(db), "-m", fh.name]
        code = _serve([*command, *ctx.args])
    raise typer.Exit(code)


def _serve(command: list[str]) -> int:
    """Run Datasette until it ends; a SIGTERM or Ctrl-C sent to papertrail reaches it too
    (a stopped papertrail must not leave a server behind)."""
    child = subprocess.Popen(command)

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    before = signal.signal(signal.SIGTERM, forward)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        return child.wait()
    finally:
        signal.signal(signal.SIGTERM, before)
