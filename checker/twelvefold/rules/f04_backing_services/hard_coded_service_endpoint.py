"""TF401 hard-coded-service-endpoint: host, IP or URL of a backing service hard-coded in code."""

from __future__ import annotations

import ast
import bisect
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from twelvefold import kinds
from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity, Violation
from twelvefold.pattern_sets import SetPrefilter
from twelvefold.project import kind as project_kind
from twelvefold.project import roles as role
from twelvefold.project.knowledge import API_EXAMPLE_KEYS
from twelvefold.repo import Repo
from twelvefold.rule import FileRule, LiteralsOr
from twelvefold.rules._code_text import STRING_OR_COMMENT
from twelvefold.rules._pyast import (
    constant_str,
    docstring_nodes,
    dotted,
    import_aliases,
    is_main_guard,
    nodes,
    qualified,
    walk,
)
from twelvefold.sources import PythonSource, SourceFile

#: Schemes of databases, brokers and stores: any non-local host in them is a service.
_SERVICE_SCHEMES = lazy_compile(
    r"^(?:postgres(?:ql)?|mysql|mariadb|mssql|oracle|cockroachdb|redshift|snowflake|clickhouse|"
    r"mongodb(?:\+srv)?|redis|rediss|amqps?|kafka|nats|cassandra|neo4j(?:\+s)?|bolt|"
    r"elasticsearch|memcached|grpcs?|tcp|zookeeper)(?:\+[\w-]+)?$",
    re.IGNORECASE,
)


#: Object stores: the bucket is the service, whatever follows.
_BUCKET_SCHEMES = frozenset(
    {"s3", "s3a", "s3n", "gs", "gcs", "az", "abfs", "abfss", "wasb", "wasbs", "oss", "r2"}
)


_LOCAL_HOSTS = frozenset(
    {
        *("localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]", "host.docker.internal", ""),
        # the placeholder host of an in-process test client (Starlette's TestClient,
        # httpx's `ASGITransport` with `base_url="http://test"`): no machine is reached
        *("testserver", "test"),
    }
)


_INTERNAL_SUFFIXES = (
    ".internal",
    ".local",
    ".lan",
    ".corp",
    ".intranet",
    ".svc",
    ".cluster.local",
    ".home",
    ".private",
    ".intra",
)


#: Client constructors and connection functions whose endpoint argument names a service.
#: Keywords (and positional hosts) that hold a bare host name rather than a URL.
_HOST_KEYWORDS = frozenset({"host", "hosts", "bootstrap_servers", "endpoint"})


_POSITIONAL_HOST = frozenset(
    {
        "MongoClient",
        "AsyncIOMotorClient",
        "Elasticsearch",
        "QdrantClient",
        "ConnectionParameters",
        "Minio",
    }
)


_CLIENTS: dict[str, tuple[int | None, tuple[str, ...]]] = {
    # last name of the call: (positional index of the endpoint, endpoint keywords)
    "set_tracking_uri": (0, ("uri",)),
    "set_registry_uri": (0, ("uri",)),
    "MlflowClient": (0, ("tracking_uri", "registry_uri")),
    "create_engine": (0, ("url",)),
    "create_async_engine": (0, ("url",)),
    "Redis": (None, ("host",)),
    "StrictRedis": (None, ("host",)),
    "from_url": (0, ("url",)),
    "MongoClient": (0, ("host",)),
    "AsyncIOMotorClient": (0, ("host",)),
    "Elasticsearch": (0, ("hosts",)),
    "QdrantClient": (0, ("url", "host")),
    "KafkaProducer": (None, ("bootstrap_servers",)),
    "KafkaConsumer": (None, ("bootstrap_servers",)),
    "ConnectionParameters": (0, ("host",)),
    "URLParameters": (0, ()),
    "Celery": (None, ("broker", "backend")),
    "Minio": (0, ("endpoint",)),
    "client": (None, ("endpoint_url",)),  # boto3.client("s3", endpoint_url=...)
    "resource": (None, ("endpoint_url",)),
    "connect": (None, ("host", "dsn")),  # psycopg2/pymysql/mysql.connector.connect
    "HttpClient": (None, ("host",)),  # chromadb
}


#: Plain HTTP calls: only internal endpoints (private IPs, cluster names) are services here.
_HTTP_CALLS = frozenset(
    {
        "requests.get",
        "requests.post",
        "requests.put",
        "requests.request",
        "requests.delete",
        "httpx.get",
        "httpx.post",
        "httpx.Client",
        "httpx.AsyncClient",
        "urllib.request.urlopen",
        "aiohttp.ClientSession",
    }
)


_CONSTANT_NAME = lazy_compile(
    r"(?:^|_)(?:URI|URL|HOST|HOSTS|HOSTNAME|ENDPOINT|DSN|BROKER|BROKERS|SERVER|SERVERS|BUCKET|CONN|CONNECTION|DATABASE)(?:$|_)",
    re.IGNORECASE,
)


#: Constant names that say the value is a backing service: any non-local host counts.
_SERVICE_NAME = lazy_compile(
    r"TRACKING|MLFLOW|DSN|DATABASE|(?:^|_)DB(?:$|_)|REDIS|MONGO|POSTGRES|MYSQL|KAFKA|BROKER|RABBIT|ELASTIC|QDRANT|FEAST",
    re.IGNORECASE,
)


#: Constant names that say the value is a bare host name: the host word ends the name
#: (`DB_HOST`, `KAFKA_BROKERS`); `SERVER_INFO_STORE_TYPE` or `API_SERVER_NAME` hold names.
_HOST_NAME = lazy_compile(
    r"(?:^|_)(?:HOST|HOSTNAME|HOSTS|SERVER|SERVERS|BROKER|BROKERS)$", re.IGNORECASE
)


#: Calls whose string arguments are defaults read from configuration, never hard-codes.
_DEFAULT_GETTERS = frozenset(
    {
        "getenv",
        "get",
        "environ.get",
        "Field",
        "add_argument",
        "option",
        "Option",
        "setdefault",
        "env",
        "str",
        "config",
    }
)


_URL_PREFILTER = lazy_compile(
    rb"(?:s3[an]?|gs|gcs?|abfss?|wasbs?|az|oss|r2|postgres(?:ql)?|mysql|mariadb|mssql|oracle|"
    rb"cockroachdb|redshift|snowflake|clickhouse|mongodb|rediss?|amqps?|kafka|nats|cassandra|"
    rb"neo4j|bolt|elasticsearch|memcached|grpcs?|tcp|zookeeper)(?:\+[\w-]+)?://"
    rb"|(?:https?|wss?)://(?:\d|\[|[\w-]+[:/'\"]|[\w.-]+\.(?:internal|local|lan|corp|intranet|svc|home|private|intra)\b)"
)


#: Clients and constant names that take a bare host or a public host.
_SERVICE_LITERALS = (
    b"set_tracking_uri",
    b"set_registry_uri",
    b"MlflowClient",
    b"TRACKING",
    b"tracking_uri",
    b"host=",
    b"host =",
    b"hosts=",
    b"hosts =",
    b"bootstrap_servers",
    b"MongoClient",
    b"ConnectionParameters",
    b"Minio(",
    b"QdrantClient",
    b"Elasticsearch(",
    b"HOST",
    b"SERVER",
    b"DSN",
    b"DATABASE",
    b"DB_",
    b"BROKER",
    b"ENDPOINT",
    b"REDIS",
    b"MONGO",
    b"KAFKA",
    b"Bucket=",
    b"boto3",
    b"bigquery",
    b"read_gbq",
    b"to_gbq",
    b"topic_path",
    b"subscription_path",
    b"entity=",
)


def _url_near_a_scheme(data: bytes) -> bool:
    """The URL regex, tried only around each `://`: it has no literal to anchor on, so
    searching a whole file with many links costs more than every other prefilter."""
    start = data.find(b"://")
    while start != -1:
        if _URL_PREFILTER.search(data, max(0, start - 64), start + 256) is not None:
            return True
        start = data.find(b"://", start + 3)
    return False


class _UrlPrefilter(SetPrefilter):
    """`_URL_PREFILTER` anywhere in a file: a pattern of the run's one scan (RE2 tries
    it in the same linear pass as every other), else `_url_near_a_scheme`."""

    patterns = (_URL_PREFILTER.pattern,)

    def decide_numbers(self, numbers: set[int]) -> bool:
        return bool(numbers)

    def fallback(self, data: bytes) -> bool:
        return _url_near_a_scheme(data)

    def __call__(self, data: bytes) -> bool:
        return self.search(data)


#: Literal tests first (one multi-pattern scan); the URL test only without any of them.
_PREFILTER = LiteralsOr(_SERVICE_LITERALS, _UrlPrefilter())

#: `STRING_OR_COMMENT` over bytes: where a URL the prefilter found sits.
_STRING_OR_COMMENT = lazy_compile(STRING_OR_COMMENT.pattern.encode(), STRING_OR_COMMENT.flags)


def _may_hold_an_endpoint(data: bytes, encoding: str) -> bool:
    """Whether a Python module's bytes may give a finding, decided before the parse: a
    service literal, or a URL of the prefilter's that is not in a comment, nor in a
    string after other words (a docstring's `{'http://hostname': 'foo.bar:4012'}`): such
    a string's value holds a space after stripping, and `_endpoint` takes none. Most
    modules of a library that pass the prefilter do so for such a docstring only."""
    if any(literal in data for literal in _SERVICE_LITERALS):
        return True
    spans: list[tuple[int, int]] | None = None
    start = data.find(b"://")
    while start != -1:
        for hit in _URL_PREFILTER.finditer(data, max(0, start - 64), start + 256):
            if spans is None:
                spans = [found.span() for found in _STRING_OR_COMMENT.finditer(data)]
            if not _in_prose(data, encoding, hit.start(), spans):
                return True
        start = data.find(b"://", start + 3)
    return False


def _in_prose(data: bytes, encoding: str, position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` is in a comment, or in a string whose text before it holds a
    space after other text (no backslash there: an escaped line break is no space)."""
    index = bisect.bisect_right(spans, (position, len(data) + 1)) - 1
    if index < 0 or not spans[index][0] <= position < spans[index][1]:
        return False  # code
    start = spans[index][0]
    if data[start : start + 1] == b"#":
        return True
    quotes = 3 if data[start : start + 3] in (b'"""', b"'''") else 1
    before = data[start + quotes : position]
    if b"\\" in before:
        return False
    # As `_endpoint` reads the value: `str.strip`, then any `str.isspace` character.
    words = before.decode(encoding, "replace").lstrip()
    return any(character.isspace() for character in words)


#: A host name (RFC 1123 labels; `_` tolerated, as container and service names use it).
#: Host names that stand for "your host here" in examples and templates.
_PLACEHOLDER_HOSTS = frozenset(
    {"host", "hostname", "server", "example", "your-host", "yourhost", "myhost", "domain", "ip"}
)
#: An HTTP(S) address with an explicit port (`http://fastapi:8000/...`) or a private IP:
#: a single-label host without a port is too often a placeholder (`http://host/`).
_SERVICE_ADDRESS = lazy_compile(
    r"(?:https?|wss?)://(?:[\w.-]+:\d{2,5}(?:[/?#]|$)|(?:10|172|192)\.\d+\.\d+\.\d+(?:[:/?#]|$))"
)
_HOSTNAME = lazy_compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")


#: Buckets a cloud provider publishes for every user: Vertex AI's schema files
#: (`gs://google-cloud-aiplatform/schema/modelevaluation/...yaml`), Google Cloud's code
#: samples' data (`gs://cloud-samples-data/...`); also `gcp-public-data-*` datasets.
_PUBLISHED_BUCKETS = frozenset({"google-cloud-aiplatform", "cloud-samples-data"})
#: A bucket or container name of an object store.
_BUCKET_NAME = lazy_compile(r"[\w.-]+(?::\d+)?")


#: An opt-out of a vendor's usage telemetry (`BENTOML_DO_NOT_TRACK`, `do_not_track()`):
#: the public URL next to it is where the vendor collects statistics, not a service the
#: deploy attaches.
_TELEMETRY_OPT_OUT = lazy_compile(r"do_not_track\b", re.IGNORECASE)


#: A cloud provider's public API, the same for every deploy (the bucket or project the
#: client then names is what a deploy chooses): Google's `storage.googleapis.com` (its
#: S3-compatible endpoint included), AWS's S3 endpoints.
_PROVIDER_API = lazy_compile(r"(?:[\w-]+\.)*googleapis\.com|s3(?:[.-][\w-]+)?\.amazonaws\.com")


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address, or None for a name. An address starts with a digit
    (IPv4) or holds a colon (IPv6): other names skip the parser's two attempts."""
    if not (host[0].isdigit() or ":" in host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _host_kind(host: str) -> str | None:
    """'an IP address' / 'an internal host' / 'a host' for non-local hosts, None if local
    or a provider's public API."""
    host = host.strip("[]").lower()
    if (
        _PROVIDER_API.fullmatch(host)
        or host in _LOCAL_HOSTS
        or host.startswith("127.")
        or not host
        or "{" in host
        or "$" in host
        or "<" in host
    ):
        return None
    address = _ip_address(host)
    if address is None:
        if len(host) > 253 or not _HOSTNAME.fullmatch(host):
            return None  # `(` from `r"https://(?:huggingface\.co|...)"`: not a machine
        if "." not in host or host.endswith(_INTERNAL_SUFFIXES):
            return "an internal host"
        return "a host"
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        # Link-local: the cloud instance-metadata service (`169.254.169.254`), the same
        # address on every machine of every cloud, never a deploy's backing service.
        return None
    return "a private IP" if address.is_private else "an IP address"


def _endpoint(value: str, *, public_ok: bool, bare_host_ok: bool) -> str | None:
    """Why `value` is a hard-coded endpoint (for the message), or None.

    Database/broker URLs with a non-local host and object-store buckets always count.
    HTTP URLs and bare host names count when they name a private IP or an internal host;
    a public host counts only where the context says it is a service (`public_ok`: a
    tracking or database client, a `TRACKING_URI`-like constant), so documentation and
    public dataset URLs stay quiet. Bare host names (no scheme) are only read where the
    context expects a host (`host=`, `DB_HOST`).
    """
    value = value.strip()
    if not value or len(value) > 500 or any(c.isspace() for c in value):
        return None
    if "://" not in value:
        if not bare_host_ok:
            return None
        host = value.split(",")[0]
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        if not re.fullmatch(r"[\w.\-\[\]:]+", host) or _names_a_key(host):
            return None
        kind = _host_kind(host)
        if kind is None or (kind == "a host" and not public_ok):
            return None
        return f"{kind} `{host}`"
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in _BUCKET_SCHEMES:
        bucket = parts.netloc.split("@")[-1]
        if not bucket or not _BUCKET_NAME.fullmatch(bucket):
            return None  # a placeholder (`{bucket}`, `$BUCKET`, `<bucket>`) or a regex
        if bucket in _PUBLISHED_BUCKETS or bucket.startswith("gcp-public-data"):
            return None  # a provider's published files, the same for every deploy
        return f"the bucket `{scheme}://{bucket}`"
    kind = _host_kind(host)
    if kind is None:
        return None
    if _SERVICE_SCHEMES.match(scheme):
        return f"{kind} `{host}` ({scheme})"
    if scheme in ("http", "https", "ws", "wss", "grpc") and (public_ok or kind != "a host"):
        return f"{kind} `{host}`"
    return None


#: A comment telling the reader to put their own value there: `# TODO: Replace with your
#: bucket`, `# change this to your own host`.
_REPLACE_WITH_YOURS = lazy_compile(
    r"#.*\b(?:replace|change|set|update|use)\b.{0,40}\byour\b", re.IGNORECASE
)


def _said_to_be_replaced(file: SourceFile, line: int | None) -> bool:
    """Whether the line's comment says the value is the reader's to replace
    (feast-workshop's `path="s3://feast-workshop-danny/..."  # TODO: Replace with your
    bucket`): a placeholder the workshop tells its learners to swap, not an endpoint."""
    if not line or line > len(file.lines):
        return False
    text = file.lines[line - 1]
    return "#" in text and _REPLACE_WITH_YOURS.search(text) is not None


def _names_a_key(host: str) -> bool:
    """Whether a bare "host" is an identifier rather than an address: an environment
    variable or dict key (`_MLFLOW_SERVER_JOB_ID`, `api_server`). Host names have no
    underscores (RFC 1123), so a value with one is a name given in code."""
    return "_" in host


def _literal(node: ast.expr | None) -> str | None:
    """A string literal, or the literal start of an f-string (`f"s3://bucket/{key}"`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            rest = node.values[1:3]
            if (
                _ENDS_AT_A_PASSWORD.match(first.value)
                and len(rest) == 2
                and isinstance(rest[1], ast.Constant)
                and isinstance(rest[1].value, str)
                and rest[1].value.startswith("@")
            ):
                # `f"postgresql://user:{password}@postgres:5432/db"`: the host follows the
                # password the code fills in, not the user before it.
                return first.value + "***" + rest[1].value
            return first.value
    return None


#: A URL's start that ends where its password goes: `postgresql://fraud_user:`.
_ENDS_AT_A_PASSWORD = lazy_compile(r"[a-z][\w+.-]*://[^/@\s:]+:\Z", re.IGNORECASE)


def _fallback_of_a_configured_call(
    call: ast.Call, name: str, parents: _Parents, aliases: dict[str, str]
) -> bool:
    """Whether `call` is the other branch of an `if` whose branch makes the same call with
    a configured value (`if settings.EC2 != "YOUR_EC2": set_tracking_uri(f"http://
    {settings.EC2}:5000") else: set_tracking_uri("http://mlflow:5000")`): the literal is
    the local default for when the setting is left unset."""
    statement: ast.AST | None = call
    while statement is not None and not isinstance(statement, ast.stmt):
        statement = parents.get(id(statement))
    branch = parents.get(id(statement)) if statement is not None else None
    if not isinstance(branch, ast.If):
        return False
    other = branch.orelse if statement in branch.body else branch.body
    for node in (inner for part in other for inner in ast.walk(part)):
        if (
            isinstance(node, ast.Call)
            and node is not call
            and qualified(node.func, aliases) == name
            and node.args
            and not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))
        ):
            return True
    return False


class _Parents:
    """`id(child) -> parent node`, worked out on the first question: most files that pass
    the prefilter ask none, and the map costs a walk of the whole tree."""

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._map: dict[int, ast.AST] | None = None

    def get(self, key: int) -> ast.AST | None:
        if self._map is None:
            self._map = {
                id(child): node for node in walk(self._tree) for child in ast.iter_child_nodes(node)
            }
        return self._map.get(key)


_EXAMPLE_NAME = lazy_compile(r"example", re.IGNORECASE)


#: Calls that show a value to a person, not a client that connects: Prefect's artifacts
#: (`create_link_artifact(link="s3://ml-models/model.pkl")`, a link in its UI) and the
#: text fields of a form, whose default the person edits (Streamlit's
#: `st.text_input("image_uri", value="s3://bucket/demo.png")`, Gradio's `Textbox`).
_SHOWN_TO_A_PERSON = frozenset(
    {
        "create_link_artifact",
        "create_markdown_artifact",
        "create_table_artifact",
        "text_input",
        "text_area",
        "Textbox",
    }
)


#: MLflow's dataset constructors: their `source=` records where the data came from (a
#: DVC remote's `gs://` URL) in the run's lineage; nothing connects to it.
_LINEAGE_RECORDS = frozenset(
    {"from_pandas", "from_numpy", "from_spark", "from_huggingface", "from_polars", "from_arrow"}
)


def _shown_to_a_person(literal: ast.AST, parents: _Parents) -> bool:
    """Whether the literal is an argument of a call that only shows it (`_SHOWN_TO_A_PERSON`)
    or records it as a dataset's lineage (`mlflow.data.from_pandas(df, source="gs://...")`)."""
    parent = parents.get(id(literal))
    keyword = parent.arg if isinstance(parent, ast.keyword) else None
    if isinstance(parent, ast.keyword):
        parent = parents.get(id(parent))
    if not isinstance(parent, ast.Call):
        return False
    last = dotted(parent.func).rsplit(".", 1)[-1]
    return last in _SHOWN_TO_A_PERSON or (keyword == "source" and last in _LINEAGE_RECORDS)


def _in_api_example(literal: ast.AST, parents: _Parents) -> bool:
    """Whether the literal is part of an API's documented example request
    (`"value": {"uri": "s3://company-docs/annual.pdf"}` under `examples`, or in a
    constant named like `INGEST_REQUEST_EXAMPLES`): shown to readers, never used."""
    child: ast.AST = literal
    for _ in range(40):  # examples nest a few dicts deep; a module is no deeper
        parent = parents.get(id(child))
        if parent is None:
            return False
        if isinstance(parent, ast.keyword) and parent.arg in API_EXAMPLE_KEYS:
            return True
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if value is child and constant_str(key) in API_EXAMPLE_KEYS:
                    return True
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return any(
                isinstance(target, ast.Name) and _EXAMPLE_NAME.search(target.id)
                for target in targets
            )
        child = parent
    return False


class HardCodedServiceEndpoint(FileRule):
    """## What it does
    Reports backing services whose address is written into code:

    * endpoints passed to clients and connection functions -
      `mlflow.set_tracking_uri("http://10.0.0.5:5000")`,
      `create_engine("postgresql://app@db-prod/churn")`, `redis.Redis(host="10.1.2.3")`,
      `MongoClient("mongodb://mongo.internal")`, `boto3.client("s3", endpoint_url=...)`,
      `KafkaConsumer(bootstrap_servers="kafka-1:9092")`;
    * module-level constants named like endpoints (`TRACKING_URI`, `DB_HOST`,
      `REDIS_URL`, `BUCKET`...) holding one, and any module-level name holding the
      address of a compose service or a private machine with its port
      (`backend = "http://fastapi:8000/segmentation"`, `"http://10.0.0.7/predict"`);
    * object-store buckets (`s3://company-bucket/...`, `gs://...`, boto3's
      `Bucket="company-bucket"` and `s3.download_file("company-bucket", ...)`), and HTTP
      calls (`requests.post`) to private IPs or internal host names;
    * other resources of one deploy named in code: boto3's `QueueName=`, `QueueUrl=`,
      `StreamName=`, `DeliveryStreamName=`, `TableName=`, `TopicArn=`; a BigQuery table
      id (`client.query("SELECT ... FROM `acme-prod.sales.orders`")`,
      `get_table("acme-prod.sales.orders")`); a Pub/Sub `topic_path("acme-prod",
      "scores")`; the W&B account of the runs (`wandb.init(entity="alice")`,
      `WandbLogger(entity=...)`).

    Fine: `localhost`/`127.0.0.1` (a development default), the placeholder host of an
    in-process test client (`http://testserver`, `http://test`), link-local addresses (the cloud
    instance-metadata service at `169.254.169.254`), values read from the
    environment or settings (`os.getenv("MLFLOW_TRACKING_URI", "http://localhost:5000")`,
    defaults of settings classes and CLI options, a constant read only as such a
    default, the fallback of `os.getenv("X") or "s3://..."` or of a setting,
    `self.REDIS_URL or "redis://redis:6379"`), URLs in docstrings,
    comments and tests, buckets in an API's documented example requests
    (`openapi_examples=`, `openapi_extra=`, `json_schema_extra=`, an `examples` key, a
    constant named like `INGEST_REQUEST_EXAMPLES`), values shown to a person (a Prefect
    artifact's link, the default of a form's text field: `st.text_input("image_uri",
    value="s3://bucket/demo.png")`, Gradio's `Textbox`), a dataset's lineage recorded in a
    run (`mlflow.data.from_pandas(df, source="gs://dvc-remote/data")`), patterns given to `re.*` (`re.compile(r"https://(?:arxiv[.]org|...)")`),
    a vendor's usage-telemetry URL in a module with a `*_DO_NOT_TRACK` opt-out, public
    URLs such as documentation links and well-known public dataset downloads
    (`https://archive.ics.uci.edu/...`, `https://github.com/...`) and a cloud
    provider's own API (`https://storage.googleapis.com`, an S3 endpoint): they name a
    published resource that does not change between deploys. A checkpoint or dataset
    bucket in a configuration module (`configs/`, `settings.py`), or anywhere in a
    research release (the record of where its data was built), is the run's
    configuration; a database or broker host there is still reported. In a library, the
    `if __name__ == "__main__":` block of a package module is its developer's smoke test,
    which the library's users never run: not reported. Scripts (`scripts/`,
    `examples/`...) and an application's notebooks are checked too: a notebook pointed
    at the production database is still wired to it. Not a notebook made for Colab
    (Colab's metadata, an "Open in Colab" link): Colab runs it by hand, a demo reading
    the published dataset's bucket.

    ## Why is this bad?
    A deploy should differ from another only in config. With the host in code, the
    staging service writes to the production database, a moved tracking server means a
    code change and a release, and local runs cannot use a local container.

    ## Example
    ```python
    mlflow.set_tracking_uri("http://10.0.0.5:5000")
    engine = create_engine("postgresql://ml@db-prod.internal/features")
    ```

    ## Use instead
    ```python
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    engine = create_engine(settings.database_url)
    ```
    """

    code = "TF401"
    name = "hard-coded-service-endpoint"
    factor = 4
    severity = Severity.WARNING
    roles = role.OWN_CODE
    summary = "Host, IP or URL of a backing service hard-coded in code"
    fix = "Read the address from the environment or a settings object (os.environ['...'], settings.database_url)."
    kinds = frozenset({kinds.PYTHON, kinds.NOTEBOOK})
    prefilter = _PREFILTER

    def group(self, findings: list[Finding], repo: Repo) -> list[Finding]:
        """One finding per address per file: the same bucket written on twenty lines of a
        module (`f"s3://qudo-datascience/{key}"` in each loader) is one value to move to
        the configuration. The first line is reported, the others named with it."""
        same: dict[tuple[str | None, str], list[Finding]] = {}
        for finding in findings:
            same.setdefault((finding.path, finding.message), []).append(finding)
        kept = []
        for (_, message), found in same.items():
            first, *others = sorted(found, key=lambda f: f.line or 0)
            if others:
                first = replace(
                    first,
                    message=f"{message} (and on {len(others)} more line"
                    f"{'s' if len(others) > 1 else ''})",
                    related=tuple((f.line, "the same address") for f in others if f.line),
                )
            kept.append(first)
        return kept

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.kind == kinds.PYTHON and not _may_hold_an_endpoint(file.data, file.encoding):
            return
        found = self._found(file)
        if file.kind == kinds.PYTHON:
            found = (v for v in found if not _said_to_be_replaced(file, v.line))
        if file.repo_kind != project_kind.LIBRARY or file.role != role.PACKAGE:
            yield from found
            return
        # A library module's `if __name__ == "__main__":` block is its developer's smoke
        # test (nanotron's eval runner loading a checkpoint from the team's bucket): the
        # library's users never run it.
        python = file.python
        tree = python.tree if python is not None else None
        spans = [
            (node.lineno, node.end_lineno or node.lineno)
            for node in (tree.body if tree is not None else [])
            if is_main_guard(node)
        ]
        for violation in found:
            line = violation.line or 0
            if not any(start <= line <= end for start, end in spans):
                yield violation

    def _found(self, file: SourceFile) -> Iterator[Violation]:
        if kinds.is_test_path(file.path):
            return
        if file.kind == kinds.NOTEBOOK and (
            file.repo_kind != project_kind.APPLICATION
            or (file.notebook is not None and file.notebook.made_for_colab)
        ):
            # A course's or a study's notebook shows the instructor's own bucket on
            # purpose; an application's notebook may be a pipeline step, unless it is
            # made for Colab, which runs it by hand (a demo reading the published
            # dataset's bucket: judged noise in every real repository that had one).
            return
        python = file.python
        if python is None or python.tree is None:
            return
        tree = python.tree
        aliases = import_aliases(tree)
        docstrings = docstring_nodes(tree)
        parents = _Parents(tree)
        reported: set[int] = set()
        client_modules = _ClientModules.of(aliases)
        # 1. Endpoints passed to service clients.
        for node in nodes(tree, ast.Call):
            name = qualified(node.func, aliases)
            last = name.rsplit(".", 1)[-1]
            candidates: list[tuple[ast.expr, bool]] = []  # (argument, may hold a bare host)
            public_ok = False
            if last == "from_url" and "redis" not in name.lower():
                continue
            if last == "connect" and name.split(".")[0] in ("sqlite3", "duckdb", "lancedb"):
                continue
            if last in _CLIENTS:
                position, keywords = _CLIENTS[last]
                if position is not None and len(node.args) > position:
                    candidates.append((node.args[position], last in _POSITIONAL_HOST))
                candidates.extend(
                    (k.value, k.arg in _HOST_KEYWORDS) for k in node.keywords if k.arg in keywords
                )
                public_ok = True
            elif name in _HTTP_CALLS:
                candidates.extend((arg, False) for arg in node.args[:1])
                candidates.extend(
                    (k.value, False) for k in node.keywords if k.arg in ("url", "base_url")
                )
            for resource, what in _named_resources(node, name, last, client_modules):
                reported.add(id(resource))
                yield self._violation(
                    python, resource, f"`{_call_text(name)}` uses {what} written in the code"
                )
            for bucket, bucket_name in _bucket_arguments(node, last, client_modules.boto3):
                reported.add(id(bucket))
                if file.repo_kind == project_kind.RESEARCH:
                    continue  # the record of where a release's data was built (see below)
                yield self._violation(
                    python,
                    bucket,
                    f"`{_call_text(name)}` uses the bucket `{bucket_name}` written in the code",
                )
            if candidates and _fallback_of_a_configured_call(node, name, parents, aliases):
                continue  # `else: set_tracking_uri("http://mlflow:5000")`: the local default
            for candidate, bare_host_ok in candidates:
                elements = (
                    candidate.elts if isinstance(candidate, (ast.List, ast.Tuple)) else [candidate]
                )
                for element in elements:
                    value = _literal(element)
                    why = (
                        _endpoint(value, public_ok=public_ok, bare_host_ok=bare_host_ok)
                        if value
                        else None
                    )
                    if why:
                        reported.add(id(element))
                        yield self._violation(
                            python,
                            element,
                            f"`{_call_text(name)}` connects to {why} written in the code",
                        )
        # 2. Endpoint-named module constants, 3. bucket URLs anywhere in code.
        patterns = _regex_arguments(tree, aliases)
        # A configuration module (`configs/`, `settings.py`) is where a run's checkpoint and
        # dataset paths belong (big_vision's `config.model_init = "gs://big_vision/..."`);
        # a database or broker host there is still a deploy's address written down.
        # A paper's or a model's release records the buckets its data was built in (run
        # once, by its authors): a bucket there is part of the record, not a deploy's.
        configuration = role.is_config_module(file.path) or file.repo_kind == project_kind.RESEARCH
        telemetry = _TELEMETRY_OPT_OUT.search(python.text) is not None
        uses: dict[str, list[ast.Name]] | None = None

        def only_a_default(node: ast.AST) -> bool:
            """A module constant read nowhere but as the default of a config read
            (`_DEFAULT = "s3://..."; BUCKET = os.getenv("BUCKET", _DEFAULT)`)."""
            nonlocal uses
            parent = parents.get(id(node))
            if not isinstance(parent, ast.Assign) or parents.get(id(parent)) is not tree:
                return False
            if uses is None:
                uses = {}
                for name in nodes(tree, ast.Name):
                    if isinstance(name.ctx, ast.Load):
                        uses.setdefault(name.id, []).append(name)
            loads = [
                use
                for target in parent.targets
                if isinstance(target, ast.Name)
                for use in uses.get(target.id, [])
            ]
            return bool(loads) and all(
                self._read_from_config(use, parents, aliases) for use in loads
            )

        # The literals held directly by a module-level assignment (its value, or an
        # annotation's string), and the pieces of f-strings: asked of every literal, so
        # worked out from the statements, not from a parent map of the whole tree.
        assignments: dict[int, ast.Assign | ast.AnnAssign] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                assignments[id(statement.value)] = statement
            elif isinstance(statement, ast.AnnAssign):
                assignments[id(statement.annotation)] = statement
                if statement.value is not None:
                    assignments[id(statement.value)] = statement
        f_string_parts = {id(part) for node in nodes(tree, ast.JoinedStr) for part in node.values}
        for literal in walk(tree):
            value = (
                _literal(literal) if isinstance(literal, (ast.Constant, ast.JoinedStr)) else None
            )
            if (
                value is None
                or id(literal) in reported
                or id(literal) in docstrings
                or id(literal) in patterns
            ):
                continue
            if id(literal) in f_string_parts:
                continue  # a piece of an f-string: the f-string itself is examined
            owner = self._constant_owner(literal, assignments)
            if "://" not in value and (owner is None or not _HOST_NAME.search(owner)):
                continue  # a bare host counts only as a host-named constant's value
            if _endpoint(value, public_ok=True, bare_host_ok=True) is None:
                # Nothing below reports it (`_endpoint` only loses findings with either
                # flag off): the many plain strings cost no more than this test.
                continue
            if owner is not None:
                why = _endpoint(
                    value,
                    public_ok=bool(_SERVICE_NAME.search(owner)),
                    # `HOST = "host"` names a config key, not a machine
                    bare_host_ok=bool(_HOST_NAME.search(owner)) and value.lower() != owner.lower(),
                )
                if why and telemetry and why.startswith("a host ") and "://" in value:
                    continue  # the vendor's usage statistics, which the user can turn off
                if why and not only_a_default(literal):
                    reported.add(id(literal))
                    yield self._violation(python, literal, f"`{owner}` hard-codes {why}")
                    continue
            if "://" not in value:
                continue
            why = _endpoint(value, public_ok=False, bare_host_ok=False)
            if why is None or self._read_from_config(literal, parents, aliases):
                continue  # (both reports below need a `why`)
            if why.startswith("the bucket") and configuration:
                continue  # a checkpoint or dataset location in the run's configuration
            if (
                why
                and (why.startswith("the bucket") or "(" in why)
                and not only_a_default(literal)
                and not _in_api_example(literal, parents)
                and not _shown_to_a_person(literal, parents)
            ):
                yield self._violation(python, literal, f"{why} is hard-coded")
                continue
            bound_to = self._module_assignment(literal, assignments)
            if (
                bound_to is not None
                and why
                and _SERVICE_ADDRESS.match(value)
                and why.startswith(("an internal host", "a private IP"))
                and why.split("`")[1].lower() not in _PLACEHOLDER_HOSTS
                and not only_a_default(literal)
            ):
                # `backend = "http://fastapi:8000/predict"`: a compose service or a private
                # machine, whatever the variable is called.
                yield self._violation(python, literal, f"`{bound_to}` hard-codes {why}")

    def _module_assignment(
        self, node: ast.AST, assignments: dict[int, ast.Assign | ast.AnnAssign]
    ) -> str | None:
        """The name a module-level `NAME = "..."` binds the literal to, if it is one."""
        parent = assignments.get(id(node))
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            return parent.targets[0].id
        return None

    def _constant_owner(
        self, node: ast.AST, assignments: dict[int, ast.Assign | ast.AnnAssign]
    ) -> str | None:
        parent = assignments.get(id(node))
        if parent is None:
            return None
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        for target in targets:
            if isinstance(target, ast.Name) and _CONSTANT_NAME.search(target.id):
                return target.id
        return None

    def _read_from_config(self, node: ast.AST, parents: _Parents, aliases: dict[str, str]) -> bool:
        """The literal is a default of a config read, a settings field or a parameter default."""
        child: ast.AST = node
        parent = parents.get(id(node))
        while parent is not None:
            if isinstance(parent, ast.Call):
                name = qualified(parent.func, aliases)
                if name.rsplit(".", 1)[-1] in _DEFAULT_GETTERS or name.endswith("environ.get"):
                    return True
            if isinstance(parent, ast.arguments):
                return True  # def load(uri="s3://..."): the caller decides
            if isinstance(parent, ast.ClassDef):
                return True  # a settings/config class attribute: overridden by the environment
            if isinstance(parent, ast.keyword) and parent.arg in ("default", "help"):
                return True
            if (
                isinstance(parent, ast.BoolOp)
                and isinstance(parent.op, ast.Or)
                and child in parent.values
                and any(
                    _reads_config(value, aliases)
                    for value in parent.values[: parent.values.index(child)]
                )
            ):
                return True  # os.getenv("STORE_URL") or "s3://...": the fallback of a read
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
                return False
            child, parent = parent, parents.get(id(parent))
        return False

    def _violation(self, python: PythonSource, node: ast.AST, message: str) -> Violation:
        lineno = getattr(node, "lineno", 1)
        where = python.loc(lineno)
        return Violation(
            message,
            line=where.line,
            column=getattr(node, "col_offset", 0) + 1 if where.cell is None else None,
            cell=where.cell,
            cell_line=where.cell_line,
        )


def _reads_config(node: ast.expr, aliases: dict[str, str]) -> bool:
    """Whether an expression reads configuration (`os.getenv(...)`, `settings.get(...)`),
    or is a setting itself: an upper-case attribute of `self` or of a settings object
    (`self.REDIS_URL or "redis://redis:6379"` in a pydantic settings class's
    `model_post_init`, the environment's value first)."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr.isupper()
        and isinstance(node.value, ast.Name)
        and (node.value.id in ("self", "cls") or _SETTINGS_OBJECT.fullmatch(node.value.id))
    ):
        return True
    return any(
        isinstance(call, ast.Call)
        and (
            (name := qualified(call.func, aliases)).rsplit(".", 1)[-1] in _DEFAULT_GETTERS
            or name.endswith("environ.get")
            or _CONFIG_GETTER.fullmatch(name.rsplit(".", 1)[-1]) is not None
        )
        for call in ast.walk(node)
    )


#: A settings object's name: `settings`, `config`, `cfg`, `app_settings`.
_SETTINGS_OBJECT = lazy_compile(r"_?(?:\w+_)?(?:settings|config|conf|cfg)", re.IGNORECASE)


#: A project's own configuration reader: `get_config("REDIS_URL")`, `get_setting(...)`,
#: `getConfig(...)`, `get_env(...)`.
_CONFIG_GETTER = lazy_compile(
    r"_?get_?(?:config|conf|cfg|settings?|env|environ|param)\w*", re.IGNORECASE
)


def _regex_arguments(tree: ast.Module, aliases: dict[str, str]) -> set[int]:
    """ids of the strings given to `re.*` functions: patterns over URLs, not endpoints."""
    found: set[int] = set()
    for call in nodes(tree, ast.Call):
        if qualified(call.func, aliases).startswith(("re.", "regex.")):
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                found.update(id(inner) for inner in ast.walk(argument))
    return found


#: boto3 transfer methods: the positional index of the bucket name.
_BUCKET_POSITION = {
    "download_file": 0,
    "download_fileobj": 0,
    "upload_file": 1,
    "upload_fileobj": 1,
}


def _bucket_arguments(
    call: ast.Call, last: str, uses_boto3: bool
) -> list[tuple[ast.Constant, str]]:
    """Literal bucket names given to boto3: `Bucket="acme-models"`, `download_file("acme", ...)`,
    each with its node."""
    found = [
        k.value
        for k in call.keywords
        if k.arg == "Bucket"
        and isinstance(k.value, ast.Constant)
        and isinstance(k.value.value, str)
    ]
    position = _BUCKET_POSITION.get(last)
    if uses_boto3 and position is not None and len(call.args) > position:
        value = call.args[position]
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,62}", value.value)
        ):
            found.append(value)
    if last == "Bucket" and uses_boto3 and call.args:
        value = call.args[0]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.append(value)
    return [
        (node, node.value)
        for node in found
        if isinstance(node.value, str)
        and node.value.strip()
        and "{" not in node.value
        and not _PLACEHOLDER_BUCKET.fullmatch(node.value)
    ]


#: A bucket name that stands for the reader's own: `sample_bucket`, `my-bucket`,
#: `your-bucket-name`, `example-bucket`, `bucket_name` (prefect-recipes' legacy flow).
_PLACEHOLDER_BUCKET = lazy_compile(
    r"(?:(?:sample|my|your|example|some|test|dummy)[-_.]?)?(?:bucket)(?:[-_.]?(?:name|here))?"
    r"|(?:sample|my|your|example|some|dummy)[-_.][a-z0-9]+(?:[-_.]bucket)?",
    re.IGNORECASE,
)


#: boto3 keywords that name one deploy's resource: a queue, a stream, a table, a topic.
_AWS_RESOURCE_KEYWORDS = {
    "QueueName": "the SQS queue",
    "QueueUrl": "the SQS queue",
    "DeliveryStreamName": "the Firehose stream",
    "StreamName": "the Kinesis stream",
    "TableName": "the DynamoDB table",
    "TopicArn": "the SNS topic",
}


#: `project.dataset.table` (BigQuery), optionally in backticks inside SQL.
_BIGQUERY_TABLE = lazy_compile(
    r"`?\b([a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z_]\w{0,1023})\.([A-Za-z_][\w$-]{0,1023})\b`?"
)


_BIGQUERY_CALLS = frozenset(
    {
        "query",
        "read_gbq",
        "to_gbq",
        "get_table",
        "delete_table",
        "list_rows",
        "insert_rows",
        "insert_rows_json",
        "load_table_from_dataframe",
        "load_table_from_uri",
        "load_table_from_json",
        "Table",
    }
)


_BIGQUERY_MODULES = ("google.cloud.bigquery", "pandas_gbq", "bigframes")


#: Experiment trackers' account keywords: runs go to one person's or team's account.
_TRACKER_ACCOUNT = {"init": "entity", "WandbLogger": "entity"}


def _str_constant(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        return node.value
    return None


@dataclass(frozen=True)
class _ClientModules:
    """Which resource clients a module imports, worked out once per module (not per call)."""

    aws: bool  # boto3 or aioboto3, anywhere in an import
    boto3: bool  # boto3 or aioboto3 imported by that name
    bigquery: bool

    @classmethod
    def of(cls, aliases: dict[str, str]) -> _ClientModules:
        modules = set(aliases.values())
        return cls(
            aws=any(module.split(".")[0] in ("boto3", "aioboto3") for module in modules),
            boto3="boto3" in modules or "aioboto3" in modules,
            bigquery=any(module.startswith(_BIGQUERY_MODULES) for module in modules),
        )


def _named_resources(
    call: ast.Call, name: str, last: str, modules: _ClientModules
) -> list[tuple[ast.expr, str]]:
    """Literal names of one deploy's resources given to their clients: boto3's
    `QueueName=`/`StreamName=`/`TableName=`..., a BigQuery table id
    (`project.dataset.table`), a Pub/Sub `topic_path("project", "topic")`, a W&B
    `entity=`. Each with the node to report and what it is."""
    found: list[tuple[ast.expr, str]] = []
    if modules.aws:
        for item in call.keywords:
            value = _str_constant(item.value) if item.arg in _AWS_RESOURCE_KEYWORDS else None
            if value and "{" not in value:
                found.append((item.value, f"{_AWS_RESOURCE_KEYWORDS[item.arg or '']} `{value}`"))
    if last in _BIGQUERY_CALLS and modules.bigquery:
        for argument in [*call.args[:2], *(k.value for k in call.keywords)]:
            value = _str_constant(argument)
            match = _BIGQUERY_TABLE.search(value) if value else None
            if match and "{" not in match.group(0):
                table = ".".join(match.groups())
                found.append((argument, f"the BigQuery table `{table}`"))
                break
    if last in ("topic_path", "subscription_path") and len(call.args) >= 2:
        project, topic = _str_constant(call.args[0]), _str_constant(call.args[1])
        # A project id is lower case (Google Cloud's rule): `"PROJECT_ID"` is a blank
        # for the reader to fill in.
        if project and topic and project == project.lower():
            found.append(
                (call.args[0], f"the Pub/Sub {last.split('_', maxsplit=1)[0]} `{project}/{topic}`")
            )
    keyword_name = _TRACKER_ACCOUNT.get(last)
    if keyword_name and (last != "init" or name == "wandb.init"):
        for item in call.keywords:
            value = _str_constant(item.value) if item.arg == keyword_name else None
            if value:
                found.append((item.value, f"the W&B entity (account) `{value}`"))
    return found


def _call_text(name: str) -> str:
    return f"{name}()" if name else "call"
