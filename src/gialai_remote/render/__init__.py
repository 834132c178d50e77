"""Renderers: they take the core's results and only format them (text, JSON, Markdown, HTML)."""
