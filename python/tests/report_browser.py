"""Renders kldiv's HTML reports in headless Chromium and checks what a reader
would see: the page is not blank, every chart is there, and every chart shows
its data in the report's colours. A helper for the report tests and for the
docs screenshots (tools/screenshot_report.py), not a test file itself.

Needs Debian's chromium, chromium-driver, python3-selenium and python3-pil
(scripts/install-deps). The machine has no network: Chromium starts with its
background networking off and a new empty profile, and Selenium is given
/usr/bin/chromedriver so that it never tries to download a driver.

The contract the reports follow, and these checks assume:
  - one HTML file, no scripts, no network (nothing loaded besides the page);
  - a white page (#ffffff);
  - every chart an inline <svg class="chart" data-chart="KIND" role="img"
    aria-label="..."> with explicit width and height attributes;
  - each kind draws its data in known, opaque colours (KIND_COLOURS): a
    translucent fill blends with what is under it and is not counted.

Typical use:

    with open_browser() as driver:
        problems = check_report(path, expect={"distribution": 3, "kl-terms": 3},
                                driver=driver)
    assert not problems, "\\n".join(problems)
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import pathlib
import shutil
import tempfile
from typing import TYPE_CHECKING, Iterator, Mapping, Sequence

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from selenium import webdriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Without the networking flags Chromium keeps trying to reach Google's
# hosts, and on this closed network the start hangs on refused connections.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # /dev/shm may be small in containers
    "--hide-scrollbars",  # a scrollbar would be drawn into the screenshot
    "--force-color-profile=srgb",  # colours in the PNG exactly as in the SVG
)

BACKGROUND = "#ffffff"
REFERENCE = "#2b6cb0"
CURRENT = "#dd6b20"
KL_POSITIVE = "#c53030"
KL_NEGATIVE = "#2f855a"
FIT_DATA = "#a0aec0"

# The colours every chart of a kind must show. Only those a chart of that kind
# always has: a KL-terms chart may have no visible negative term, and a fit
# chart's models are drawn in colours of the report's choosing.
KIND_COLOURS: dict[str, tuple[str, ...]] = {
    "distribution": (REFERENCE, CURRENT),
    "kl-terms": (KL_POSITIVE,),
    "fit": (FIT_DATA,),
}

COLOUR_TOLERANCE = 6  # per channel, out of 255
MIN_COLOUR_PIXELS = 20  # of each expected colour, in each chart
BLANK_INK = 0.0005  # fraction of non-background pixels at or below which a region is blank


@dataclasses.dataclass(frozen=True)
class Chart:
    """One <svg class="chart"> as laid out. box = (left, top, right, bottom)
    in the screenshot's pixels (CSS pixels times the device pixel ratio),
    right and bottom exclusive, rounded outwards."""

    index: int  # 0-based, in document order
    kind: str | None  # data-chart, None when missing
    label: str | None  # aria-label, None when missing
    role: str | None
    width_attr: str | None  # the svg's width and height attributes, as written
    height_attr: str | None
    box: tuple[int, int, int, int]

    def describe(self) -> str:
        return f"chart {self.index} ({self.kind or 'no data-chart'}, {self.label!r})"


@dataclasses.dataclass
class Rendered:
    """A rendered page: the full-page screenshot and what was measured."""

    image: Image.Image  # RGB, the whole document, not only the viewport
    charts: list[Chart]
    device_pixel_ratio: float
    scripts: int  # <script> elements in the document
    resources: list[str]  # URLs the page loaded besides itself

    def crop(self, chart: Chart) -> Image.Image:
        """The chart's region of the screenshot (clipped to the image)."""
        left, top, right, bottom = chart.box
        w, h = self.image.size
        return self.image.crop((max(left, 0), max(top, 0), min(right, w), min(bottom, h)))


@contextlib.contextmanager
def open_browser(width: int = 1200, scale: float = 1.0) -> Iterator["webdriver.Chrome"]:
    """A Selenium driver of a headless Chromium with a new empty profile;
    quits it and removes the profile at the end. `width` (CSS pixels) and
    `scale` (device pixel ratio) are the defaults render() lays pages out at."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            raise RuntimeError(f"{program} is missing: scripts/install-deps installs it")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kldiv-chromium-")
    driver = None
    try:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        # An explicit driver path: Selenium's own driver manager would try
        # to download one.
        service = Service(executable_path=CHROMEDRIVER)
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        driver.kldiv_viewport = (int(width), float(scale))
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


_MEASURE = """
const doc = document.documentElement;
return {
  width: Math.max(doc.scrollWidth, document.body ? document.body.scrollWidth : 0),
  height: Math.max(doc.scrollHeight, document.body ? document.body.scrollHeight : 0),
};
"""

_CHARTS = """
const charts = [];
for (const svg of document.querySelectorAll('svg.chart')) {
  const r = svg.getBoundingClientRect();
  charts.push({
    kind: svg.getAttribute('data-chart'),
    label: svg.getAttribute('aria-label'),
    role: svg.getAttribute('role'),
    width: svg.getAttribute('width'),
    height: svg.getAttribute('height'),
    left: r.left + window.scrollX, top: r.top + window.scrollY,
    right: r.right + window.scrollX, bottom: r.bottom + window.scrollY,
  });
}
const page = location.href.split('#')[0];
return {
  charts: charts,
  dpr: window.devicePixelRatio,
  scripts: document.scripts.length,
  resources: performance.getEntriesByType('resource').map(e => e.name)
    .filter(u => u.split('#')[0] !== page),
};
"""


def _set_viewport(driver, width: int, height: int, scale: float) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
    )


def render(driver, html_path, width: int | None = None, scale: float | None = None) -> Rendered:
    """Loads html_path (a local file) at `width` CSS pixels and device pixel
    ratio `scale` (default: open_browser's), makes the viewport as tall (and,
    if the page is wider, as wide) as the document so one screenshot holds the
    whole page, and measures every svg.chart."""
    default_width, default_scale = getattr(driver, "kldiv_viewport", (1200, 1.0))
    width = int(width or default_width)
    scale = float(scale or default_scale)
    url = pathlib.Path(html_path).resolve().as_uri()

    # The document is at least as tall as the viewport: start short, so a
    # short page gets a short screenshot, then grow the viewport until the
    # document fits in it (its height can change the layout: vh units).
    size = (width, 100)
    _set_viewport(driver, size[0], size[1], scale)
    driver.get(url)
    for _ in range(5):
        measured = driver.execute_script(_MEASURE)
        wanted = (max(width, int(measured["width"])), max(1, int(measured["height"])))
        if wanted == size:
            break
        size = wanted
        _set_viewport(driver, size[0], size[1], scale)
    driver.execute_script("window.scrollTo(0, 0)")

    info = driver.execute_script(_CHARTS)
    image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    dpr = float(info["dpr"])
    charts = []
    for i, c in enumerate(info["charts"]):
        box = (
            int(np.floor(c["left"] * dpr)),
            int(np.floor(c["top"] * dpr)),
            int(np.ceil(c["right"] * dpr)),
            int(np.ceil(c["bottom"] * dpr)),
        )
        charts.append(
            Chart(i, c["kind"], c["label"], c["role"], c["width"], c["height"], box)
        )
    return Rendered(image, charts, dpr, int(info["scripts"]), list(info["resources"]))


def _rgb(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6:
        raise ValueError(f"colour {colour!r}: expected #rrggbb or #rgb")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.int16)


def _pixels(region) -> np.ndarray:
    if isinstance(region, Image.Image):
        region = region.convert("RGB")
    a = np.asarray(region, dtype=np.int16)
    return a[..., :3]


def colour_pixels(region, colour: str, tol: int = COLOUR_TOLERANCE) -> int:
    """The number of pixels of `region` (a PIL image or an H×W×3 array) within
    `tol` of `colour` in every channel."""
    a = _pixels(region)
    if a.size == 0:
        return 0
    return int(np.count_nonzero(np.all(np.abs(a - _rgb(colour)) <= tol, axis=-1)))


def ink(region, background: str = BACKGROUND, tol: int = COLOUR_TOLERANCE) -> float:
    """The fraction of pixels of `region` that are not the background (1.0
    for an empty region, which shows nothing but is no background either)."""
    a = _pixels(region)
    n = a.shape[0] * a.shape[1] if a.ndim == 3 else 0
    if n == 0:
        return 1.0
    return 1.0 - colour_pixels(a, background, tol) / n


def blank(region, background: str = BACKGROUND, tol: int = COLOUR_TOLERANCE,
          max_ink: float = BLANK_INK) -> bool:
    """True when nearly every pixel of `region` is the background: at most a
    fraction `max_ink` is not. An empty region (zero pixels) is blank."""
    a = _pixels(region)
    if a.ndim != 3 or a.shape[0] * a.shape[1] == 0:
        return True
    return ink(a, background, tol) <= max_ink


def check_rendered(
    rendered: Rendered,
    expect: Mapping[str, int] | None = None,
    colours_per_kind: Mapping[str, Sequence[str]] | None = None,
    min_colour_pixels: int = MIN_COLOUR_PIXELS,
    tol: int = COLOUR_TOLERANCE,
) -> list[str]:
    """check_report's checks on a page already rendered; see there."""
    problems: list[str] = []
    image = rendered.image
    page_w, page_h = image.size
    colours = dict(KIND_COLOURS)
    if colours_per_kind:
        colours.update({k: tuple(v) for k, v in colours_per_kind.items()})

    if blank(image):
        problems.append(f"the page is blank ({page_w}x{page_h} px, ink {ink(image):.2e})")
    if rendered.scripts:
        problems.append(f"the page has {rendered.scripts} <script> element(s)")
    for url in rendered.resources:
        problems.append(f"the page loads {url} (a report must be self-contained)")

    if expect is not None:
        found: dict[str, int] = {}
        for chart in rendered.charts:
            found[chart.kind or ""] = found.get(chart.kind or "", 0) + 1
        for kind in sorted(set(expect) | set(found)):
            want, got = expect.get(kind, 0), found.get(kind, 0)
            if want != got:
                name = f"'{kind}'" if kind else "without data-chart"
                problems.append(f"charts {name}: expected {want}, found {got}")

    for chart in rendered.charts:
        what = chart.describe()
        if not chart.kind:
            problems.append(f"{what}: no data-chart attribute")
        if not chart.label:
            problems.append(f"{what}: no aria-label")
        if chart.role != "img":
            problems.append(f"{what}: role is {chart.role!r}, not 'img'")
        if not chart.width_attr or not chart.height_attr:
            problems.append(f"{what}: no explicit width/height attributes")
        left, top, right, bottom = chart.box
        if right <= left or bottom <= top:
            problems.append(f"{what}: empty box {chart.box}")
            continue
        if left < 0 or top < 0 or right > page_w or bottom > page_h:
            problems.append(f"{what}: box {chart.box} is not inside the page ({page_w}x{page_h})")
        region = rendered.crop(chart)
        if blank(region):
            problems.append(f"{what}: blank (box {chart.box}, ink {ink(region):.2e})")
            continue
        for colour in colours.get(chart.kind or "", ()):
            n = colour_pixels(region, colour, tol)
            if n < min_colour_pixels:
                problems.append(
                    f"{what}: {n} pixels of {colour}, expected at least {min_colour_pixels}"
                )
    return problems


def check_report(
    html_path,
    expect: Mapping[str, int] | None = None,
    colours_per_kind: Mapping[str, Sequence[str]] | None = None,
    *,
    driver=None,
    width: int | None = None,
    min_colour_pixels: int = MIN_COLOUR_PIXELS,
    tol: int = COLOUR_TOLERANCE,
) -> list[str]:
    """Renders the report and returns its problems, one sentence each; an
    empty list means it looks right:
      - the page is blank, has scripts, or loads anything besides itself;
      - (with `expect`, {kind: count}) a kind's number of charts differs, a
        kind not in `expect` counting as expected 0;
      - a chart lacks data-chart, aria-label, role="img", or width/height;
      - a chart's box is empty or not inside the page;
      - a chart's region is blank, or has fewer than `min_colour_pixels` of
        one of its kind's colours (KIND_COLOURS, updated by
        `colours_per_kind`, {kind: [colour, ...]}).
    Uses `driver` when given (one browser for many checks), else starts one."""
    if driver is None:
        with open_browser(width or 1200) as own:
            rendered = render(own, html_path, width)
    else:
        rendered = render(driver, html_path, width)
    return check_rendered(rendered, expect, colours_per_kind, min_colour_pixels, tol)


def save_screenshot(html_path, png_path, width: int = 1100, scale: float = 1.0,
                    driver=None) -> Rendered:
    """Writes the full-page screenshot of html_path, `width` CSS pixels wide
    at device pixel ratio `scale`, to png_path (its folder made if missing);
    returns the Rendered page (image, charts) for a caller to report on."""
    if driver is None:
        with open_browser(width, scale) as own:
            rendered = render(own, html_path, width, scale)
    else:
        rendered = render(driver, html_path, width, scale)
    out = pathlib.Path(png_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rendered.image.save(out, format="PNG", optimize=True)
    return rendered
