"""Bundled disruption scenarios (setu-scenario/1 YAML) with the sources of their parameters; see SOURCE.md."""
