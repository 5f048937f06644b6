"""The HTML reports in a real browser: Debian's Chromium renders each page
headless (report_browser.py), and the screenshot must not be blank, every
chart the page should have must be there (one distribution and one KL-parts
chart per compared column; the fit chart and one per fitted model), inside
the page, not blank, and drawn in its colours (the reference's blue and
the current's orange, the red of KL parts, the data's grey and each model's
colour). One browser for the module."""
import pathlib

import numpy as np
import pandas as pd
import pytest

import kldiv
import report_browser as rb

# More than a legend's swatch (12 x 12 px) of each colour: the data must be
# drawn in it too.
MIN_PIXELS = 300


@pytest.fixture(scope="module")
def driver():
    with rb.open_browser(width=1100) as d:
        yield d


def tables():
    rng = np.random.default_rng(7)
    n, m = 1500, 900
    ref = pd.DataFrame({
        "age": rng.normal(40, 10, n),
        "income": rng.lognormal(10, 0.5, n),
        "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1]),
    })
    cur = pd.DataFrame({
        "age": rng.normal(46, 12, m),  # shifted and wider
        "income": rng.lognormal(10, 0.5, m),  # the same
        "plan": rng.choice(["basic", "plus", "pro", "team"], m,
                           p=[0.4, 0.3, 0.2, 0.1]),  # a new plan
    })
    return ref, cur


def test_compare_report_renders_every_chart(driver, tmp_path):
    ref, cur = tables()
    r = kldiv.compare(ref, cur, permutations=200, bootstrap=50, seed=3)
    assert r["age"].verdict == "drift" and r["income"].verdict == "no drift"
    path = tmp_path / "compare.html"
    path.write_text(r.to_html(reference_name="january.csv",
                              current_name="february.csv"), encoding="utf-8")
    rendered = rb.render(driver, path)
    problems = rb.check_rendered(
        rendered, expect={"distribution": 3, "kl-terms": 3},
        colours_per_kind=rb.KIND_COLOURS, min_colour_pixels=MIN_PIXELS)
    assert not problems, "\n".join(problems)
    # Each column's two charts, with the column's name in their labels.
    for name in ("age", "income", "plan"):
        kinds = sorted(c.kind for c in rendered.charts
                       if c.label.startswith(name + ":"))
        assert kinds == ["distribution", "kl-terms"], name
    # The shifted column's KL parts have bars of both signs: older ages less
    # common now (green), older ones more (red).
    age = [c for c in rendered.charts
           if c.kind == "kl-terms" and c.label.startswith("age:")][0]
    crop = rendered.crop(age)
    assert rb.colour_pixels(crop, rb.KL_NEGATIVE) > MIN_PIXELS
    assert rb.colour_pixels(crop, rb.KL_POSITIVE) > MIN_PIXELS


def test_the_checks_fail_on_a_report_without_its_data(driver, tmp_path):
    # The same report with the data's colours taken out of one chart: the
    # check must notice (it is not satisfied by axes, text or legends).
    ref, cur = tables()
    r = kldiv.compare(ref, cur, columns="age", permutations=50, bootstrap=0)
    page = r.to_html()
    first = page.index('data-chart="distribution"')
    end = page.index("</svg>", first)
    svg = page[first:end]
    for colour in (rb.REFERENCE, rb.CURRENT):
        svg = svg.replace(f'fill="{colour}"', 'fill="none"').replace(
            f'stroke="{colour}"', 'stroke="none"')
    path = tmp_path / "broken.html"
    path.write_text(page[:first] + svg + page[end:], encoding="utf-8")
    problems = rb.check_rendered(
        rb.render(driver, path), expect={"distribution": 1, "kl-terms": 1},
        colours_per_kind=rb.KIND_COLOURS, min_colour_pixels=MIN_PIXELS)
    assert any("distribution" in p and "#2b6cb0" in p for p in problems), \
        problems


# Each fitted model is drawn in its own colour (the report's palette, in
# rank order); the data's bars in grey.
MODEL_COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c",
                 "#319795", "#b7791f", "#c53030", "#4a5568", "#2c5282",
                 "#97266d")


def check_fit_page(driver, path, fit):
    fitted = [m for m in fit.models if m.fitted]
    rendered = rb.render(driver, path)
    problems = rb.check_rendered(
        rendered, expect={"fit": 1, "fit-model": len(fitted)},
        colours_per_kind={"fit": (rb.FIT_DATA,), "fit-model": (rb.FIT_DATA,)},
        min_colour_pixels=MIN_PIXELS)
    assert not problems, "\n".join(problems)
    # The combined chart shows every model's colour, each small chart its
    # own model's, in rank order.
    combined = [c for c in rendered.charts if c.kind == "fit"][0]
    crop = rendered.crop(combined)
    for i, m in enumerate(fitted):
        assert rb.colour_pixels(crop, MODEL_COLOURS[i]) > 40, m.family
    small = [c for c in rendered.charts if c.kind == "fit-model"]
    for i, (chart, m) in enumerate(zip(small, fitted)):
        assert chart.label.endswith(m.family), (chart.label, m.family)
        assert rb.colour_pixels(rendered.crop(chart), MODEL_COLOURS[i]) > 40


def test_fit_report_discrete_renders_every_model(driver, tmp_path):
    # Weldon's dice: 26306 throws of 12 dice, the number of fives and sixes.
    values = np.arange(13)
    counts = [185, 1149, 3265, 5475, 6114, 5194, 3067, 1331, 403, 105, 14, 4,
              0]
    fit = kldiv.fit(values, counts=counts, binomial_n=12)
    assert fit.best.family == "binomial"
    path = tmp_path / "dice.html"
    path.write_text(fit.to_html(data_name="fives and sixes"), encoding="utf-8")
    check_fit_page(driver, path, fit)


def test_fit_report_continuous_renders_every_model(driver, tmp_path):
    rng = np.random.default_rng(11)
    data = rng.gamma(3.0, 2.0, 400)
    fit = kldiv.fit(data)
    assert sum(m.fitted for m in fit.models) == 5  # all but beta
    path = tmp_path / "gamma.html"
    path.write_text(fit.to_html(), encoding="utf-8")
    check_fit_page(driver, path, fit)
