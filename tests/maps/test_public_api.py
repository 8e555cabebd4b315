"""`setu.maps` exports exactly its documented names, each defined."""

from __future__ import annotations

import setu.maps


def test_exported_members():
    assert sorted(setu.maps.__all__) == setu.maps.__all__
    for name in setu.maps.__all__:
        assert getattr(setu.maps, name) is not None
    public = {name for name in dir(setu.maps) if not name.startswith("_")}
    modules = {"arrays", "exposure", "graph", "vulnerability"}  # `concentration` is the function
    assert public - modules == set(setu.maps.__all__)
