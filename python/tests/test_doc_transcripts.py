"""The command transcripts in README.md and docs/*.md, run against the built
kldiv command and compared with what the docs show, so that they cannot go
stale unnoticed.

A transcript is a fenced code block (``` or ```text, ```console, ```sh) whose
first line starts with "$ kldiv ". It may hold several commands, each a line
"$ kldiv ..." followed by the output the doc shows for it. In the expected
output:

- a line "..." stands for any number of output lines (none included);
- "<varies>" stands for one run of non-blank characters that differs from run
  to run (the wall times `kldiv gmm` prints); it is the only such marker;
- trailing whitespace and trailing blank lines are ignored.

Each command is split with shlex (no shell: a pipe, `>`, `;` or `&&` in a
command is an error here; `< FILE` feeds FILE to stdin), its first word is
replaced by the kldiv binary, and it runs in a scratch directory that holds a
symlink to every entry of the repository root: relative paths such as
examples/iris_virginica.csv resolve as from the root, and files a command
writes (`--report drift.html`) land in the scratch directory, not in the
checkout. Files named in SCRATCH_FILES are made there first.

The doc's text is compared with the command's stdout followed by its stderr
(errors go to stderr, warnings to stdout), and the exit status must be 2 when
the doc shows a line "kldiv: error: ..." and 0 otherwise.

The binary: $KLDIV_EXE if set (scripts/run-tests sets it), else bin/kldiv
beside the python/ directory of the build tree the kldiv package was imported
from (<build>/python/kldiv -> <build>/bin/kldiv).
"""
import difflib
import os
import pathlib
import re
import shlex
import subprocess

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))

FENCE_OPEN = re.compile(r"^(\s*)```(\S*)\s*$")
TRANSCRIPT_LANGUAGES = {"", "text", "console", "sh"}
FENCE_CLOSE = re.compile(r"^\s*```\s*$")
PROMPT = "$ kldiv "
ELISION = "..."
VARIES = "<varies>"
SHELL_WORDS = {"|", "||", ">", ">>", "2>", "2>&1", "&", "&&", ";"}


def _logits_pair(directory):
    """docs/logits.md's synthetic logits: base ~ N(0, 3^2), test = base +
    N(0, 0.3^2), 1000 rows x 5000 tokens in float32, NumPy's PCG64 seed 0."""
    rng = np.random.default_rng(0)
    base = (3.0 * rng.standard_normal((1000, 5000))).astype(np.float32)
    test = (base + 0.3 * rng.standard_normal((1000, 5000))).astype(np.float32)
    np.save(directory / "base.npy", base)
    np.save(directory / "test.npy", test)


# Inputs a transcript uses that the repository does not hold: file name ->
# the function that writes it (and its siblings) into a directory.
SCRATCH_FILES = {"base.npy": _logits_pair, "test.npy": _logits_pair}


def find_exe():
    exe = os.environ.get("KLDIV_EXE")
    if exe:
        if not os.access(exe, os.X_OK):
            pytest.fail(f"KLDIV_EXE={exe} is not an executable file", pytrace=False)
        return os.path.abspath(exe)  # the commands run in another directory
    try:
        import kldiv
    except ImportError as e:
        pytest.fail(f"no kldiv command: KLDIV_EXE is not set and the kldiv package, "
                    f"beside whose build tree it would be, does not import ({e})", pytrace=False)
    # abspath, not resolve: a build tree of symlinks still leads to its own bin/
    package = pathlib.Path(os.path.abspath(kldiv.__file__)).parent  # <build>/python/kldiv
    exe = package.parent.parent / "bin" / "kldiv"
    if not os.access(exe, os.X_OK):
        pytest.fail(
            f"no kldiv command: KLDIV_EXE is not set and {exe} (beside the build "
            f"tree of the kldiv package imported from {package}) is not an "
            "executable; set KLDIV_EXE=<build>/bin/kldiv", pytrace=False)
    return str(exe)


class Transcript:
    def __init__(self, doc, line, commands):
        self.doc = doc          # path relative to the repository root
        self.line = line        # 1-based line of the opening fence
        self.commands = commands  # [(line of the command, command, [expected lines])]

    @property
    def id(self):
        return f"{self.doc}:{self.line}"


def parse_transcripts(lines, rel):
    """The transcripts among a Markdown file's lines; rel names the file."""
    found = []
    i = 0
    while i < len(lines):
        opening = FENCE_OPEN.match(lines[i])
        if not opening:
            i += 1
            continue
        indent = len(opening.group(1))
        j = i + 1
        while j < len(lines) and not FENCE_CLOSE.match(lines[j]):
            j += 1
        body = [l[indent:] if l[:indent].isspace() else l for l in lines[i + 1:j]]
        if opening.group(2) in TRANSCRIPT_LANGUAGES and body and body[0].startswith(PROMPT):
            commands = []
            for k, text in enumerate(body):
                if text.startswith("$ "):
                    if not text.startswith(PROMPT):
                        raise ValueError(f"{rel}:{i + 2 + k}: a command other than kldiv "
                                         f"in a transcript: {text}")
                    commands.append((i + 2 + k, text[2:], []))
                else:
                    commands[-1][2].append(text)
            found.append(Transcript(rel, i + 1, commands))
        i = j + 1
    return found


TRANSCRIPTS = [t for doc in DOCS
               for t in parse_transcripts(doc.read_text(encoding="utf-8").splitlines(),
                                          doc.relative_to(REPO).as_posix())]


def split_command(command, exe):
    """argv and the stdin file of one command line."""
    words = shlex.split(command)
    stdin = None
    argv = []
    it = iter(words)
    for w in it:
        if w in SHELL_WORDS:
            raise ValueError(f"'{w}' in '{command}': transcripts run without a shell")
        if w == "<":
            stdin = next(it)
        elif w.startswith("<") and len(w) > 1:
            stdin = w[1:]
        else:
            argv.append(w)
    assert argv[0] == "kldiv"
    return [exe] + argv[1:], stdin


def _trim(lines):
    lines = [l.rstrip() for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _line_matches(expected, actual):
    if VARIES not in expected:
        return expected == actual
    pattern = r"\S+".join(re.escape(part) for part in expected.split(VARIES))
    return re.fullmatch(pattern, actual) is not None


def matches(expected, actual):
    """Whether the output lines match the doc's lines, "..." eliding any
    number of lines."""
    # reachable[j]: expected[:i] can match actual[:j]
    reachable = [True] + [False] * len(actual)
    for e in expected:
        if e == ELISION:
            for j in range(1, len(actual) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j - 1] and _line_matches(e, actual[j - 1])
                                   for j in range(1, len(actual) + 1)]
    return reachable[len(actual)]


def _scratch_dir(tmp_path, transcript):
    for entry in REPO.iterdir():
        if entry.name != ".git":
            (tmp_path / entry.name).symlink_to(entry)
    words = {w for _, command, _ in transcript.commands for w in shlex.split(command)}
    for maker in {SCRATCH_FILES[w] for w in words if w in SCRATCH_FILES}:
        maker(tmp_path)
    return tmp_path


def test_transcripts_found():
    """Guards the parser: the docs do hold transcripts, so finding none would
    mean the parser broke, not that there is nothing to check."""
    assert len(TRANSCRIPTS) >= 15
    docs = {t.doc for t in TRANSCRIPTS}
    assert {"README.md", "docs/compare.md", "docs/fit.md"} <= docs


def test_parse_transcripts():
    doc = """```cpp
$ kldiv not a transcript: C++
```
```
$ kldiv a --b
out 1
...
$ kldiv c 'd e'
```
```python
$ kldiv nor is this
```
- a list item:
  ```console
  $ kldiv f
  out 2
  ```
```sh
make demo
```""".splitlines()
    found = parse_transcripts(doc, "x.md")
    assert [(t.id, t.commands) for t in found] == [
        ("x.md:4", [(5, "kldiv a --b", ["out 1", "..."]), (8, "kldiv c 'd e'", [])]),
        ("x.md:14", [(15, "kldiv f", ["out 2"])])]


def test_matches():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert matches(["...", "b", "..."], ["a", "b", "c"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert matches(["t <varies> s"], ["t 0.0125 s"])
    assert not matches(["t <varies> s"], ["t  s"])
    assert not matches(["t <varies> s"], ["u 0.0125 s"])


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=lambda t: t.id)
def test_transcript(transcript, tmp_path):
    exe = find_exe()
    cwd = _scratch_dir(tmp_path, transcript)
    failures = []  # every command of the block runs, so one failure shows them all
    for line, command, expected in transcript.commands:
        argv, stdin = split_command(command, exe)
        with open(cwd / stdin, "rb") if stdin else open(os.devnull, "rb") as stdin_file:
            run = subprocess.run(argv, cwd=cwd, stdin=stdin_file, capture_output=True,
                                 text=True, timeout=60)
        actual = _trim((run.stdout + run.stderr).splitlines())
        expected = _trim(expected)
        where = f"{transcript.doc}:{line}: $ {command}"
        if not matches(expected, actual):
            diff = "\n".join(difflib.unified_diff(
                expected, actual, f"{transcript.doc}:{line} (the doc)",
                "what kldiv prints now", lineterm=""))
            failures.append(f"{where}\nthe output differs from the doc:\n{diff}")
        shows_error = any(l.startswith("kldiv: error:") for l in expected)
        want = 2 if shows_error else 0
        if run.returncode != want:
            failures.append(f"{where}\nexit status {run.returncode}, not {want}")
    for name in SCRATCH_FILES:  # 40 MB of logits need not outlive the test
        (cwd / name).unlink(missing_ok=True)
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
