"""Shared fixtures: small papers written into tmp_path, and databases made from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

PaperFactory = Callable[..., Path]


@pytest.fixture
def make_html_paper(tmp_path: Path) -> PaperFactory:
    """Write a small HTML committee paper with one recommendations table; return its path.

    ``rows`` are (ref, recommendation, owner, timescale); ``name`` picks the file name, so
    two calls with the same arguments but different names give identical bytes.
    """

    def make(
        name: str = "paper.html",
        title: str = "Audit Committee – 3 March 2009",
        rows: tuple[tuple[str, str, str, str], ...] = (
            ("1", "Publish the register", "Head of HR", "March 2009"),
            ("2", "Train all managers", "Director", "Complete"),
        ),
    ) -> Path:
        body = "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
        )
        html = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            "<p>Report of the Director of Resources.</p><h2>Recommendations</h2>"
            "<table><tr><th>No</th><th>Recommendation</th><th>Owner</th><th>Timescale</th></tr>"
            f"{body}</table></body></html>"
        )
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        return path

    return make
