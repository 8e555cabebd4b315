import setu


def test_public_api() -> None:
    assert setu.__all__ == ["__version__"]
    assert setu.__version__
