#!/usr/bin/python3
"""A full-page PNG of a kldiv HTML report, for the docs. Run with Debian's
python3 (needs chromium, chromium-driver, python3-selenium, python3-pil:
scripts/install-deps):

    /usr/bin/python3 tools/screenshot_report.py report.html docs/img/x.png [--width 1100]

Renders the report in headless Chromium through the report tests' harness
(python/tests/report_browser.py), so the docs show what the tests checked.
Prints the PNG's path and size; warns on stderr when the page is blank.
"""
import argparse
import importlib.util
import pathlib
import sys

HARNESS = pathlib.Path(__file__).resolve().parents[1] / "python" / "tests" / "report_browser.py"


def load_harness():
    # Its own name, so as not to stand in for a report_browser already imported.
    spec = importlib.util.spec_from_file_location("kldiv_report_browser", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=pathlib.Path, help="the report (an HTML file)")
    parser.add_argument("png", type=pathlib.Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1100,
                        help="the page's width in CSS pixels (default 1100)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="device pixel ratio: 2 for a sharper, twice as large PNG")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        parser.error(f"{args.html}: no such file")
    if args.width <= 0 or args.scale <= 0:
        parser.error("--width and --scale must be positive")

    rb = load_harness()
    rendered = rb.save_screenshot(args.html, args.png, args.width, args.scale)
    if rb.blank(rendered.image):
        print(f"screenshot_report: {args.html} renders blank", file=sys.stderr)
    w, h = rendered.image.size
    print(f"{args.png}: {w}x{h} px, {len(rendered.charts)} charts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
