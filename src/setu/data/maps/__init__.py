"""Bundled supply-chain maps (setu-map/1 YAML) and the source files they are built from; see SOURCE.md."""
