"""How a call is joined to the project helper it names (`rules/_project_calls.py`)."""

from __future__ import annotations

from twelvefold.rules._project_calls import Helper, HelperCall, resolve


def _call(target: str) -> HelperCall:
    return HelperCall(target, target, ((0, "model.pkl"),), (), 3, 1, None, None, "function 1")


def test_calls_resolve_by_module_not_by_name_alone() -> None:
    helpers = {
        "src/churn/utils.py": [Helper("save_object", 0, "path")],
        "scripts/utils.py": [Helper("save_object", 0, "path")],
    }
    calls = {
        "src/churn/train.py": [
            _call("churn.utils.save_object"),  # src layout, absolute
            _call(".utils.save_object"),  # relative
            _call("mlem.api.save_object"),  # a library's function of that name
        ],
        "scripts/export.py": [_call("utils.save_object")],  # a sibling script's module
        "tools/export.py": [_call("utils.save_object")],  # no `utils.py` beside it
        "src/churn/utils.py": [_call("save_object")],  # a bare name: the same file's
    }
    found = resolve(calls, helpers)
    assert {path: [(c.target, where) for c, _, where in hits] for path, hits in found.items()} == {
        "src/churn/train.py": [
            ("churn.utils.save_object", "src/churn/utils.py"),
            (".utils.save_object", "src/churn/utils.py"),
        ],
        "scripts/export.py": [("utils.save_object", "scripts/utils.py")],
        "src/churn/utils.py": [("save_object", "src/churn/utils.py")],
    }
