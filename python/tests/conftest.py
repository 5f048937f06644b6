"""The tests import kldiv from the build tree: `make test` sets PYTHONPATH to
build/python; run by hand, the default build directory is found here."""
import os
import sys

_BUILD = os.path.join(os.path.dirname(__file__), "..", "..", "build", "python")
try:
    import kldiv  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.abspath(_BUILD))
