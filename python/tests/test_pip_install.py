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
    # What is tested here is that the package builds, installs and runs; the
    # optimised module is tested by everything else (built by CMake), so this
    # build skips optimisation and debug information (the last -O and -g on
    # the command line win): 83 s instead of 97 s on two cores.
    build_env = dict(env, CFLAGS="-O0 -g0", CXXFLAGS="-O0 -g0")
    subprocess.run(
        [python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
         "--no-deps", "--quiet", ROOT],
        check=True, cwd=tmp_path, env=build_env)
    out = subprocess.run(
        [python, "-c",
         "import kldiv, kldiv.scipy; print(kldiv.__file__); "
         "print(kldiv.kl([1, 0], [0.5, 0.5], base=2))"],
        check=True, cwd=tmp_path, env=env, capture_output=True,
        text=True).stdout.split()
    assert out[0].startswith(str(env_dir))
    assert out[1] == "1.0"
