"""Thin command-line shell: parse, call one service, render (Rich table, --json or --csv)."""
