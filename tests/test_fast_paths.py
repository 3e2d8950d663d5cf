"""The shortcuts that keep a cold run cheap give the same answers as the slow way.

Each shortcut (one remembered AST walk, typed node lists, literal prefilters, the import
search that skips expressions, the windowed URL prefilter) is checked against the plain
computation it replaces, on code shaped to catch a wrong order or a missed branch.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from twelvefold.rule import LiteralsOr, LiteralsThen, literal_prefilter, passes_prefilter
from twelvefold.rules._pyast import nodes, walk
from twelvefold.rules.f02_dependencies.undeclared_import import _required_imports
from twelvefold.rules.f04_backing_services.hard_coded_service_endpoint import (
    _PREFILTER as ENDPOINT_PREFILTER,
)

from tests.helpers import findings

MODULE = '''
"""Doc."""
import os, sys as system
from collections import OrderedDict

try:
    import ujson as json
except ImportError:
    import json
    from simplejson import loads
else:
    import orjson
finally:
    import atexit

if TYPE_CHECKING:
    import pandas
else:
    import numpy

with suppress(ImportError):
    import rich

class Model:
    import torch

    def fit(self, x, y=lambda v: [i for i in v if i]):
        import sklearn.svm
        for item in x:
            import tqdm
        else:
            import time
        while True:
            from . import sibling
            break
        match y:
            case {"a": 1}:
                import yaml
            case _:
                import toml
        async def inner():
            async with lock:
                import aiohttp
        return {k: v for k, v in x.items()}
'''


def test_walk_is_ast_walk_in_the_same_order() -> None:
    tree = ast.parse(MODULE)
    expected = [node for node in ast.walk(tree) if not isinstance(node, ast.expr_context)]
    assert [id(node) for node in walk(tree)] == [id(node) for node in expected]
    assert walk(tree) is walk(tree)  # remembered, not walked again


@pytest.mark.parametrize("node_type", [ast.Call, ast.Import, ast.Constant, ast.FunctionDef])
def test_nodes_of_a_type_keep_walk_order(node_type: type[ast.AST]) -> None:
    tree = ast.parse(MODULE)
    expected = [node for node in ast.walk(tree) if type(node) is node_type]
    assert expected
    assert nodes(tree, node_type) == expected


def _required_imports_by_full_walk(tree: ast.AST) -> list[str]:
    """The search as it was: every child node, expressions included."""
    from twelvefold.rules.f02_dependencies.undeclared_import import (
        _catches_import_error,
        _is_type_checking,
        _suppresses_import_error,
    )

    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
            return
        if isinstance(node, ast.ImportFrom):
            if not node.level:
                found.append(node.module or "")
            return
        children: list[ast.AST]
        if isinstance(node, ast.Try) and _catches_import_error(node):
            children = [*node.handlers, *node.orelse, *node.finalbody]
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            children = list(node.orelse)
        elif isinstance(node, ast.With) and any(
            _suppresses_import_error(item.context_expr) for item in node.items
        ):
            return
        else:
            children = list(ast.iter_child_nodes(node))
        for child in children:
            visit(child)

    visit(tree)
    return found


def test_import_search_skipping_expressions_finds_what_a_full_walk_finds() -> None:
    tree = ast.parse(MODULE)
    names = [
        alias
        for node in _required_imports(tree)
        for alias in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
        )
    ]
    assert names == _required_imports_by_full_walk(tree)
    # The branches that must be searched are; the guarded ones are not.
    assert {"json", "simplejson", "orjson", "atexit", "numpy", "torch", "yaml", "toml"} <= set(
        names
    )
    assert {"aiohttp", "sklearn.svm", "tqdm", "time"} <= set(names)
    assert not {"ujson", "pandas", "rich"} & set(names)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (rb"\.fit\(|\.train\(|mlflow", (b".fit(", b".train(", b"mlflow")),
        (rb"papermill|nbclient", (b"papermill", b"nbclient")),
        (rb"FileHandler|filename\s*=", None),  # a class: stays a regex
        (rb"(?im)^\s*from\s", None),  # flags and anchors: stays a regex
        (rb"a[bc]|d", None),
        (rb"x{2}|y", None),
    ],
)
def test_literal_prefilter(pattern: bytes, expected: tuple[bytes, ...] | None) -> None:
    compiled = re.compile(pattern)
    converted = literal_prefilter(compiled)
    if expected is None:
        assert converted is compiled
        return
    assert converted == expected
    for data in (b"model.fit(x)", b"no match here", b"import mlflow", b"papermill.run"):
        assert passes_prefilter(converted, data) == bool(compiled.search(data))


def test_registered_rules_keep_literal_regexes_as_tuples() -> None:
    from twelvefold.registry import all_rules

    notebook_runner = all_rules()["TF1101"]
    assert isinstance(notebook_runner.prefilter, tuple)
    assert b"papermill" in notebook_runner.prefilter


def test_endpoint_prefilter_finds_an_internal_url_after_many_public_links() -> None:
    links = b"".join(b'# see "https://huggingface.co/docs/page%d"\n' % i for i in range(500))
    assert not ENDPOINT_PREFILTER.search(links)
    deep = links + b'URL = "http://10.0.0.12:8080/predict"\n'
    assert ENDPOINT_PREFILTER.search(deep)
    assert ENDPOINT_PREFILTER.search(links + b'uri = "postgresql+psycopg2://db.corp/x"\n')


def test_endpoint_rule_still_reports_a_url_at_the_end_of_a_long_file(tmp_path: Path) -> None:
    links = "".join(f'"""See https://huggingface.co/docs/page{i}."""\n' for i in range(300))
    code = links + 'MLFLOW_URL = "http://10.1.2.3:5000"\n'
    found = findings(tmp_path, "TF401", {"pipeline.py": code})
    assert [(f.code, f.line) for f in found] == [("TF401", 301)]


def test_settings_class_precheck_keeps_fields_of_a_config_class(tmp_path: Path) -> None:
    # Not training code (no fit/backward, name not train*): parsed only because of the class.
    files = {
        "pkg/settings.py": "class TrainConfig:\n    lr: float = 0.1\n",
        "pkg/train.py": "import torch\noptimizer = torch.optim.SGD(params, lr=0.05)\n",
    }
    found = findings(tmp_path, "TF304", files)
    assert [(f.code, f.path) for f in found] == [("TF304", "pkg/train.py")]


def _all_prefilters() -> list[object]:
    from twelvefold.registry import all_rules
    from twelvefold.rule import FACTS, FileRule

    rules = [cls.prefilter for cls in all_rules().values() if issubclass(cls, FileRule)]
    return rules + [fact.prefilter for fact in FACTS.values()]


def _prefilter_samples() -> list[bytes]:
    """Bytes that hold each literal of every prefilter alone, at the start, at the end and
    in the middle, in other case, and this repository's own modules."""
    samples = [b"", b"x = 1\n"]
    for prefilter in _all_prefilters():
        words = (prefilter,) if isinstance(prefilter, bytes) else prefilter
        if isinstance(prefilter, LiteralsOr | LiteralsThen):
            words = prefilter.literals
        if isinstance(words, tuple):
            for word in words:
                samples += [word, b"# " + word, word + b"\n", b"a" + word.upper() + b"b"]
                samples.append(b"y = 2\n" * 50 + word[:-1])  # all but its last byte
    root = Path(__file__).resolve().parents[1] / "checker" / "twelvefold"
    samples += [path.read_bytes() for path in sorted(root.rglob("*.py"))]
    return samples


def _own_test(prefilter: object, data: bytes) -> bool:
    """The prefilter's own test, never an answer the one scan remembered."""
    from twelvefold.pattern_sets import SetPrefilter

    if isinstance(prefilter, SetPrefilter):
        prefilter.remember(b"", False)  # forget the one scan's answer for `data`
    return passes_prefilter(prefilter, data)


def test_one_scan_answers_every_prefilter_as_its_own_test() -> None:
    pytest.importorskip("re2")
    from twelvefold.scan import Prefilters

    prefilters = _all_prefilters()
    scan = Prefilters(prefilters)
    assert scan._ids, "the literals are in one set"
    for data in _prefilter_samples():
        passes = scan.verdict(data).passes
        answers = [passes(p) for p in prefilters]
        assert answers == [_own_test(p, data) for p in prefilters]


def test_one_scan_remembers_each_set_prefilters_own_answer() -> None:
    # The set prefilters rules ask inside their checks (TF301's key words, a library
    # module's seeding) are answered by the one scan too, for the bytes it read.
    pytest.importorskip("re2")
    from twelvefold.pattern_sets import SET_PREFILTERS, pattern_set
    from twelvefold.rules.f03_config import hard_coded_secret
    from twelvefold.scan import Prefilters

    scan = Prefilters(_all_prefilters())
    grouped = [prefilter for prefilter, _, _ in scan._groups]
    assert hard_coded_secret._PREFILTER in grouped
    assert len(grouped) == len([p for p in SET_PREFILTERS if p.patterns])
    for data in _prefilter_samples():
        scan.verdict(data)._scan()
        for prefilter in grouped:
            remembered = prefilter.search(data)
            found = set(pattern_set(prefilter.patterns).Match(data) or ())
            assert remembered == prefilter.decide_numbers(found)
            if data:  # (b"" is one object)
                copy = bytes(bytearray(data))  # equal bytes, another object: its own scan
                assert copy is not data and prefilter.search(copy) == remembered


#: Bytes around the two provider patterns with a shape (`://`, `hf_`): connection strings
#: with and without a password, Unicode in the password, a scheme alone, tokens of each
#: length around the pattern's, and the assignments TF301's code scan reads.
SHAPED_SAMPLES = [
    b'DB = "postgres://u:Zq8v@db/x"\nkey = "AKIA0123"',
    b"url = 'mysql://admin:p\xc3\xa4ss\xe2\x80\xafw0rd@10.0.0.3:3306/db'",
    b"# see https://www.apache.org/licenses/LICENSE-2.0\n",
    b"redis://:secretpw@cache:6379/0 and amqp://guest:guest@rabbit//",
    b"x = 'http://user@host/path' # no password",
    b"conn = 'postgresql://u:pa@h'  # too short a password",
    b"s3://bucket/key:with:colons@2x.png",
    b"token = 'hf_" + b"A1b2C3d4E5" * 3 + b"Zz12'",
    b"from huggingface_hub import hf_hub_download\nhf_configs = load()\n",
    b"HF = 'hf_" + b"x" * 19 + b"'",
    b"HF = 'hf_" + b"x" * 40 + b"'",
    b'api_key = "sk9Xq2Lm7Vn4Bz8Wc1Rt6Yp3Hd5Js0Kf"',
    b"PASSWORD\xc2\xa0=\xe3\x80\x80'Tr0ub4dor&3xKq9Zm'",
    b'self.tokenizer_class = "BertTokenizer"\n',
    b"password=get_password()\n",
]


def test_one_scan_remembers_the_secret_patterns_a_file_may_hold() -> None:
    # TF301's secret scan takes the provider patterns the one scan found possible in a
    # file's bytes instead of a pass of its own: a pattern without a shape by its literals,
    # exactly; one with a shape whenever its regex matches a line of the text (the shape
    # may say more, never less).
    pytest.importorskip("re2")
    from twelvefold.detectors.secrets import PATTERNS
    from twelvefold.rules.f03_config import hard_coded_secret
    from twelvefold.scan import Prefilters

    scan = Prefilters(_all_prefilters())
    samples = [*_prefilter_samples(), *SHAPED_SAMPLES]
    held = shaped = 0
    for data in samples:
        scan.verdict(data)._scan()
        found = hard_coded_secret._PREFILTER.anchors_in(data)
        assert found is not None
        lines = data.decode("utf-8", "replace").splitlines()
        for pattern in PATTERNS:
            anchors = {anchor.decode() for anchor in pattern.anchors}
            if pattern.shape is None:
                present = {anchor for anchor in anchors if anchor.encode() in data}
                assert found & anchors == present
                held += bool(present)
            elif any(pattern.regex.search(line) for line in lines):
                assert anchors <= found, (pattern.id, data[:80])
                shaped += 1
        assert hard_coded_secret._PREFILTER.anchors_in(bytes(bytearray(data))) is None or not data
    assert held > 10 and shaped >= 5


def test_one_scan_says_whether_code_may_assign_a_secret() -> None:
    # A Python or JavaScript file whose bytes hold no provider pattern and no assignment
    # to a secret-named key is not split into lines by TF301: the one scan must find every
    # line `scan_lines` would read as such an assignment.
    pytest.importorskip("re2")
    from twelvefold.detectors.secrets import _assigning_lines
    from twelvefold.rules.f03_config import hard_coded_secret
    from twelvefold.scan import Prefilters

    scan = Prefilters(_all_prefilters())
    samples = [*_prefilter_samples(), *SHAPED_SAMPLES, *(line.encode() for line in SECRET_LINES)]
    assigning = 0
    for data in samples:
        scan.verdict(data)._scan()
        text = "\n".join(data.decode("utf-8", "surrogateescape").splitlines())
        if _assigning_lines(text):
            assert hard_coded_secret._PREFILTER.assigns_in(data), data[:80]
            assigning += 1
        assert hard_coded_secret._PREFILTER.assigns_in(bytes(bytearray(data))) or not data
    assert assigning > 10


def test_secret_scan_skips_code_only_where_it_would_find_nothing() -> None:
    # Code the one scan clears is not scanned: TF301 reports on each sample what it
    # reports when the one scan did not read the file (and so cannot clear it).
    pytest.importorskip("re2")
    from twelvefold.registry import all_rules
    from twelvefold.rules.f03_config import hard_coded_secret
    from twelvefold.scan import Prefilters
    from twelvefold.sources import SourceFile

    rule = all_rules()["TF301"]()
    scan = Prefilters(_all_prefilters())
    samples = [*SHAPED_SAMPLES, *(line.encode() for line in SECRET_LINES)]
    reported = 0
    for number, data in enumerate([*samples, *_prefilter_samples()]):
        for path, kind in ((f"pkg/m{number}.py", "python"), (f"web/m{number}.js", "javascript")):
            scanned = SourceFile(path, kind, data)
            scanned.repo_kind, scanned.role = "application", "package"
            scan.verdict(data)._scan()
            with_scan = [(v.line, v.message) for v in rule.check(scanned)]
            hard_coded_secret._PREFILTER.remember(b"", False)  # forget the one scan
            alone = SourceFile(path, kind, data)
            alone.repo_kind, alone.role = "application", "package"
            assert with_scan == [(v.line, v.message) for v in rule.check(alone)], data[:80]
            reported += bool(with_scan)
    assert reported >= 10


def test_without_re2_every_prefilter_is_tested_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from twelvefold.scan import Prefilters

    monkeypatch.setitem(sys.modules, "re2", None)  # `import re2` raises ImportError
    prefilters = _all_prefilters()
    scan = Prefilters(prefilters)
    assert not scan._ids
    for data in _prefilter_samples()[:200]:
        passes = scan.verdict(data).passes
        assert [passes(p) for p in prefilters] == [passes_prefilter(p, data) for p in prefilters]


#: Lines the key-word scan of code must read alike with and without its RE2 pass: camelCase
#: keys, a key word only in a comment beside a secret-named key, annotations, Unicode
#: spaces that Python's `\s` takes, subscripts, string prefixes and dict entries.
SECRET_LINES = [
    'privateKey = "Zq8vR2mXk4Tn7Wp1Ls5Hd9Jc"',
    'hf_tok = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"  # token for the hub',
    'api_key: Final[str] = "sk9Xq2Lm7Vn4Bz8Wc1Rt6Yp3Hd5Js0Kf"',
    "token\u00a0=\u3000'Gh7Km2Qx9Vb4Wn8Zr1Lt6Yp3'",
    'os.environ["OPENAI_API_KEY"] = "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34"',
    "PASSWORD  :  str  =  r'Tr0ub4dor&3xKq9Zm'",
    'config = {"access_token": b"Yh5Tg2Rf8Ed4Ws1Qa7Zx3Cv9", "tokenizer": "bert-base"}',
    "tokenizer = AutoTokenizer.from_pretrained('bert-base-cased')",
    "pad_token_id = config.pad_token_id",
    'secret\x1f= "Mn4Bv8Cx2Zl6Kj0Hg5Fd9Sa"',
    'passphrase = "correct-horse-battery-staple-9Zq"  # password',
    '"""Docs: token = "not-a-line-of-code-but-scanned-9Kq2"."""',
]


def test_secret_scan_of_code_is_the_same_with_and_without_re2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twelvefold.detectors import secrets

    fast = list(secrets.scan_lines(SECRET_LINES, code=True))
    assert len(fast) >= 8  # the lines above are mostly secrets
    monkeypatch.setattr(secrets, "_secret_assignment", lambda: None)
    assert list(secrets.scan_lines(SECRET_LINES, code=True)) == fast


#: A library module whose only URL the endpoint prefilter finds is in a docstring's
#: example (transformers' `proxies` argument): nothing to parse it for.
PROXIES_DOCSTRING = '''
def cached_file(path, proxies=None):
    """Args:
        proxies (`dict[str, str]`, *optional*): servers by protocol or endpoint, e.g.,
            `{'http': 'foo.bar:3128', 'http://hostname': 'foo.bar:4012'}`.
    """
    return path
'''


@pytest.mark.parametrize(
    ("code", "may"),
    [
        (PROXIES_DOCSTRING, False),
        ("# the server runs at http://trainer:8080/ during the course\n", False),
        ('URL = "http://10.0.0.12:8080/predict"\n', True),
        ('URL = "  http://trainer:8080/predict"\n', True),  # `_endpoint` strips the value
        ('URL = f"http://trainer:{PORT}/predict"\n', True),
        ('URL = "\\\nhttp://trainer:8080/"\n', True),  # an escaped line break: no space
        ('HOST = "10.0.0.12"\n' + PROXIES_DOCSTRING, True),  # a service literal
        (PROXIES_DOCSTRING + 'client = Client("http://trainer:8080")\n', True),
    ],
)
def test_endpoint_rule_parses_only_a_module_that_may_hold_an_endpoint(code: str, may: bool) -> None:
    from twelvefold.rules.f04_backing_services.hard_coded_service_endpoint import (
        _may_hold_an_endpoint,
    )

    assert ENDPOINT_PREFILTER.search(code.encode()) or not may
    assert _may_hold_an_endpoint(code.encode(), "utf-8") is may


def test_endpoint_rule_reports_a_url_after_a_docstring_example(tmp_path: Path) -> None:
    code = PROXIES_DOCSTRING + 'TRAINER = "http://trainer:8080/fit"\n'
    found = findings(tmp_path, "TF401", {"pipeline.py": code})
    assert [(f.code, f.line) for f in found] == [("TF401", 8)]


@pytest.mark.parametrize(
    ("code", "named"),
    [
        ("model = AutoModel.from_pretrained(NAME)\n", True),
        ("x = fetch_openml('iris')\n", True),
        ("éfrom_pretrained(x)\n", True),  # Python says no name here; the RE2 pass may say yes
        ("x = reload_model(path)\nhubert = 1\n", False),  # parts of longer names
        ("x = ''\n", False),
    ],
)
def test_download_word_test_never_says_less_than_the_pattern(code: str, named: bool) -> None:
    pytest.importorskip("re2")
    from twelvefold.rules.f07_disposability.download_at_import import (
        _CALL_WORDS,
        _CALL_WORDS_CLI,
        _names_a_word,
    )

    for words in (_CALL_WORDS, _CALL_WORDS_CLI):
        assert _names_a_word(words, code) is named
        assert named or words.search(code) is None
        assert not words.search(code) or _names_a_word(words, code)
