"""Open local HTML files in headless Debian chromium (Playwright), with the network cut.

Every request other than ``file:`` and ``data:`` URLs is aborted and recorded, so a page
that renders here renders offline. Playwright's own browser downloads are never used
(no ``playwright install``): the helper drives ``/usr/bin/chromium``.

Use :func:`open_browser` once per test module (it is slow to start) and
:func:`inspect_page` per file.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def skip_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        return f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


@dataclass
class PageReport:
    """What a page did when opened."""

    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    markers: int = 0
    marker_ids: list[str] = field(default_factory=list)
    has_title: bool = False
    title_text: str = ""
    has_legend: bool = False
    note_text: str | None = None
    ready: bool = False
    tooltip_text: str | None = None
    popup_text: str | None = None
    frame_markers: int = 0
    frame_src: str | None = None
    slider_label: str | None = None
    screenshot: bytes = b""
    non_blank: bool = False
    pwned: Any = None
    load_ms: float = 0.0


@contextmanager
def open_browser() -> Iterator[Any]:
    """A headless chromium, closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def inspect_page(
    browser: Any,
    path: Path,
    *,
    click_marker: str | None = None,
    slide_to: int | None = None,
    size: tuple[int, int] = (1000, 700),
) -> PageReport:
    """Open ``path`` offline and report what rendered.

    Parameters
    ----------
    browser
        From :func:`open_browser`.
    path
        The HTML file.
    click_marker
        A place id whose marker is hovered (its tooltip's text is returned) and clicked
        to open its popup (the popup's text is returned); None touches nothing.
    slide_to
        On a series index page: move the date slider to this position.
    size
        Viewport width and height in pixels.
    """
    report = PageReport()
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        _watch(page, report)
        page.goto(path.resolve().as_uri(), wait_until="load")
        report.load_ms = page.evaluate("performance.now()")
        report.ready = _wait_ready(page)
        _read_dom(page, report)
        if click_marker is not None:
            report.tooltip_text, report.popup_text = _open_popup(page, click_marker)
        if slide_to is not None:
            _slide(page, slide_to, report)
        report.pwned = page.evaluate(
            "typeof window.__pwned === 'undefined' ? null : window.__pwned"
        )
        report.screenshot = page.screenshot()
        report.non_blank = is_non_blank(report.screenshot)
    finally:
        page.close()
    return report


def _watch(page: Any, report: PageReport) -> None:
    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(_LOCAL_SCHEMES):
            r.continue_()
        else:
            report.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on(
        "console", lambda m: report.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda exc: report.console_errors.append(str(exc)))


def _wait_ready(page: Any) -> bool:
    """Wait until a map's marker symbols are in place (pages without markers: at once)."""
    try:
        page.wait_for_function(
            "document.documentElement.classList.contains('geomap-ready')"
            " || !document.getElementById('geomap-places')",
            timeout=15000,
        )
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: report, don't raise
        return False
    return True


def _slide(page: Any, position: int, report: PageReport) -> None:
    page.eval_on_selector(
        "#geomap-slider",
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }",
        position,
    )
    report.frame_src = page.get_attribute("#geomap-frame", "src")
    report.slider_label = page.inner_text("#geomap-date")


def _read_dom(page: Any, report: PageReport) -> None:
    report.marker_ids = page.eval_on_selector_all(
        ".geomap-marker", "els => els.map(e => e.getAttribute('data-place-id'))"
    )
    report.markers = len(report.marker_ids)
    report.has_title = page.locator(".geomap-title").count() == 1
    if report.has_title:
        report.title_text = page.locator(".geomap-title").inner_text()
    report.has_legend = page.locator(".geomap-legend").count() == 1
    if page.locator(".geomap-note").count():
        report.note_text = page.locator(".geomap-note").inner_text()
    for frame in page.frames[1:]:
        report.frame_markers += frame.locator(".geomap-marker").count()


def _open_popup(page: Any, place_id: str) -> tuple[str | None, str | None]:
    marker = page.locator(f'.geomap-marker[data-place-id="{place_id}"]')
    if marker.count() == 0:
        return None, None
    marker.first.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip:not(.geomap-distance-label)")
    tooltip.first.wait_for(timeout=15000)  # generous: CI shares two cores
    tooltip_text: str = tooltip.first.inner_text()
    marker.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=15000)
    popup_text: str = popup.inner_text()
    return tooltip_text, popup_text


def is_non_blank(png: bytes) -> bool:
    """Whether an image has more than one colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=2)
    return colours is None or len(colours) > 1
