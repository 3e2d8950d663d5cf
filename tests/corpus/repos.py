"""The corpus repositories. Every planted violation is listed in its repo's `expected`;
everything else in these files is a look-alike that no rule may report.

Secrets below are made up for the corpus (random-looking strings in provider formats);
none was ever a real credential.
"""

from __future__ import annotations

from tests.corpus.model import (
    CorpusRepo,
    Expect,
    Lookalike,
    Member,
    binary_blob,
    hashed_requirements,
    lfs_pointer,
    notebook,
    poetry_lock,
    result,
    stream,
    table,
    uv_lock,
)
from tests.corpus.recall import recall_repos

# A Hugging Face token shape, made up: 36 mixed-case letters and digits after hf_.
_HF_TOKEN = "hf_" + "kTzQvWmXbRpLnYcFdGhJsUaEiOqPz1234567"
_WANDB_KEY = "3f9" + "c2e8b71d4a05f6e9b8c7d1a2f3e4b5c6d7e8f9a0"
_DB_PASSWORD = "Xk29" + "vLq8rT"
_FLASK_KEY = "8f42a730" + "54b1749f8f58848be5e6502c"

GITIGNORE = """\
__pycache__/
*.py[cod]
.venv/
.env
.ipynb_checkpoints/
"""

# --------------------------------------------------------------------------- kaggle
KAGGLE = CorpusRepo(
    name="kaggle_titanic",
    style="Kaggle-style notebook repository",
    files={
        "README.md": (
            "# Titanic: Machine Learning from Disaster\n\n"
            "My solution (top 8%). Run the notebooks in order; `pip install -r requirements.txt`.\n"
        ),
        ".gitignore": GITIGNORE,
        "requirements.txt": "pandas\nnumpy\nscikit-learn>=1.2\nxgboost\nmatplotlib\n",
        "data/train.csv": "PassengerId,Survived,Pclass,Name,Sex,Age\n1,0,3,Braund,male,22\n2,1,1,Cumings,female,38\n",
        "data/test.csv": "PassengerId,Pclass,Name,Sex,Age\n892,3,Kelly,male,34.5\n",
        "titanic-eda.ipynb": notebook(
            ("markdown", "# Titanic EDA\nFirst look at the data."),
            (
                "code",
                "%matplotlib inline\nimport numpy as np\nimport pandas as pd\n"
                "import seaborn as sns\nimport matplotlib.pyplot as plt",
            ),
            ("code", "!pip install -q xgboost==1.7.6"),
            (
                "code",
                'train = pd.read_csv("data/train.csv")\ntest = pd.read_csv("data/test.csv")\ntrain.head(120)',
                [table(("PassengerId", "Survived", "Pclass", "Age", "Fare"), 120)],
            ),
            ("code", "train.Age?\n!ls data"),
            ("code", "files = !ls data\nlen(files)", [result("2")]),
            ("code", "%%time\nsns.countplot(x='Survived', hue='Sex', data=train)"),
            ("code", "!env | grep TOKEN", [stream(f"HF_TOKEN={_HF_TOKEN}\n")]),
        ),
        "titanic-model.ipynb": notebook(
            ("markdown", "## Model"),
            (
                "code",
                "import os\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
                "from xgboost import XGBClassifier\n\n"
                f'os.environ["WANDB_API_KEY"] = "{_WANDB_KEY}"',
            ),
            (
                "code",
                'train = pd.read_csv("data/train.csv")\nX = train[["Pclass", "Age"]].fillna(0)\ny = train["Survived"]\n'
                "X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2)\n"
                "model = XGBClassifier(n_estimators=300, learning_rate=0.05)\nmodel.fit(X_train, y_train)",
            ),
            ("code", "%%bash\npip install lightgbm\nnvidia-smi"),
            (
                "code",
                'submission = pd.DataFrame({"PassengerId": X_val.index, "Survived": model.predict(X_val)})\n'
                'submission.to_csv("/home/jdoe/kaggle/titanic/submission.csv", index=False)\n'
                "# the original lived in /home/jdoe/old/submission.csv",
            ),
        ),
    },
    expected=[
        # One finding for the file (one root cause, one fix), at its first unpinned line.
        Expect("TF202", "requirements.txt", "pandas", note="5 unpinned, no lock: one finding"),
        Expect("TF204", None, note="no python version anywhere"),
        Expect("TF205", "titanic-eda.ipynb", "!pip install -q xgboost==1.7.6"),
        Expect("TF205", "titanic-model.ipynb", "pip install lightgbm", note="in a %%bash cell"),
        Expect("TF206", "titanic-eda.ipynb", "import seaborn as sns", note="seaborn undeclared"),
        Expect("TF301", "titanic-eda.ipynb", "HF_TOKEN=", note="token in a cell output"),
        Expect("TF301", "titanic-model.ipynb", "WANDB_API_KEY", note="os.environ[...] = literal"),
        Expect("TF303", "titanic-model.ipynb", "/home/jdoe/kaggle"),
        Expect("TF104", "titanic-eda.ipynb", note="notebook committed with outputs"),
        Expect("TF501", None, note="no build configuration"),
        Expect("TF801", None, note="no CI configuration"),
        Expect("TF1001", None, note="no tests"),
        Expect("TF1003", "titanic-model.ipynb", "train_test_split(X, y", note="no random_state"),
        Expect(
            "TF1103",
            "titanic-model.ipynb",
            "model.fit(X_train",
            note="training only in notebooks (info)",
        ),
        Expect(
            "TF1102",
            "titanic-model.ipynb",
            "model.fit(X_train",
            note="no experiment tracking (info)",
        ),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike(
            "TF303",
            "titanic-model.ipynb",
            "# the original lived in /home/jdoe",
            "a path in a comment",
        ),
        Lookalike("TF103", "data/train.csv", None, "a tiny committed sample (below max-size-mb)"),
        Lookalike("TF205", "titanic-eda.ipynb", "!ls data", "a shell escape that installs nothing"),
        Lookalike("TF104", "titanic-model.ipynb", None, "a notebook saved without outputs"),
        Lookalike(
            "TF1003", "titanic-model.ipynb", "XGBClassifier(", "XGBoost's default seed is fixed"
        ),
        Lookalike(
            "TF402", "titanic-eda.ipynb", "pd.read_csv(", "data paths in notebooks (exploration)"
        ),
    ],
)

# ------------------------------------------------------------------------- research
RESEARCH = CorpusRepo(
    name="research_cifar",
    style="research repository with scripts",
    files={
        "README.md": "# ResNet-18 on CIFAR-10\n\n```\npython scripts/download.py\npython train.py --config configs/resnet18.yaml\n```\n",
        ".gitignore": GITIGNORE + "data/\ncheckpoints/\nwandb/\n",
        ".python-version": "3.11\n",
        "requirements.txt": (
            "torch==2.3.1\ntorchvision==0.18.1\nnumpy==1.26.4\nopencv-python-headless==4.10.0.84\n"
            "PyYAML==6.0.1\nscikit-learn==1.5.0\nwandb==0.17.0\nPillow==10.3.0\nmatplotlib==3.9.0\n"
        ),
        "configs/resnet18.yaml": (
            "data_dir: data/cifar10\nbatch_size: 128\nepochs: 200\nlr: 0.1\nmomentum: 0.9\n"
            "weight_decay: 0.0005\n"
        ),
        "models/__init__.py": "from models.resnet import resnet18\n\n__all__ = ['resnet18']\n",
        "models/resnet.py": (
            '"""ResNet-18 for 32x32 inputs."""\n\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n'
            "class BasicBlock(nn.Module):\n    expansion = 1\n\n"
            "    def __init__(self, in_planes, planes, stride=1):\n        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)\n"
            "        self.bn1 = nn.BatchNorm2d(planes)\n\n"
            "    def forward(self, x):\n        return F.relu(self.bn1(self.conv1(x)))\n\n\n"
            "def resnet18(num_classes=10):\n    return nn.Sequential(BasicBlock(3, 64), nn.Flatten(), nn.LazyLinear(num_classes))\n"
        ),
        "utils/__init__.py": "",
        "utils/data.py": (
            "import cv2\nimport numpy as np\nimport torchvision\nimport torchvision.transforms as T\n"
            "from PIL import Image\nfrom torch.utils.data import DataLoader\n\n\n"
            "def load_cifar10(root, batch_size):\n"
            "    transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])\n"
            "    train = torchvision.datasets.CIFAR10(root, train=True, download=False, transform=transform)\n"
            "    val = torchvision.datasets.CIFAR10(root, train=False, download=False, transform=T.ToTensor())\n"
            "    return (DataLoader(train, batch_size=batch_size, shuffle=True, num_workers=4),\n"
            "            DataLoader(val, batch_size=batch_size))\n\n\n"
            "def blur(image: np.ndarray) -> Image.Image:\n"
            "    return Image.fromarray(cv2.GaussianBlur(image, (3, 3), 0))\n"
        ),
        "train.py": (
            '"""Train ResNet-18 on CIFAR-10.\n\nUsage: python train.py --config configs/resnet18.yaml\n"""\n\n'
            "import argparse\nimport logging\n\nimport torch\nimport torch.nn as nn\nimport wandb\nimport yaml\n"
            "from tqdm import tqdm\n\nfrom models import resnet18\nfrom utils.data import load_cifar10\n\n"
            'logging.basicConfig(level=logging.INFO, handlers=[logging.FileHandler("train.log")])\n'
            "logger = logging.getLogger(__name__)\n\n\n"
            "def parse_args():\n    parser = argparse.ArgumentParser()\n"
            '    parser.add_argument("--config", default="configs/resnet18.yaml")\n'
            "    return parser.parse_args()\n\n\n"
            "def main():\n    args = parse_args()\n    with open(args.config) as handle:\n"
            "        cfg = yaml.safe_load(handle)\n"
            '    wandb.init(project="cifar10-resnet", config=cfg)\n'
            '    train_loader, val_loader = load_cifar10(cfg["data_dir"], batch_size=cfg["batch_size"])\n'
            "    model = resnet18(num_classes=10).cuda()\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)\n"
            '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg["epochs"])\n'
            "    criterion = nn.CrossEntropyLoss()\n"
            '    for epoch in range(cfg["epochs"]):\n'
            "        model.train()\n"
            '        for images, labels in tqdm(train_loader, desc=f"epoch {epoch}"):\n'
            "            optimizer.zero_grad()\n            loss = criterion(model(images.cuda()), labels.cuda())\n"
            "            loss.backward()\n            optimizer.step()\n"
            "        scheduler.step()\n"
            '        wandb.log({"loss": loss.item(), "epoch": epoch})\n'
            '    torch.save(model.state_dict(), "/home/alice/checkpoints/resnet18.pt")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "evaluate.py": (
            "import sys\n\nimport torch\nfrom sklearn.metrics import accuracy_score, confusion_matrix\n\n"
            "from models import resnet18\n\n\n"
            "def main(checkpoint):\n    model = resnet18()\n    model.load_state_dict(torch.load(checkpoint))\n"
            '    print("accuracy", accuracy_score([0, 1], [0, 1]))\n    print(confusion_matrix([0, 1], [0, 1]))\n\n\n'
            'if __name__ == "__main__":\n    main(sys.argv[1])\n'
        ),
        "scripts/download.py": (
            '"""Download CIFAR-10 into data/."""\n\nimport subprocess\nfrom pathlib import Path\n\n'
            'URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"\n\n\n'
            "def main():\n"
            '    target = Path("data/cifar10")\n    target.mkdir(parents=True, exist_ok=True)\n'
            '    archive = target / "cifar-10-python.tar.gz"\n'
            '    subprocess.run(["wget", "-q", URL, "-O", str(archive)], check=True)\n'
            '    subprocess.run(["tar", "xzf", str(archive), "-C", str(target)], check=True)\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "notebooks/results.ipynb": notebook(
            ("markdown", "# Results\nLoss curves exported from W&B."),
            ("code", "import pandas as pd\nimport matplotlib.pyplot as plt"),
            ("code", 'runs = pd.read_csv("../results/runs.csv")\nruns.plot(x="epoch", y="loss")'),
        ),
    },
    expected=[
        Expect("TF206", "train.py", "from tqdm import tqdm"),
        Expect("TF207", "scripts/download.py", '"wget"', note="wget with no Dockerfile/apt list"),
        Expect("TF303", "train.py", "/home/alice/checkpoints"),
        Expect("TF304", "train.py", "lr=0.05", note="configs/resnet18.yaml has lr"),
        Expect("TF304", "train.py", "momentum=0.9", note="the config has momentum"),
        Expect("TF304", "train.py", "weight_decay=5e-4", note="the config has weight_decay"),
        Expect("TF901", "train.py", "FileHandler"),
        Expect("TF501", None, note="no build configuration"),
        Expect("TF801", None, note="no CI configuration"),
        Expect("TF1001", None, note="no tests"),
        Expect("TF1004", "train.py", "loss.backward()", note="torch randomness, no seed anywhere"),
        Expect("TF806", None, note="only top-level pins, no container or full lock (info)"),
    ],
    lookalikes=[
        Lookalike(
            "TF206",
            "notebooks/results.ipynb",
            "import pandas as pd",
            "a results notebook beside the project's modules runs in the developer's environment"
            " (judged NOISE on every real repository)",
        ),
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike(
            "TF401", "scripts/download.py", "https://www.cs.toronto.edu", "a public dataset URL"
        ),
        Lookalike("TF207", "scripts/download.py", '"tar"', "a program every machine has"),
        Lookalike("TF304", "train.py", 'default="configs/resnet18.yaml"', "an argparse default"),
        Lookalike("TF1102", "train.py", "wandb.init(", "tracked with W&B"),
        Lookalike("TF1103", "train.py", "loss.backward()", "training in a module, not a notebook"),
        Lookalike("TF1204", "train.py", "torch.save(", "the run is tracked by W&B"),
        Lookalike(
            "TF703", "train.py", "for epoch in range(", "a training loop, no blocking receive"
        ),
        Lookalike("TF104", "notebooks/results.ipynb", None, "no outputs"),
        Lookalike(
            "TF701", "utils/data.py", "download=False", "torchvision dataset without download"
        ),
    ],
)

# -------------------------------------------------------------------------- fastapi
_FASTAPI_DEPS = [
    "fastapi>=0.110",
    "uvicorn[standard]>=0.29",
    "scikit-learn>=1.4",
    "joblib>=1.3",
    "pydantic-settings>=2.2",
    "boto3>=1.34",
    "sqlalchemy>=2.0",
    "psycopg2-binary>=2.9",
]
_FASTAPI_DEV = ["pytest>=8.1", "httpx>=0.27"]

FASTAPI = CorpusRepo(
    name="fastapi_churn",
    style="FastAPI prediction service",
    files={
        "README.md": "# churn-api\n\n`uv run uvicorn app.main:app`\n",
        ".gitignore": GITIGNORE,
        ".python-version": "3.11\n",
        ".env.example": (
            "# copy to .env\nDATABASE_URL=postgresql://churn:changeme@localhost:5432/features\n"
            "API_TOKEN=\nAWS_ACCESS_KEY_ID=<your-key-id>\nMODEL_BUCKET=\n"
        ),
        "pyproject.toml": (
            '[project]\nname = "churn-api"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
            "dependencies = [\n" + "".join(f'    "{d}",\n' for d in _FASTAPI_DEPS) + "]\n\n"
            "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in _FASTAPI_DEV) + "]\n\n"
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[tool.hatch.build.targets.wheel]\npackages = ["app"]\n'
        ),
        "uv.lock": uv_lock(
            ">=3.11",
            [Member("churn-api", ".", _FASTAPI_DEPS, _FASTAPI_DEV)],
            {
                "fastapi": "0.110.0",
                "uvicorn": "0.29.0",
                "scikit-learn": "1.4.2",
                "joblib": "1.4.0",
                "pydantic-settings": "2.2.1",
                "boto3": "1.34.0",
                "sqlalchemy": "2.0.29",
                "psycopg2-binary": "2.9.9",
                "pytest": "8.1.1",
                "httpx": "0.27.0",
                "pydantic": "2.7.0",
                "numpy": "1.26.4",
            },
        ),
        "app/__init__.py": "",
        "app/settings.py": (
            '"""Service settings, from the environment."""\n\n'
            "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
            "class Settings(BaseSettings):\n"
            '    model_config = SettingsConfigDict(env_file=".env")\n\n'
            '    mlflow_tracking_uri: str = "http://localhost:5000"\n'
            '    model_bucket: str = ""\n'
            '    api_token: str = ""\n'
            '    token_env: str = "API_TOKEN"\n\n\n'
            "settings = Settings()\n"
        ),
        "app/main.py": (
            '"""Churn prediction API."""\n\n'
            "import csv\nimport datetime\n\nimport boto3\nimport joblib\nfrom fastapi import FastAPI\n"
            "from pydantic import BaseModel\nfrom sqlalchemy import create_engine, text\n\n"
            "from app.settings import settings\n\n"
            f'DATABASE_URL = "postgresql://churn:{_DB_PASSWORD}@db-prod.internal:5432/features"\n'
            "engine = create_engine(DATABASE_URL)\n\n"
            's3 = boto3.client("s3")\n'
            's3.download_file("acme-ml-models", "churn/model.joblib", "/tmp/model.joblib")\n'
            'model = joblib.load("/tmp/model.joblib")\n\n'
            "app = FastAPI()\n\n\n"
            "class Customer(BaseModel):\n    customer_id: str\n    tenure: float\n    monthly_charges: float\n\n\n"
            '@app.post("/predict")\n'
            "def predict(customer: Customer) -> dict:\n"
            "    with engine.connect() as conn:\n"
            '        row = conn.execute(text("select n_calls from usage where id = :id"), {"id": customer.customer_id}).first()\n'
            "    features = [customer.tenure, customer.monthly_charges, row[0] if row else 0]\n"
            "    proba = float(model.predict_proba([features])[0, 1])\n"
            '    with open("predictions.csv", "a", newline="") as handle:\n'
            "        csv.writer(handle).writerow([datetime.datetime.now().isoformat(), customer.customer_id, proba])\n"
            '    return {"churn_probability": proba}\n'
        ),
        "Dockerfile": (
            "FROM python:latest\nWORKDIR /srv\nCOPY . .\nCOPY .env .env\nRUN pip install .\n"
            "EXPOSE 8000\nCMD uvicorn app.main:app --host 0.0.0.0 --port 8000\n"
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n"
            "    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - uses: astral-sh/setup-uv@v6\n      - run: uv sync --locked\n"
            "      - run: uv run ruff check .\n      - run: uv run pytest -q\n"
        ),
        "tests/__init__.py": "",
        "tests/test_api.py": (
            "from fastapi.testclient import TestClient\n\n"
            'API_TOKEN = "test-token-123456"\n\n\n'
            "def test_predict_rejects_bad_payload(monkeypatch):\n"
            '    monkeypatch.setenv("DATABASE_URL", "sqlite://")\n'
            "    from app.main import app\n\n"
            "    client = TestClient(app)\n"
            '    response = client.post("/predict", json={}, headers={"Authorization": f"Bearer {API_TOKEN}"})\n'
            "    assert response.status_code == 422\n"
        ),
    },
    untracked={
        ".env": f"DATABASE_URL=postgresql://churn:{_DB_PASSWORD}@db-prod.internal:5432/features\n"
    },
    expected=[
        Expect("TF301", "app/main.py", "DATABASE_URL = ", note="password in a connection string"),
        Expect("TF401", "app/main.py", "db-prod.internal", note="hard-coded database host"),
        Expect("TF401", "app/main.py", "acme-ml-models", note="hard-coded bucket passed to boto3"),
        Expect("TF701", "app/main.py", "download_file", note="model download at import time"),
        Expect(
            "TF601", "app/main.py", "predictions.csv", note="predictions appended to a local csv"
        ),
        Expect("TF1201", "app/main.py", note="no health endpoint"),
        Expect("TF503", "Dockerfile", "FROM python:latest"),
        Expect("TF504", "Dockerfile", "COPY .env"),
        Expect("TF505", "Dockerfile", "RUN pip install .", note="installs without the lock"),
        Expect("TF702", "Dockerfile", "CMD uvicorn", note="shell-form CMD"),
        Expect("TF805", None, note="CI runs ruff check, no hook runs it locally"),
    ],
    lookalikes=[
        Lookalike("TF506", "pyproject.toml", 'version = "0.1.0"', "a versioned service"),
        Lookalike("TF301", ".env.example", "changeme", "placeholder password in a template"),
        Lookalike("TF301", "tests/test_api.py", "test-token-123456", "an obvious test value"),
        Lookalike(
            "TF301",
            "app/settings.py",
            'token_env: str = "API_TOKEN"',
            "an environment variable name",
        ),
        Lookalike("TF302", ".env.example", None, "a template"),
        Lookalike(
            "TF401", "app/settings.py", "http://localhost:5000", "settings default, localhost"
        ),
        Lookalike(
            "TF402", "app/main.py", 'joblib.load("/tmp/model.joblib")', "scratch file under /tmp"
        ),
        Lookalike(
            "TF1202",
            "app/main.py",
            "csv.writer(handle).writerow",
            "each prediction is recorded (TF601 reports where)",
        ),
        Lookalike("TF803", ".github/workflows/ci.yml", "uv sync --locked", "installs the lock"),
        Lookalike("TF802", ".github/workflows/ci.yml", "uv run pytest", "runs the tests"),
    ],
)

# ---------------------------------------------------------------------------- flask
_FLASK_PINS = {
    "flask": "3.0.3",
    "blinker": "1.8.2",
    "click": "8.1.7",
    "itsdangerous": "2.2.0",
    "jinja2": "3.1.4",
    "markupsafe": "2.1.5",
    "werkzeug": "3.0.3",
    "gunicorn": "22.0.0",
    "joblib": "1.4.2",
    "numpy": "1.26.4",
    "scikit-learn": "1.5.0",
    "scipy": "1.13.1",
    "threadpoolctl": "3.5.0",
    "requests": "2.32.3",
    "certifi": "2024.6.2",
    "charset-normalizer": "3.3.2",
    "idna": "3.7",
    "urllib3": "2.2.1",
    "packaging": "24.1",
}

FLASK = CorpusRepo(
    name="flask_scoring",
    style="Flask service with pip-compile",
    files={
        "README.md": "# scoring service\n\nDeployed on Heroku (see Procfile). `pip-compile --generate-hashes requirements.in`\n",
        ".gitignore": GITIGNORE + "*.joblib\n",
        "runtime.txt": "python-3.10.14\n",
        "Procfile": "web: gunicorn app:app\n",
        "requirements.in": "flask\ngunicorn\njoblib\nscikit-learn\nrequests\n",
        "requirements.txt": hashed_requirements(
            _FLASK_PINS,
            "#\n# This file is autogenerated by pip-compile with Python 3.10\n"
            "# by the following command:\n#\n#    pip-compile --generate-hashes requirements.in\n#",
        ),
        "app.py": (
            "import json\nimport logging\nimport os\nimport subprocess\n\nimport joblib\nimport requests\n"
            "from flask import Flask, jsonify, request\n\n"
            'logging.basicConfig(filename="service.log", level=logging.INFO)\n\n'
            "app = Flask(__name__)\n"
            f'app.secret_key = "{_FLASK_KEY}"\n'
            'app.config["SESSION_COOKIE_NAME"] = "scoring"\n'
            'model = joblib.load(os.environ.get("MODEL_PATH", "model.joblib"))\n'
            "RECENT_PREDICTIONS = []\n\n\n"
            '@app.route("/health")\ndef health():\n    return {"status": "ok"}\n\n\n'
            '@app.route("/predict", methods=["POST"])\ndef predict():\n'
            "    payload = request.get_json()\n"
            '    score = float(model.predict_proba([payload["features"]])[0][1])\n'
            '    RECENT_PREDICTIONS.append({"input": payload, "score": score})\n'
            '    app.logger.info("prediction %s", json.dumps({"input": payload, "score": score}))\n'
            "    return jsonify(score=score)\n\n\n"
            '@app.route("/version")\ndef version():\n'
            '    commit = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()\n'
            '    return {"commit": commit}\n\n\n'
            "def notify(message):\n"
            '    requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": message}, timeout=5)\n\n\n'
            'if __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))\n'
        ),
        "fetch_model.py": (
            '"""Fetch the released model before the service starts (Docker build step)."""\n\n'
            "import os\nimport subprocess\nimport sys\n\n\n"
            "def main():\n"
            '    url = os.environ["MODEL_URL"]\n'
            '    subprocess.run(["curl", "-fsSL", url, "-o", "model.joblib"], check=True)\n'
            "    try:\n        import joblib  # noqa: F401\n    except ImportError:\n"
            '        sys.exit("joblib is missing: run pip install -r requirements.txt first")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "Dockerfile": (
            "FROM python:3.10.14-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
            "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir --require-hashes -r requirements.txt\n"
            "COPY . .\nARG MODEL_URL\nRUN MODEL_URL=$MODEL_URL python fetch_model.py\n"
            'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]\n'
        ),
        "tests/test_app.py": (
            "import app as service\n\n\n"
            "def test_health():\n    client = service.app.test_client()\n"
            '    assert client.get("/health").json == {"status": "ok"}\n'
        ),
    },
    expected=[
        Expect("TF506", "Dockerfile", note="deployed with no version anywhere"),
        Expect("TF301", "app.py", "app.secret_key", note="Flask secret key literal"),
        Expect("TF901", "app.py", "basicConfig(filename="),
        Expect(
            "TF602",
            "app.py",
            "RECENT_PREDICTIONS = []",
            note="module-level store mutated per request",
        ),
        Expect("TF801", None, note="no CI configuration"),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike(
            "TF202", "requirements.in", "flask", "ranges compiled into a hashed requirements.txt"
        ),
        Lookalike("TF204", "runtime.txt", None, "Heroku's python version file"),
        Lookalike(
            "TF205",
            "fetch_model.py",
            "run pip install -r requirements.txt first",
            "an error message",
        ),
        Lookalike("TF207", "fetch_model.py", '"curl"', "apt-installed in the Dockerfile"),
        Lookalike("TF207", "app.py", '"git"', "a program every machine has"),
        Lookalike("TF401", "app.py", 'os.environ["SLACK_WEBHOOK_URL"]', "URL from the environment"),
        Lookalike("TF505", "Dockerfile", "--require-hashes -r requirements.txt", "hashed lock"),
        Lookalike("TF503", "Dockerfile", "FROM python:3.10.14-slim", "pinned tag"),
        Lookalike("TF702", "Dockerfile", 'CMD ["gunicorn"', "exec form"),
        Lookalike(
            "TF701",
            "app.py",
            'joblib.load(os.environ.get("MODEL_PATH"',
            "a local load, not a download",
        ),
        Lookalike("TF1201", "app.py", '@app.route("/health")', "has a health route"),
        Lookalike("TF1202", "app.py", "app.logger.info(", "logs each prediction"),
        Lookalike("TF806", "requirements.txt", None, "a hashed pip-compile lock"),
        Lookalike("TF201", "requirements.txt", None, "requirements files are a manifest"),
    ],
)

# ------------------------------------------------------------------------- monorepo
_ROOT_DEPS = ["python-dotenv>=1.0"]
_FEATURES_DEPS = ["pandas>=2.2", "pyarrow>=15"]
_SERVING_DEPS = ["acme-features", "fastapi>=0.110", "uvicorn>=0.29"]
_TRAINING_DEPS = ["acme-features", "lightgbm>=4.3", "mlflow>=2.12"]


def _member_pyproject(name: str, deps: list[str], *, workspace_deps: tuple[str, ...] = ()) -> str:
    package = name.replace("-", "_")
    text = (
        f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        "dependencies = [" + ", ".join(f'"{d}"' for d in deps) + "]\n\n"
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        f'[tool.hatch.build.targets.wheel]\npackages = ["src/{package}"]\n'
    )
    if workspace_deps:
        text += "\n[tool.uv.sources]\n" + "".join(
            f"{d} = {{ workspace = true }}\n" for d in workspace_deps
        )
    return text


MONOREPO = CorpusRepo(
    name="monorepo_acme",
    style="uv workspace monorepo (features, serving, training)",
    files={
        "README.md": "# acme-ml\n\nuv workspace: `uv sync --all-packages`.\n",
        ".gitignore": GITIGNORE + "mlruns/\n",
        ".python-version": "3.11\n",
        "pyproject.toml": (
            '[project]\nname = "acme-ml"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
            "dependencies = [" + ", ".join(f'"{d}"' for d in _ROOT_DEPS) + "]\n\n"
            '[dependency-groups]\ndev = ["pytest>=8.1"]\n\n'
            '[tool.uv]\npackage = false\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'
        ),
        "uv.lock": uv_lock(
            ">=3.11",
            [
                Member("acme-ml", ".", _ROOT_DEPS, ["pytest>=8.1"], virtual=True),
                Member("acme-features", "packages/features", _FEATURES_DEPS),
                Member("acme-serving", "packages/serving", _SERVING_DEPS),
                Member("acme-training", "packages/training", _TRAINING_DEPS),
            ],
            {
                "python-dotenv": "1.0.1",
                "pandas": "2.2.2",
                "pyarrow": "16.1.0",
                "fastapi": "0.110.0",
                "uvicorn": "0.29.0",
                "lightgbm": "4.3.0",
                "mlflow": "2.12.2",
                "pytest": "8.1.1",
                "numpy": "1.26.4",
            },
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.4.4\n"
            "    hooks:\n      - id: ruff\n      - id: ruff-format\n"
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v6\n"
            "      - run: uv sync --locked --all-packages\n      - run: uv run pytest -q packages\n"
        ),
        "packages/features/pyproject.toml": _member_pyproject("acme-features", _FEATURES_DEPS),
        "packages/features/src/acme_features/__init__.py": '"""Shared feature engineering."""\n',
        "packages/features/src/acme_features/transform.py": (
            "import os\n\nimport pandas as pd\nimport pyarrow.parquet as pq\nfrom dotenv import load_dotenv\n\n"
            "load_dotenv()\n\n\n"
            "def build_features(frame: pd.DataFrame) -> pd.DataFrame:\n"
            '    out = frame.copy()\n    out["spend_per_day"] = out["spend"] / out["days"].clip(lower=1)\n    return out\n\n\n'
            "def load(path: str | None = None) -> pd.DataFrame:\n"
            '    return pq.read_table(path or os.environ["FEATURES_PATH"]).to_pandas()\n'
        ),
        "packages/features/tests/test_transform.py": (
            "import pandas as pd\n\nfrom acme_features.transform import build_features\n\n\n"
            "def test_spend_per_day():\n"
            '    out = build_features(pd.DataFrame({"spend": [10.0], "days": [0]}))\n'
            '    assert out["spend_per_day"].tolist() == [10.0]\n'
        ),
        "packages/serving/pyproject.toml": _member_pyproject(
            "acme-serving", _SERVING_DEPS, workspace_deps=("acme-features",)
        ),
        "packages/serving/src/acme_serving/__init__.py": "",
        "packages/serving/src/acme_serving/api.py": (
            "import logging\nimport os\n\nimport pandas as pd\nimport redis\nfrom fastapi import FastAPI\n\n"
            "from acme_features.transform import build_features\n\n"
            "logger = logging.getLogger(__name__)\napp = FastAPI()\n"
            'cache = redis.Redis(host="10.0.3.17", port=6379)\n\n\n'
            '@app.get("/healthz")\ndef health() -> dict:\n    return {"ok": True}\n\n\n'
            '@app.post("/score")\ndef score(row: dict) -> dict:\n'
            "    features = build_features(pd.DataFrame([row]))\n"
            '    logger.info("scoring %s", row)\n'
            '    return {"n": len(features), "model": os.environ.get("MODEL_VERSION", "dev")}\n'
        ),
        "packages/serving/tests/test_api.py": (
            "from fastapi.testclient import TestClient\n\nfrom acme_serving.api import app\n\n\n"
            'def test_health():\n    assert TestClient(app).get("/healthz").json() == {"ok": True}\n'
        ),
        "packages/training/pyproject.toml": _member_pyproject(
            "acme-training", _TRAINING_DEPS, workspace_deps=("acme-features",)
        ),
        "packages/training/src/acme_training/__init__.py": "",
        "packages/training/src/acme_training/config.py": (
            '"""Training configuration, overridable from the environment."""\n\n'
            "import os\nfrom dataclasses import dataclass, field\n\n\n"
            "@dataclass(frozen=True)\nclass TrainConfig:\n"
            '    seed: int = int(os.environ.get("SEED", "7"))\n'
            "    learning_rate: float = 0.05\n    n_estimators: int = 400\n"
            '    tracking_uri: str = field(default_factory=lambda: os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlruns.db"))\n'
        ),
        "packages/training/src/acme_training/train.py": (
            "import lightgbm as lgb\nimport mlflow\n\nfrom acme_features.transform import build_features, load\n"
            "from acme_training.config import TrainConfig\n\n\n"
            "def train(config: TrainConfig = TrainConfig()) -> None:\n"
            '    mlflow.set_tracking_uri("http://10.0.0.5:5000")\n'
            "    frame = build_features(load())\n"
            "    model = lgb.LGBMClassifier(\n"
            "        n_estimators=config.n_estimators,\n"
            "        learning_rate=0.1,\n"
            "        random_state=config.seed,\n    )\n"
            "    with mlflow.start_run():\n"
            '        mlflow.log_params({"n_estimators": config.n_estimators})\n'
            '        model.fit(frame.drop(columns=["churned"]), frame["churned"])\n'
        ),
        "packages/training/tests/test_config.py": (
            "from acme_training.config import TrainConfig\n\n\n"
            "def test_defaults():\n    assert TrainConfig().learning_rate == 0.05\n"
        ),
    },
    expected=[
        Expect("TF206", "packages/serving/src/acme_serving/api.py", "import redis"),
        Expect("TF401", "packages/serving/src/acme_serving/api.py", "10.0.3.17"),
        Expect("TF401", "packages/training/src/acme_training/train.py", "10.0.0.5"),
        Expect("TF304", "packages/training/src/acme_training/train.py", "learning_rate=0.1"),
    ],
    lookalikes=[
        Lookalike(
            "TF206",
            "packages/serving/src/acme_serving/api.py",
            "from acme_features",
            "a workspace member",
        ),
        Lookalike("TF203", "uv.lock", None, "a workspace lock matching every member"),
        Lookalike(
            "TF304",
            "packages/training/src/acme_training/config.py",
            "learning_rate: float = 0.05",
            "the config's own default",
        ),
        Lookalike(
            "TF401",
            "packages/training/src/acme_training/config.py",
            "sqlite:///mlruns.db",
            "an env default, local file",
        ),
        Lookalike(
            "TF402",
            "packages/features/src/acme_features/transform.py",
            'os.environ["FEATURES_PATH"]',
            "path from the environment",
        ),
        Lookalike(
            "TF1201", "packages/serving/src/acme_serving/api.py", '"/healthz"', "health route"
        ),
        Lookalike(
            "TF1202",
            "packages/serving/src/acme_serving/api.py",
            'logger.info("scoring',
            "logs the request",
        ),
        Lookalike(
            "TF1003",
            "packages/training/src/acme_training/train.py",
            "random_state=config.seed",
            "seeded from config",
        ),
        Lookalike(
            "TF1102",
            "packages/training/src/acme_training/train.py",
            "mlflow.start_run()",
            "tracked with MLflow",
        ),
        Lookalike(
            "TF1001", "packages/features/tests/test_transform.py", None, "tests live in each member"
        ),
        Lookalike(
            "TF802", ".github/workflows/ci.yml", "uv run pytest -q packages", "runs the tests"
        ),
        Lookalike(
            "TF804", ".github/workflows/ci.yml", "uv sync --locked --all-packages", "lock enforced"
        ),
    ],
)

# ------------------------------------------------------------------------ well-kept
_KEPT_DEPS = [
    "pandas>=2.2",
    "scikit-learn>=1.5",
    "pydantic-settings>=2.3",
    "mlflow>=2.14",
    "fastapi>=0.111",
    "uvicorn>=0.30",
]
_KEPT_DEV = ["pytest>=8.2", "ruff>=0.5", "httpx>=0.27", "pre-commit>=3.7"]

WELL_KEPT = CorpusRepo(
    name="well_kept_churn",
    style="well-kept repository, as the template generates",
    files={
        "README.md": "# Churn Model\n\n```\nuv sync\nuv run churn-model pipeline\nuv run pytest\n```\n",
        ".gitignore": GITIGNORE + "/data/\n/artifacts/\nmlflow.db\n",
        ".python-version": "3.12\n",
        ".env.example": "CHURN_MODEL_SEED=\nCHURN_MODEL_DATA_DIR=\nMLFLOW_TRACKING_URI=\nCHURN_MODEL_API_TOKEN=\n",
        "pyproject.toml": (
            '[project]\nname = "churn-model"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
            "dependencies = [\n" + "".join(f'    "{d}",\n' for d in _KEPT_DEPS) + "]\n\n"
            '[project.scripts]\nchurn-model = "churn_model.cli:main"\n\n'
            "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in _KEPT_DEV) + "]\n\n"
            '[build-system]\nrequires = ["hatchling>=1.25"]\nbuild-backend = "hatchling.build"\n'
        ),
        "uv.lock": uv_lock(
            ">=3.12",
            [Member("churn-model", ".", _KEPT_DEPS, _KEPT_DEV)],
            {
                "pandas": "2.2.2",
                "scikit-learn": "1.5.1",
                "pydantic-settings": "2.3.4",
                "pydantic": "2.8.2",
                "mlflow": "2.14.3",
                "fastapi": "0.111.1",
                "uvicorn": "0.30.1",
                "pytest": "8.2.2",
                "ruff": "0.5.2",
                "httpx": "0.27.0",
                "pre-commit": "3.7.1",
                "numpy": "2.0.0",
            },
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.2\n"
            "    hooks:\n      - id: ruff\n      - id: ruff-format\n"
        ),
        ".github/workflows/ci.yml": (
            "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  contents: read\n"
            "jobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - uses: astral-sh/setup-uv@v6\n      - run: uv sync --locked\n"
            "      - run: uv run --locked ruff check .\n      - run: uv run --locked pytest\n"
        ),
        "Dockerfile": (
            "FROM python:3.12.4-slim AS build\nCOPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\nWORKDIR /app\n"
            "COPY pyproject.toml uv.lock .python-version README.md ./\n"
            "RUN uv sync --locked --no-dev --no-install-project\nCOPY src ./src\n"
            "RUN uv sync --locked --no-dev --no-editable\n\n"
            "FROM python:3.12.4-slim\nWORKDIR /app\nCOPY --from=build /app/.venv /app/.venv\n"
            'ENV PATH="/app/.venv/bin:${PATH}"\nEXPOSE 8000\nCMD ["churn-model", "serve"]\n'
        ),
        "dvc.yaml": (
            "stages:\n  prepare:\n    cmd: churn-model prepare\n    outs:\n      - data/raw/dataset.csv\n"
            "  train:\n    cmd: churn-model train\n    deps:\n      - data/raw/dataset.csv\n"
            "    outs:\n      - artifacts/model\n"
        ),
        ".dvc/config": "[core]\n    autostage = true\n",
        ".dvcignore": "# Add patterns of files dvc should ignore\n",
        "src/churn_model/__init__.py": '"""Churn model."""\n\n__version__ = "0.1.0"\n',
        "src/churn_model/config.py": (
            '"""Settings from the environment (prefix CHURN_MODEL_)."""\n\n'
            "from pathlib import Path\n\nfrom pydantic import Field\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
            "class Settings(BaseSettings):\n"
            '    model_config = SettingsConfigDict(env_prefix="CHURN_MODEL_", env_file=".env", env_ignore_empty=True)\n\n'
            "    seed: int = 42\n"
            '    data_dir: Path = Path("data")\n'
            '    output_dir: Path = Path("artifacts")\n'
            "    test_size: float = Field(default=0.25, gt=0, lt=1)\n"
            "    regularization: float = 1.0\n"
            "    max_iter: int = 200\n"
            '    api_token: str = ""\n'
            '    host: str = "127.0.0.1"\n'
            "    port: int = 8000\n"
            '    mlflow_tracking_uri: str = "sqlite:///mlflow.db"\n'
        ),
        "src/churn_model/logs.py": (
            "import logging\nimport sys\n\n\n"
            'def configure(level: str = "INFO") -> None:\n'
            "    logging.basicConfig(stream=sys.stdout, level=level, force=True)\n"
        ),
        "src/churn_model/data.py": (
            "from pathlib import Path\n\nimport numpy as np\nimport pandas as pd\n"
            "from sklearn.model_selection import train_test_split\n\n\n"
            "def make_dataset(n_samples: int, seed: int) -> pd.DataFrame:\n"
            "    rng = np.random.default_rng(seed)\n"
            '    frame = pd.DataFrame({"tenure": rng.integers(1, 72, n_samples), "charges": rng.normal(70, 20, n_samples)})\n'
            '    frame["churned"] = (frame["charges"] > 80).astype(int)\n    return frame\n\n\n'
            "def split(frame: pd.DataFrame, test_size: float, seed: int):\n"
            '    return train_test_split(frame.drop(columns=["churned"]), frame["churned"], test_size=test_size, random_state=seed)\n\n\n'
            "def read(path: Path) -> pd.DataFrame:\n    return pd.read_csv(path)\n"
        ),
        "src/churn_model/train.py": (
            '"""Training: fit, evaluate, save a versioned model, track the run."""\n\n'
            "import json\nimport logging\n\nimport joblib\nimport mlflow\nfrom sklearn.linear_model import LogisticRegression\n"
            "from sklearn.metrics import roc_auc_score\n\n"
            "from churn_model import __version__, data\nfrom churn_model.config import Settings\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "def train(settings: Settings) -> dict:\n"
            '    frame = data.read(settings.data_dir / "raw" / "dataset.csv")\n'
            "    x_train, x_test, y_train, y_test = data.split(frame, settings.test_size, settings.seed)\n"
            "    model = LogisticRegression(C=settings.regularization, max_iter=settings.max_iter, random_state=settings.seed)\n"
            "    model.fit(x_train, y_train)\n"
            '    metrics = {"roc_auc": float(roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))}\n'
            '    model_dir = settings.output_dir / "model"\n    model_dir.mkdir(parents=True, exist_ok=True)\n'
            '    joblib.dump(model, model_dir / "model.joblib")\n'
            '    (model_dir / "metadata.json").write_text(json.dumps({"version": __version__, "metrics": metrics}))\n'
            "    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)\n"
            "    with mlflow.start_run():\n"
            '        mlflow.log_params({"C": settings.regularization, "max_iter": settings.max_iter})\n'
            "        mlflow.log_metrics(metrics)\n"
            '    logger.info("trained model %s: %s", __version__, metrics)\n    return metrics\n'
        ),
        "src/churn_model/service.py": (
            '"""Prediction API; uvicorn handles SIGTERM."""\n\n'
            "import logging\n\nimport joblib\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n\n"
            "from churn_model.config import Settings\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "class Customer(BaseModel):\n    tenure: float\n    charges: float\n\n\n"
            "def create_app(settings: Settings) -> FastAPI:\n"
            "    app = FastAPI()\n"
            '    model = joblib.load(settings.output_dir / "model" / "model.joblib")\n\n'
            '    @app.get("/health")\n    def health() -> dict:\n        return {"status": "ok"}\n\n'
            '    @app.post("/predict")\n    def predict(customer: Customer) -> dict:\n'
            "        proba = float(model.predict_proba([[customer.tenure, customer.charges]])[0, 1])\n"
            '        logger.info("prediction input=%s proba=%.4f", customer.model_dump(), proba)\n'
            '        return {"churn_probability": proba}\n\n'
            "    return app\n"
        ),
        "src/churn_model/cli.py": (
            "import argparse\n\nimport uvicorn\n\nfrom churn_model import data, logs, train\nfrom churn_model.config import Settings\n\n\n"
            "def main(argv=None) -> None:\n"
            "    parser = argparse.ArgumentParser(prog='churn-model')\n"
            "    parser.add_argument('command', choices=['prepare', 'train', 'serve', 'pipeline'])\n"
            "    args = parser.parse_args(argv)\n    settings = Settings()\n    logs.configure()\n"
            "    if args.command in ('prepare', 'pipeline'):\n"
            '        frame = data.make_dataset(400, settings.seed)\n        (settings.data_dir / "raw").mkdir(parents=True, exist_ok=True)\n'
            '        frame.to_csv(settings.data_dir / "raw" / "dataset.csv", index=False)\n'
            "    if args.command in ('train', 'pipeline'):\n        print(train.train(settings))\n"
            "    if args.command == 'serve':\n        from churn_model.service import create_app\n\n"
            "        uvicorn.run(create_app(settings), host=settings.host, port=settings.port)\n"
        ),
        "tests/conftest.py": (
            "import pytest\n\nfrom churn_model.config import Settings\n\n\n"
            "@pytest.fixture\ndef settings(tmp_path):\n"
            '    return Settings(data_dir=tmp_path / "data", output_dir=tmp_path / "out", seed=0)\n'
        ),
        "tests/test_data.py": (
            "from churn_model import data\n\n\n"
            "def test_dataset_is_deterministic():\n"
            "    assert data.make_dataset(10, 0).equals(data.make_dataset(10, 0))\n"
        ),
    },
    untracked={".env": "CHURN_MODEL_API_TOKEN=" + "q8Xv2LmPz7RtW4nKs9Bc\n"},
    expected=[],
    lookalikes=[
        Lookalike("TF101", None, "committed git repository"),
        Lookalike("TF302", ".env.example", None, "a template"),
        Lookalike("TF402", "src/churn_model/train.py", "settings.data_dir", "path from settings"),
        Lookalike("TF501", "pyproject.toml", "[build-system]", "hatchling build"),
        Lookalike("TF502", "pyproject.toml", 'version = "0.1.0"', "versioned"),
        Lookalike("TF506", "pyproject.toml", 'version = "0.1.0"', "a versioned package"),
        Lookalike("TF503", "Dockerfile", "FROM python:3.12.4-slim AS build", "pinned, multi-stage"),
        Lookalike(
            "TF505",
            "Dockerfile",
            "RUN uv sync --locked --no-dev --no-install-project",
            "installs the lock",
        ),
        Lookalike("TF504", "Dockerfile", "ENV PATH=", "a non-secret ENV"),
        Lookalike("TF601", "src/churn_model/service.py", "model.joblib", "loads, never writes"),
        Lookalike(
            "TF602",
            "src/churn_model/service.py",
            "model = joblib.load",
            "loaded artifact in a closure",
        ),
        Lookalike(
            "TF701",
            "src/churn_model/service.py",
            "joblib.load(settings.output_dir",
            "local load inside create_app",
        ),
        Lookalike("TF703", "src/churn_model/cli.py", "uvicorn.run(", "uvicorn handles SIGTERM"),
        Lookalike("TF801", ".github/workflows/ci.yml", None, "CI present"),
        Lookalike("TF804", ".github/workflows/ci.yml", "uv run --locked pytest", "lock enforced"),
        Lookalike("TF805", ".pre-commit-config.yaml", None, "pre-commit present"),
        Lookalike("TF901", "src/churn_model/logs.py", "stream=sys.stdout", "logs to stdout"),
        Lookalike(
            "TF902",
            "src/churn_model/cli.py",
            "print(train.train(settings))",
            "a CLI prints its result",
        ),
        Lookalike("TF1003", "src/churn_model/data.py", "random_state=seed", "seeded"),
        Lookalike(
            "TF1004",
            "src/churn_model/data.py",
            "np.random.default_rng(seed)",
            "explicit seeded generator",
        ),
        Lookalike("TF1103", "dvc.yaml", None, "a pipeline trains the model"),
        Lookalike(
            "TF1204",
            "src/churn_model/train.py",
            "metadata.json",
            "metadata written beside the model",
        ),
        Lookalike("TF1201", "src/churn_model/service.py", '"/health"', "health route"),
    ],
)

# -------------------------------------------------------------------------- library
_LIB_DEPS = ["numpy>=1.24", "pandas>=2.0"]
_LIB_EXTRAS = ["torch>=2.1"]

LIBRARY = CorpusRepo(
    name="library_tinyfeat",
    style="a small feature-engineering library",
    kind="library",
    files={
        "README.md": "# tinyfeat\n\n`pip install tinyfeat` or `pip install 'tinyfeat[torch]'`.\n",
        ".gitignore": GITIGNORE + "dist/\n",
        ".python-version": "3.11\n",
        "pyproject.toml": (
            '[project]\nname = "tinyfeat"\nversion = "0.4.1"\nrequires-python = ">=3.9"\n'
            "dependencies = [" + ", ".join(f'"{d}"' for d in _LIB_DEPS) + "]\n\n"
            "[project.optional-dependencies]\ntorch = ["
            + ", ".join(f'"{d}"' for d in _LIB_EXTRAS)
            + "]\n\n"
            '[project.scripts]\ntinyfeat = "tinyfeat.cli:main"\n\n'
            '[dependency-groups]\ndev = ["pytest>=8.0", "ruff>=0.4"]\n\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        ),
        "uv.lock": uv_lock(
            ">=3.9",
            [
                Member(
                    "tinyfeat",
                    ".",
                    [*_LIB_DEPS, *(f"{d}; extra == 'torch'" for d in _LIB_EXTRAS)],
                    ["pytest>=8.0", "ruff>=0.4"],
                )
            ],
            {
                "numpy": "1.26.4",
                "pandas": "2.2.2",
                "torch": "2.3.1",
                "pytest": "8.2.2",
                "ruff": "0.4.10",
            },
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.4.10\n"
            "    hooks:\n      - id: ruff\n"
        ),
        ".github/workflows/test.yml": (
            "name: test\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n"
            "    runs-on: ubuntu-24.04\n    strategy:\n      matrix:\n        python: ['3.9', '3.12']\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v6\n"
            "      - run: uv sync --locked --all-extras --python ${{ matrix.python }}\n"
            "      - run: uv run pytest\n"
        ),
        "docs/usage.md": (
            "# Reading features from S3\n\n```bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
            "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n```\n"
        ),
        "examples/read_s3.py": (
            '"""Example: read a parquet file from S3 with explicit (example) credentials."""\n\n'
            "import boto3\n\n"
            's3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",\n'
            '                  aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")\n'
        ),
        "src/tinyfeat/__init__.py": (
            '"""Small, fast feature transforms."""\n\nfrom tinyfeat.scaling import robust_scale\n\n'
            '__all__ = ["robust_scale"]\n__version__ = "0.4.1"\n'
        ),
        "src/tinyfeat/_compat.py": (
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
            "if TYPE_CHECKING:\n    import polars as pl\n\n"
            "try:\n    import torch\nexcept ImportError:  # optional: pip install 'tinyfeat[torch]'\n    torch = None\n\n"
            "try:\n    import cupy as xp\nexcept ModuleNotFoundError:\n    import numpy as xp\n\n\n"
            "def is_polars(frame: pl.DataFrame | object) -> bool:\n"
            '    return type(frame).__module__.startswith("polars")\n'
        ),
        "src/tinyfeat/scaling.py": (
            '"""Robust scaling.\n\nExample data lives in /home/user/data/ on the docs machine.\n"""\n\n'
            "import numpy as np\nimport pandas as pd\nfrom scipy import stats\n\nfrom . import _compat\nfrom .report import summarise\n\n\n"
            "def robust_scale(frame: pd.DataFrame) -> pd.DataFrame:\n"
            "    median = frame.median()\n    iqr = frame.apply(stats.iqr)\n"
            "    out = (frame - median) / iqr.replace(0, np.nan)\n    summarise(out)\n    return out\n"
        ),
        "src/tinyfeat/report.py": (
            "import pandas as pd\n\n\n"
            "def summarise(frame: pd.DataFrame) -> None:\n"
            '    print(f"tinyfeat: scaled {frame.shape[1]} columns")\n'
        ),
        "src/tinyfeat/binning.py": (
            "import numpy as np\nimport pandas as pd\n\n\n"
            "def quantile_bins(frame: pd.DataFrame, n_bins: int = 10) -> dict:\n"
            '    print(f"tinyfeat: binning {frame.shape[1]} columns into {n_bins} bins")\n'
            "    edges = {c: np.quantile(frame[c].dropna(), np.linspace(0, 1, n_bins + 1)) for c in frame}\n"
            '    print("tinyfeat: binning done")\n'
            "    return edges\n"
        ),
        "src/tinyfeat/torch_ops.py": (
            "def to_tensor(frame):\n    try:\n        import torch\n    except ModuleNotFoundError as exc:\n"
            "        raise ImportError(\"tinyfeat.torch_ops needs PyTorch: pip install 'tinyfeat[torch]'\") from exc\n"
            "    return torch.as_tensor(frame.to_numpy())\n"
        ),
        "src/tinyfeat/cli.py": (
            "import argparse\nimport sys\n\nimport pandas as pd\n\nfrom tinyfeat import robust_scale\n\n\n"
            "def main() -> None:\n    parser = argparse.ArgumentParser()\n    parser.add_argument('csv')\n"
            "    args = parser.parse_args()\n    print(robust_scale(pd.read_csv(args.csv)).to_csv(index=False))\n"
            "    sys.exit(0)\n"
        ),
        "tests/test_scaling.py": (
            "import numpy as np\nimport pandas as pd\n\nfrom tinyfeat import robust_scale\n\n\n"
            "def test_median_is_zero():\n    rng = np.random.default_rng(0)\n"
            '    frame = pd.DataFrame({"a": rng.normal(size=101)})\n'
            '    assert abs(robust_scale(frame)["a"].median()) < 1e-12\n'
        ),
    },
    expected=[
        Expect("TF206", "src/tinyfeat/scaling.py", "from scipy import stats"),
        Expect(
            "TF902",
            "src/tinyfeat/binning.py",
            'print(f"tinyfeat: binning',
            note="progress prints in a library",
        ),
    ],
    lookalikes=[
        Lookalike(
            "TF206",
            "src/tinyfeat/_compat.py",
            "import torch",
            "optional import in try/except ImportError",
        ),
        Lookalike("TF206", "src/tinyfeat/_compat.py", "import polars as pl", "under TYPE_CHECKING"),
        Lookalike(
            "TF205",
            "src/tinyfeat/torch_ops.py",
            "pip install 'tinyfeat[torch]'",
            "an error message",
        ),
        Lookalike(
            "TF301", "examples/read_s3.py", "AKIAIOSFODNN7EXAMPLE", "AWS's documented example key"
        ),
        Lookalike("TF301", "docs/usage.md", "AKIAIOSFODNN7EXAMPLE", "documentation"),
        Lookalike(
            "TF303",
            "src/tinyfeat/scaling.py",
            "/home/user/data/",
            "a placeholder user in a docstring",
        ),
        Lookalike("TF902", "src/tinyfeat/cli.py", "print(robust_scale(", "a CLI's output"),
        Lookalike("TF902", "src/tinyfeat/report.py", "print(", "one print in a reporting function"),
        Lookalike("TF1001", "tests/test_scaling.py", None, "tested"),
        Lookalike("TF1004", "tests/test_scaling.py", "default_rng(0)", "seeded, in tests"),
        Lookalike(
            "TF202", "pyproject.toml", "numpy>=1.24", "a library's ranges, locked by uv.lock"
        ),
        Lookalike(
            "TF803",
            ".github/workflows/test.yml",
            "uv sync --locked --all-extras",
            "installs the lock",
        ),
    ],
)

# ----------------------------------------------------------------------- data-heavy
_POETRY_DEPS = {
    "python": "^3.10",
    "pandas": "^2.1",
    "lightgbm": "^4.1",
    "dvc": '{extras = ["s3"], version = "^3.30"}',
    "dvclive": "^3.0",
    "pyyaml": "^6.0",
    "scikit-learn": "^1.3",
}

DATA_HEAVY = CorpusRepo(
    name="data_heavy_forecast",
    style="data-heavy repository with DVC and git-LFS (Poetry)",
    files={
        "README.md": "# demand-forecast\n\n`dvc pull && dvc repro`\n",
        ".gitignore": GITIGNORE + "/mlruns\n",
        ".gitattributes": "*.parquet filter=lfs diff=lfs merge=lfs -text\n",
        "pyproject.toml": (
            '[tool.poetry]\nname = "demand-forecast"\nversion = "0.3.0"\ndescription = "Weekly demand forecast"\n'
            'authors = ["Data Team <data@example.com>"]\npackages = [{ include = "forecast", from = "src" }]\n\n'
            "[tool.poetry.dependencies]\n"
            + "".join(
                f"{k} = {v if v.startswith('{') else chr(34) + v + chr(34)}\n"
                for k, v in _POETRY_DEPS.items()
            )
            + '\n[tool.poetry.group.dev.dependencies]\npytest = "^7.4"\n\n'
            '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
        ),
        "poetry.lock": poetry_lock(
            {
                "pandas": "2.1.4",
                "lightgbm": "4.1.0",
                "dvc": "3.30.1",
                "dvc-s3": "2.23.0",
                "dvclive": "3.4.1",
                "pyyaml": "6.0.1",
                "pytest": "7.4.3",
                "numpy": "1.26.2",
            },
            "3.10",
        ),
        "params.yaml": "seed: 13\ntrain:\n  n_estimators: 500\n  learning_rate: 0.05\n  num_leaves: 63\n",
        "dvc.yaml": (
            "stages:\n  featurize:\n    cmd: python -m forecast.featurize\n    deps:\n      - data/raw/sales.csv\n"
            "    outs:\n      - data/features.parquet\n  train:\n    cmd: python -m forecast.train\n"
            "    deps:\n      - data/features.parquet\n    params:\n      - train\n    outs:\n      - models/model.pkl\n"
        ),
        "dvc.lock": "schema: '2.0'\nstages: {}\n",
        ".dvc/config": "[core]\n    remote = storage\n['remote \"storage\"']\n    url = s3://acme-dvc-store/forecast\n",
        ".dvcignore": "",
        "data/.gitignore": "/raw/sales.csv\n/features.parquet\n",
        "data/raw/sales.csv.dvc": "outs:\n- md5: 3b1f4c2a9d8e7f6a5b4c3d2e1f0a9b8c\n  size: 48211904\n  hash: md5\n  path: sales.csv\n",
        "models/.gitignore": "/model.pkl\n",
        "models/baseline.parquet": lfs_pointer("baseline", 73400320),
        "models/legacy_model_2022.pkl": binary_blob(6 * 1024 * 1024, "legacy"),
        "src/forecast/__init__.py": "",
        "src/forecast/featurize.py": (
            "import pandas as pd\n\n\n"
            "def main() -> None:\n"
            '    sales = pd.read_csv("data/raw/sales.csv", parse_dates=["week"])\n'
            '    sales["lag_1"] = sales.groupby("sku")["units"].shift(1)\n'
            '    sales.to_parquet("data/features.parquet")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "src/forecast/train.py": (
            '"""Train the LightGBM forecaster; parameters from params.yaml (dvc params)."""\n\n'
            "import joblib\nimport lightgbm as lgb\nimport pandas as pd\nimport yaml\nfrom dvclive import Live\n"
            "from sklearn.model_selection import train_test_split\n\n\n"
            "def main() -> None:\n"
            '    with open("params.yaml") as handle:\n        params = yaml.safe_load(handle)\n'
            '    frame = pd.read_parquet("data/features.parquet")\n'
            "    train, valid = train_test_split(frame, test_size=0.2, shuffle=False)\n"
            "    model = lgb.LGBMRegressor(\n"
            '        n_estimators=params["train"]["n_estimators"],\n'
            "        learning_rate=0.03,\n"
            '        num_leaves=params["train"]["num_leaves"],\n'
            '        random_state=params["seed"],\n    )\n'
            '    model.fit(train.drop(columns=["units"]), train["units"])\n'
            "    with Live() as live:\n"
            '        live.log_params(params["train"])\n'
            '        live.log_metric("valid_mae", float((model.predict(valid.drop(columns=["units"])) - valid["units"]).abs().mean()))\n'
            '    joblib.dump(model, "models/model.pkl")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        ".gitlab-ci.yml": (
            "image: python:3.10.13-slim\n\ntest:\n  script:\n    - pip install .\n    - pip install pytest flake8\n"
            "    - flake8 src\n    - pytest -q\n"
        ),
        "tests/test_featurize.py": "def test_placeholder_lag():\n    assert [None, 1][1] == 1\n",
    },
    expected=[
        Expect("TF203", "poetry.lock", note="scikit-learn declared but not locked"),
        Expect(
            "TF304",
            "src/forecast/train.py",
            "learning_rate=0.03",
            note="params.yaml has learning_rate",
        ),
        Expect("TF102", "models/legacy_model_2022.pkl", note="6 MB model committed to git"),
        Expect("TF803", ".gitlab-ci.yml", "pip install .", note="poetry.lock ignored in CI"),
        Expect("TF805", None, note="CI runs flake8, no hook runs it locally"),
    ],
    lookalikes=[
        Lookalike("TF102", "models/baseline.parquet", None, "a git-LFS pointer"),
        Lookalike("TF103", "data/raw/sales.csv.dvc", None, "the data folder is tracked by DVC"),
        Lookalike(
            "TF402", "src/forecast/featurize.py", "data/raw/sales.csv", "a dvc.yaml stage dep"
        ),
        Lookalike(
            "TF402", "src/forecast/train.py", "data/features.parquet", "a dvc.yaml stage dep"
        ),
        Lookalike(
            "TF304",
            "src/forecast/train.py",
            'n_estimators=params["train"]["n_estimators"]',
            "read from params.yaml",
        ),
        Lookalike("TF1003", "src/forecast/train.py", "shuffle=False", "unshuffled time split"),
        Lookalike(
            "TF1102", "src/forecast/train.py", "with Live() as live:", "tracked with dvclive"
        ),
        Lookalike(
            "TF1204",
            "src/forecast/train.py",
            'joblib.dump(model, "models/model.pkl")',
            "a dvc.yaml stage out",
        ),
        Lookalike("TF202", "pyproject.toml", 'pandas = "^2.1"', "Poetry ranges with poetry.lock"),
        Lookalike("TF204", "pyproject.toml", 'python = "^3.10"', "Poetry's python dependency"),
        Lookalike(
            "TF401", ".dvc/config", "s3://acme-dvc-store", "DVC remote in DVC's config, not code"
        ),
        Lookalike("TF801", ".gitlab-ci.yml", None, "GitLab CI (TF803's finding)"),
    ],
)

# ------------------------------------------------------------- kaggle, not in git
# A competition folder as `kaggle kernels pull` leaves it: never put under git.
KAGGLE_NO_GIT = CorpusRepo(
    name="kaggle_house_prices",
    style="Kaggle competition kernel folder, not a git repository",
    git=False,
    files={
        "kernel-metadata.json": (
            '{\n  "id": "jdoe/house-prices-baseline",\n  "title": "House Prices Baseline",\n'
            '  "code_file": "house-prices-baseline.ipynb",\n  "language": "python",\n'
            '  "kernel_type": "notebook",\n  "is_private": true,\n  "enable_gpu": false,\n'
            '  "competition_sources": ["house-prices-advanced-regression-techniques"]\n}\n'
        ),
        "house-prices-baseline.ipynb": notebook(
            ("markdown", "# House prices: baseline\nRandom forest + CatBoost blend."),
            ("code", "!pip install -q catboost==1.2.5", [stream("Successfully installed\n")]),
            (
                "code",
                "import numpy as np\nimport pandas as pd\n"
                "from catboost import CatBoostRegressor\n"
                "from sklearn.ensemble import RandomForestRegressor\n"
                "from sklearn.model_selection import KFold, train_test_split\n\n"
                "from utils import rmse",
            ),
            (
                "code",
                'train = pd.read_csv("/kaggle/input/house-prices-advanced-regression-techniques/train.csv")\n'
                'test = pd.read_csv("/kaggle/input/house-prices-advanced-regression-techniques/test.csv")\n'
                "train.shape, train.describe().T.head(120)",
                [table(("count", "mean", "std", "min", "max"), 120)],
            ),
            (
                "code",
                "from kaggle_secrets import UserSecretsClient\n\n"
                'wandb_key = UserSecretsClient().get_secret("WANDB_API_KEY")',
            ),
            (
                "code",
                'X = train.select_dtypes("number").drop(columns=["SalePrice"]).fillna(0)\n'
                'y = np.log1p(train["SalePrice"])\n'
                "X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2)",
            ),
            (
                "code",
                "rf = RandomForestRegressor(n_estimators=500, n_jobs=-1)\nrf.fit(X_tr, y_tr)\n"
                "rmse(y_va, rf.predict(X_va))",
                [result("0.1487")],
            ),
            (
                "code",
                "cb = CatBoostRegressor(iterations=2000, learning_rate=0.03, verbose=0)\n"
                "cb.fit(X_tr, y_tr)\nkf = KFold(n_splits=5)\nrmse(y_va, cb.predict(X_va))",
                [result("0.1302")],
            ),
            (
                "code",
                "pred = np.expm1(0.5 * rf.predict(test[X.columns].fillna(0)) + 0.5 * cb.predict(test[X.columns].fillna(0)))\n"
                'pd.DataFrame({"Id": test.Id, "SalePrice": pred}).to_csv("/kaggle/working/submission.csv", index=False)',
            ),
        ),
        "utils.py": (
            "import numpy as np\n\n\n"
            "def rmse(y_true, y_pred) -> float:\n"
            "    return float(np.sqrt(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2)))\n"
        ),
    },
    expected=[
        Expect("TF101", None, note="never put under git"),
        Expect("TF201", None, note="no manifest at all"),
        Expect("TF205", "house-prices-baseline.ipynb", "!pip install -q catboost"),
        Expect("TF104", "house-prices-baseline.ipynb", note="outputs, and nothing will strip them"),
        Expect(
            "TF1003",
            "house-prices-baseline.ipynb",
            "train_test_split(X, y, test_size=0.2)",
            note="unseeded split",
        ),
        Expect(
            "TF1003",
            "house-prices-baseline.ipynb",
            "RandomForestRegressor(n_estimators=500",
            note="unseeded forest",
        ),
        Expect("TF501", None, note="no build configuration"),
        Expect("TF801", None, note="no CI configuration"),
        Expect("TF1001", None, note="no tests"),
        Expect("TF1102", "house-prices-baseline.ipynb", "rf.fit(X_tr", note="no tracking (info)"),
        Expect("TF1103", "house-prices-baseline.ipynb", "rf.fit(X_tr", note="notebook-only (info)"),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike(
            "TF303",
            "house-prices-baseline.ipynb",
            "/kaggle/input/",
            "Kaggle's mount, same on every kernel",
        ),
        Lookalike(
            "TF303", "house-prices-baseline.ipynb", "/kaggle/working/", "Kaggle's output folder"
        ),
        Lookalike(
            "TF301", "house-prices-baseline.ipynb", "get_secret(", "secret read from Kaggle's store"
        ),
        Lookalike(
            "TF1003",
            "house-prices-baseline.ipynb",
            "CatBoostRegressor(",
            "CatBoost's seed is fixed by default",
        ),
        Lookalike(
            "TF1003",
            "house-prices-baseline.ipynb",
            "KFold(n_splits=5)",
            "KFold without shuffle is deterministic",
        ),
        Lookalike(
            "TF402",
            "house-prices-baseline.ipynb",
            "pd.read_csv(",
            "data paths in a notebook (exploration)",
        ),
    ],
)

# ---------------------------------------------------------- lab share, not in git
LAB_SHARE = CorpusRepo(
    name="lab_share_segmentation",
    style="research project folder on a lab's shared drive, not in git",
    git=False,
    files={
        "README.txt": "Customer segmentation (M. Rossi, 2023). python segment.py --input data/customers.csv\n",
        "requirements.txt": "numpy==1.26.4\npandas==2.2.2\nscikit-learn==1.4.2\njoblib==1.4.0\n",
        "data/reference_segments.csv": "segment,label\n0,budget\n1,premium\n2,churn-risk\n",
        "segmentation/__init__.py": "",
        "segmentation/reference.py": (
            '"""Human labels for the segments."""\n\nimport pandas as pd\n\n\n'
            "def load_reference() -> pd.DataFrame:\n"
            '    return pd.read_csv("data/reference_segments.csv")\n'
        ),
        "segment.py": (
            '"""Segment customers and fit a classifier that assigns new ones."""\n\n'
            "import argparse\nimport logging\n\nimport joblib\nimport numpy as np\nimport pandas as pd\n"
            "from sklearn.cluster import KMeans\nfrom sklearn.linear_model import LogisticRegression\n\n"
            "from segmentation.reference import load_reference\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "def main() -> None:\n"
            "    parser = argparse.ArgumentParser()\n"
            '    parser.add_argument("--input", required=True)\n'
            '    parser.add_argument("--k", type=int, default=3)\n'
            '    parser.add_argument("--log-file")\n'
            "    args = parser.parse_args()\n"
            "    if args.log_file:\n"
            "        logging.basicConfig(filename=args.log_file, level=logging.INFO)\n"
            "    frame = pd.read_csv(args.input)\n"
            "    order = np.random.permutation(len(frame))\n"
            "    frame = frame.iloc[order].reset_index(drop=True)\n"
            "    segments = KMeans(n_clusters=args.k, n_init=10, random_state=0).fit_predict(frame)\n"
            "    cut = int(0.8 * len(frame))\n"
            "    clf = LogisticRegression(max_iter=1000)\n"
            "    clf.fit(frame[:cut], segments[:cut])\n"
            '    print("holdout accuracy", clf.score(frame[cut:], segments[cut:]))\n'
            "    print(load_reference().to_string())\n"
            '    joblib.dump(clf, "model.pkl")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
    },
    expected=[
        Expect("TF101", None, note="a folder copied between machines"),
        Expect("TF402", "segmentation/reference.py", "data/reference_segments.csv"),
        Expect("TF806", None, note="hand-pinned requirements, no lock or container (info)"),
        Expect("TF204", None, note="no python version anywhere"),
        Expect("TF1004", "segment.py", "np.random.permutation", note="numpy, no seed anywhere"),
        Expect("TF1102", "segment.py", "clf.fit(", note="no tracking (info)"),
        Expect(
            "TF1204", "segment.py", 'joblib.dump(clf, "model.pkl")', note="fixed name, no metadata"
        ),
        Expect("TF501", None, note="no build configuration"),
        Expect("TF801", None, note="no CI configuration"),
        Expect("TF1001", None, note="no tests"),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike("TF402", "segment.py", "pd.read_csv(args.input)", "path from a CLI argument"),
        Lookalike(
            "TF901",
            "segment.py",
            "basicConfig(filename=args.log_file",
            "file logging only when asked for",
        ),
        Lookalike("TF1003", "segment.py", "KMeans(n_clusters=args.k", "explicit random_state"),
        Lookalike(
            "TF1003",
            "segment.py",
            "LogisticRegression(max_iter=1000)",
            "lbfgs solver is deterministic",
        ),
        Lookalike(
            "TF902", "segment.py", 'print("holdout accuracy"', "a script's main reports its result"
        ),
        Lookalike("TF202", "requirements.txt", "numpy==1.26.4", "every requirement pinned"),
    ],
)

# ------------------------------------------------------------ papermill pipeline
_REPORT_DEPS = [
    "papermill>=2.6",
    "pandas>=2.2",
    "matplotlib>=3.8",
    "nbformat>=5.10",
    "nbconvert>=7.16",
]
_REPORT_DEV = ["pytest>=8.2", "testbook>=0.4"]

PAPERMILL = CorpusRepo(
    name="papermill_reports",
    style="notebook-driven monthly reporting run by papermill",
    files={
        "README.md": "# sales-reports\n\nMonthly: `uv run python -m reports.pipeline --month 2024-06`.\n",
        ".gitignore": GITIGNORE + "/output/\n",
        ".python-version": "3.12\n",
        "pyproject.toml": (
            '[project]\nname = "sales-reports"\ndynamic = ["version"]\nrequires-python = ">=3.12"\n'
            "dependencies = [" + ", ".join(f'"{d}"' for d in _REPORT_DEPS) + "]\n\n"
            "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in _REPORT_DEV) + "]\n\n"
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[tool.hatch.version]\npath = "reports/__init__.py"\n\n'
            '[tool.hatch.build.targets.wheel]\npackages = ["reports"]\n'
        ),
        "uv.lock": uv_lock(
            ">=3.12",
            [Member("sales-reports", ".", _REPORT_DEPS, _REPORT_DEV)],
            {
                "papermill": "2.6.0",
                "pandas": "2.2.2",
                "matplotlib": "3.9.0",
                "nbformat": "5.10.4",
                "nbconvert": "7.16.4",
                "pytest": "8.2.2",
                "testbook": "0.4.2",
                "numpy": "2.0.0",
            },
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/kynan/nbstripout\n    rev: 0.7.1\n"
            "    hooks:\n      - id: nbstripout\n"
        ),
        ".github/workflows/monthly.yml": (
            "name: monthly report\non:\n  schedule:\n    - cron: '0 6 1 * *'\n  push:\n    branches: [main]\n"
            "permissions:\n  contents: read\njobs:\n  report:\n    runs-on: ubuntu-24.04\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v6\n      - run: uv sync\n"
            "      - run: uv run python -m reports.pipeline --month $(date +%Y-%m)\n"
        ),
        "reports/__init__.py": '__version__ = "1.4.0"\n',
        "reports/pipeline.py": (
            '"""Run the monthly report notebooks with this month\'s parameters."""\n\n'
            "import argparse\nfrom pathlib import Path\n\nimport papermill as pm\n\n"
            "from reports.render import to_html\n\n"
            'NOTEBOOKS = ["notebooks/sales.ipynb"]\n\n\n'
            "def main() -> None:\n"
            "    parser = argparse.ArgumentParser()\n"
            '    parser.add_argument("--month", required=True)\n'
            "    args = parser.parse_args()\n"
            '    out = Path("output") / args.month\n    out.mkdir(parents=True, exist_ok=True)\n'
            "    for name in NOTEBOOKS:\n"
            "        target = out / Path(name).name\n"
            '        pm.execute_notebook(name, str(target), parameters={"month": args.month})\n'
            "        to_html(target)\n\n\n"
            'if __name__ == "__main__":\n    main()\n'
        ),
        "reports/render.py": (
            "import subprocess\nfrom pathlib import Path\n\n\n"
            "def to_html(notebook: Path) -> None:\n"
            '    subprocess.run(["jupyter", "nbconvert", "--to", "html", "--execute", str(notebook)], check=True)\n'
        ),
        "reports/export.py": (
            '"""Export an already executed notebook to HTML (nothing is run)."""\n\n'
            "from pathlib import Path\n\nimport nbformat\nfrom nbconvert import HTMLExporter\n\n\n"
            "def export(notebook: Path) -> str:\n"
            "    node = nbformat.read(notebook, as_version=4)\n"
            "    body, _ = HTMLExporter().from_notebook_node(node)\n"
            "    return body\n"
        ),
        "notebooks/helpers.ipynb": notebook(
            (
                "code",
                "import pandas as pd\n\n\ndef monthly_total(frame):\n    return frame.groupby('region')['amount'].sum()",
            ),
        ),
        "notebooks/sales.ipynb": notebook(
            ("code", 'month = "2024-01"  # papermill parameters'),
            ("code", "%run ./helpers.ipynb"),
            (
                "code",
                'frame = pd.read_parquet(f"s3://acme-sales/{month}.parquet")\nmonthly_total(frame).plot.bar()',
            ),
        ),
        "archive/2024-05-sales.ipynb": notebook(
            ("code", 'month = "2024-05"'),
            ("code", "%run ../notebooks/helpers.ipynb"),
            (
                "code",
                "monthly_total(frame).head(160)",
                [table(("north", "south", "east", "west"), 160)],
            ),
        ),
        "tests/test_helpers.py": (
            "from testbook import testbook\n\n\n"
            '@testbook("notebooks/helpers.ipynb", execute=True)\n'
            "def test_monthly_total(tb):\n"
            '    frame = tb.ref("pd").DataFrame({"region": ["a", "a"], "amount": [1, 2]})\n'
            '    assert tb.ref("monthly_total")(frame)["a"] == 3\n'
        ),
    },
    untracked={
        "notebooks/scratch.ipynb": notebook(("code", "1 + 1", [result("2")])),
        "data/sales_2023.csv": "region,amount\n" + "north,10231.5\n" * 450_000,
    },
    expected=[
        Expect(
            "TF1101",
            "reports/pipeline.py",
            "pm.execute_notebook(",
            note="papermill runs the notebook here (imported above)",
        ),
        Expect(
            "TF1101", "reports/render.py", '"--execute"', note="nbconvert --execute via subprocess"
        ),
        Expect(
            "TF104", "archive/2024-05-sales.ipynb", note="executed report committed with outputs"
        ),
        Expect("TF401", "notebooks/sales.ipynb", "s3://acme-sales", note="bucket in a notebook"),
        Expect(
            "TF802", ".github/workflows/monthly.yml", note="CI runs the report, never the tests"
        ),
        Expect("TF804", ".github/workflows/monthly.yml", "uv sync", note="without --locked"),
        Expect("TF103", "data/*", note="6 MB of csv, not ignored, no DVC"),
    ],
    lookalikes=[
        Lookalike("TF1101", "reports/export.py", "HTMLExporter()", "exports without executing"),
        Lookalike(
            "TF1101",
            "notebooks/sales.ipynb",
            "%run ./helpers.ipynb",
            "a notebook running a notebook",
        ),
        Lookalike("TF1101", "tests/test_helpers.py", "@testbook(", "testbook in tests"),
        Lookalike(
            "TF104",
            "notebooks/scratch.ipynb",
            None,
            "uncommitted, and the nbstripout hook strips it",
        ),
        Lookalike(
            "TF502", "pyproject.toml", 'dynamic = ["version"]', "version from reports/__init__.py"
        ),
        Lookalike("TF803", ".github/workflows/monthly.yml", "uv sync", "installs from uv.lock"),
        Lookalike(
            "TF207", "reports/render.py", '"jupyter"', "jupyter ships with the declared nbconvert"
        ),
    ],
)

# -------------------------------------------------------- .env committed (Flask)
_PG_PASSWORD = "pG7" + "wq2LzR9vKd"

DOTENV = CorpusRepo(
    name="flask_sentiment_dotenv",
    style="Flask sentiment service (conda) with its .env committed",
    files={
        "README.md": "# sentiment\n\n`conda env create -f environment.yml && flask run`\n",
        ".gitignore": "__pycache__/\n.env.local\n",
        ".env": (
            "FLASK_APP=app.py\nSENTIMENT_MODEL=distilbert-base-uncased-finetuned-sst-2-english\n"
            f"POSTGRES_PASSWORD={_PG_PASSWORD}\n"
        ),
        ".env.example": "FLASK_APP=app.py\nSENTIMENT_MODEL=\nPOSTGRES_PASSWORD=changeme\n",
        "environment.yml": (
            "name: sentiment\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
            "  - flask=3.0.3\n  - scikit-learn=1.5.0\n  - gunicorn=22.0.0\n  - pip:\n"
            "      - transformers==4.41.2\n      - torch==2.3.1\n"
        ),
        "Dockerfile": (
            "FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\n"
            "RUN conda env update -n base -f environment.yml\n"
            "ARG HF_TOKEN\nENV HF_TOKEN=${HF_TOKEN}\nENV HF_HOME=/models\n"
            "COPY . .\nRUN pip install flask-cors\nEXPOSE 5000\n"
            "CMD gunicorn -b 0.0.0.0:5000 app:app\n"
        ),
        "app.py": (
            "import uuid\n\nfrom flask import Flask, jsonify, request\n"
            "from sklearn.preprocessing import LabelEncoder\nfrom transformers import pipeline\n\n"
            "app = Flask(__name__)\n"
            'classifier = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")\n'
            'LABELS = ["NEGATIVE", "POSITIVE"]\n'
            "JOBS = {}\n\n\n"
            '@app.route("/predict", methods=["POST"])\ndef predict():\n'
            '    texts = request.get_json()["texts"]\n'
            "    return jsonify(classifier(texts))\n\n\n"
            '@app.route("/predict/topic", methods=["POST"])\ndef predict_topic():\n'
            "    payload = request.get_json()\n"
            "    encoder = LabelEncoder()\n"
            '    codes = encoder.fit_transform(payload["categories"])\n'
            "    return jsonify(codes=codes.tolist(), labels=LABELS)\n\n\n"
            '@app.route("/batch", methods=["POST"])\ndef submit_batch():\n'
            "    job_id = str(uuid.uuid4())\n"
            '    JOBS[job_id] = {"status": "queued", "texts": request.get_json()["texts"]}\n'
            "    return jsonify(job_id=job_id)\n\n\n"
            '@app.route("/batch/<job_id>")\ndef batch_status(job_id):\n'
            "    return jsonify(JOBS.get(job_id, {}))\n"
        ),
        "scripts/download_model.py": (
            '"""Bake the model into the image: python scripts/download_model.py"""\n\n'
            "from huggingface_hub import snapshot_download\n\n"
            'snapshot_download("distilbert-base-uncased-finetuned-sst-2-english", local_dir="/models/sst2")\n'
        ),
        "tests/test_app.py": (
            "def test_labels():\n    from app import LABELS\n\n    assert LABELS == ['NEGATIVE', 'POSITIVE']\n"
        ),
    },
    untracked={
        ".env.local": "FLASK_DEBUG=1\n",
        "config/.env.production": "GUNICORN_WORKERS=4\nLOG_LEVEL=info\n",
    },
    expected=[
        Expect("TF506", "Dockerfile", note="deployed with no version anywhere"),
        Expect("TF302", ".env", note="committed"),
        Expect("TF302", "config/.env.production", note="not ignored"),
        Expect("TF301", ".env", "POSTGRES_PASSWORD=", note="password in the committed .env"),
        Expect("TF503", "Dockerfile", "FROM continuumio/miniconda3"),
        Expect("TF504", "Dockerfile", "ENV HF_TOKEN="),
        Expect("TF505", "Dockerfile", "RUN pip install flask-cors"),
        Expect("TF702", "Dockerfile", "CMD gunicorn"),
        Expect("TF701", "app.py", 'classifier = pipeline("sentiment-analysis"'),
        Expect("TF602", "app.py", "JOBS = {}"),
        Expect("TF1201", "app.py", note="no health route, no HEALTHCHECK"),
        Expect("TF1202", "app.py", "def predict():"),
        Expect("TF1202", "app.py", "def predict_topic():"),
        Expect("TF1203", "app.py", "def predict_topic():", note="LabelEncoder fitted per request"),
        Expect("TF801", None, note="no CI configuration"),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike("TF302", ".env.example", None, "a template of placeholders"),
        Lookalike("TF302", ".env.local", None, "untracked and ignored"),
        Lookalike("TF301", ".env.example", "POSTGRES_PASSWORD=changeme", "placeholder"),
        Lookalike("TF201", "environment.yml", None, "a conda environment is a manifest"),
        Lookalike("TF204", "environment.yml", "python=3.11", "python declared in the conda env"),
        Lookalike("TF504", "Dockerfile", "ENV HF_HOME=/models", "a cache path, not a secret"),
        Lookalike("TF602", "app.py", "LABELS = [", "read-only module constant"),
        Lookalike(
            "TF701", "scripts/download_model.py", "snapshot_download(", "a download script's job"
        ),
        Lookalike("TF806", "Dockerfile", None, "a container describes the environment"),
    ],
)

# ------------------------------------------------- FastAPI service, CI gaps
_FRAUD_DEPS = [
    "fastapi>=0.111",
    "uvicorn>=0.30",
    "python-multipart>=0.0.9",
    "pydantic-settings>=2.3",
    "scikit-learn>=1.5",
    "pandas>=2.2",
    "pyarrow>=16",
    "joblib>=1.4",
    "redis>=5.0",
    "confluent-kafka>=2.4",
]
_FRAUD_DEV = ["pytest>=8.2", "httpx>=0.27", "ruff>=0.5"]

FRAUD = CorpusRepo(
    name="fastapi_fraud_ci",
    style="FastAPI + worker service with docker-compose; CI that builds but never tests",
    files={
        "README.md": "# fraud-service\n\n`docker compose up`; train with `python -m fraud.train`.\n",
        ".gitignore": GITIGNORE + "*.joblib\nuploads/\n",
        ".python-version": "3.11\n",
        "pyproject.toml": (
            '[project]\nname = "fraud-service"\nrequires-python = ">=3.11"\n'
            "dependencies = [\n" + "".join(f'    "{d}",\n' for d in _FRAUD_DEPS) + "]\n\n"
            "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in _FRAUD_DEV) + "]\n\n"
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        ),
        "uv.lock": uv_lock(
            ">=3.11",
            [Member("fraud-service", ".", _FRAUD_DEPS, _FRAUD_DEV)],
            {
                "fastapi": "0.111.1",
                "uvicorn": "0.30.1",
                "python-multipart": "0.0.9",
                "pydantic-settings": "2.3.4",
                "pydantic": "2.8.2",
                "scikit-learn": "1.5.1",
                "pandas": "2.2.2",
                "pyarrow": "16.1.0",
                "joblib": "1.4.2",
                "redis": "5.0.7",
                "confluent-kafka": "2.4.0",
                "numpy": "2.0.0",
                "pytest": "8.2.2",
                "httpx": "0.27.0",
                "ruff": "0.5.2",
            },
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.2\n"
            "    hooks:\n      - id: ruff\n"
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  build:\n"
            "    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.11'\n"
            "      - run: pip install -e .\n      - run: pip install ruff\n      - run: ruff check .\n"
            "      - run: docker build -t fraud-service .\n"
        ),
        "Dockerfile": (
            "ARG PYTHON_VERSION=3.11.9\nFROM python:${PYTHON_VERSION}-slim\n"
            "COPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\nWORKDIR /app\n"
            "COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\n"
            "COPY src ./src\nRUN uv sync --locked --no-dev\n"
            "ENV PATH=/app/.venv/bin:$PATH MODEL_PATH=/app/models/model.joblib\n"
            'HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/docs\')"]\n'
            "EXPOSE 8000\n"
            'CMD ["uvicorn", "fraud.api:app", "--host", "0.0.0.0", "--port", "8000"]\n'
        ),
        "Dockerfile.worker": (
            "FROM python:3.11.9-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\nWORKDIR /app\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
            "COPY pyproject.toml uv.lock ./\nCOPY src ./src\nRUN uv sync --locked --no-dev\n"
            "CMD exec /app/.venv/bin/python -m fraud.worker\n"
        ),
        "docker-compose.yml": (
            "services:\n  api:\n    build: .\n    env_file: .env\n    ports: ['8000:8000']\n"
            "  worker:\n    build:\n      context: .\n      dockerfile: Dockerfile.worker\n    env_file: .env\n"
            "  redis:\n    image: redis:7.2-alpine\n"
        ),
        "src/fraud/__init__.py": "",
        "src/fraud/settings.py": (
            "from pathlib import Path\n\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
            "class Settings(BaseSettings):\n"
            '    model_config = SettingsConfigDict(env_prefix="FRAUD_")\n\n'
            '    model_path: Path = Path("models/model.joblib")\n'
            '    scaler_path: Path = Path("models/scaler.joblib")\n'
            '    upload_dir: Path = Path("/var/lib/fraud/uploads")\n'
            '    redis_url: str = "redis://localhost:6379/0"\n'
            '    kafka_servers: str = "localhost:9092"\n\n\n'
            "settings = Settings()\n"
        ),
        "src/fraud/api.py": (
            '"""Fraud scoring API."""\n\n'
            "import shutil\n\nimport joblib\nimport pandas as pd\nfrom fastapi import FastAPI, UploadFile\n"
            "from pydantic import BaseModel\nfrom sklearn.preprocessing import StandardScaler\n\n"
            "from fraud.settings import settings\n\n"
            "app = FastAPI()\n"
            "model = joblib.load(settings.model_path)\n"
            "scaler = joblib.load(settings.scaler_path)\n"
            'print(f"fraud-service: loaded model from {settings.model_path}")\n\n\n'
            "class Transaction(BaseModel):\n    amount: float\n    n_items: int\n    account_age_days: float\n\n\n"
            '@app.post("/predict")\n'
            "def predict(tx: Transaction) -> dict:\n"
            "    frame = pd.DataFrame([tx.model_dump()])\n"
            "    features = StandardScaler().fit_transform(frame)\n"
            '    return {"fraud_probability": float(model.predict_proba(features)[0, 1])}\n\n\n'
            '@app.post("/predict/batch")\n'
            "def predict_batch(rows: list[Transaction]) -> dict:\n"
            "    frame = pd.DataFrame([row.model_dump() for row in rows])\n"
            '    return {"scores": model.predict_proba(scaler.transform(frame))[:, 1].tolist()}\n\n\n'
            '@app.post("/invoices")\n'
            "def upload_invoice(file: UploadFile) -> dict:\n"
            '    with open(f"uploads/{file.filename}", "wb") as out:\n'
            "        shutil.copyfileobj(file.file, out)\n"
            '    return {"stored": file.filename}\n\n\n'
            '@app.post("/invoices/archive")\n'
            "def archive_invoice(file: UploadFile) -> dict:\n"
            '    with open(settings.upload_dir / file.filename, "wb") as out:\n'
            "        shutil.copyfileobj(file.file, out)\n"
            '    return {"archived": file.filename}\n'
        ),
        "src/fraud/worker.py": (
            '"""Extract invoice text for the fraud features; jobs come from a Redis list."""\n\n'
            "import json\nimport logging\nimport shutil\nimport subprocess\n\nimport redis\n\n"
            "from fraud.settings import settings\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "def extract_text(path: str) -> str:\n"
            '    done = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)\n'
            "    return done.stdout\n\n\n"
            "def ocr(path: str) -> str:\n"
            '    if shutil.which("tesseract") is None:\n        return ""\n'
            '    return subprocess.run(["tesseract", path, "stdout"], capture_output=True, text=True).stdout\n\n\n'
            "def main() -> None:\n"
            "    logging.basicConfig(level=logging.INFO)\n"
            "    client = redis.Redis.from_url(settings.redis_url)\n"
            "    while True:\n"
            '        _, raw = client.blpop("invoices")\n'
            "        job = json.loads(raw)\n"
            '        text = extract_text(job["path"]) or ocr(job["path"])\n'
            '        logger.info("invoice %s: %d characters", job["id"], len(text))\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "src/fraud/stream.py": (
            '"""Score transactions from Kafka; stops after the current message on SIGTERM."""\n\n'
            "import json\nimport logging\nimport signal\nimport threading\n\nfrom confluent_kafka import Consumer\n\n"
            "from fraud.settings import settings\n\n"
            "logger = logging.getLogger(__name__)\nstopping = threading.Event()\n\n\n"
            "def main() -> None:\n"
            "    signal.signal(signal.SIGTERM, lambda *_: stopping.set())\n"
            '    consumer = Consumer({"bootstrap.servers": settings.kafka_servers, "group.id": "fraud"})\n'
            '    consumer.subscribe(["transactions"])\n'
            "    while not stopping.is_set():\n"
            "        message = consumer.poll(1.0)\n"
            "        if message is None:\n            continue\n"
            '        logger.info("transaction %s", json.loads(message.value())["id"])\n'
            "    consumer.close()\n\n\n"
            'if __name__ == "__main__":\n    main()\n'
        ),
        "src/fraud/metrics_server.py": (
            '"""Expose the worker\'s counters as text on :9100 for the scraper."""\n\n'
            "from http.server import BaseHTTPRequestHandler, HTTPServer\n\n"
            "COUNTS = {'processed': 0}\n\n\n"
            "class MetricsHandler(BaseHTTPRequestHandler):\n"
            "    def do_GET(self) -> None:\n"
            "        self.send_response(200)\n        self.end_headers()\n"
            "        self.wfile.write(f\"processed {COUNTS['processed']}\\n\".encode())\n\n\n"
            "def serve(port: int = 9100) -> None:\n"
            '    HTTPServer(("0.0.0.0", port), MetricsHandler).serve_forever()\n\n\n'
            'if __name__ == "__main__":\n    serve()\n'
        ),
        "src/fraud/train.py": (
            '"""Train the fraud model: python -m fraud.train"""\n\n'
            "import joblib\nimport pandas as pd\nfrom sklearn.ensemble import HistGradientBoostingClassifier\n"
            "from sklearn.preprocessing import StandardScaler\n\n\n"
            "def main() -> None:\n"
            '    frame = pd.read_parquet("data/transactions.parquet")\n'
            '    features = frame.drop(columns=["is_fraud"])\n'
            "    scaler = StandardScaler().fit(features)\n"
            "    model = HistGradientBoostingClassifier(max_iter=300, random_state=7)\n"
            '    model.fit(scaler.transform(features), frame["is_fraud"])\n'
            '    joblib.dump(model, "models/model.joblib")\n'
            '    joblib.dump(scaler, "models/scaler.joblib")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        # Issue 15, class 14: the challenger is saved through a project helper.
        "src/fraud/artifacts.py": (
            '"""Where the jobs keep their outputs."""\n\n'
            "from pathlib import Path\n\nimport joblib\n\n\n"
            "def save_artifact(obj: object, path: str | Path) -> None:\n"
            "    Path(path).parent.mkdir(parents=True, exist_ok=True)\n"
            "    joblib.dump(obj, path)\n\n\n"
            "def save_report(path: str | Path, text: str) -> None:\n"
            "    Path(path).write_text(text)\n\n\n"
            "def load_artifact(path: str | Path) -> object:\n"
            "    return joblib.load(path)\n"
        ),
        "src/fraud/train_challenger.py": (
            '"""Nightly retraining of the challenger: python -m fraud.train_challenger DATA"""\n\n'
            "import sys\nfrom pathlib import Path\n\nimport pandas as pd\n"
            "from sklearn.ensemble import HistGradientBoostingClassifier\n\n"
            "from fraud.artifacts import load_artifact, save_artifact, save_report\n\n\n"
            "def main() -> None:\n"
            "    frame = pd.read_parquet(sys.argv[1])\n"
            '    champion = load_artifact("models/model.joblib")\n'
            '    print(champion.score(frame.drop(columns=["is_fraud"]), frame["is_fraud"]))\n'
            "    model = HistGradientBoostingClassifier(max_iter=300, random_state=7)\n"
            '    model.fit(frame.drop(columns=["is_fraud"]), frame["is_fraud"])\n'
            '    save_artifact(model, "models/challenger.joblib")\n'
            '    save_report("models/challenger.pkl.txt", str(model.get_params()))\n\n\n'
            "def promote(model_dir: Path) -> None:\n"
            '    save_artifact(load_artifact(model_dir / "challenger.joblib"), model_dir / "model.joblib")\n\n\n'
            'if __name__ == "__main__":\n    main()\n'
        ),
        "tests/test_settings.py": (
            "from fraud.settings import Settings\n\n\n"
            "def test_defaults_are_local():\n"
            '    assert Settings().redis_url.startswith("redis://localhost")\n'
        ),
    },
    untracked={
        ".env": "FRAUD_REDIS_URL=redis://redis:6379/0\n",
        "models/model.joblib": binary_blob(5_500_000, "fraud-model"),
        "models/fraud_v1.onnx": binary_blob(5_500_000, "fraud-onnx"),
        "data/transactions.parquet": binary_blob(5_500_000, "fraud-data"),
    },
    expected=[
        Expect(
            "TF802", ".github/workflows/ci.yml", note="CI lints and builds the image, no pytest"
        ),
        Expect("TF502", "pyproject.toml", note="a package (hatchling) with no version"),
        Expect("TF803", ".github/workflows/ci.yml", "pip install -e .", note="uv.lock ignored"),
        Expect(
            "TF207", "src/fraud/worker.py", '"pdftotext"', note="poppler-utils installed nowhere"
        ),
        Expect("TF402", "src/fraud/train.py", "data/transactions.parquet"),
        Expect("TF601", "src/fraud/api.py", 'open(f"uploads/', note="uploads kept on local disk"),
        Expect("TF703", "src/fraud/worker.py", "while True:", note="redis blpop loop, no SIGTERM"),
        Expect(
            "TF703", "src/fraud/metrics_server.py", "serve_forever()", note="no SIGTERM handler"
        ),
        Expect("TF902", "src/fraud/api.py", 'print(f"fraud-service: loaded model'),
        Expect("TF1202", "src/fraud/api.py", "def predict(tx"),
        Expect("TF1202", "src/fraud/api.py", "def predict_batch("),
        Expect(
            "TF1203", "src/fraud/api.py", "def predict(tx", note="StandardScaler fitted per request"
        ),
        Expect("TF1204", "src/fraud/train.py", 'joblib.dump(model, "models/model.joblib")'),
        Expect(
            "TF1204",
            "src/fraud/train_challenger.py",
            'save_artifact(model, "models/challenger.joblib")',
            note="saved through the project's helper, fixed name",
        ),
        Expect(
            "TF402",
            "src/fraud/train_challenger.py",
            'load_artifact("models/model.joblib")',
            note="read through the project's helper",
        ),
        Expect("TF1102", "src/fraud/train.py", "model.fit(", note="no tracking (info)"),
        Expect("TF102", "models/fraud_v1.onnx", note="5.5 MB model not ignored"),
        Expect("TF103", "data/*", note="5.5 MB of data not ignored, no DVC"),
    ],
    lookalikes=[
        Lookalike("TF102", "models/model.joblib", None, "ignored by *.joblib"),
        Lookalike(
            "TF207",
            "src/fraud/worker.py",
            'shutil.which("tesseract")',
            "looked up first (and apt-installed)",
        ),
        Lookalike(
            "TF503", "Dockerfile", "FROM python:${PYTHON_VERSION}-slim", "ARG default is pinned"
        ),
        Lookalike("TF505", "Dockerfile", "uv sync --locked", "installs the lock"),
        Lookalike("TF203", "uv.lock", None, "lock matches pyproject.toml"),
        Lookalike("TF501", "Dockerfile", None, "a Dockerfile builds the release"),
        Lookalike("TF805", ".pre-commit-config.yaml", None, "ruff hook"),
        Lookalike("TF801", ".github/workflows/ci.yml", None, "CI present (TF802's finding)"),
        Lookalike("TF702", "Dockerfile.worker", "CMD exec ", "shell form with exec"),
        Lookalike("TF702", "Dockerfile", 'CMD ["uvicorn"', "exec form"),
        Lookalike("TF1201", "Dockerfile", "HEALTHCHECK", "health checked by the image"),
        Lookalike(
            "TF1203",
            "src/fraud/api.py",
            "scaler.transform(frame)",
            "the fitted scaler is only applied",
        ),
        Lookalike("TF1203", "src/fraud/train.py", "StandardScaler().fit(", "fitted in training"),
        Lookalike("TF601", "src/fraud/api.py", "settings.upload_dir", "path from configuration"),
        Lookalike("TF703", "src/fraud/stream.py", "consumer.poll(1.0)", "loop stops on SIGTERM"),
        Lookalike("TF602", "src/fraud/api.py", "model = joblib.load", "loaded artifact"),
        Lookalike(
            "TF401", "src/fraud/settings.py", "redis://localhost", "settings default, localhost"
        ),
        Lookalike("TF302", ".env", None, "ignored, read by docker compose"),
        Lookalike(
            "TF803", ".github/workflows/ci.yml", "pip install ruff", "a tool, not the project"
        ),
        Lookalike("TF1003", "src/fraud/train.py", "random_state=7", "seeded"),
        Lookalike(
            "TF1204",
            "src/fraud/train_challenger.py",
            'save_report("models/challenger.pkl.txt"',
            "a helper that writes text, no saver",
        ),
        Lookalike(
            "TF1204",
            "src/fraud/train_challenger.py",
            'model_dir / "model.joblib")',
            "the path is built from the caller's folder",
        ),
        Lookalike(
            "TF402",
            "src/fraud/train_challenger.py",
            'load_artifact(model_dir / "challenger.joblib")',
            "read through the helper from the caller's folder",
        ),
        Lookalike(
            "TF1204",
            "src/fraud/train.py",
            'joblib.dump(scaler, "models/scaler.joblib")',
            "saved next to the model in the same function: one fix, reported with it",
        ),
    ],
)

# ---------------------------------------------------- tests the runner never sees
_EVAL_DEPS = ["numpy>=1.26", "scikit-learn>=1.4"]
_EVAL_ADDED = "scipy>=1.11"  # added to pyproject.toml after the lock was written

UNCOLLECTED = CorpusRepo(
    name="library_evalkit_uncollected",
    style="evaluation library whose tests the configured runner partly never collects",
    files={
        "README.md": "# evalkit\n\nCalibration metrics. `make test`.\n",
        ".gitignore": GITIGNORE,
        ".python-version": "3.11\n",
        "pyproject.toml": (
            '[project]\nname = "evalkit"\nrequires-python = ">=3.10"\n'
            "dependencies = [" + ", ".join(f'"{d}"' for d in [*_EVAL_DEPS, _EVAL_ADDED]) + "]\n\n"
            '[dependency-groups]\ndev = ["pytest>=8.2"]\n\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npython_files = ["test_*.py"]\n'
        ),
        "uv.lock": uv_lock(
            ">=3.10",
            [Member("evalkit", ".", _EVAL_DEPS, ["pytest>=8.2"])],
            {"numpy": "1.26.4", "scikit-learn": "1.5.1", "pytest": "8.2.2"},
        ),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.5.2\n"
            "    hooks:\n      - id: ruff\n"
        ),
        "Makefile": ".PHONY: test\ntest:\n\tuv run pytest -q\n",
        ".github/workflows/ci.yml": (
            "name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n"
            "    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: pip install uv\n      - run: uv sync\n      - run: make test\n"
        ),
        "src/evalkit/__init__.py": '"""Calibration metrics."""\n\nfrom evalkit.metrics import expected_calibration_error\n',
        "src/evalkit/metrics.py": (
            "import numpy as np\n\n\n"
            "def expected_calibration_error(y_true, y_prob, n_bins: int = 10) -> float:\n"
            "    y_true, y_prob = np.asarray(y_true), np.asarray(y_prob)\n"
            "    edges = np.linspace(0, 1, n_bins + 1)\n"
            "    ece = 0.0\n"
            "    for lo, hi in zip(edges[:-1], edges[1:]):\n"
            "        mask = (y_prob > lo) & (y_prob <= hi)\n"
            "        if mask.any():\n"
            "            ece += mask.mean() * abs(y_true[mask].mean() - y_prob[mask].mean())\n"
            "    return float(ece)\n"
        ),
        "src/evalkit/testing.py": (
            '"""Assertion helpers for users\' own test suites."""\n\n'
            "from evalkit.metrics import expected_calibration_error\n\n\n"
            "def assert_calibrated(y_true, y_prob, tolerance: float = 0.05) -> None:\n"
            "    ece = expected_calibration_error(y_true, y_prob)\n"
            '    assert ece <= tolerance, f"ECE {ece:.3f} above {tolerance}"\n'
        ),
        "docs/tutorial.ipynb": notebook(
            ("markdown", "# Tutorial"),
            (
                "code",
                "from evalkit import expected_calibration_error\nexpected_calibration_error([0, 1], [0.1, 0.9])",
                [result("0.1")],
            ),
        ),
        "tests/conftest.py": (
            "import numpy as np\nimport pytest\n\n\n"
            "@pytest.fixture\ndef perfect():\n    return np.array([0, 1, 1]), np.array([0.0, 1.0, 1.0])\n"
        ),
        "tests/helpers.py": (
            "import numpy as np\n\n\n"
            "def noisy_scores(n: int, seed: int = 0):\n"
            "    rng = np.random.default_rng(seed)\n"
            "    return rng.integers(0, 2, n), rng.random(n)\n"
        ),
        "tests/test_metrics.py": (
            "from evalkit import expected_calibration_error\n\n\n"
            "def test_perfect_is_zero(perfect):\n    assert expected_calibration_error(*perfect) == 0.0\n"
        ),
        "tests/check_calibration.py": (
            "from evalkit.testing import assert_calibrated\n\n\n"
            "def test_perfect_scores_pass(perfect):\n    assert_calibrated(*perfect)\n    assert True\n"
        ),
        "tests/binning_test.py": (
            "from evalkit import expected_calibration_error\n\n\n"
            "def test_one_bin_equals_mean_gap():\n"
            "    assert expected_calibration_error([1, 0], [0.5, 0.5], n_bins=1) == 0.0\n"
        ),
    },
    expected=[
        Expect("TF502", "pyproject.toml", note="[project] with no version"),
        Expect("TF203", "uv.lock", note="scipy declared, not locked"),
        Expect("TF1002", "tests/check_calibration.py", note="not test_*.py"),
        Expect("TF1002", "tests/binning_test.py", note="python_files drops *_test.py"),
        Expect("TF804", ".github/workflows/ci.yml", "uv sync", note="without --locked"),
    ],
    lookalikes=[
        Lookalike("TF1002", "tests/helpers.py", None, "helpers, no test functions"),
        Lookalike("TF1002", "tests/conftest.py", None, "fixtures"),
        Lookalike(
            "TF1002", "src/evalkit/testing.py", "def assert_calibrated", "public testing helpers"
        ),
        Lookalike("TF802", "Makefile", "uv run pytest", "CI's `make test` runs pytest"),
        Lookalike("TF805", ".pre-commit-config.yaml", None, "ruff hook"),
        Lookalike("TF501", "pyproject.toml", "[build-system]", "hatchling build"),
        Lookalike("TF803", ".github/workflows/ci.yml", "pip install uv", "installs a tool"),
        Lookalike("TF104", "docs/tutorial.ipynb", None, "docs notebooks keep their outputs"),
        Lookalike("TF1004", "tests/helpers.py", "default_rng(seed)", "explicit generator"),
    ],
)

# ----------------------------------------------------- thesis: git init, no commit
THESIS = CorpusRepo(
    name="thesis_scripts",
    style="a student's analysis scripts: `git init` run, nothing committed, no manifest",
    commit=False,
    files={
        "README.md": "Analysis for chapter 4. Run analysis.py then plots.py.\n",
        "analysis.py": (
            "import pandas as pd\nimport statsmodels.formula.api as smf\n\n"
            'survey = pd.read_csv("survey_clean.csv")\n'
            'fit = smf.ols("score ~ hours + C(group)", data=survey).fit()\n'
            "print(fit.summary())\n"
            'fit.params.to_csv("params.csv")\n'
        ),
        "plots.py": (
            "import matplotlib.pyplot as plt\nimport pandas as pd\n\n"
            'params = pd.read_csv("params.csv", index_col=0)\n'
            'params.plot.barh()\nplt.savefig("fig4_2.pdf")\n'
        ),
        "survey_clean.csv": "score,hours,group\n71,3,a\n64,2,b\n80,5,a\n",
    },
    expected=[
        Expect("TF201", None, note="scripts, no manifest"),
        Expect("TF501", None, note="no build configuration"),
        Expect("TF801", None, note="no CI configuration"),
        Expect("TF1001", None, note="no tests"),
        Expect(
            "TF402",
            "analysis.py",
            'pd.read_csv("survey_clean.csv")',
            note="in the rule's scope: scripts too",
        ),
        Expect(
            "TF402", "plots.py", 'pd.read_csv("params.csv"', note="in the rule's scope: scripts too"
        ),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no CI lint for a hook to mirror"),
        Lookalike("TF101", None, "`git init` was run: a git work tree with nothing committed yet"),
        Lookalike("TF103", "survey_clean.csv", None, "a tiny data file"),
    ],
)


# ---------------------------------------------------------- library with examples
# The false-positive classes of real libraries (huggingface/peft, ultralytics/yolov5,
# microsoft/LightGBM; benchmarks/real/verdicts): examples, demo notebooks, CI images and
# benchmarks that follow the latest release on purpose, and the library's own ranges.
_EXAMPLE_NOTEBOOK = notebook(
    ("code", "!pip install -q peftlite transformers accelerate"),
    (
        "code",
        "import peftlite\nmodel = peftlite.wrap('tiny-model')",
        [result("<Wrapped tiny-model>")],
    ),
)
LIBRARY_EXAMPLES = CorpusRepo(
    name="library_with_examples",
    style="a pip-installed library with examples/, docs/, CI images and a demo Space",
    kind=None,
    files={
        "pyproject.toml": (
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
            '[project]\nname = "peftlite"\nversion = "0.3.0"\nrequires-python = ">=3.10"\n'
            'dependencies = ["torch>=2.1", "numpy>=1.24"]\n'
            'classifiers = ["Programming Language :: Python :: 3", "Intended Audience :: Developers"]\n'
        ),
        "requirements.txt": "torch>=2.1\nnumpy\n",
        "src/peftlite/__init__.py": '"""Parameter-efficient fine-tuning, small."""\n\n__version__ = "0.3.0"\n',
        "src/peftlite/wrap.py": "import torch\n\n\ndef wrap(name: str) -> torch.nn.Module:\n    return torch.nn.Identity()\n",
        "examples/lora/requirements.txt": "transformers\naccelerate>=0.30\ndatasets\n",
        "examples/lora/train.py": (
            "import datasets\nimport peftlite\n\nrows = datasets.load_dataset('imdb')\n"
            "model = peftlite.wrap('tiny-model')\n"
        ),
        "examples/lora/demo.ipynb": _EXAMPLE_NOTEBOOK,
        "docker/peftlite-gpu/Dockerfile": (
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n"
            "RUN pip install git+https://github.com/huggingface/transformers\n"
        ),
        ".ci/requirements-latest.txt": "numpy>=2.0.dev0\ntorch\n",
        "benchmarks/requirements.txt": "pytest-benchmark\n",
        "space/app.py": "import gradio as gr\nimport peftlite\n\ngr.Interface(fn=str, inputs='text', outputs='text').launch()\n",
        "space/requirements.txt": "gradio\npeftlite\n",
        ".github/workflows/deploy_space.yml": (
            "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n"
            "    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: huggingface-cli upload peftlite/demo space/ --repo-type space\n"
        ),
    },
    expected=[
        # The demo Space's requirements are deployed on every push: pinning them matters.
        Expect("TF202", "space/requirements.txt", "gradio", note="deployed by a workflow"),
        Expect("TF1001", None, note="a library with no tests at all"),
    ],
    lookalikes=[
        Lookalike("TF805", None, None, "no pre-commit, but no lint in CI for a hook to mirror"),
        Lookalike("TF202", "pyproject.toml", "torch>=2.1", "a library's own ranges"),
        Lookalike("TF202", "requirements.txt", "numpy", "a library's legacy root requirements"),
        Lookalike("TF202", "examples/lora/requirements.txt", "transformers", "an example's"),
        Lookalike("TF202", ".ci/requirements-latest.txt", "torch", "CI's latest matrix"),
        Lookalike("TF205", "examples/lora/demo.ipynb", "pip install", "a Colab demo's setup"),
        Lookalike("TF104", "examples/lora/demo.ipynb", "Wrapped", "an example's outputs"),
        Lookalike("TF505", "docker/peftlite-gpu/Dockerfile", "git+https", "a CI test image"),
        Lookalike("TF503", "docker/peftlite-gpu/Dockerfile", "FROM", "a CI test image"),
        Lookalike("TF206", "examples/lora/train.py", "import datasets", "an example's import"),
    ],
)

# --------------------------------------------------------------------------- platform
# The well-kept project a year later: a Lambda scorer and a queue worker were added next
# to the API, each with its own copy of the feature code or a resource name in code
# (issue 15, classes 6 and 11).
_PLATFORM_DEPS = [*_KEPT_DEPS, "boto3>=1.34"]
_PLATFORM_FEATURES = (
    '"""Feature code shared by training and serving."""\n\n'
    "import pandas as pd\n\n\n"
    "def preprocess(frame: pd.DataFrame) -> pd.DataFrame:\n"
    "    frame = frame.fillna(0)\n"
    '    frame["charges_per_month"] = frame["charges"] / frame["tenure"].clip(lower=1)\n'
    "    return frame\n"
)
PLATFORM = CorpusRepo(
    name="churn_platform",
    style="well-kept application grown a Lambda scorer and a queue worker",
    files={
        **WELL_KEPT.files,
        "pyproject.toml": str(WELL_KEPT.files["pyproject.toml"]).replace(
            '    "uvicorn>=0.30",\n', '    "uvicorn>=0.30",\n    "boto3>=1.34",\n'
        ),
        "uv.lock": uv_lock(
            ">=3.12",
            [Member("churn-model", ".", _PLATFORM_DEPS, _KEPT_DEV)],
            {
                "pandas": "2.2.2",
                "scikit-learn": "1.5.1",
                "pydantic-settings": "2.3.4",
                "pydantic": "2.8.2",
                "mlflow": "2.14.3",
                "fastapi": "0.111.1",
                "uvicorn": "0.30.1",
                "boto3": "1.34.144",
                "pytest": "8.2.2",
                "ruff": "0.5.2",
                "httpx": "0.27.0",
                "pre-commit": "3.7.1",
                "numpy": "2.0.0",
            },
        ),
        "src/churn_model/features.py": _PLATFORM_FEATURES,
        "research/01_features.ipynb": notebook(
            ("markdown", "# Prototype of the feature stage"),
            ("code", "%pwd", [result("'/workspace/churn/research'")]),
            (
                "code",
                "from churn_model.features import preprocess\nprint('features ready')",
                [stream("features ready\n")],
            ),
        ),
        "src/churn_model/batch_api.py": (
            '"""Batch scoring API: the features are computed here again."""\n\n'
            "import logging\n\nimport joblib\nimport pandas as pd\nfrom fastapi import FastAPI\n\n"
            "from churn_model.config import Settings\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "def preprocess(frame: pd.DataFrame) -> pd.DataFrame:\n"
            '    frame["charges_per_month"] = frame["charges"] / frame["tenure"]\n'
            "    return frame\n\n\n"
            "def create_batch_app(settings: Settings) -> FastAPI:\n"
            "    app = FastAPI()\n"
            '    model = joblib.load(settings.output_dir / "model" / "model.joblib")\n\n'
            '    @app.get("/health")\n    def health() -> dict:\n        return {"status": "ok"}\n\n'
            '    @app.post("/predict/batch")\n    def predict(rows: list[dict]) -> dict:\n'
            "        scores = model.predict_proba(preprocess(pd.DataFrame(rows)))[:, 1].tolist()\n"
            '        logger.info("batch prediction rows=%d scores=%s", len(rows), scores)\n'
            '        return {"scores": scores}\n\n'
            "    return app\n"
        ),
        "src/churn_model/lambda_scorer.py": (
            '"""AWS Lambda entry point scoring one customer."""\n\n'
            "import json\nimport logging\nimport os\n\nimport boto3\nimport joblib\nimport pandas as pd\n\n"
            "logger = logging.getLogger(__name__)\n"
            'sqs = boto3.client("sqs")\n\n\n'
            "def clean_payload(frame: pd.DataFrame) -> pd.DataFrame:\n"
            "    frame = frame.fillna(0)\n"
            '    frame["charges_per_month"] = frame["charges"] / frame["tenure"].clip(lower=1)\n'
            "    return frame\n\n\n"
            "def handler(event, context):\n"
            '    model = joblib.load(os.environ["CHURN_MODEL_PATH"])\n'
            '    frame = clean_payload(pd.DataFrame([json.loads(event["body"])]))\n'
            "    score = float(model.predict_proba(frame)[0, 1])\n"
            '    logger.info("prediction input=%s score=%.4f", event["body"], score)\n'
            '    queue = sqs.get_queue_url(QueueName="churn-scores-prod")["QueueUrl"]\n'
            '    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"score": score}))\n'
            '    return {"statusCode": 200, "body": json.dumps({"score": score})}\n'
        ),
        "src/churn_model/batch_client.py": (
            '"""Client of the batch API, run inside the compose network."""\n\n'
            "import json\nimport urllib.request\n\n"
            'batch_api = "http://batch-api:8001/predict/batch"\n'
            'local_api = "http://localhost:8001/predict/batch"\n\n\n'
            "def score(rows: list[dict]) -> list[float]:\n"
            "    body = json.dumps(rows).encode()\n"
            '    request = urllib.request.Request(batch_api, data=body, headers={"Content-Type": "application/json"})\n'
            "    with urllib.request.urlopen(request, timeout=10) as response:\n"
            '        return json.loads(response.read())["scores"]\n'
        ),
        "src/churn_model/reference.py": (
            '"""Reference data for the drift checks of the batch API."""\n\n'
            "import urllib.request\nfrom pathlib import Path\n\n\n"
            "def fetch_reference() -> Path:\n"
            '    target = Path("/tmp/reference.csv")\n'
            '    urllib.request.urlretrieve("https://data.example.org/churn/reference.csv", target)\n'
            "    return target\n\n\n"
            "def refresh_reference() -> Path:\n"
            "    return fetch_reference()\n\n\n"
            "REFERENCE = fetch_reference()\n"
        ),
        "src/churn_model/worker.py": (
            '"""Queue worker: scores customers with the shared feature code."""\n\n'
            "import json\nimport logging\n\nimport boto3\nimport pandas as pd\n\n"
            "from churn_model.config import Settings\nfrom churn_model.features import preprocess\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            "def drain(settings: Settings, model) -> None:\n"
            '    sqs = boto3.client("sqs")\n'
            '    for message in sqs.receive_message(QueueUrl=settings.queue_url).get("Messages", []):\n'
            '        frame = preprocess(pd.DataFrame([json.loads(message["Body"])]))\n'
            '        logger.info("scored %s", float(model.predict_proba(frame)[0, 1]))\n'
        ),
    },
    expected=[
        Expect(
            "TF1205",
            "src/churn_model/batch_api.py",
            "def preprocess(frame",
            note="the API re-implements the training features",
        ),
        Expect(
            "TF1205",
            "src/churn_model/lambda_scorer.py",
            "def clean_payload(",
            note="a copy of the feature code under another name",
        ),
        Expect(
            "TF401",
            "src/churn_model/lambda_scorer.py",
            'QueueName="churn-scores-prod"',
            note="the production queue named in code",
        ),
        Expect(
            "TF401",
            "src/churn_model/batch_client.py",
            'batch_api = "http://batch-api',
            note="a compose service address in a module variable",
        ),
        Expect(
            "TF701",
            "src/churn_model/reference.py",
            "REFERENCE = fetch_reference()",
            note="a module-level call of a helper that downloads",
        ),
    ],
    lookalikes=[
        Lookalike(
            "TF1205", "src/churn_model/features.py", "def preprocess(", "the training definition"
        ),
        Lookalike(
            "TF104", "research/01_features.ipynb", None, "two lines of output: `%pwd`, a log"
        ),
        Lookalike(
            "TF1205",
            "src/churn_model/worker.py",
            "from churn_model.features import preprocess",
            "imports the shared feature code",
        ),
        Lookalike(
            "TF401", "src/churn_model/worker.py", "QueueUrl=settings.queue_url", "from settings"
        ),
        Lookalike(
            "TF401",
            "src/churn_model/lambda_scorer.py",
            "QueueUrl=queue",
            "a queue url looked up, not written",
        ),
        Lookalike("TF401", "src/churn_model/batch_client.py", "local_api = ", "localhost default"),
        Lookalike(
            "TF701",
            "src/churn_model/reference.py",
            "return fetch_reference()",
            "called inside a function, not at import",
        ),
    ],
)


# --------------------------------------------------------------------------- library metadata
# The library a release later: pandas and PyYAML moved to the dev group by mistake while
# the package's __init__ still imports them (issue 15: install metadata incomplete
# compared with the package's imports).
_META_DEPS = ["numpy>=1.24"]
_META_DEV = ["pytest>=8.0", "ruff>=0.4", "pandas>=2.0", "pyyaml>=6.0"]
LIBRARY_METADATA = CorpusRepo(
    name="library_tinyfeat_metadata",
    style="a small library whose install metadata lost two runtime dependencies",
    kind="library",
    files={
        **LIBRARY.files,
        "pyproject.toml": (
            '[project]\nname = "tinyfeat"\nversion = "0.5.0"\nrequires-python = ">=3.9"\n'
            "dependencies = [" + ", ".join(f'"{d}"' for d in _META_DEPS) + "]\n\n"
            "[project.optional-dependencies]\ntorch = ["
            + ", ".join(f'"{d}"' for d in _LIB_EXTRAS)
            + "]\n\n"
            '[project.scripts]\ntinyfeat = "tinyfeat.cli:main"\n\n'
            "[dependency-groups]\ndev = [" + ", ".join(f'"{d}"' for d in _META_DEV) + "]\n\n"
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        ),
        "uv.lock": uv_lock(
            ">=3.9",
            [
                Member(
                    "tinyfeat",
                    ".",
                    [*_META_DEPS, *(f"{d}; extra == 'torch'" for d in _LIB_EXTRAS)],
                    _META_DEV,
                )
            ],
            {
                "numpy": "1.26.4",
                "pandas": "2.2.2",
                "pyyaml": "6.0.2",
                "torch": "2.3.1",
                "pytest": "8.2.2",
                "ruff": "0.4.10",
            },
        ),
        "src/tinyfeat/__init__.py": (
            '"""Small, fast feature transforms."""\n\n'
            "import pandas as pd\nimport yaml\n\nfrom tinyfeat.scaling import robust_scale\n\n"
            '__all__ = ["robust_scale", "pd", "yaml"]\n__version__ = "0.5.0"\n'
        ),
    },
    expected=[
        *LIBRARY.expected,
        Expect("TF208", "src/tinyfeat/__init__.py", "import pandas as pd", note="dev group only"),
        Expect("TF208", "src/tinyfeat/__init__.py", "import yaml", note="dev group only"),
    ],
    lookalikes=[
        Lookalike(
            "TF208",
            "src/tinyfeat/scaling.py",
            "import pandas as pd",
            "a module, reported once at the package's __init__",
        ),
        Lookalike("TF208", "src/tinyfeat/_compat.py", "import torch", "optional: try/except"),
    ],
)


REPOS: tuple[CorpusRepo, ...] = (
    LIBRARY_EXAMPLES,
    KAGGLE,
    RESEARCH,
    FASTAPI,
    FLASK,
    MONOREPO,
    WELL_KEPT,
    LIBRARY,
    DATA_HEAVY,
    KAGGLE_NO_GIT,
    LAB_SHARE,
    PAPERMILL,
    DOTENV,
    FRAUD,
    UNCOLLECTED,
    THESIS,
    PLATFORM,
    LIBRARY_METADATA,
    *recall_repos(WELL_KEPT, _KEPT_DEV),
)
