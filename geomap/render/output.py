"""Turning maps into files and snippets: atomic writes, stable bytes, embeddable iframes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import OrderedDict
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import RenderError
from geomap.render.elements import freeze_ids

if TYPE_CHECKING:
    import folium


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A crash or error leaves either the old file or the new one, never half of one, and
    no temporary file behind. Missing parent folders are created.

    Parameters
    ----------
    path
        The file to write.
    data
        Its full contents.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RenderError
        The folder cannot be created or written.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}; check the folder") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}; check the folder") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def render_html(m: folium.Map) -> str:
    """The complete HTML document of a map, with stable element ids.

    Rendering a folium Figure adds what its elements produce to the Figure's header,
    body and script parts, some of it under fresh names each time (layers add an
    ``addTo`` call), so a second rendering would repeat lines. The parts are restored
    after each rendering: the same map gives the same document however often it is
    rendered.
    """
    root = m.get_root()
    freeze_ids(root)
    parts = [getattr(root, name, None) for name in ("header", "html", "script")]
    saved = [dict(part._children) if part is not None else None for part in parts]
    try:
        return root.render()
    finally:
        for part, children in zip(parts, saved, strict=True):
            if part is not None and children is not None:
                part._children = OrderedDict(children)


def write_html(m: folium.Map, path: Path) -> Path:
    """Write a map as one self-contained HTML file, atomically.

    The same map gives the same bytes (element ids are fixed before rendering). The page
    is rendered completely before anything is written, so an error leaves ``path`` as
    it was.

    Parameters
    ----------
    m
        A map from :func:`geomap.render.render_map`.
    path
        The file to write (parent folders are created).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RenderError
        The file cannot be written.
    """
    return write_atomic(Path(path), render_html(m).encode("utf-8"))


def map_fragment(m: folium.Map, *, height: str = "600px") -> str:
    """An ``<iframe srcdoc="...">`` holding the whole map, to paste into another page.

    The document is attribute-escaped (``&``, ``<``, ``>``, quotes), and the frame is
    sandboxed to scripts only, so the map cannot reach the page that embeds it.

    Parameters
    ----------
    m
        A map from :func:`geomap.render.render_map`.
    height
        CSS height of the frame.

    Returns
    -------
    str
        One ``<iframe>`` element.
    """
    document = render_html(m)
    root = m.get_root()
    # The Figure's title is stored escaped (for <title>); undo that before escaping it
    # again for an attribute, so an "&" shows once.
    title = unescape(getattr(root, "title", None) or "Map")
    return (
        f'<iframe class="geomap-frame" title="{escape(title, quote=True)}"'
        f' sandbox="allow-scripts" loading="lazy"'
        f' style="width:100%;height:{escape(height, quote=True)};border:0"'
        f' srcdoc="{escape(document, quote=True)}"></iframe>'
    )
