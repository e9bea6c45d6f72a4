"""``python -m ingest`` runs the papertrail command."""

from ingest.cli import app

app(prog_name="papertrail")
