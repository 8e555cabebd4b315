"""Bundled screening rules (setu-screening/1), one regime per file; see docs/policy.md."""
