"""Write static/plotly/plotly.css: the style rules plotly.js would otherwise inject as an inline <style>.

plotly.js (since 2.35) skips its inline rules when the page links a stylesheet with the id
``plotly.js-style-global`` and the class ``no-inline-styles``, so a page can keep a strict
``style-src 'self'`` Content-Security-Policy. The rules are read from the bundled plotly.min.js itself (the
``build/plotcss`` module: selector templates with ``X`` for ``.js-plotly-plot .plotly`` and ``Y`` for
``.plotly-notifier``), so the stylesheet always matches the bundle. Run after rebuilding the bundle:

    python tools/plotly-css.py
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "setu" / "web" / "static" / "plotly"
STRING = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""


def rules(bundle: str) -> list[tuple[str, str]]:
    start = bundle.index('={"X,X div":') + 1
    end = bundle.index("};for(", start)
    found = re.findall(STRING + r"\s*:\s*" + STRING, bundle[start:end + 1])
    result = []
    for key, value in found:
        selector = key[1:-1].replace("\\'", "'").replace('\\"', '"')
        selector = re.sub(r"^,", " ,", selector).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        result.append((selector, value[1:-1].replace("\\'", "'").replace('\\"', '"')))
    return result


def main() -> None:
    bundle = (STATIC / "plotly.min.js").read_text(encoding="utf-8")
    header = "/* plotly.js global style rules, extracted from plotly.min.js by tools/plotly-css.py (MIT, Plotly, Inc.). */\n"
    (STATIC / "plotly.css").write_text(header + "".join(f"{s}{{{v}}}\n" for s, v in rules(bundle)), encoding="utf-8")


if __name__ == "__main__":
    main()
