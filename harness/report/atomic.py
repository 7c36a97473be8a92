"""Build a report directory aside and move it into place, so an error leaves nothing half written."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_directory(out: Path, build: Callable[[Path], None]) -> None:
    """Call `build(tmp)` to fill a fresh sibling directory, then replace `out` with it."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        build(staging)
        staging.chmod(0o755)  # mkdtemp makes it private; a report is meant to be read
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
