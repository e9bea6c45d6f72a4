"""Analysts' commands: filter recommendations, full-text search, SQL, savings and RAG views."""

from __future__ import annotations
