"""Read measures files (YAML) into validated :class:`~setu.watch.measures.Measure` records.

A register is one YAML file or a folder of them, each shaped as::

    format: setu-measures/1
    measures:
      - id: cn-2023-graphite-licensing
        ...

Every problem is reported as a :class:`~setu.errors.DataFormatError` naming the file, the 1-based line of
the offending YAML node and the field path (``measures.3.dates.effective.date``), so that a user editing a
file by hand can go straight to the mistake. All problems of a file are collected, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError as PydanticValidationError

from setu.errors import DataFormatError, MeasuresFileError
from setu.reference import tables
from setu.sources.line_yaml import compose, load_marked, read_text
from setu.sources.watch_files import bundled_register_paths as bundled_paths
from setu.sources.watch_files import expand
from setu.watch.measures import Measure, Register, check_references



def material_rows() -> list[dict[str, str]]:
    """Material slugs and HS codes of the bundled reference table (``materials.csv``), as rows."""
    return [{"material_id": m.material_id, "hs6_hs2017": ";".join(m.hs6_hs2017)}
            for m in tables.materials().materials.values()]


def known_material_slugs() -> list[str]:
    """Material slugs from the bundled reference table (``materials.csv``)."""
    return tables.material_slugs()


def load_register(
    paths: Iterable[Path] | None = None, *, include_bundled: bool = True, known_materials: Iterable[str] | None = None
) -> list[Measure]:
    """Load and validate measures from the bundled register and/or the given files and folders.

    A bundled file named explicitly is read once (so ``validate`` can be pointed at the bundled folder).

    Raises :class:`MeasuresFileError` listing every problem found (file, line, field).
    """
    given = expand(paths or [])
    chosen = {path.resolve() for path in given}
    bundled = [path for path in bundled_paths() if path.resolve() not in chosen] if include_bundled else []
    files = bundled + given
    materials = list(known_materials) if known_materials is not None else known_material_slugs()
    problems: list[DataFormatError] = []
    measures: list[Measure] = []
    origins: list[tuple[str, yaml.Node, int]] = []  # file, root node, index within that file
    for file in files:
        try:
            text = read_text(file, what="measures file")
        except DataFormatError as error:
            problems.append(error)
            continue
        loaded, file_problems, root = _parse(text, str(file))
        problems.extend(file_problems)
        for index, measure in enumerate(loaded):
            measures.append(measure)
            origins.append((str(file), root, index))
    for position, field, message in check_references(measures, known_materials=materials):
        file, root, index = origins[position]
        loc = ("measures", index, *_split(field))
        problems.append(DataFormatError(message, file=file, line=_line_of(root, loc), field=_dotted(loc)))
    if problems:
        raise MeasuresFileError(problems)
    return measures


def validate_text(text: str, *, file: str, known_materials: Iterable[str]) -> list[Measure]:
    """Validate one file's text on its own (no cross-file references); raises MeasuresFileError."""
    measures, problems, root = _parse(text, file)
    for position, field, message in check_references(measures, known_materials=known_materials):
        if field.startswith("amends"):
            continue  # may refer to a measure in another file
        loc = ("measures", position, *_split(field))
        problems.append(DataFormatError(message, file=file, line=_line_of(root, loc), field=_dotted(loc)))
    if problems:
        raise MeasuresFileError(problems)
    return measures


def _parse(text: str, file: str) -> tuple[list[Measure], list[DataFormatError], yaml.Node | None]:
    try:
        data = load_marked(text, file=file)  # duplicate keys and deep nesting refused with their line
    except DataFormatError as error:
        return [], [error], None
    try:
        root = compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [DataFormatError(f"not valid YAML: {getattr(error, 'problem', error)}", file=file, line=line)], None
    if not isinstance(data, dict):
        return [], [DataFormatError("expected a mapping with 'format' and 'measures'", file=file, line=1)], root
    try:
        register = Register.model_validate(data)
    except PydanticValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if not isinstance(part, str) or not part.startswith("function-"))
            message = item["msg"]
            if item["type"] == "string_type" and isinstance(item.get("input"), int):
                message += " (quote codes such as HS codes: '811292')"
            problems.append(DataFormatError(message, file=file, line=_line_of(root, loc), field=_dotted(loc)))
        return [], problems, root
    return list(register.measures), [], root


def _split(field: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in field.split("."))


def _dotted(loc: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in loc)


def _line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest YAML node that ``loc`` reaches (the parent when a key is missing)."""
    node = root
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1
