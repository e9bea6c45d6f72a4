"""``python -m ingest`` runs the papertrail command."""

from ingest.cli import main

main()
