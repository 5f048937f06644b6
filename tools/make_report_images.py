#!/usr/bin/python3
"""The report pictures in docs/img, made from the bundled examples by the
command and rendered in headless Chromium by the report tests' harness:

    /usr/bin/python3 tools/make_report_images.py [build/bin/kldiv]

docs/img/compare_report.png: `kldiv compare --report` on the iris species
(versicolor as the reference, virginica as the current data), the top of
the page: the summary and the first column. docs/img/fit_report.png:
`kldiv fit --report` on Weldon's dice, the whole page.
"""
import pathlib
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python" / "tests"))
import report_browser as rb  # noqa: E402

WIDTH = 1100


def main(argv):
    kldiv = pathlib.Path(argv[1] if len(argv) > 1 else REPO / "build/bin/kldiv")
    out = REPO / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, rb.open_browser(WIDTH) as driver:
        tmp = pathlib.Path(tmp)
        jobs = [
            ("compare_report", ["compare", "--smoothing", "0.5", "--seed", "1",
                                "examples/iris_versicolor.csv",
                                "examples/iris_virginica.csv"], 1480),
            ("fit_report", ["fit", "--column", "fives_or_sixes", "--counts",
                            "observed", "--binomial-n", "12",
                            "examples/weldon_dice.csv"], None),
        ]
        for name, args, crop in jobs:
            page = tmp / f"{name}.html"
            subprocess.run([str(kldiv), *args, "--report", str(page)],
                           cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            rendered = rb.render(driver, page)
            image = rendered.image
            if crop is not None:
                image = image.crop((0, 0, image.width, min(crop, image.height)))
            png = out / f"{name}.png"
            image.save(png, optimize=True)
            print(f"{png.relative_to(REPO)}: {image.width}x{image.height} px, "
                  f"{len(rendered.charts)} charts on the page")


if __name__ == "__main__":
    main(sys.argv)
