"""Server-rendered pages and self-contained HTML reports (see docs/web.md)."""
