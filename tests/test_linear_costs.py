"""Large single files keep the answers of small ones (issue 16: every per-file cost is
linear in the file's size and findings; `benchmarks/quadratic.py` measures the time).

These check behaviour only, on inputs large enough that each shortcut is exercised many
times: every finding is there, once, on its line, masked, and suppressed where a comment
says so. No test here times anything.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

from twelvefold.detectors.secrets import scan_lines

from tests.helpers import check, make_repo, notebook, run_cli

PYPROJECT = '[project]\nname = "big"\nversion = "0"\nrequires-python = ">=3.11"\n'


def _word(rng: random.Random, length: int = 16) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))


def _aws_key(rng: random.Random) -> str:
    return "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))


def test_thousands_of_secret_lines_each_reported_once_and_masked(
    tmp_path: Path, capsys: object
) -> None:
    rng = random.Random(3)
    lines: list[str] = []
    expected: dict[int, set[str]] = {}
    for number in range(1, 3001):
        if number % 3 == 0:
            # A provider key under a secret-named key: one secret, reported once.
            value = _aws_key(rng)
            lines.append(f'aws_secret = "{value}"')
            expected[number] = {value}
        elif number % 3 == 1:
            value = "Pw" + _word(rng)
            lines.append(f'password = "{value}"')
            expected[number] = {value}
        else:
            first, second = "Tk" + _word(rng), "Ak" + _word(rng)
            lines.append(f'password = "{first}"; api_key = "{second}"')
            expected[number] = {first, second}
    make_repo(tmp_path, {"pyproject.toml": PYPROJECT, "creds.py": "\n".join(lines) + "\n"})

    found = [f for f in check(tmp_path, select=["TF301"]).findings if f.path == "creds.py"]
    by_line: dict[int, int] = {}
    for finding in found:
        assert finding.line is not None and finding.source is not None
        by_line[finding.line] = by_line.get(finding.line, 0) + 1
        for value in expected[finding.line]:
            assert value not in finding.message and value not in finding.source
    assert by_line == {number: len(values) for number, values in expected.items()}

    code, out, _ = run_cli(
        capsys, "check", "--no-cache", "--select", "TF301", "--output-format", "json", str(tmp_path)
    )
    assert code == 1
    assert len(json.loads(out)["findings"]) == len(found)
    assert not any(value in out for values in expected.values() for value in values)


def test_a_notebook_of_many_cells_reports_each_cell_on_its_own_line(tmp_path: Path) -> None:
    rng = random.Random(4)
    cells: list[tuple[str, list[dict[str, object]]]] = []
    values: list[tuple[str, str]] = []
    for _ in range(400):
        source, printed = "Pw" + _word(rng), "Ou" + _word(rng)
        output = {"output_type": "stream", "name": "stdout", "text": [f"password = {printed}\n"]}
        cells.append((f'x = 1\npassword = "{source}"\n', [output]))
        values.append((source, printed))
    document = json.loads(notebook(*cells))
    # A cell that is no JSON object is skipped: cell indexes are no list positions.
    document["cells"].insert(0, None)
    make_repo(tmp_path, {"pyproject.toml": PYPROJECT, "nb.ipynb": json.dumps(document, indent=1)})

    found = [f for f in check(tmp_path, select=["TF301"]).findings if f.path == "nb.ipynb"]
    in_code = sorted((f.cell, f.cell_line, f.source) for f in found if f.cell_line is not None)
    in_outputs = sorted(f.cell for f in found if f.cell_line is None)
    assert [cell for cell, _, _ in in_code] == list(range(1, 401))
    assert in_outputs == list(range(1, 401))
    for (_, cell_line, source), (value, _) in zip(in_code, values, strict=True):
        assert cell_line == 2  # the line of the cell, looked up by the cell's index
        assert source is not None and source.startswith("password = ") and value not in source
    shown = "\n".join((f.source or "") + f.message for f in found)
    assert not any(printed in shown for _, printed in values)


def test_many_suppressed_lines_of_a_dockerfile(tmp_path: Path) -> None:
    lines = ["FROM python:3.11-slim"]
    for i in range(2000):
        comment = "  # twelvefold: ignore[TF505]" if i % 2 else ""
        lines.append(f"RUN pip install pkg{i}{comment}")
    make_repo(tmp_path, {"pyproject.toml": PYPROJECT, "Dockerfile": "\n".join(lines) + "\n"})

    [found] = check(tmp_path, select=["TF505"]).findings
    # Line 1 is FROM; package i is on line i + 2; odd packages are suppressed. The image's
    # unsuppressed steps are one finding, at the first (`group`, after suppressions).
    assert found.line == 2 and "(1000 steps)" in found.message
    assert "`pkg0`, `pkg2`, `pkg4`, `pkg6` and 996 more" in found.message
    assert found.source is not None and "twelvefold:" not in found.source


def test_the_scan_reads_the_lines_not_the_bytes_it_is_given() -> None:
    rng = random.Random(5)
    lines = [f'password = "{"Pw" + _word(rng)}"' if i % 7 == 0 else "x = 1" for i in range(700)]
    lines.append(f'key = "{_aws_key(rng)}"')
    data = "\n".join(lines).encode()
    expected = list(scan_lines(lines, data, data.lower(), code=True))
    assert len(expected) == 101
    # A notebook passes its whole file's bytes for each cell: they must not matter.
    other = b"unrelated bytes " * 1000
    assert list(scan_lines(lines, other, other.lower(), code=True)) == expected
    assert list(scan_lines(lines, code=True)) == expected


def test_a_dockerfile_is_parsed_once_for_every_rule_that_reads_it(tmp_path: Path) -> None:
    from twelvefold.detectors import dockerfile

    lines = ["FROM python", "ENV API_TOKEN=abc", *(f"RUN pip install pkg{i}" for i in range(50))]
    lines.append("CMD python serve.py")
    make_repo(tmp_path, {"pyproject.toml": PYPROJECT, "Dockerfile": "\n".join(lines) + "\n"})
    dockerfile.parse.cache_clear()
    found = {f.code for f in check(tmp_path).findings}
    # Three rules that read the Dockerfile reported (base image, installs, shell form).
    assert {"TF503", "TF505", "TF702"} <= found, found
    assert dockerfile.parse.cache_info().misses == 1
