"""The composite GitHub Action, the reusable workflow and the README's CI examples.

Static checks use the tools GitHub users run: `check-jsonschema` with the vendored
GitHub schemas, `actionlint`, and `zizmor` (offline) for template injection, unpinned
actions and excessive permissions. The action's check step is then run with bash as the
runner would run it, against real repositories.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import make_repo

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "twelvefold.yml"
BIN = Path(sys.executable).parent
FULL_SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
PLACEHOLDER_SHA = "0" * 40


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def readme_examples(tmp_path: Path) -> list[Path]:
    """The README's GitHub workflow examples, with the placeholders filled in."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    examples = []
    for number, block in enumerate(blocks):
        if "runs-on:" not in block and "workflows/twelvefold.yml@" not in block:
            continue
        workflow = block.replace("<full commit SHA>", PLACEHOLDER_SHA)
        if "\non:" not in "\n" + workflow:  # the three-line caller: complete it
            workflow = "name: caller\non: pull_request\npermissions:\n  contents: read\n" + workflow
        path = tmp_path / ".github" / "workflows" / f"example{number}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(workflow, encoding="utf-8")
        examples.append(path)
    assert len(examples) == 2
    return examples


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)


def test_action_matches_the_github_action_schema() -> None:
    result = run_tool(
        tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(ACTION)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_workflow_schema(tmp_path: Path) -> None:
    files = [str(WORKFLOW), *map(str, readme_examples(tmp_path))]
    result = run_tool(
        tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_accepts_the_workflows(tmp_path: Path) -> None:
    files = [str(WORKFLOW), *map(str, readme_examples(tmp_path))]
    result = run_tool(tool("actionlint"), "-no-color", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing(tmp_path: Path) -> None:
    files = [str(ACTION), str(WORKFLOW), *map(str, readme_examples(tmp_path))]
    result = run_tool(tool("zizmor"), "--offline", "--no-progress", "--format", "plain", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def _steps() -> list[dict]:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [
        *action["runs"]["steps"],
        *(s for job in workflow["jobs"].values() for s in job["steps"]),
    ]


def test_no_expression_is_pasted_into_a_script() -> None:
    # Inputs reach scripts through `env:` only: `${{ }}` inside `run:` is template injection.
    for step in _steps():
        assert "${{" not in step.get("run", ""), step.get("name")


def test_third_party_actions_are_pinned_to_full_commit_shas(tmp_path: Path) -> None:
    uses = [step["uses"] for step in _steps() if "uses" in step]
    for path in readme_examples(tmp_path):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in document["jobs"].values():
            uses += [step["uses"] for step in job.get("steps", []) if "uses" in step]
            if "uses" in job:
                uses.append(job["uses"])
    third_party = [u for u in uses if not u.startswith("./") and not u.startswith("your-org/")]
    assert third_party
    assert all(FULL_SHA.match(u) for u in third_party), third_party


def test_least_privilege_permissions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    assert [job["permissions"] for job in workflow["jobs"].values()] == [{"contents": "read"}]
    assert list(workflow[True]) == ["workflow_call"]  # YAML 1.1 reads `on` as True


# --- the action's check step, run as the runner runs it ----------------------------------


def _check_step() -> dict:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return next(step for step in action["runs"]["steps"] if step.get("id") == "check")


def run_check_step(tmp_path: Path, workspace: Path, **inputs: str) -> tuple[int, str, Path, Path]:
    """Run the step's script with the environment GitHub would give it."""
    step = _check_step()
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("", encoding="utf-8")
    output.write_text("", encoding="utf-8")
    defaults = {"path": ".", "args": "", "fail-on": "", "output-format": "github", "sarif-file": ""}
    values = {**defaults, **{key.replace("_", "-"): value for key, value in inputs.items()}}
    env = {
        **os.environ,
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
    }
    for name, expression in step["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression)
        if match:
            env[name] = values[match.group(1)]
        else:
            assert expression == "${{ runner.temp }}/twelvefold-venv/bin/python"
            env[name] = sys.executable
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result.returncode, result.stdout, summary, output


PYPROJECT = '[project]\nname = "p"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n'
#: A provider-format key (a name-matched value is only a warning); split so the
#: repository itself holds no token.
TOKEN = "ghp_" + "R8x2Lq9Vt4Zk7Wm3Pn6Bc1Jd5Hf0Gs8Ya2Qe"


@pytest.fixture
def violating(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "workspace",
        {
            "pyproject.toml": PYPROJECT + '\n[tool.twelvefold]\nselect = ["F3"]\n',
            "src/train.py": f"GITHUB_TOKEN = '{TOKEN}'\n",
        },
    )


def test_action_annotates_summarises_writes_sarif_and_fails(
    tmp_path: Path, violating: Path
) -> None:
    code, out, summary, output = run_check_step(tmp_path, violating, sarif_file="results.sarif")
    assert code == 1
    assert re.search(r"^::error [^\n]*file=src/train\.py,line=1", out, flags=re.MULTILINE), out
    assert TOKEN not in out
    assert "TF301" in summary.read_text(encoding="utf-8")
    sarif = json.loads((violating / "results.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["TF301"]
    assert output.read_text(encoding="utf-8") == "exit-code=1\n"


def test_action_passes_on_a_clean_repository_and_honours_fail_on(
    tmp_path: Path, violating: Path
) -> None:
    code, _, _, output = run_check_step(tmp_path, violating, fail_on="never")
    assert code == 0 and output.read_text(encoding="utf-8") == "exit-code=0\n"
    (violating / "src/train.py").write_text(
        "import os\n\nDB_PASSWORD = os.environ['DB_PASSWORD']\n", encoding="utf-8"
    )
    code, _, summary, _ = run_check_step(tmp_path, violating)
    assert code == 0 and summary.read_text(encoding="utf-8").strip()


def test_action_args_are_arguments_not_shell(tmp_path: Path, violating: Path) -> None:
    code, _, _, _ = run_check_step(tmp_path, violating, args="--select TF303")
    assert code == 0  # the secret rule was not selected
    marker = tmp_path / "pwned"
    code, _, _, output = run_check_step(
        tmp_path, violating, args=f"$(touch {marker}) `touch {marker}`; touch {marker}"
    )
    assert not marker.exists()
    assert code == 2 and output.read_text(encoding="utf-8") == "exit-code=2\n"


def test_action_usage_error_exits_2(tmp_path: Path, violating: Path) -> None:
    code, _, summary, _ = run_check_step(tmp_path, violating, fail_on="sometimes")
    assert code == 2 and summary.read_text(encoding="utf-8") == ""


def test_the_action_installs_exactly_what_the_lock_pins() -> None:
    install = next(s for s in yaml.safe_load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"])
    script = install["run"]
    assert "--require-hashes" in script and "--no-deps" in script
    assert '-r "$ACTION_PATH/.github/action/requirements.txt"' in script
    # Nothing else is installed: no resolve of the package's own (open) requirements.
    assert script.count("pip install") == 1
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    exported = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "requirements-txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    committed = (ROOT / ".github" / "action" / "requirements.txt").read_text(encoding="utf-8")

    def pins(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert pins(committed) == pins(exported), (
        "regenerate: uv export --frozen --no-dev --no-emit-project --format requirements-txt "
        "--output-file .github/action/requirements.txt"
    )


def test_one_run_gives_the_annotations_the_summary_and_the_sarif() -> None:
    assert _check_step()["run"].count("-m twelvefold check") == 1
