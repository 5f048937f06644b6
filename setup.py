"""The compiled part of `pip install .` (see pyproject.toml): the library's
sources and the pybind11 module, built as one extension, kldiv._kldiv."""
import glob
import os
import re
import subprocess

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup


def project_version():
    with open("CMakeLists.txt", encoding="utf-8") as f:
        return re.search(r"project\(kldiv VERSION (\S+)", f.read()).group(1)


def eigen_include():
    """Eigen (Debian's libeigen3-dev) is header-only, under its own directory."""
    try:
        flags = subprocess.run(["pkg-config", "--cflags-only-I", "eigen3"],
                               capture_output=True, text=True, check=True).stdout
        dirs = [f[2:] for f in flags.split() if f.startswith("-I")]
        if dirs:
            return dirs
    except (OSError, subprocess.CalledProcessError):
        pass
    return [d for d in ["/usr/include/eigen3"] if os.path.isdir(d)]


# Compile the sources on every core (KLDIV_BUILD_JOBS=N to choose): the
# library is some 40 translation units.
ParallelCompile("KLDIV_BUILD_JOBS").install()

ext = Pybind11Extension(
    "kldiv._kldiv",
    sorted(glob.glob("src/**/*.cpp", recursive=True)) + ["python/src/module.cpp"],
    include_dirs=["include", "src"] + eigen_include(),
    # Highway (Debian's libhwy-dev) for the SIMD kernels, OpenMP for threads;
    # Eigen and Boost (header-only) for the distributions.
    libraries=["hwy"],
    extra_compile_args=["-fopenmp"],
    extra_link_args=["-fopenmp"],
    define_macros=[("KLDIV_VERSION", f'"{project_version()}"')],
    cxx_std=20,
)

setup(
    version=project_version(),
    ext_modules=[ext],
    cmdclass={"build_ext": build_ext},
    # Out of CMake's way: setuptools' scratch files go under build/setuptools.
    options={"build": {"build_base": "build/setuptools"},
             "egg_info": {"egg_base": "build/setuptools"}},
)
