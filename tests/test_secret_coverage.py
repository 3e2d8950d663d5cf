"""The secret scan reads every file that can carry a secret, whatever stops other rules.

Issue 13, item 5: a secret used to pass (exit 0, a stderr warning, no TF301) when its
file's content was skipped: a PEP 263 `latin-1` module, a NUL byte in a YAML comment, a
`.py` file over the size limit, a UTF-16 `config.json`; and files named like credential
stores (`id_rsa`, `.npmrc`, `credentials`, `*.js` config, notes) were never scanned. A
file the scan cannot read at all is a TF305 warning, never silence; binary data formats
stay quiet. Secrets here are built by concatenation: this file holds none in clear.
"""

from __future__ import annotations

import base64
import codecs
import errno
import json
import os
import random
from pathlib import Path

import pytest
from twelvefold import file_pass, kinds, sources
from twelvefold.cli import main
from twelvefold.config import Config
from twelvefold.engine import RunResult, Target, run
from twelvefold.sources import SourceFile, detect_encoding

from tests.helpers import make_repo

AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
GITHUB_TOKEN = "ghp_" + "R8fK2mQx9LpZ7vNc4TbW1yHs6JdG3eUa5oXi"
NPM_TOKEN = "npm_" + "Lq7Vb2Xk9Rt4Wm8Zp3Nc6Yd1Hs5Jf0Ga2Ue"
PYPI_TOKEN = "pypi-" + "AgEIcHlwaS5vcmc" + "CJDk3NzEyYjUxLTg0OWUtNGQ3Ny05ZWE1LWY4ZDA0ZTg1NTAxZQ"
PASSWORD = "Xk8pq2" + "Lm9zR4w"
#: A private key body line, as in a PEM file (64 base64 characters).
PEM_BODY = "MIIEpAIBAAKCAQEA" + "u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0"
PRIVATE_KEY = (
    "-----BEGIN " + "RSA PRIVATE KEY-----\n"
    f"{PEM_BODY}\n{PEM_BODY[::-1]}\n"
    "-----END " + "RSA PRIVATE KEY-----\n"
)
SECRETS = (AWS_KEY, GITHUB_TOKEN, NPM_TOKEN, PYPI_TOKEN, PASSWORD, PEM_BODY)


def cli_findings(
    root: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict], str]:
    """`twelvefold check` through its real entry point: exit code, JSON findings, stderr."""
    code = main(["check", "--no-cache", "--output-format", "json", *args, str(root)])
    captured = capsys.readouterr()
    for secret in SECRETS:
        assert secret not in captured.out and secret not in captured.err
    return code, json.loads(captured.out)["findings"], captured.err


def where(found: list[dict], code: str = "TF301") -> list[tuple[str, int | None]]:
    return sorted((f["path"], f["line"]) for f in found if f["code"] == code)


def check_in_process(root: Path, select: list[str] | None = None) -> RunResult:
    config = Config()
    config.select = select or ["TF301", "TF305"]
    return run([Target(root)], config, jobs=1)


# --- the four reproductions of the issue, through the CLI ---------------------------------


def _big_module() -> bytes:
    # The key, then 10.5 MB of comments: over the 10 MiB limit of the content rules.
    comment = "# " + "padding for a vendored table; regenerate with tools/gen.py ".ljust(97) + "\n"
    return f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'.encode() + comment.encode() * (
        10_500_000 // len(comment)
    )


REPRODUCTIONS = {
    "latin1-coding-line": (
        "src/legacy/names.py",
        b"# -*- coding: latin-1 -*-\n"
        + "AUTHOR = 'Ren\xe9 Dupr\xe9'\n".encode("latin-1")
        + f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'.encode(),
        3,
    ),
    "nul-in-yaml-comment": (
        "config/deploy.yaml",
        b"# exported from the vault UI \x00\nstorage:\n  bucket: ml-artifacts\n"
        + f"  aws_access_key_id: {AWS_KEY}\n".encode(),
        4,
    ),
    "key-before-10.5MB-of-comments": ("src/vendored_table.py", _big_module(), 3),
    "utf16-config-json": (
        "config.json",
        json.dumps({"storage": {"aws_access_key_id": AWS_KEY}}, indent=2).encode("utf-16"),
        3,
    ),
}


@pytest.mark.parametrize("case", sorted(REPRODUCTIONS))
def test_issue_reproductions_fail_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    path, content, line = REPRODUCTIONS[case]
    root = make_repo(tmp_path / "repo", {path: content, "README.md": "# service\n"})
    code, found, _ = cli_findings(root, capsys, "--select", "TF301")
    assert code == 1
    assert where(found) == [(path, line)]


def test_issue_reproductions_with_every_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # All four at once with the default selection: every other rule still runs, and
    # the files that they skip say so on stderr.
    root = make_repo(
        tmp_path / "repo", {path: content for path, content, _ in REPRODUCTIONS.values()}
    )
    code, found, err = cli_findings(root, capsys)
    assert code == 1
    assert where(found) == sorted((path, line) for path, _, line in REPRODUCTIONS.values())
    assert "src/vendored_table.py" in err and "over the" in err
    assert "config/deploy.yaml" in err and "binary content" in err


# --- decoding what Python and the other tools decode --------------------------------------


@pytest.mark.parametrize(
    ("data", "python", "encoding"),
    [
        (b"x = 1\n", True, "utf-8"),
        (codecs.BOM_UTF8 + b"x = 1\n", False, "utf-8-sig"),
        ("x: 1\n".encode("utf-16"), False, "utf-16"),
        ("x: 1\n".encode("utf-16-be"), False, "utf-16-be"),
        ("x: 1\n".encode("utf-16-le"), False, "utf-16-le"),
        (codecs.BOM_UTF16_BE + "x: 1\n".encode("utf-16-be"), False, "utf-16"),
        ("x: 1\n".encode("utf-32"), False, "utf-32"),
        ("x: 1\n".encode("utf-32-be"), False, "utf-32-be"),
        ("x: 1\n".encode("utf-32-le"), False, "utf-32-le"),
        (b"# -*- coding: latin-1 -*-\n", True, "iso8859-1"),
        (b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n", True, "cp1252"),
        (b"# coding=utf-8\n", True, "utf-8"),
        # Not cookies: Python reads only the first two lines, the second only after a
        # comment or blank line, and never a cookie in other kinds of files.
        (b"import os\n# coding: latin-1\n", True, "utf-8"),
        (b"\n\n# coding: latin-1\n", True, "utf-8"),
        (b"# coding: latin-1\n", False, "utf-8"),
        (b"# coding: no-such-codec\n", True, "utf-8"),
        (b"# coding: rot13\n", True, "utf-8"),  # a codec, not a text encoding
        # One NUL in text, or binary data, is not UTF-16.
        (b"key: value # \x00 note\n", False, "utf-8"),
        (bytes(range(256)) * 4, False, "utf-8"),
    ],
)
def test_detect_encoding(data: bytes, python: bool, encoding: str) -> None:
    assert detect_encoding(data, python=python) == encoding


def test_text_is_decoded_for_every_rule() -> None:
    latin = SourceFile(
        "src/names.py", kinds.PYTHON, b"# -*- coding: latin-1 -*-\nNAME = 'Ren\xe9'\n"
    )
    assert latin.text is not None and "Ren\xe9" in latin.text
    assert latin.python is not None and latin.python.tree is not None
    utf16 = SourceFile("config.json", kinds.JSON, '{"a": 1}'.encode("utf-16"))
    assert utf16.yaml == {"a": 1}
    bomless = SourceFile("settings.yaml", kinds.YAML, "a: 1\nb: two\n".encode("utf-16-le"))
    assert bomless.yaml == {"a": 1, "b": "two"}
    # Text that is not UTF-8 and names no encoding stays unreadable for the other rules...
    cp1252 = SourceFile("deploy.sh", kinds.SHELL, b"# r\xe9sum\xe9\nexport TOKEN=x\n")
    assert cp1252.text is None
    # ... but the secret scan reads it, with the undecodable bytes replaced.
    assert cp1252.readable_lines == ["# r\ufffdsum\ufffd", "export TOKEN=x"]


@pytest.mark.parametrize(
    ("path", "content"),
    [
        # Latin-1 bytes without a coding line (an old editor), in code and in config.
        ("src/settings.py", b"# Param\xe8tres\n" + f'GITHUB_TOKEN = "{GITHUB_TOKEN}"\n'.encode()),
        (
            "config/app.ini",
            b"[db]\n; mot de passe \xe9crit ici\n" + f"password = {PASSWORD}\n".encode(),
        ),
        # UTF-16 without a BOM (PowerShell's `Out-File -Encoding unicode` on some setups).
        (".env", f"DEBUG=1\nDB_PASSWORD={PASSWORD}\n".encode("utf-16-le")),
        ("deploy/values.yaml", f"db:\n  password: {PASSWORD}\n".encode("utf-16-be")),
        ("config/keys.toml", f'[aws]\naccess_key = "{AWS_KEY}"\n'.encode("utf-32")),
        ("src/upload.py", codecs.BOM_UTF8 + f'TOKEN = "{PYPI_TOKEN}"\n'.encode()),
        # A NUL anywhere: at the top of a script, next to the secret, in a notebook.
        (
            "scripts/deploy.sh",
            b"\x00\x00#!/bin/sh\n" + f"export GH_TOKEN={GITHUB_TOKEN}\n".encode(),
        ),
        ("Dockerfile", f"FROM python:3.12\x00\nENV AWS_ACCESS_KEY_ID={AWS_KEY}\n".encode()),
        ("src/keys.py", f'KEYS = ["{AWS_KEY}\x00"]\n'.encode()),
        # A coding line Python honours that hides ASCII (UTF-7 base64), or that would
        # hide ASCII in clear from a decoder (EBCDIC): both views are read.
        (
            "src/hidden.py",
            b"# coding: utf-7\nKEY = '+"
            + base64.b64encode(AWS_KEY.encode("utf-16-be")).rstrip(b"=")
            + b"-'\n",
        ),
        ("src/ebcdic.py", b"# coding: cp500\n" + f'KEY = "{AWS_KEY}"\n'.encode()),
        # A notebook that is not valid JSON is still text.
        ("eda.ipynb", f'{{"cells": [{{"source": ["token = \\"{GITHUB_TOKEN}\\"\\n"]'.encode()),
    ],
)
def test_secret_in_text_that_other_rules_cannot_read(
    tmp_path: Path, path: str, content: bytes
) -> None:
    root = make_repo(tmp_path / "repo", {path: content}, git_init=False)
    result = check_in_process(root)
    assert [f.path for f in result.findings if f.code == "TF301"] == [path]
    assert not [f for f in result.findings if f.code == "TF305"]


def test_lossy_scan_keeps_lines_and_masks(tmp_path: Path) -> None:
    content = b"a: 1\n\x00\x01\x02 binary\xff\xfe junk\n" + f"token: {GITHUB_TOKEN}\n".encode()
    root = make_repo(tmp_path / "repo", {"conf/settings.yml": content}, git_init=False)
    [finding] = check_in_process(root).findings
    assert (finding.line, finding.column) == (3, 8)
    assert finding.source is not None and GITHUB_TOKEN not in finding.source
    assert "\x00" not in finding.source


# --- files over the size limit: streamed, in bounded pieces -------------------------------


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Content limit, stream pieces and overlap shrunk, so a few KB exercise what 10 MB
    files do: every boundary case is hit many times over."""
    monkeypatch.setattr(file_pass, "MAX_FILE_BYTES", 600)
    monkeypatch.setattr(sources, "STREAM_PIECE_CHARS", 512)
    monkeypatch.setattr(sources, "STREAM_OVERLAP_CHARS", 300)
    monkeypatch.setattr(sources, "STREAM_CONTEXT_CHARS", 64)


def _scan(path: Path, name: str, *, stream: bool) -> list[tuple]:
    """TF301 on one file, streamed or held in memory: (line, column, message, key)."""
    from twelvefold.rules.f03_config import HardCodedSecret

    data = path.read_bytes()
    kind = kinds.classify(name)
    if stream:
        source = SourceFile(name, kind, b"", stream=path, size=len(data))
    else:
        source = SourceFile(name, kind, data)
    return sorted((v.line, v.column, v.message, v.key) for v in HardCodedSecret().check(source))


def _secret_lines(rng: random.Random) -> list[str]:
    return [
        f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"',
        f"g = Github('{GITHUB_TOKEN}')",
        f'DB_PASSWORD = "{PASSWORD}"',
        f'engine = create_engine("postgresql://ml:{PASSWORD}@db.internal/x")',
        *PRIVATE_KEY.splitlines(),
        "x = 1  # " + "y" * rng.randrange(0, 300),
        "",
        "def f():\n    return 2",
    ]


def _streamed_and_loaded(tmp_path: Path, name: str, text: str) -> tuple[list, list]:
    streamed = make_repo(tmp_path / "streamed", {name: text}, git_init=False)
    result = check_in_process(streamed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(file_pass, "MAX_FILE_BYTES", 10 * 1024 * 1024)
        loaded = make_repo(tmp_path / "loaded", {name: text}, git_init=False)
        expected = check_in_process(loaded)
    assert not result.internal_errors and not expected.internal_errors
    key = lambda f: (f.line, f.column, f.message, f.key)  # noqa: E731
    return sorted(map(key, result.findings)), sorted(map(key, expected.findings))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.usefixtures("small_pieces")
def test_streamed_scan_finds_what_the_whole_file_scan_finds(tmp_path: Path, seed: int) -> None:
    # Secrets at every offset relative to piece boundaries, with CRLF and LF endings:
    # the streamed scan reports exactly the findings (line, column, value) of a scan of
    # the whole file held in memory, none twice.
    rng = random.Random(seed)
    pool = _secret_lines(rng)
    lines = [rng.choice(pool) for _ in range(120)]
    newline = "\r\n" if seed % 2 else "\n"
    text = newline.join(lines) + newline
    streamed, loaded = _streamed_and_loaded(tmp_path, "src/settings.py", text)
    assert streamed == loaded
    assert len(streamed) >= 20


@pytest.mark.usefixtures("small_pieces")
def test_streamed_secret_straddling_pieces_of_one_long_line(tmp_path: Path) -> None:
    # One line far longer than a piece (minified code, a data literal): a secret cut by
    # a piece boundary at any offset is still found once, with its column; and a key
    # that only looks like one at a cut (`...XAKIA...` cut before `AKIA`) is not.
    path = tmp_path / "table.py"
    for offset in range(0, 1600, 3):  # across the first cuts (about 1024 and 1536)
        text = (
            "x" * 40
            + " " * offset
            + f'API = ["{AWS_KEY}", "{GITHUB_TOKEN}"]'
            + f" X{AWS_KEY} "
            + f'password = "{PASSWORD}"'
            + " 0" * 700
            + "\n"
            # Lines after it: the tail of the long line is not read again as a line.
            + "y = 2\n" * (offset % 4)
        )
        path.write_text(text)
        streamed = _scan(path, "src/table.py", stream=True)
        assert streamed == _scan(path, "src/table.py", stream=False), offset
        assert len(streamed) == 3, offset


@pytest.mark.usefixtures("small_pieces")
def test_streamed_long_line_ending_at_a_read_boundary(tmp_path: Path) -> None:
    # The newline of a long line is the last byte read: its tail is a piece of its own,
    # and the next piece must not read that tail again as a line of its own.
    path = tmp_path / "table.py"
    for offset in range(0, 1900, 11):
        head = " " * offset + f'K = "{AWS_KEY}"; password = "{PASSWORD}" '
        line = (head + " 0" * 1200)[: 4 * 512 - 1]
        path.write_text(line + "\n" + "y = 2\n" * 100 + f'T = "{GITHUB_TOKEN}"\n')
        streamed = _scan(path, "src/table.py", stream=True)
        assert streamed == _scan(path, "src/table.py", stream=False), offset
        assert len(streamed) == 3, offset


@pytest.mark.usefixtures("small_pieces")
def test_streamed_private_key_header_and_body_in_two_pieces(tmp_path: Path) -> None:
    # The header ends one piece, the body starts the next: the last line of a piece is
    # read again at the head of the next one.
    for pad in range(0, 260, 5):
        text = "#" * pad + "\n" + PRIVATE_KEY + "y = 2\n" * 60
        streamed, loaded = _streamed_and_loaded(tmp_path / str(pad), "certs/server.pem", text)
        assert streamed == loaded and len(streamed) == 1, pad


@pytest.mark.usefixtures("small_pieces")
def test_streamed_utf16_and_binary_files(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "config/big.json": (
            '{"a": [' + "1, " * 400 + f'2], "aws_access_key_id": "{AWS_KEY}"}}\n'
        ).encode("utf-16"),
        "src/blob.py": b"\x00" * 5000 + f'\nTOKEN = "{GITHUB_TOKEN}"\n'.encode(),
    }
    root = make_repo(tmp_path / "repo", files, git_init=False)
    result = check_in_process(root)
    assert sorted((f.path, f.line) for f in result.findings) == [
        ("config/big.json", 1),
        ("src/blob.py", 2),
    ]


def test_streaming_is_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A 40 MB line with no newline: the scan holds about one piece at a time, not the line.
    import tracemalloc

    path = tmp_path / "long.yaml"
    with path.open("wb") as handle:
        handle.write(b"k: ")
        for _ in range(40):
            handle.write(b"AKIA ghp_ token: " * (1_000_000 // 17))
        handle.write(f" {AWS_KEY}\n".encode())
    tracemalloc.start()
    try:
        pieces = 0
        for piece in sources.stream_text(path, kinds.YAML):
            pieces += 1
            assert sum(map(len, piece.lines)) <= sources.STREAM_PIECE_CHARS * 2
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pieces >= 30  # 40 MB in 1 MiB pieces
    assert peak < 40 * 1024 * 1024, peak


def test_huge_file_scan_stops_at_the_cap_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_pass, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(sources, "MAX_STREAMED_BYTES", 5000)
    head = f'KEY = "{AWS_KEY}"\n'
    files = {"src/gen.py": head + "x = 1\n" * 2000, "src/ok.py": head + "y = 2\n" * 100}
    root = make_repo(tmp_path / "repo", files, git_init=False)
    result = check_in_process(root)
    assert sorted((f.code, f.path) for f in result.findings) == [
        ("TF301", "src/gen.py"),
        ("TF301", "src/ok.py"),
        ("TF305", "src/gen.py"),
    ]
    [warning] = [f for f in result.findings if f.code == "TF305"]
    assert warning.severity.value == "warning" and "first" in warning.message


def test_streamed_file_line_suppression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_pass, "MAX_FILE_BYTES", 1000)
    text = (
        f'KEY = "{AWS_KEY}"  # twelvefold: ignore[TF301]\n'
        + "x = 1\n" * 300
        + f'OTHER = "{GITHUB_TOKEN}"\n'
    )
    root = make_repo(tmp_path / "repo", {"src/gen.py": text}, git_init=False)
    assert [(f.code, f.line) for f in check_in_process(root).findings] == [("TF301", 302)]


def test_lossy_file_line_suppression(tmp_path: Path) -> None:
    # A file read lossily (Latin-1 with no coding line) has no text for the comment
    # scan: the comment of the finding's line still suppresses, and only a real one.
    text = (
        "# Param\xe8tres\n"
        f'KEY = "{AWS_KEY}"  # twelvefold: ignore[TF301]\n'
        f'TOKEN = "{GITHUB_TOKEN}"; NOTE = "# twelvefold: ignore[TF301]"\n'
    )
    root = make_repo(tmp_path / "repo", {"src/legacy.py": text.encode("latin-1")}, git_init=False)
    assert [(f.code, f.line) for f in check_in_process(root).findings] == [("TF301", 3)]


def test_streamed_file_is_cached_and_rescanned_when_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_pass, "MAX_FILE_BYTES", 1000)
    monkeypatch.setenv("TWELVEFOLD_CACHE_DIR", str(tmp_path / "cache"))
    root = make_repo(tmp_path / "repo", {"src/gen.py": f'KEY = "{AWS_KEY}"\n' + "x = 1\n" * 300})
    config = Config()
    config.select = ["TF301"]
    for _ in range(2):
        assert [f.line for f in run([Target(root)], config, cache=True, jobs=1).findings] == [1]
    # Same size, new content: read again, never answered from the stale entry, and an
    # empty file with the same path is not mistaken for the streamed one either.
    (root / "src/gen.py").write_text("x = 1\n" * 300 + f'KEY = "{AWS_KEY}"\n')
    assert [f.line for f in run([Target(root)], config, cache=True, jobs=1).findings] == [301]
    (root / "src/gen.py").write_text("")
    assert run([Target(root)], config, cache=True, jobs=1).findings == []


# --- files the scan cannot read: TF305, a warning; binary data formats stay quiet ----------


def _deny(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Reading these files fails as it does without read permission (tests run as root,
    which `chmod 000` does not stop)."""
    real = sources.read_regular_file

    def read(path: Path, limit: int, *, follow_symlinks: bool = False) -> bytes:
        if Path(path).name in names:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, limit, follow_symlinks=follow_symlinks)

    real_open = sources._open_regular

    def open_regular(path: Path, *, follow_symlinks: bool = False) -> int:
        if Path(path).name in names:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(file_pass, "read_regular_file", read)
    monkeypatch.setattr(sources, "read_regular_file", read)
    monkeypatch.setattr(sources, "_open_regular", open_regular)


def test_unreadable_secret_carrier_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "config/prod.yaml": "db:\n  host: db.internal\n",
        "src/app.py": "import os\n",
        "data/weights.pt": b"\x80\x02" + os.urandom(64),
        "assets/logo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(64),
        "data/train.parquet": b"PAR1" + os.urandom(64),
        "NOTICE": "third-party notices\n",
    }
    root = make_repo(tmp_path / "repo", files)
    _deny(monkeypatch, "prod.yaml", "weights.pt", "logo.png", "train.parquet", "NOTICE")
    code, found, err = cli_findings(root, capsys)
    assert code == 1
    unscanned = [f for f in found if f["code"] == "TF305"]
    assert [(f["path"], f["severity"]) for f in unscanned] == [("config/prod.yaml", "warning")]
    assert "Permission denied" in unscanned[0]["message"]
    assert "config/prod.yaml" in err
    # Not an error-level gate failure on its own: --fail-on error passes.
    assert cli_findings(root, capsys, "--select", "TF3", "--fail-on", "error")[0] == 0


def test_unreadable_file_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too big to load, and unreadable: a TF305 warning, not a crash of the streaming scan.
    monkeypatch.setattr(file_pass, "MAX_FILE_BYTES", 1000)
    root = make_repo(tmp_path / "repo", {"src/gen.py": f'KEY = "{AWS_KEY}"\n' + "x = 1\n" * 300})
    _deny(monkeypatch, "gen.py")
    result = check_in_process(root)
    assert result.internal_errors == []
    assert [(f.code, f.path) for f in result.findings] == [("TF305", "src/gen.py")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_on_disk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "repo", {".npmrc": "registry=https://registry.npmjs.org/\n"})
    (root / ".npmrc").chmod(0)
    try:
        code, found, _ = cli_findings(root, capsys, "--select", "TF305")
    finally:
        (root / ".npmrc").chmod(0o644)
    assert code == 1 and where(found, "TF305") == [(".npmrc", None)]


def test_unreadable_outcome_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWELVEFOLD_CACHE_DIR", str(tmp_path / "cache"))
    root = make_repo(tmp_path / "repo", {"src/app.py": f'KEY = "{AWS_KEY}"\n'})
    config = Config()
    config.select = ["TF301", "TF305"]
    with pytest.MonkeyPatch.context() as patch:
        _deny(patch, "app.py")
        denied = run([Target(root)], config, cache=True, jobs=1)
    assert [f.code for f in denied.findings] == ["TF305"] and denied.files_checked == 0
    readable = run([Target(root)], config, cache=True, jobs=1)
    assert [f.code for f in readable.findings] == ["TF301"]


def test_binary_files_stay_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Binary data formats are no secret carriers: no finding, and no warning, whatever
    # they hold; a binary file named like a key (a Keynote deck `.key`) neither.
    blob = os.urandom(4096) + f"{AWS_KEY}\x00password={PASSWORD}".encode() + os.urandom(4096)
    files = {
        "data/weights.bin": blob,
        "data/train.parquet": b"PAR1" + blob,
        "assets/diagram.png": b"\x89PNG\r\n\x1a\n" + blob,
        "models/model.safetensors": blob,
        "slides/results.key": b"PK\x03\x04" + os.urandom(8192),
        "README.md": "# demo\n",
    }
    root = make_repo(tmp_path / "repo", files)
    code, found, err = cli_findings(root, capsys, "--select", "TF301,TF305")
    assert (code, found) == (0, [])
    assert "results.key" not in err


# --- secret carriers by name ---------------------------------------------------------------


CARRIERS: dict[str, tuple[str, int]] = {
    ".ssh/id_rsa": (PRIVATE_KEY, 1),
    "deploy/id_ed25519": (
        "-----BEGIN "
        + "OPENSSH PRIVATE KEY-----\n"
        + PEM_BODY
        + "\n-----END OPENSSH PRIVATE KEY-----\n",
        1,
    ),
    "certs/server.pem": (
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" + PRIVATE_KEY,
        4,
    ),
    "certs/tls.key": (PRIVATE_KEY, 1),
    ".aws/credentials": (
        f"[default]\naws_access_key_id = {AWS_KEY}\n"
        f"aws_secret_access_key = {'Wq3kRt9Lm2Zp8' + 'Vb4Nc7Yd1Hs6Jf0Ga5Ue3Qi8Ow2'}\n",
        2,
    ),
    ".npmrc": (
        f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={NPM_TOKEN}\n",
        2,
    ),
    "frontend/.npmrc": ("always-auth=true\n_auth=" + "bWwtYm90Olg4cFdxMmsh" + "THo5UjR3\n", 2),
    ".pypirc": (
        f"[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = {PYPI_TOKEN}\n",
        6,
    ),
    ".netrc": (f"machine api.github.com login octocat password {GITHUB_TOKEN}\n", 1),
    "web/next.config.js": (
        f"module.exports = {{\n  env: {{ GITHUB_TOKEN: '{GITHUB_TOKEN}' }},\n}};\n",
        2,
    ),
    "web/vite.config.ts": (
        f'export default defineConfig({{ define: {{ API_KEY: "{PASSWORD}x" }} }});\n',
        1,
    ),
    "tools/release.mjs": (f'const npmToken = "{NPM_TOKEN}";\n', 1),
    "tools/settings.cjs": (f"module.exports = {{ password: '{PASSWORD}' }};\n", 1),
    "notes.txt": (f"staging db\nuser: ml\npassword: {PASSWORD}\n", 3),
    "docs/ops/handover.txt": (f"The CI bot uses {GITHUB_TOKEN} until March.\n", 1),
    "docs/deploy.md": (f"# Deploy\n\n```sh\nexport AWS_ACCESS_KEY_ID={AWS_KEY}\n```\n", 4),
}


@pytest.mark.parametrize("path", sorted(CARRIERS))
def test_secret_carriers_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    text, line = CARRIERS[path]
    root = make_repo(tmp_path / "repo", {path: text, "README.md": "# app\n"})
    code, found, _ = cli_findings(root, capsys, "--select", "TF301")
    assert code == 1
    assert [loc for loc in where(found) if loc[0] == path][:1] == [(path, line)]


LOOKALIKES: dict[str, str] = {
    # Documented example keys and placeholders in docs and notes.
    "README.md": (
        "# Setup\n\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
        "password: hunter2isMyPassword9\n"  # a key/value in prose docs: not a leak by itself
        "DATABASE_URL=postgresql://user:" + "Pr0dPassw0rd@localhost/app\n"
        f"Set `GITHUB_TOKEN={GITHUB_TOKEN}` (example)\n"
    ),
    "docs/api.rst": "Pass ``token=<your token>`` or set ``HF_TOKEN``.\n",
    "notes.txt": "password: see 1Password, vault item 'staging db'\ntoken: ${CI_TOKEN}\n",
    "vocab.txt": "[PAD]\n[UNK]\ntoken\npassword\nsecret\n##word\n",
    # Credential files that hold references, not values.
    ".npmrc": "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nalways-auth=true\n",
    ".pypirc": "[pypi]\nusername = __token__\npassword = <your PyPI token>\n",
    ".netrc": "machine example.com login user password changeme\n",
    ".ssh/id_rsa.pub": "ssh-rsa " + PEM_BODY + " alice@laptop\n",
    "certs/ca.pem": "-----BEGIN CERTIFICATE-----\n" + PEM_BODY + "\n-----END CERTIFICATE-----\n",
    # JavaScript and TypeScript that only name secrets.
    "web/app.config.ts": (
        "export const config = {\n  apiKey: process.env.API_KEY,\n"
        '  passwordField: "password",\n  tokenHeader: "X-Auth-Token",\n};\n'
    ),
    "web/login.js": 'const label = "Password";\nconst PASSWORD_MIN_LENGTH = 12;\n',
    # Minified bundles: only provider formats are reported there.
    "web/static/vendor.min.js": (
        'var a={password:"' + "q8Zr2LmX" + '",token:"' + "Tk9vR2xM" + '"};'
    )
    * 50
    + "\n",
}


def test_carrier_lookalikes_stay_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "repo", LOOKALIKES)
    code, found, _ = cli_findings(root, capsys, "--select", "TF301,TF305")
    assert found == [] and code == 0


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".ssh/id_rsa", kinds.CREDENTIALS),
        ("id_ed25519", kinds.CREDENTIALS),
        ("keys/id_ecdsa_deploy", kinds.CREDENTIALS),
        ("certs/server.pem", kinds.CREDENTIALS),
        ("certs/tls.key", kinds.CREDENTIALS),
        (".aws/credentials", kinds.CREDENTIALS),
        (".npmrc", kinds.CREDENTIALS),
        (".pypirc", kinds.CREDENTIALS),
        (".netrc", kinds.CREDENTIALS),
        (".git-credentials", kinds.CREDENTIALS),
        (".pgpass", kinds.CREDENTIALS),
        ("web/next.config.js", kinds.JAVASCRIPT),
        ("src/index.ts", kinds.JAVASCRIPT),
        ("tools/build.mjs", kinds.JAVASCRIPT),
        ("tools/build.cjs", kinds.JAVASCRIPT),
        ("notes.txt", kinds.TEXT),
        # Look-alike names keep their kinds.
        (".ssh/id_rsa.pub", kinds.OTHER),
        ("src/credentials.py", kinds.PYTHON),
        ("credentials.json", kinds.JSON),
        ("requirements.txt", kinds.REQUIREMENTS),
        ("runtime.txt", kinds.OTHER),
        ("keyboard.keymap", kinds.OTHER),
        ("docs/index.md", kinds.DOCS),
        ("data/train.csv", kinds.DATA),
    ],
)
def test_carrier_kinds(path: str, kind: str) -> None:
    assert kinds.classify(path) == kind
