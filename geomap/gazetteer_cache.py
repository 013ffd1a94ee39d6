"""A prebuilt gazetteer index on disk, so that a cold start does not re-key 30,000 places.

Building the index (every alias of every place reduced to its keys, weak names marked) takes
seconds; reading it back takes a tenth of that. The index is kept in the user's cache folder
(``$GEOMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/geomap``, else ``~/.cache/geomap``), one file
per gazetteer folder and version of the data and code: any change to a data file (size or
modification time) or to the modules that make keys gives a new file name, so a stale index
is never read. The file holds only strings, numbers, lists and dicts, written with
:mod:`marshal` (which builds data, never runs code); a file that cannot be read or written is
ignored and the index is built in memory, as without a cache.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

# 2: the tail guards of Gazetteer._core_end; 3: the spelling-family variant index
_VERSION = b"gazetteer-index-3"
# The modules whose code decides the index: a change to any of them invalidates it.
_CODE = ("gazetteer.py", "names.py", "namesakes.py", "model.py", "gazetteer_cache.py")


def cache_dir() -> Path:
    """Where prebuilt indexes live."""
    if env := os.environ.get("GEOMAP_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "geomap"


def index_path(folder: Path) -> Path:
    """The index file for the gazetteer in ``folder`` as its files are now."""
    place = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    digest = hashlib.sha256(_VERSION)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "geo" not in p.parts):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return cache_dir() / f"gazetteer-{place}-{digest.hexdigest()[:24]}.marshal"


def read_index(path: Path) -> dict[str, Any] | None:
    """The index stored at ``path``, or ``None`` when there is none or it is unreadable."""
    enabled = gc.isenabled()
    gc.disable()  # half a million new strings: no cycles among them to look for
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()
    return data if isinstance(data, dict) and data.get("version") == _VERSION else None


def write_index(path: Path, state: dict[str, Any]) -> None:
    """Store ``state`` at ``path`` atomically; failing to (read-only home) is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as tmp:
            tmp.write(marshal.dumps({**state, "version": _VERSION}))
        os.replace(tmp.name, path)
        # Older indexes of the same folder are stale now: one file per folder stays.
        folder_part = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{folder_part}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
