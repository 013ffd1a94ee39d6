"""Map benchmark: a 5,000-place map rendered and written, then opened in chromium.

Prints figures (targets: render+write < 3 s, open in chromium < 2 s); not a timed test.
Run: .venv/bin/python benchmarks/map_bench.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap.gazetteer import load_gazetteer
from geomap.render import render_map, write_html
from tests.test_map_view import generated_states


def main() -> None:
    """Render, write and open a 5,000-place map; print the times."""
    actors = load_gazetteer().actors
    states = generated_states(5000)
    day = dt.date(2017, 3, 3)
    render_map(generated_states(10), day, actors)  # imports and caches warm
    start = time.perf_counter()
    path = write_html(render_map(states, day, actors), Path(tempfile.mkdtemp()) / "m5000.html")
    written = time.perf_counter() - start
    print(f"render+write 5,000 places: {written:.2f} s ({path.stat().st_size / 1e6:.1f} MB)")
    from tests import browser

    with browser.open_browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function("document.documentElement.classList.contains('geomap-ready')")
        page.wait_for_function("document.querySelectorAll('.geomap-label').length > 0")
        opened = time.perf_counter() - start
        page.close()
    print(f"open in chromium (markers and labels in place): {opened:.2f} s")


if __name__ == "__main__":
    main()
