"""`setu data ...`: optional, separately licensed data packs (list, add, remove). No network is used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_document
from setu.services import datapacks
from setu.settings import Settings

app = typer.Typer(help="Optional data packs with their own licences (e.g. submarine-cables).", no_args_is_help=True)

PackArgument = Annotated[str, typer.Argument(help="Pack id, e.g. submarine-cables.")]


@app.command("list")
def list_packs(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """The data packs Setu can use, whether each is installed, and its licence."""
    rows = [
        {
            "pack": s.id,
            "for": s.purpose,
            "installed": s.installed is not None,
            "licence": s.manifest.licence if s.manifest else None,
            "copy_found": str(s.available) if s.available else None,
        }
        for s in datapacks.status(Settings.from_env())
    ]
    emit_document(rows, "Data packs", as_json, as_csv)


@app.command()
def add(
    pack: PackArgument,
    from_path: Annotated[Path | None, typer.Option("--from", help="A pack folder or a datapacks/ folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Verify a pack's checksums and copy it into the data directory (from the repository's datapacks/)."""
    manifest, target = datapacks.add(Settings.from_env(), pack, from_path)
    document = {"pack": manifest.id, "installed": str(target), "files": len(manifest.files),
                "licence": manifest.licence, "attribution": manifest.attribution}
    if as_json:
        emit_document([], "", True, False, document)
        return
    typer.echo(f"added {manifest.id} ({len(manifest.files)} files, checksums verified) to {target}")
    typer.echo(f"licence: {manifest.licence} — non-commercial use; derived tables and maps carry the same licence")


@app.command()
def remove(pack: PackArgument, as_json: JsonOption = False) -> None:
    """Remove an installed pack from the data directory."""
    removed = datapacks.remove(Settings.from_env(), pack)
    if as_json:
        emit_document([], "", True, False, {"pack": pack, "removed": removed})
        return
    typer.echo(f"removed {pack}" if removed else f"{pack} was not installed")
