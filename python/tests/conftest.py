"""Shared fixtures: the repository's paths, and the `nabla` binary (for the
tests comparing dicts with `nabla ... --json`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _binary() -> Path | None:
    """$NABLA_BIN, else the newest of the repository's built binaries
    (`cargo build`, `cargo test` or `cargo build --release`), else None."""
    env = os.environ.get("NABLA_BIN")
    if env:
        return Path(env)
    built = [REPO / "target" / p / "nabla" for p in ("debug", "release")]
    built = [b for b in built if b.is_file() and os.access(b, os.X_OK)]
    if not built:
        return None
    return max(built, key=lambda b: b.stat().st_mtime)


@pytest.fixture(scope="session")
def nabla_bin() -> Path:
    b = _binary()
    if b is None:
        pytest.skip("no built nabla binary (cargo build, or set NABLA_BIN)")
    return b


@pytest.fixture(scope="session")
def lessons_dir() -> Path:
    """The built-in course's lesson files."""
    return REPO / "lessons"


@pytest.fixture
def one_lesson(tmp_path: Path, lessons_dir: Path) -> Path:
    """A lessons folder holding a copy of one built-in lesson,
    scalar-by-vector."""
    shutil.copy(lessons_dir / "01-scalar-by-vector.toml", tmp_path)
    return tmp_path
