"""The list comparison as a self-contained SVG chart (no scripts, no fonts or styles fetched from anywhere).

One bar per material with a concentration figure, grouped by standing (critical for both, for the first only,
for the second only, for neither), bar length = supplier HHI on the 0-10,000 scale, with the "highly
concentrated" threshold drawn as a line. Materials without a figure are counted under each group's heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from setu.policy.compare import MaterialComparison, Standing

COLOURS = {Standing.BOTH: "#1b7837", Standing.FIRST_ONLY: "#2166ac", Standing.SECOND_ONLY: "#b2182b",
           Standing.NEITHER: "#7f7f7f"}
ROW, LEFT, WIDTH = 16, 190, 420


def render_comparison_svg(rows: Sequence[MaterialComparison], first: str, second: str, threshold: float) -> str:
    labels = {Standing.BOTH: f"critical for {first} and {second}", Standing.FIRST_ONLY: f"critical for {first} only",
              Standing.SECOND_ONLY: f"critical for {second} only", Standing.NEITHER: "critical for neither"}
    lines: list[str] = []
    y = 40
    for standing in Standing:
        group = [r for r in rows if r.standing is standing]
        measured = [r for r in group if r.concentration is not None]
        lines.append(f'<text x="10" y="{y}" font-weight="bold">{escape(labels[standing])}: {len(group)} materials, '
                     f'{len(measured)} with a concentration figure</text>')
        y += ROW
        for row in measured:
            assert row.concentration is not None
            length = WIDTH * row.concentration.hhi / 10_000
            gap = " (gap)" if row.gap else ""
            lines.append(f'<text x="{LEFT - 6}" y="{y + 11}" text-anchor="end">{escape(row.material)}{gap}</text>')
            lines.append(f'<rect x="{LEFT}" y="{y}" width="{length:.1f}" height="{ROW - 4}" '
                         f'fill="{COLOURS[standing]}"><title>{escape(row.concentration.basis)}</title></rect>')
            lines.append(f'<text x="{LEFT + length + 4:.1f}" y="{y + 11}">{row.concentration.hhi:,.0f} '
                         f'({escape(row.concentration.top_country)} {row.concentration.top_share:.0%})</text>')
            y += ROW
        y += ROW // 2
    x = LEFT + WIDTH * threshold / 10_000
    height = y + 10
    header = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + 160}" height="{height}" '
              'font-family="sans-serif" font-size="11">'
              f'<text x="10" y="18" font-size="13" font-weight="bold">Critical lists of {escape(first)} and '
              f'{escape(second)} against supplier concentration (HHI, 0-10,000)</text>'
              f'<line x1="{x:.1f}" y1="26" x2="{x:.1f}" y2="{height - 6}" stroke="#444" stroke-dasharray="4 3"/>'
              f'<text x="{x + 3:.1f}" y="{height - 8}">HHI {threshold:,.0f}: highly concentrated</text>')
    return header + "".join(lines) + "</svg>\n"
