"""`pip install .` from the source checkout, offline: Debian's setuptools and
pybind11 build the package (no build isolation, so nothing is downloaded)
into a scratch virtual environment, which then imports and runs it."""
import os
import shutil
import subprocess
import sys
import venv

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_pip_install_from_the_checkout(tmp_path):
    # setuptools' scratch files (build/setuptools, see setup.py) from an
    # earlier run could be stale: build from scratch.
    shutil.rmtree(os.path.join(ROOT, "build", "setuptools"), ignore_errors=True)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = str(env_dir / "bin" / "python")
    # Without the build tree on the path, the import finds the installed copy.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
         "--no-deps", "--quiet", ROOT],
        check=True, cwd=tmp_path, env=env)
    out = subprocess.run(
        [python, "-c",
         "import kldiv, kldiv.scipy; print(kldiv.__file__); "
         "print(kldiv.kl([1, 0], [0.5, 0.5], base=2))"],
        check=True, cwd=tmp_path, env=env, capture_output=True,
        text=True).stdout.split()
    assert out[0].startswith(str(env_dir))
    assert out[1] == "1.0"
