"""Every text that leaves the tool (issue 13, items 6 and 7).

* No secret leaves in clear: not in a message of any rule, a fix text, a diagnostic, the
  baseline (a committed file), the cache, a `--diff` preview, or stderr. Masking happens
  where findings and diagnostics are made, so every consumer receives masked text.
* No text a CI log shows carries a GitHub Actions workflow command: `::cmd` after any
  leading whitespace, or the legacy `##[cmd]` anywhere in a line, whatever the file
  names and quoted paths hold.

Secrets are built by concatenation: this file holds none in clear.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import string
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from twelvefold import engine, findings, masking, memo
from twelvefold import report as reports
from twelvefold.config import Config
from twelvefold.fixes import FileChange, unified_diff
from twelvefold.model import Diagnostic, Finding, Severity, Violation
from twelvefold.report import FORMATS, Report, mask_secrets, render
from twelvefold.settings import resolve

from tests.helpers import TABLE_OUTPUT, make_repo, notebook, run_cli

GITHUB_TOKEN = "ghp_" + "Qz7Rk2Lm9Xw4Vb8Nc3Jd6Hf1Tp5Sg0Ya2Ue7Wq"
URL_PASSWORD = "Hq8sLw2p" + "Xv9Kd"
AWS_KEY = "AKIA" + "Q7ZP3MDKW9RTX2VB"
SECRETS = (GITHUB_TOKEN, URL_PASSWORD, AWS_KEY)


run = run_cli


def shows_a_secret(text: str) -> str | None:
    """The secret `text` shows whole or in a recognisable part (8 characters of its
    body), if any."""
    for secret in SECRETS:
        body = secret[4:] if secret[:4] in ("ghp_", "AKIA") else secret
        for start in range(0, len(body) - 8 + 1):
            if body[start : start + 8] in text:
                return secret
    return None


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (and a per-user key), memo allowed on new files."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("TWELVEFOLD_CACHE_DIR", str(folder))
    monkeypatch.setattr(memo, "RACY_WINDOW_NS", 0)
    return folder


def leaky_files() -> dict[str, str]:
    """Secrets that other rules than TF301 quote in their messages, and one that a
    diagnostic quotes."""
    return {
        "requirements.txt": "pandas==2.2.2\nrequests==2.32.3\n",
        # TF104 (opt-in) quotes the outputs it finds too.
        "twelvefold.toml": 'extend-select = ["TF104"]\n',
        # TF303 / TF402 quote the path literal, which holds a GitHub token.
        "src/load.py": f"import pandas as pd\ndf = pd.read_csv('/home/alice/{GITHUB_TOKEN}/x.csv')\n",
        # TF701 quotes the call, whose URL holds a password.
        "app/model.py": (
            f'import requests\nr = requests.get("https://bob:{URL_PASSWORD}@files.internal/m.bin")\n'
        ),
        # TF702 quotes the CMD line cut at 70 characters: the cut leaves most of the token.
        "Dockerfile": f"FROM python:3.12\nCMD python serve.py --token {GITHUB_TOKEN}\n",
        # An unknown global tag is echoed by the "malformed YAML" diagnostic.
        "environment.yml": f"name: x\ndependencies: !!{AWS_KEY} x\n",
        "nb.ipynb": notebook(
            (
                "print(1)\n",
                [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": [f"token={GITHUB_TOKEN}\n"],
                    },
                    TABLE_OUTPUT,
                ],
            )
        ),
    }


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "leaky", leaky_files())


# --- item 6: secrets written in clear ----------------------------------------------------


def test_the_baseline_holds_no_secret_quoted_by_another_rule(tmp_path: Path, leaky: Path, capsys):
    baseline = tmp_path / "baseline.json"
    code, _, err = run(capsys, "check", str(leaky), "--write-baseline", str(baseline))
    assert code == 0, err
    written = baseline.read_text(encoding="utf-8")
    codes = {entry["code"] for entry in json.loads(written)["findings"]}
    assert {"TF104", "TF303", "TF701", "TF702"} <= codes
    assert shows_a_secret(written) is None
    assert "ghp_…(42 chars)" in written  # still says what was found, masked
    assert shows_a_secret(err) is None


def test_a_baseline_of_masked_messages_still_matches_its_findings(
    tmp_path: Path, leaky: Path, capsys
):
    baseline = tmp_path / "baseline.json"
    run(capsys, "check", str(leaky), "--write-baseline", str(baseline))
    code, out, err = run(
        capsys, "check", str(leaky), "--baseline", str(baseline), "--output-format", "json"
    )
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []


def _without_facts(value: object) -> object:
    """A cache document without the per-file facts (`"x"`): they keep what repository
    rules compute with (a path read, as written), like the files beside the cache."""
    if isinstance(value, dict):
        return {k: _without_facts(v) for k, v in value.items() if k != "x"}
    if isinstance(value, list):
        return [_without_facts(item) for item in value]
    return value


def test_the_cache_and_the_memo_hold_no_secret(leaky: Path, private_cache: Path, capsys):
    first = run(capsys, "check", str(leaky), "--output-format", "json")
    second = run(capsys, "check", str(leaky), "--output-format", "json")  # from the memo
    assert first == second
    stored = [path for path in private_cache.rglob("*") if path.is_file()]
    assert any(path.suffix == ".json" for path in stored)
    for path in stored:
        # The cache writes JSON with ASCII escapes: decode them before looking.
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            text = json.dumps(_without_facts(json.loads(text)), ensure_ascii=False)
        assert shows_a_secret(text) is None, path.name


def test_diagnostics_are_masked_in_every_format_and_on_stderr(leaky: Path, capsys):
    for name in FORMATS:
        _, out, err = run(capsys, "check", str(leaky), "--output-format", name)
        assert shows_a_secret(out) is None, f"{name} stdout"
        assert shows_a_secret(err) is None, f"{name} stderr"
    _, out, err = run(capsys, "check", str(leaky), "--output-format", "json")
    [yaml] = [d for d in json.loads(out)["diagnostics"] if d["path"] == "environment.yml"]
    assert "malformed YAML" in yaml["message"] and "AKIA…(20 chars)" in yaml["message"]
    assert "AKIA…(20 chars)" in err


def test_the_diff_preview_masks_what_it_changes(leaky: Path, capsys):
    code, out, err = run(capsys, "check", str(leaky), "--diff")
    assert code == 1
    assert "+++ b/nb.ipynb" in out and "+++ b/Dockerfile" in out
    assert shows_a_secret(out) is None and shows_a_secret(err) is None
    assert "ghp_…(42 chars)" in out


def test_a_diagnostic_is_masked_wherever_it_is_made() -> None:
    diagnostic = Diagnostic("conf.yml", f"malformed YAML: tag '!{AWS_KEY}' (line 2)")
    assert AWS_KEY not in diagnostic.message
    assert "AKIA…(20 chars)" in diagnostic.message
    plain = Diagnostic("conf.yml", "malformed YAML: expected ':' (line 2)")
    assert plain.message == "malformed YAML: expected ':' (line 2)"


# What `findings.make_finding` reads of a rule (a real subclass would register itself).
QUOTING_RULE: Any = SimpleNamespace(
    code="TF999", name="quoting", factor=3, severity=Severity.WARNING, fix="do not"
)


def test_a_finding_is_masked_where_the_engine_makes_it() -> None:
    violation = Violation(
        f"path `/home/{GITHUB_TOKEN}/x`",
        line=1,
        fix=f"export TOKEN={GITHUB_TOKEN} elsewhere",
        source=f"open('/home/{GITHUB_TOKEN}/x')",
    )
    finding = findings.make_finding(QUOTING_RULE, violation, resolve(Config()), "a.py")
    assert shows_a_secret(repr((finding.message, finding.fix, finding.source))) is None
    assert "ghp_…(42 chars)" in finding.message
    with_line = findings.with_source(finding, f"x = '{GITHUB_TOKEN}'")
    assert with_line.source is not None and GITHUB_TOKEN not in with_line.source
    ordinary = findings.make_finding(
        QUOTING_RULE, Violation("path `/home/alice/x`", line=1), resolve(Config()), None
    )
    assert ordinary.message == "path `/home/alice/x`" and ordinary.fix == "do not"


def test_an_internal_error_quoting_a_secret_is_masked() -> None:
    diagnostic = findings.internal_error("TF999", "a.py", ValueError(f"bad value {AWS_KEY!r}"))
    assert AWS_KEY not in diagnostic.message and "ValueError" in diagnostic.message


@pytest.mark.parametrize(
    "text",
    [
        f'`requests.get("https://bob:{URL_PASSWORD}@files.internal/m.bin")` runs at import',
        f"`urlretrieve('https://bob:{URL_PASSWORD}...` runs at import",  # cut before the @
        f"`CMD python serve.py --token {GITHUB_TOKEN[:34]}...` is in shell form",
        f"`CMD python serve.py --token {GITHUB_TOKEN[:30]}…` is in shell form",
    ],
)
def test_url_passwords_and_cut_secrets_are_masked(text: str) -> None:
    assert shows_a_secret(mask_secrets(text)) is None, mask_secrets(text)


@pytest.mark.parametrize(
    "text",
    [
        "`https://user:password@localhost/db` is a placeholder",
        "`postgres://host:5432...` is a port",
        "`pd.read_csv('/home/alice/data...` is cut",
        "dependency `numpy` is not pinned",
    ],
)
def test_masking_leaves_ordinary_text_alone(text: str) -> None:
    assert mask_secrets(text) == text


def test_masking_a_large_text_is_linear() -> None:
    keys = [f"AKIA{n:016d}".replace("0", "Q") for n in range(20_000)]
    lines = [f"+    key_{n} = {key}  # line {n}\n" for n, key in enumerate(keys)]
    text = "".join(lines)
    started = time.perf_counter()
    masked = mask_secrets(text)
    elapsed = time.perf_counter() - started
    assert not any(key in masked for key in keys[:50] + keys[-50:])
    assert masked.count("AKIA…(20 chars)") == len(keys)
    assert elapsed < 10, f"{elapsed:.1f} s for {len(text) / 1e6:.1f} MB"


def test_unified_diff_masks_secrets_and_control_characters() -> None:
    before = f"FROM python\nCMD python serve.py --token {GITHUB_TOKEN}\n# \x1b]0;title\x07\n"
    after = f'FROM python\nCMD ["python", "serve.py", "--token", "{GITHUB_TOKEN}"]\n# \x1b]0;title\x07\n'
    diff = unified_diff(FileChange("Dockerfile", before, after, "exec form"))
    assert shows_a_secret(diff) is None
    assert "\x1b" not in diff and "\\x1b]0;title\\x07" in diff
    assert diff.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n@@")


def test_unified_diff_keeps_tabs_and_crlf_line_ends() -> None:
    before = "a\tb\r\nc\r\n"
    after = "a\tb\r\nc\r\nd\r\n"
    diff = unified_diff(FileChange(".gitignore", before, after, "add d"))
    assert " a\tb\r\n" in diff and "+d\r\n" in diff


# --- item 7: workflow commands in CI logs ------------------------------------------------

# Leading whitespace the runner trims (`string.TrimStart()`: every Unicode white space).
SPACES = [" ", "\u00a0", "\u3000", "\u2003", "\u202f", "\u205f", "\u1680"]
COMMAND_NAMES = [
    *(f"{space}::error title=x::injected {n}.py" for n, space in enumerate(SPACES)),
    "mid##[error]legacy.py",
    "##[add-mask]masked.py",
    "x ##[set-output name=a]b.py",
]
FINDING = "import pandas as pd\n\ndf = pd.read_csv('/home/alice/churn/train.csv')\n"
# A quoted path puts a command into the message (TF303 quotes it).
QUOTING = "import pandas as pd\n\ndf = pd.read_csv('/home/a/x ##[add-mask]y/ ::error::z.csv')\n"


def runner_lines(text: str) -> list[str]:
    """The lines as the runner reads them (`ReadLine`: CR, LF or CRLF ends a line)."""
    return re.split(r"\r\n|\r|\n", text)


def is_command(line: str) -> bool:
    """Whether GitHub's runner would read `line` as a workflow command (`TryParseV2` on
    the line trimmed of leading white space, then the legacy `TryParse`)."""
    return line.lstrip().startswith("::") or "##[" in line


@pytest.fixture(scope="module")
def commanding(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"twelvefold.toml": 'select = ["TF303"]\n', "quoting.py": QUOTING}
    files.update({name: FINDING for name in COMMAND_NAMES})
    # A file that cannot be parsed: a diagnostic on stderr naming it.
    # (TF303 parses a file that holds an absolute path.)
    files["broken ##[add-mask]x.py"] = "x = '/home/alice/x'\ndef oops(:\n"
    files["\u3000::warning::broken.py"] = "x = '/home/alice/x'\ndef oops(:\n"
    return make_repo(tmp_path_factory.mktemp("commanding") / "repo", files)


@pytest.mark.parametrize("name", ["text", "full", "markdown"])
def test_log_formats_carry_no_workflow_command(commanding: Path, capsys, name: str) -> None:
    code, out, err = run(capsys, "check", str(commanding), "--output-format", name)
    assert code == 1
    for line in runner_lines(out) + runner_lines(err):
        assert not is_command(line), line
    assert out.count("TF303") >= len(COMMAND_NAMES) + 1
    assert "broken" in err  # the diagnostics are there, neutralised


def test_the_text_format_still_names_each_file_readably(commanding: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", str(commanding), "--output-format", "text")
    assert "./ ::error title=x::injected 0.py:3:18: TF303" in out
    assert "./\u00a0::error title=x::injected 1.py:3:18: TF303" in out
    assert "mid##\\[error]legacy.py:3:18" in out


def test_the_github_format_writes_only_its_own_commands(commanding: Path, capsys) -> None:
    _, out, err = run(capsys, "check", str(commanding), "--output-format", "github")
    lines = runner_lines(out.rstrip("\n"))
    ours = [line for line in lines if line.startswith(("::error ", "::warning ", "::notice "))]
    assert len(ours) >= len(COMMAND_NAMES) + 1
    for line in lines:
        if line in ours:
            # A command line is parsed as a command (V2) before any legacy `##[`: its
            # data and properties are escaped, so it is exactly one annotation.
            assert line.count("::") >= 2
            continue
        assert not is_command(line), line
    for line in runner_lines(err):
        assert not is_command(line), line


@pytest.mark.parametrize("name", ["json", "sarif", "gitlab", "junit"])
def test_file_formats_carry_no_workflow_command_and_keep_the_values(
    commanding: Path, capsys, name: str
) -> None:
    _, out, err = run(capsys, "check", str(commanding), "--output-format", name)
    for line in runner_lines(out) + runner_lines(err):
        assert not is_command(line), line
    if name == "json":
        paths = {finding["path"] for finding in json.loads(out)["findings"]}
        assert set(COMMAND_NAMES) <= paths  # the escapes decode to the real names
    if name == "gitlab":
        paths = {issue["location"]["path"] for issue in json.loads(out)}
        assert set(COMMAND_NAMES) <= paths
    if name == "junit":
        import xml.etree.ElementTree as ET

        names = {case.get("name") for case in ET.fromstring(out).iter("testcase")}
        assert any("mid##[error]legacy.py" in str(n) for n in names)


def test_stderr_messages_are_neutralised(commanding: Path, capsys) -> None:
    _, _, err = run(capsys, "check", str(commanding), "--output-format", "json")
    assert "broken ##\\[add-mask]x.py" in err
    for line in runner_lines(err):
        assert not is_command(line), line


def test_the_diff_preview_carries_no_workflow_command() -> None:
    before = "::error title=x::context line\n##[add-mask]kept\n"
    after = before + "\u3000::warning::added\nmid ##[error] added\n"
    diff = unified_diff(FileChange(".gitignore", before, after, "add"))
    for line in runner_lines(diff):
        assert not is_command(line), line


def test_gitlab_escapes_what_json_escapes(tmp_path: Path, capsys) -> None:
    names = ["bidi\u202egnp.py", "nel\x85x.py", "csi\x9b31m.py", "ls\u2028x.py"]
    files = {"twelvefold.toml": 'select = ["TF303"]\n'}
    files.update({name: FINDING for name in names})
    root = make_repo(tmp_path / "repo", files)
    _, out, _ = run(capsys, "check", str(root), "--output-format", "gitlab")
    assert not re.search("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", out)
    paths = {
        issue["location"]["path"] for issue in json.loads(out) if issue["check_name"] == "TF303"
    }
    assert paths == set(names)


def test_neutralise_commands() -> None:
    neutralise_commands = reports.neutralise_commands
    assert neutralise_commands("a ##[error] b") == "a ##\\[error] b"
    assert neutralise_commands("x\n \u00a0::error::y\n::z") == "x\n \u00a0\\::error::y\n\\::z"
    assert neutralise_commands("a::b ::c") == "a::b ::c"  # not at a line's start
    assert neutralise_commands("###[x", bracket="\\u005b") == "###\\u005bx"
    assert neutralise_commands("plain text\n") == "plain text\n"


def test_a_report_finding_with_a_crafted_message_is_neutralised() -> None:
    finding = Finding(
        path=" ::error::p.py",
        line=1,
        column=None,
        code="TF303",
        name="absolute-machine-path",
        factor=3,
        severity=Severity.WARNING,
        message="quotes `x ##[add-mask]y`",
        fix="\u3000::error::fix",
    )
    for name in ("text", "full", "markdown", "github"):
        out = render(
            Report(findings=[finding], diagnostics=[], scorecard={}, rules=[], output_format=name)
        )
        for line in runner_lines(out):
            if name == "github" and line.startswith("::warning file="):
                continue
            assert not is_command(line), (name, line)


def test_a_diff_header_is_one_line_whatever_the_name() -> None:
    change = FileChange("evil\n::error::x/.gitignore", "a\n", "a\nb\n", "add b")
    diff = unified_diff(change)
    assert "+++ b/evil\\x0a::error::x/.gitignore\n" in diff
    for line in runner_lines(diff):
        assert not is_command(line), line


def test_fix_and_diff_name_crafted_files_safely(tmp_path: Path, capsys) -> None:
    name = "mid##[add-mask]nb\u3000.ipynb"
    output = {"output_type": "stream", "name": "stdout", "text": [f"token={GITHUB_TOKEN}\n"]}
    root = make_repo(
        tmp_path / "repo",
        {
            name: notebook(("print(1)\n", [output, TABLE_OUTPUT])),
            "twelvefold.toml": 'kind = "application"\nextend-select = ["TF104"]\n',
        },
    )
    _, out, err = run(capsys, "check", str(root), "--diff")
    assert "mid##\\[add-mask]nb" in out
    _, _, err = run(capsys, "check", str(root), "--fix", "--output-format", "json")
    assert "fixed mid##\\[add-mask]nb" in err
    for line in runner_lines(out) + runner_lines(err):
        assert not is_command(line), line
    assert shows_a_secret(out + err) is None


def test_masked_text_is_not_scanned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine masks a finding's message where it makes it; the report and every
    # format mask it again on the way out. The second pass must cost nothing (100k
    # findings in one file spent half the run re-scanning masked messages).
    text = f"`CMD python serve.py --token {GITHUB_TOKEN}` is in shell form" + " " * 600
    masked = mask_secrets(text)
    assert GITHUB_TOKEN not in masked
    scans: list[str] = []
    real_mask = masking._mask
    monkeypatch.setattr(masking, "_mask", lambda t: scans.append(t) or real_mask(t))
    assert mask_secrets(masked) is masked
    assert scans == []
    # Text built from masked text is plain again, and masked again.
    again = mask_secrets(masked + f" and {GITHUB_TOKEN}")
    assert GITHUB_TOKEN not in again and len(scans) == 1


def test_a_masked_text_survives_the_process_pool() -> None:
    masked = mask_secrets(f"token {GITHUB_TOKEN}")
    assert type(pickle.loads(pickle.dumps(masked))) is masking.Masked


@pytest.mark.parametrize("seed", range(3))
def test_character_classes_of_a_value_match_their_definition(seed: int) -> None:
    from twelvefold.detectors.secrets import _character_classes

    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "_-+/=.~ é€ẞ٣Ⅻ\u00a0"
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        expected = sum(
            (
                any(c.islower() for c in value),
                any(c.isupper() for c in value),
                any(c.isdigit() for c in value),
                any(not c.isalnum() for c in value),
            )
        )
        assert _character_classes(value) == expected, value


def test_a_secret_finding_leaves_its_rule_masked_and_is_not_scanned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "Xk8#pq2!Lm9zQ7"
    make_repo(tmp_path, {"settings.py": f'DB_PASSWORD = "{password}"\n'})
    scanned: list[str] = []
    real_mask = masking._mask
    monkeypatch.setattr(masking, "_mask", lambda t: scanned.append(t) or real_mask(t))
    masking._mask_remembered.cache_clear()
    result = engine.run([engine.Target(tmp_path)], Config(select=["TF301"]))
    [finding] = result.findings
    assert type(finding.message) is masking.Masked
    assert password not in finding.message and "Xk8…(14 chars)" in finding.message
    assert finding.message not in scanned  # masked in its parts, never as a whole again
