"""The bundled register and the validation of measures files (errors name file, line and field)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from setu.sources.measures import MeasuresFileError, known_material_slugs, load_register, validate_text
from setu.watch.measures import Measure, filter_measures

GOOD = """\
format: setu-measures/1
measures:
  - id: xx-2024-test
    title: Test measure
    issuer: CHN
    kind: ban
    goods:
      - hs6: ["250410"]
        hs_revision: HS2022
        materials: [graphite]
        description: natural graphite
    targets: [USA]
    dates:
      announced: {date: "2024-01-10"}
      effective: {date: "2024-02-01"}
    official: {issuer: Ministry, notice: "No. 1 of 2024", date: "2024-01-10"}
    secondary:
      - {publisher: Press, title: Report}
"""


def test_bundled_register_covers_the_required_measures(register):
    ids = {m.id for m in register}
    for required in (
        "cn-2023-gallium-germanium-licensing", "cn-2023-graphite-licensing", "cn-2024-antimony-superhard-licensing",
        "cn-2024-dual-use-ban-usa", "cn-2025-tungsten-tellurium-bismuth-molybdenum-indium",
        "cn-2025-medium-heavy-rare-earths", "id-2020-nickel-ore-ban", "id-2023-bauxite-ban",
        "jp-2019-korea-three-materials", "jp-2023-chip-equipment", "us-2022-advanced-computing-semiconductor",
        "nl-2023-advanced-sme", "cn-2010-rare-earth-halt-japan", "cn-2010-rare-earth-quota-cut",
    ):
        assert required in ids
    by_id = {m.id: m for m in register}
    graphite = by_id["cn-2023-graphite-licensing"]
    assert graphite.official.notice == "MOFCOM/GAC Announcement No. 39 of 2023"
    assert graphite.dates.effective.day == dt.date(2023, 12, 1)
    assert {"250410", "380110"} <= graphite.hs6
    assert by_id["cn-2024-dual-use-ban-usa"].targets == ["USA"]
    assert not by_id["cn-2024-dual-use-ban-usa"].in_force_on(dt.date(2025, 12, 1))  # suspended 2025-11-09
    assert by_id["cn-2024-dual-use-ban-usa"].in_force_on(dt.date(2025, 1, 1))


def test_every_unconfirmed_fact_carries_a_note(register):
    for measure in register:
        for _, event in measure.events():
            assert event.confirmed or event.note
        assert measure.official.confirmed or measure.official.note
        assert measure.secondary


def test_filters(register):
    gallium = filter_measures(register, material="gallium")
    assert [m.id for m in gallium] == ["cn-2023-gallium-germanium-licensing", "cn-2024-dual-use-ban-usa"]
    assert {m.issuer for m in filter_measures(register, issuer="IDN")} == {"IDN"}
    recent = filter_measures(register, since=dt.date(2025, 1, 1), issuer="CHN")
    assert "cn-2023-graphite-licensing" not in {m.id for m in recent}
    assert "cn-2024-dual-use-ban-usa" in {m.id for m in recent}  # suspended in 2025
    assert all("KOR" in m.targets or not m.targets for m in filter_measures(register, target="KOR"))


def test_good_text_validates():
    measures = validate_text(GOOD, file="mine.yaml", known_materials=known_material_slugs())
    assert isinstance(measures[0], Measure)
    assert measures[0].covers(reporter="CHN", partner="USA", hs6="250410")
    assert not measures[0].covers(reporter="CHN", partner="JPN", hs6="250410")
    assert measures[0].covers(reporter="CHN", partner=None, hs6="250410")


@pytest.mark.parametrize(
    ("broken", "line", "field"),
    [
        (GOOD.replace('["250410"]', "[250410]"), 8, "measures.0.goods.0.hs6.0"),
        (GOOD.replace("issuer: CHN", "issuer: China"), 5, "measures.0.issuer"),
        (GOOD.replace("kind: ban", "kind: embargo"), 6, "measures.0.kind"),
        (GOOD.replace('{date: "2024-02-01"}', '{date: "2024-02-30"}'), 15, "measures.0.dates.effective.date"),
        (GOOD.replace('{date: "2024-02-01"}', '{date: "2023-02-01"}'), 14, "measures.0.dates"),
        (GOOD.replace("[graphite]", "[grafite]"), 10, "measures.0.goods.0.materials.0"),
        (GOOD.replace('notice: "No. 1 of 2024", ', ""), 16, "measures.0.official"),
        (GOOD.replace("    title: Test measure\n", ""), 3, "measures.0.title"),
        (GOOD.replace("setu-measures/1", "setu-measures/9"), 1, "format"),
        (GOOD.replace("title: Report}", 'title: Report, date: "2024-13"}'), 18, "measures.0.secondary.0.date"),
    ],
)
def test_malformed_files_name_file_line_and_field(broken, line, field):
    with pytest.raises(MeasuresFileError) as caught:
        validate_text(broken, file="mine.yaml", known_materials=known_material_slugs())
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("mine.yaml", line, field)
    assert f"mine.yaml:{line}: field {field!r}" in str(caught.value)


def test_yaml_syntax_error_is_located():
    with pytest.raises(MeasuresFileError) as caught:
        validate_text(GOOD.replace("    kind: ban", "    kind: [ban"), file="mine.yaml", known_materials=["graphite"])
    assert caught.value.line is not None and caught.value.file == "mine.yaml"


def test_user_files_load_with_the_bundled_register_and_duplicates_are_rejected(tmp_path: Path, register):
    mine = tmp_path / "mine.yaml"
    mine.write_text(GOOD.replace("xx-2024-test", "xx-2024-test\n    amends: [cn-2023-graphite-licensing]"))
    loaded = load_register([tmp_path])
    assert len(loaded) == len(register) + 1
    clash = tmp_path / "clash.yaml"
    clash.write_text(GOOD.replace("xx-2024-test", "cn-2023-graphite-licensing"))
    with pytest.raises(MeasuresFileError) as caught:
        load_register([clash])
    assert caught.value.field == "measures.0.id" and caught.value.file == str(clash) and caught.value.line == 3


def test_unknown_amends_reference(tmp_path: Path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(GOOD.replace("xx-2024-test", "xx-2024-test\n    amends: [no-such-measure]"))
    with pytest.raises(MeasuresFileError) as caught:
        load_register([mine], include_bundled=False)
    assert caught.value.field == "measures.0.amends.0"


def test_in_force_with_suspension_and_resumption():
    text = GOOD.replace(
        '      effective: {date: "2024-02-01"}\n',
        '      effective: {date: "2024-02-01"}\n      suspended: {date: "2024-06-01"}\n      resumed: {date: "2024-09"}\n',
    )
    measure = validate_text(text, file="m.yaml", known_materials=known_material_slugs())[0]
    assert not measure.in_force_on(dt.date(2024, 1, 31))
    assert measure.in_force_on(dt.date(2024, 2, 1))
    assert not measure.in_force_on(dt.date(2024, 7, 1))
    assert measure.in_force_on(dt.date(2024, 9, 1))
    assert [name.value for name, _ in measure.events()] == ["announced", "effective", "suspended", "resumed"]
