"""Tests of the report harness (report_browser.py) itself, on hand-written
pages: it passes a good page, and it can fail — a blank chart, a missing
colour, a missing chart, a blank page, a chart outside the page, a script
are each reported. One headless Chromium for the whole module."""
import contextlib
import importlib.util
import pathlib

import numpy as np
import pytest
from PIL import Image

import report_browser as rb

REPO = pathlib.Path(__file__).resolve().parents[2]

DISTRIBUTION = """
<svg class="chart" data-chart="distribution" role="img" aria-label="age: reference and current"
     width="400" height="200" viewBox="0 0 400 200">
  <line x1="30" y1="180" x2="390" y2="180" stroke="#4a5568"/>
  <rect x="40" y="80" width="30" height="100" fill="#2b6cb0"/>
  <rect x="75" y="60" width="30" height="120" fill="{current}"/>
  <rect x="120" y="40" width="30" height="140" fill="#2b6cb0"/>
  <rect x="155" y="100" width="30" height="80" fill="{current}"/>
  <text x="200" y="20" font-size="14">age</text>
</svg>"""

KL_TERMS = """
<svg class="chart" data-chart="kl-terms" role="img" aria-label="age: KL terms per bin"
     width="400" height="200">
  <line x1="30" y1="100" x2="390" y2="100" stroke="#4a5568"/>
  <rect x="40" y="40" width="30" height="60" fill="#c53030"/>
  <rect x="80" y="100" width="30" height="25" fill="#2f855a"/>
  <text x="200" y="20" font-size="14">KL terms</text>
</svg>"""

EMPTY_CHART = """
<svg class="chart" data-chart="kl-terms" role="img" aria-label="age: KL terms per bin"
     width="400" height="200"></svg>"""


def page(*body, style=""):
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>report</title>"
        f"<style>body {{ background: #ffffff; font-family: sans-serif; }} {style}</style>"
        "</head><body><h1>kldiv report</h1>" + "".join(body) + "</body></html>"
    )


GOOD = page("<h2>age</h2>", DISTRIBUTION.format(current="#dd6b20"), KL_TERMS)
BOTH = {"distribution": 1, "kl-terms": 1}


@pytest.fixture(scope="module")
def driver():
    with rb.open_browser(width=1000) as d:
        yield d


def write(tmp_path, html, name="report.html"):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_a_good_page_passes(driver, tmp_path):
    path = write(tmp_path, GOOD)
    assert rb.check_report(path, expect=BOTH, driver=driver) == []
    rendered = rb.render(driver, path)
    assert rb.check_rendered(rendered, expect=BOTH) == []
    assert [(c.kind, c.label) for c in rendered.charts] == [
        ("distribution", "age: reference and current"),
        ("kl-terms", "age: KL terms per bin"),
    ]
    # The colours come through exactly: a 30x100 bar and a 30x140 bar of blue.
    blue = rb.colour_pixels(rendered.crop(rendered.charts[0]), rb.REFERENCE, tol=0)
    assert blue == 30 * 100 + 30 * 140
    green = rb.colour_pixels(rendered.crop(rendered.charts[1]), rb.KL_NEGATIVE, tol=0)
    assert green == 30 * 25


def test_a_chart_with_its_drawing_removed_is_blank(driver, tmp_path):
    path = write(tmp_path, page(DISTRIBUTION.format(current="#dd6b20"), EMPTY_CHART))
    problems = rb.check_report(path, expect=BOTH, driver=driver)
    assert len(problems) == 1, problems
    assert "chart 1 (kl-terms" in problems[0] and "blank" in problems[0]


def test_a_chart_missing_a_colour_is_reported(driver, tmp_path):
    path = write(tmp_path, page(DISTRIBUTION.format(current="#718096"), KL_TERMS))
    rendered = rb.render(driver, path)
    problems = rb.check_rendered(rendered, expect=BOTH)
    assert len(problems) == 1, problems
    assert "chart 0 (distribution" in problems[0] and "#dd6b20" in problems[0]
    # A colour asked for by the caller is checked too.
    problems = rb.check_rendered(
        rendered, expect=BOTH, colours_per_kind={"kl-terms": ["#c53030", "#805ad5"]}
    )
    assert any("chart 1 (kl-terms" in p and "#805ad5" in p for p in problems), problems


def test_a_missing_chart_is_reported(driver, tmp_path):
    rendered = rb.render(driver, write(tmp_path, GOOD))
    problems = rb.check_rendered(rendered, expect={"distribution": 2, "kl-terms": 1})
    assert problems == ["charts 'distribution': expected 2, found 1"]
    # A kind that is not expected counts as expected 0.
    problems = rb.check_rendered(rendered, expect={"distribution": 1})
    assert problems == ["charts 'kl-terms': expected 0, found 1"]


def test_a_blank_page_is_reported(driver, tmp_path):
    path = write(tmp_path, "<!DOCTYPE html><html><body style='background:#fff'></body></html>")
    problems = rb.check_report(path, expect=BOTH, driver=driver)
    assert problems[0].startswith("the page is blank"), problems
    assert "charts 'distribution': expected 1, found 0" in problems
    assert "charts 'kl-terms': expected 1, found 0" in problems


def test_the_whole_of_a_tall_page_is_captured(driver, tmp_path):
    # A chart 3000 px down, below any window: its box is where it was put,
    # and its pixels are in the screenshot.
    html = page(
        "<div style='height:3000px'></div>",
        "<div style='position:absolute; left:50px; top:3000px'>",
        DISTRIBUTION.format(current="#dd6b20"),
        "</div>",
        style="body { margin: 0; } svg { display: block; }",
    )
    path = write(tmp_path, html)
    rendered = rb.render(driver, path)
    assert rendered.image.size[0] == 1000
    assert rendered.image.size[1] >= 3200
    assert rendered.charts[0].box == (50, 3000, 450, 3200)
    assert rb.check_rendered(rendered, expect={"distribution": 1}) == []


def test_boxes_are_in_device_pixels(driver, tmp_path):
    html = page(
        "<div style='position:absolute; left:50px; top:300px'>",
        DISTRIBUTION.format(current="#dd6b20"),
        "</div>",
        style="body { margin: 0; } svg { display: block; }",
    )
    rendered = rb.render(driver, write(tmp_path, html), width=500, scale=2)
    assert rendered.device_pixel_ratio == 2
    assert rendered.image.size == (1000, 1000)
    assert rendered.charts[0].box == (100, 600, 900, 1000)
    assert rb.check_rendered(rendered, expect={"distribution": 1}) == []
    blue = rb.colour_pixels(rendered.crop(rendered.charts[0]), rb.REFERENCE, tol=0)
    assert blue == 4 * (30 * 100 + 30 * 140)


def test_a_chart_outside_the_page_is_reported(driver, tmp_path):
    html = page(
        "<div style='position:absolute; left:-300px; top:100px'>",
        DISTRIBUTION.format(current="#dd6b20"),
        "</div>",
    )
    problems = rb.check_report(write(tmp_path, html), expect={"distribution": 1}, driver=driver)
    assert any("not inside the page" in p for p in problems), problems


def test_the_contract_attributes_and_scripts_are_checked(driver, tmp_path):
    bare = DISTRIBUTION.format(current="#dd6b20").replace(
        ' role="img" aria-label="age: reference and current"', ""
    ).replace('width="400" height="200" ', 'style="width:400px;height:200px" ')
    html = page(bare, "<script>document.title = 'x';</script>")
    problems = rb.check_report(write(tmp_path, html), expect={"distribution": 1}, driver=driver)
    assert "the page has 1 <script> element(s)" in problems
    assert "chart 0 (distribution, None): no aria-label" in problems
    assert "chart 0 (distribution, None): role is None, not 'img'" in problems
    assert "chart 0 (distribution, None): no explicit width/height attributes" in problems


def test_blank_and_colour_pixels_on_plain_images():
    white = Image.new("RGB", (100, 100), "#ffffff")
    assert rb.blank(white)
    assert rb.colour_pixels(white, "#2b6cb0") == 0
    dotted = white.copy()
    dotted.putpixel((5, 5), (0, 0, 0))  # 1 pixel in 10000: still blank
    assert rb.blank(dotted)
    drawn = white.copy()
    drawn.paste((43, 108, 176), (10, 10, 20, 30))  # a 10x20 bar of #2b6cb0
    assert not rb.blank(drawn)
    assert rb.colour_pixels(drawn, "#2b6cb0") == 200
    assert rb.colour_pixels(drawn, "#2b6cb0", tol=0) == 200
    assert rb.colour_pixels(drawn, "#dd6b20") == 0
    near = np.asarray(drawn).copy()
    near[10:30, 10:20] = (43 + 5, 108 - 5, 176)  # within the tolerance of 6, not of 4
    assert rb.colour_pixels(near, "#2b6cb0") == 200
    assert rb.colour_pixels(near, "#2b6cb0", tol=4) == 0
    assert rb.blank(white.crop((0, 0, 0, 0)))


def load_tool():
    path = REPO / "tools" / "screenshot_report.py"
    spec = importlib.util.spec_from_file_location("screenshot_report", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_screenshot_tool_writes_the_png(driver, tmp_path, monkeypatch, capsys):
    tool = load_tool()
    assert hasattr(tool.load_harness(), "render")  # it finds the harness by path
    # The tool with the module's browser, to start no second one.
    @contextlib.contextmanager
    def shared_browser(width=1200, scale=1.0):
        yield driver

    monkeypatch.setattr(rb, "open_browser", shared_browser)
    monkeypatch.setattr(tool, "load_harness", lambda: rb)
    html = write(tmp_path, GOOD)
    png = tmp_path / "img" / "report.png"
    assert tool.main([str(html), str(png), "--width", "700"]) == 0
    with Image.open(png) as image:
        assert image.format == "PNG"
        assert image.size[0] == 700
        assert not rb.blank(image)
        # What the checks see in the page is in the PNG.
        rendered = rb.Rendered(image.convert("RGB"), rb.render(driver, html, 700).charts,
                               1.0, 0, [])
        assert rb.check_rendered(rendered, expect=BOTH) == []
    assert capsys.readouterr().out == f"{png}: 700x{image.size[1]} px, 2 charts\n"
