"""Look-alikes from the twenty-fourth session: what a gate must not fail on, from the
held-out sets judged so far; each failing on the session's start (`7105d32`)."""

from __future__ import annotations

from pathlib import Path

from twelvefold.model import Severity

from tests.helpers import findings

# --------------------------------------------------------------------------- TF302

_HADOOP_SETTINGS = """CORE_CONF_fs_defaultFS=hdfs://namenode:9000
HBASE_CONF_hbase_rootdir=hdfs://namenode:9000/hbase
HBASE_CONF_hbase_cluster_distributed=false
HBASE_MANAGES_ZK=true
"""


def test_tf302_a_named_settings_file_is_a_warning_not_an_error(tmp_path: Path) -> None:
    # omshivarjun/traffic-prediction's `hbase-distributed-local.env`: the stock settings
    # file of a Hadoop stack's images, committed on purpose, no secret in it. Still
    # reported (the name invites a filled-in copy), as a warning a gate does not fail on.
    files = {"hbase-distributed-local.env": _HADOOP_SETTINGS, "app/train.py": "print(1)\n"}
    found = findings(tmp_path / "repo", "TF302", files)
    assert [(f.path, f.severity) for f in found] == [
        ("hbase-distributed-local.env", Severity.WARNING)
    ]


def test_tf302_a_named_env_file_holding_a_secret_is_still_an_error(tmp_path: Path) -> None:
    files = {
        "hbase-distributed-local.env": _HADOOP_SETTINGS + "HBASE_ADMIN_PASSWORD=Qz7vK2mW9xLp\n",
        "app/train.py": "print(1)\n",
    }
    found = findings(tmp_path / "repo", "TF302", files)
    assert [(f.path, f.severity) for f in found] == [
        ("hbase-distributed-local.env", Severity.ERROR)
    ]
