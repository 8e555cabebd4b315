"""`setu.cables` exports exactly its documented names, each defined."""

from __future__ import annotations

import setu.cables


def test_exported_members():
    assert sorted(setu.cables.__all__) == setu.cables.__all__
    for name in setu.cables.__all__:
        assert getattr(setu.cables, name) is not None
    public = {name for name in dir(setu.cables) if not name.startswith("_")}
    modules = {"model", "routes", "flow", "straits", "cuts", "concentration"}
    assert public - modules == set(setu.cables.__all__)
