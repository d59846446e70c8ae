"""The hidden folders a build keeps beside an index, and what happens to them after a killed build.

A build writes ``.<index>.building-<id>`` (manifest last, so a folder with a valid manifest is
complete), then renames ``<index>`` to ``.<index>.old-<id>`` and the new folder to ``<index>``.
Killed (SIGKILL, power loss) between those two renames, it leaves no ``<index>`` but two complete
copies. :func:`recover_index` puts the newest complete copy back in place; :func:`remove_leftovers`
(run by the next build, after recovering) deletes what is left.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path

from pydantic import ValidationError

from assistant.index.manifest import FORMAT_VERSION, MANIFEST_FILE, Manifest, file_problem

BUILDING = "building"
OLD = "old"
LOG = logging.getLogger(__name__)


def staging_path(index_dir: Path) -> Path:
    """A fresh hidden sibling to build into (same filesystem, so the final rename is atomic)."""
    return index_dir.parent / f".{index_dir.name}.{BUILDING}-{uuid.uuid4().hex[:8]}"


def set_aside_path(index_dir: Path) -> Path:
    """Where the previous index waits while the new one moves in."""
    return index_dir.parent / f".{index_dir.name}.{OLD}-{uuid.uuid4().hex[:8]}"


def leftover_folders(index_dir: Path) -> list[Path]:
    """Staging and set-aside folders of ``index_dir`` that are lying beside it now."""
    found: list[Path] = []
    for kind in (BUILDING, OLD):
        found.extend(path for path in index_dir.parent.glob(f".{index_dir.name}.{kind}-*") if path.is_dir())
    return sorted(found)


def remove_leftovers(index_dir: Path) -> None:
    """Delete the staging or set-aside folders a killed build left beside the index."""
    for leftover in leftover_folders(index_dir):
        shutil.rmtree(leftover, ignore_errors=True)


def complete_manifest(folder: Path) -> Manifest | None:
    """The manifest of ``folder`` when it is a whole index this version reads (every file present
    with its size and checksum), else None."""
    try:
        manifest = Manifest.model_validate_json((folder / MANIFEST_FILE).read_bytes())
        if manifest.format != FORMAT_VERSION:
            return None
        if any(file_problem(folder, name, stamp, hashes=True) for name, stamp in manifest.files.items()):
            return None
    except (OSError, ValueError, ValidationError):
        return None
    return manifest


def recover_index(index_dir: Path) -> Path | None:
    """When ``index_dir`` is missing but a killed build left complete copies beside it, rename the
    newest (latest build time; a new build before an old one) into place and return where it came
    from. Nothing happens when the index exists, no copy is complete, or the rename fails (another
    process recovered it first, or the folder is read-only)."""
    if index_dir.exists() or index_dir.is_symlink() or not index_dir.parent.is_dir():
        return None
    candidates = []
    for folder in leftover_folders(index_dir):
        manifest = complete_manifest(folder)
        if manifest is not None:
            candidates.append((manifest.built_at, folder.name.split(".")[-1].startswith(BUILDING), folder))
    if not candidates:
        return None
    *_, newest = max(candidates)
    try:
        os.rename(newest, index_dir)
    except OSError as error:
        LOG.warning("could not restore the index %s from %s: %s", index_dir, newest.name, error.strerror or error)
        return None
    LOG.warning("restored the index %s from %s, the complete copy a killed build left behind", index_dir, newest.name)
    return newest
