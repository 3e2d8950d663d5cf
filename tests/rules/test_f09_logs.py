"""Factor 9 rules: logs to files, print as logging."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check, findings, make_repo, notebook

# ------------------------------------------------------------------- TF901 file handlers


def test_basic_config_filename_in_training_script_is_reported(tmp_path: Path) -> None:
    code = (
        "import logging\n\n"
        "logging.basicConfig(filename='train.log', level=logging.INFO,\n"
        "                    format='%(asctime)s %(message)s')\n"
        "log = logging.getLogger(__name__)\n"
    )
    [finding] = findings(tmp_path, "TF901", {"train.py": code})
    assert finding.line == 3 and "basicConfig(filename='train.log')" in finding.message


def test_rotating_handler_and_dict_config_in_service_are_reported(tmp_path: Path) -> None:
    code = (
        "import logging.config\n"
        "from logging.handlers import RotatingFileHandler\n\n"
        "handler = RotatingFileHandler('logs/api.log', maxBytes=10_000_000, backupCount=3)\n"
        "LOGGING = {\n"
        "    'version': 1,\n"
        "    'handlers': {'file': {'class': 'logging.handlers.TimedRotatingFileHandler', 'filename': 'api.log'}},\n"
        "    'root': {'handlers': ['file']},\n"
        "}\n"
        "logging.config.dictConfig(LOGGING)\n"
    )
    result = findings(tmp_path, "TF901", {"app/logs.py": code})
    assert [(f.line, f.message) for f in result] == [
        (4, "`RotatingFileHandler('logs/api.log')` writes the log to a file"),
        (
            7,
            "logging configuration uses the file handler `logging.handlers.TimedRotatingFileHandler`",
        ),
    ]


def test_loguru_file_sink_and_logging_yaml_are_reported(tmp_path: Path) -> None:
    files = {
        "pipeline/run.py": "from loguru import logger\n\nlogger.add('pipeline_{time}.log', rotation='500 MB')\n",
        "conf/logging.yaml": "version: 1\nhandlers:\n  file:\n    class: logging.FileHandler\n    filename: app.log\n"
        "root:\n  handlers: [file]\n",
        # the configuration is loaded (one nothing names never writes a log)
        "app/main.py": "import logging.config\n\nimport yaml\n\n"
        "logging.config.dictConfig(yaml.safe_load(open('conf/logging.yaml')))\n",
    }
    result = findings(tmp_path, "TF901", files)
    assert [(f.path, f.line) for f in result] == [("conf/logging.yaml", 4), ("pipeline/run.py", 3)]
    assert "loguru" in result[1].message


def test_stdout_logging_is_fine(tmp_path: Path) -> None:
    files = {
        "app/logs.py": (
            "import logging, sys\nfrom loguru import logger\n\n"
            "logging.basicConfig(stream=sys.stdout, level=logging.INFO)\n"
            "handler = logging.StreamHandler(sys.stdout)\n"
            "logger.add(sys.stderr, format='{time} {message}')\n"
            "LOGGING = {'handlers': {'console': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout'}}}\n"
        ),
        "conf/logging.yaml": "handlers:\n  console:\n    class: logging.StreamHandler\n",
    }
    assert findings(tmp_path, "TF901", files) == []


def test_a_project_class_named_file_handler_is_no_logging_handler(tmp_path: Path) -> None:
    # Held-out set M (llm-twin-course): the dataset generator's JSON helper class.
    files = {
        "src/pipeline/file_handler.py": (
            "import json\n\n\nclass FileHandler:\n"
            "    def write(self, path, data):\n        json.dump(data, open(path, 'w'))\n"
        ),
        "src/pipeline/generate.py": (
            "from .file_handler import FileHandler\n\n"
            "file_handler = FileHandler()\nfile_handler.write('out.json', {})\n"
        ),
        "src/pipeline/own.py": (
            "class FileHandler:\n    pass\n\n\nhandler = FileHandler('data.json')\n"
        ),
    }
    assert findings(tmp_path, "TF901", files) == []
    # the logging handler imported by name is still one
    logs = "from logging import FileHandler\n\nhandler = FileHandler('logs/app.log')\n"
    [finding] = findings(tmp_path / "b", "TF901", {"src/pipeline/logs.py": logs})
    assert "FileHandler('logs/app.log')" in finding.message


def test_opt_in_file_logging_and_tests_are_fine(tmp_path: Path) -> None:
    files = {
        "app/logs.py": (
            "import logging, os\n\n"
            "def configure():\n"
            "    if os.environ.get('LOG_FILE'):\n"
            "        logging.getLogger().addHandler(logging.FileHandler(os.environ['LOG_FILE']))\n"
        ),
        "tests/test_logs.py": "import logging\n\ndef test_x(tmp_path):\n    logging.FileHandler(tmp_path / 'x.log')\n",
    }
    assert findings(tmp_path, "TF901", files) == []


def test_file_logging_after_a_guard_clause_is_opt_in(tmp_path: Path) -> None:
    # optuna's CLI: `--log-file` given by the user, checked by a guard clause first.
    cli = (
        "import logging\n\n"
        "def _set_log_file(args):\n"
        "    if args.log_file is None:\n"
        "        return\n"
        "    root_logger = logging.getLogger()\n"
        "    root_logger.addHandler(logging.FileHandler(filename=args.log_file))\n\n"
        "def setup(args):\n"
        "    if args.verbose:\n"
        "        logging.getLogger().setLevel(logging.DEBUG)\n"
        "    logging.getLogger().addHandler(logging.FileHandler('app.log'))\n"
    )
    [finding] = findings(tmp_path, "TF901", {"src/churn/cli.py": cli})
    assert finding.line == 12  # an `if` without a return does not guard what follows


# ------------------------------------------------------------------- TF902 print as logging


def test_package_module_printing_progress_is_reported(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n"
        "def train(path):\n"
        "    print('Loading data...')\n"
        "    df = pd.read_csv(path)\n"
        "    print(f'{len(df)} rows, fitting')\n"
        "    return df\n"
    )
    files = {
        "src/churn/__init__.py": "",
        "src/churn/train.py": code,
        "src/churn/monitoring.py": "import logging\n\nlogger = logging.getLogger(__name__)\n",
    }
    [finding] = findings(tmp_path, "TF902", files)
    assert finding.path == "src/churn/train.py" and finding.line == 4
    assert "package module (2 calls, first in `train()`)" in finding.message


def test_fastapi_service_printing_requests_is_reported(tmp_path: Path) -> None:
    code = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n"
        "@app.post('/predict')\n"
        "def predict(item: dict):\n"
        "    print('got request', item)\n"
        "    return {'y': 1}\n\n"
        "if __name__ == '__main__':\n"
        "    import uvicorn\n"
        "    print('starting')\n"
        "    uvicorn.run(app)\n"
    )
    [finding] = findings(tmp_path, "TF902", {"app.py": code})
    assert finding.line == 7 and "web service module (1 call" in finding.message


def test_module_with_logger_that_also_prints_is_reported(tmp_path: Path) -> None:
    code = "import logging\n\nlogger = logging.getLogger(__name__)\n\ndef load(path):\n    print('reading', path)\n    return open(path).read()\n"
    [finding] = findings(tmp_path, "TF902", {"features.py": code})
    assert "already uses logging" in finding.message


def test_cli_scripts_main_and_notebooks_are_fine(tmp_path: Path) -> None:
    files = {
        "src/churn/__init__.py": "",
        "src/churn/cli.py": "import argparse\n\ndef run(args):\n    print('trained')\n    print('saved')\n",
        "src/churn/__main__.py": "print('usage: churn train')\nprint('bye')\n",
        "src/churn/report.py": "def print_metrics(m):\n    print(m)\n    print('---')\n\ndef summary(m):\n    print(m)\n",
        "train.py": "import logging\n\ndef main():\n    print('done')\n\nif __name__ == '__main__':\n    print('starting')\n    main()\n",
        "scripts/download.py": "import logging\nprint('downloading')\n",
        "eda.ipynb": notebook("import logging\nprint(df.shape)"),
        "tests/test_train.py": "import logging\nprint('debug')\n",
        "src/churn/export.py": "def export(rows, path):\n    with open(path, 'w') as f:\n        for r in rows:\n            print(r, file=f)\n            print(r, file=f)\n",
    }
    assert findings(tmp_path, "TF902", files) == []


def test_verbose_output_cli_folders_and_json_answers_are_fine(tmp_path: Path) -> None:
    # Look-alikes from scikit-learn (`if verbose: print`), accelerate's
    # `commands/config/*.py` prompts and mlflow's Claude Code hook answering on stdout.
    files = {
        "src/churn/__init__.py": "",
        "src/churn/solver.py": (
            "import logging\n\n"
            "def fit(X, verbose=0):\n"
            "    for it in range(10):\n"
            "        if verbose:\n"
            "            print(f'Iteration {it}')\n"
            "        if verbose > 1 and it % 2:\n"
            "            print('checkpoint')\n"
            "    return X\n\n"
            "class Model:\n"
            "    def fit(self, X):\n"
            "        if self.verbose:\n"
            "            print('[Model] fitting')\n"
        ),
        "src/churn/commands/config/cluster.py": (
            "def get_cluster_input():\n"
            "    print('Please enter each command separately.')\n"
            "    print('Done.')\n"
        ),
        "src/churn/hooks.py": (
            "import json\n\n"
            "def stop_hook_handler():\n"
            "    print(json.dumps({'continue': True}))\n"
            "    print(json.dumps({'ok': 1}))\n"
        ),
        "src/churn/banner.py": "def cli_logo():\n    print('churn')\n    print('=====')\n",
    }
    assert findings(tmp_path, "TF902", files) == []


def test_prints_outside_the_verbose_branch_are_still_reported(tmp_path: Path) -> None:
    code = (
        "def fit(X, verbose=0):\n"
        "    if verbose:\n"
        "        print('starting')\n"
        "    else:\n"
        "        print('fitting quietly')\n"
        "    print('fitted')\n"
    )
    files = {
        "src/churn/__init__.py": "",
        "src/churn/solver.py": code,
        "src/churn/monitoring.py": "import logging\n\nlogger = logging.getLogger(__name__)\n",
    }
    [finding] = findings(tmp_path, "TF902", files)
    assert finding.line == 5 and "(2 calls, first in `fit()`)" in finding.message


def test_single_print_in_plain_package_module_is_below_the_threshold(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/util.py": "def warn_once(msg):\n    print(msg)\n"}
    assert findings(tmp_path, "TF902", files) == []


def test_prints_to_stdout_or_with_other_noqa_codes_are_still_reported(tmp_path: Path) -> None:
    # Look-alikes (test_real_lookalikes_f9_f12.py): a noqa comment naming T201 and a
    # print to stderr. A noqa for another code, T203 (pprint) or a print to stdout
    # is still a print used as logging.
    code = (
        "import logging\nimport sys\n\n"
        "logger = logging.getLogger(__name__)\n\n"
        "def load(path):\n"
        "    print('reading', path)  # noqa: E501\n"
        "    print('parsed', file=sys.stdout)\n"
        "    print('cached')  # noqa: T203\n"
        "    print('done', file=sys.stderr)\n"
        "    print('intended')  # noqa: T201\n"
    )
    [finding] = findings(tmp_path, "TF902", {"src/churn/__init__.py": "", "src/churn/io.py": code})
    assert finding.line == 7 and "(3 calls, first in `load()`)" in finding.message


# ------------------------------------------------------------------- issue 15: recall

FEATURES = (
    "import pandas as pd\n\n\n"
    "def build_features(raw: pd.DataFrame) -> pd.DataFrame:\n"
    "    print('building features...')\n"
    "    frame = raw.assign(tenure_years=raw.tenure / 12)\n"
    "    print(f'built {len(frame.columns)} features')\n"
    "    return frame\n\n\n"
    "if __name__ == '__main__':\n"
    "    frame = build_features(pd.read_csv('data/raw.csv'))\n"
    "    print(frame.head())\n"
)


def test_pipeline_step_module_with_a_main_block_prints_progress(tmp_path: Path) -> None:
    # The app imports it: a step of its pipeline, not a script run by hand.
    app = "from features import build_features\n\nbuild_features(None)\n"
    [finding] = findings(tmp_path, "TF902", {"features.py": FEATURES, "app.py": app})
    assert (finding.path, finding.line) == ("features.py", 5)
    assert "a pipeline module (2 calls, first in `build_features()`)" in finding.message


def test_module_with_its_own_logger_that_prints(tmp_path: Path) -> None:
    code = (
        "from churn.utils import get_logger\n\n"
        "logger = get_logger(__name__)\n\n\n"
        "def load(path):\n"
        "    print(f'loading {path}')\n"
        "    logger.info('loaded')\n"
    )
    files = {"src/churn/__init__.py": "", "src/churn/loader.py": code}
    [finding] = findings(tmp_path, "TF902", files)
    assert "a module that already uses logging" in finding.message


def test_pipeline_print_look_alikes_are_fine(tmp_path: Path) -> None:
    from twelvefold.config import Config

    files = {
        # a prediction script prints its answer; a report prints on purpose
        "predict.py": "def predict(x):\n    print(model(x))\n    print('done')\n\nif __name__ == '__main__':\n    predict(1)\n",
        # module-level prints of a step's script part
        "data.py": "import pandas as pd\n\nif __name__ == '__main__':\n    print('a')\n    print('b')\n",
        # `log` that is no logger
        "train.py": "from math import log\n\nscale = log(10)\n\ndef fit():\n    print(scale)\n",
        # scripts folder and research repositories run by hand
        "scripts/features.py": FEATURES,
        "app.py": "x = 1\n",
    }
    assert findings(tmp_path, "TF902", files) == []
    make_repo(tmp_path / "research", {"features.py": FEATURES})
    found = check(tmp_path / "research", select=["TF902"], config=Config(kind="research"))
    assert found.findings == []
