"""Hard-coded secret detection: one table of provider patterns plus secret-named keys.

Every provider pattern starts from a literal anchor (`AKIA`, `ghp_`, `://` ...) that is
searched in the raw bytes first, so files without an anchor cost one `in` test each.
There is deliberately no bare high-entropy matching: a value is reported only with
context (a provider's format, a connection string's password slot, or a key whose name
says it is a secret), and obvious placeholders are never reported.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from twelvefold.lazy_regex import lazy_compile
from twelvefold.pattern_sets import re2_pattern


@dataclass(frozen=True)
class SecretPattern:
    id: str
    description: str
    anchors: tuple[bytes, ...]
    regex: re.Pattern[str]
    group: str = "secret"  # the named group holding the secret value
    #: An RE2 pattern over a file's UTF-8 bytes that matches wherever `regex` matches in
    #: its text (a superset): for the anchors that most files hold (`://` in every license
    #: header), the run's one scan then says whether the pattern can match at all.
    shape: bytes | None = None


def _p(
    id: str,
    description: str,
    anchors: tuple[bytes, ...],
    pattern: str,
    shape: bytes | None = None,
) -> SecretPattern:
    return SecretPattern(id, description, anchors, lazy_compile(pattern), shape=shape)


PATTERNS: tuple[SecretPattern, ...] = (
    _p(
        "aws-access-key-id",
        "AWS access key ID",
        (b"AKIA", b"ASIA", b"ABIA", b"ACCA"),
        # not the key ID of a presigned URL's `X-Amz-Credential=` (a link that expires,
        # signed by whoever served it: GitHub's release downloads)
        r"(?<![A-Z0-9])(?<![Cc]redential=)(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})(?![A-Z0-9])",
    ),
    _p(
        "aws-secret-access-key",
        "AWS secret access key",
        (b"aws_secret", b"AWS_SECRET", b"SecretAccessKey"),
        r"(?:aws_secret_access_key|aws_secret_key|AWS_SECRET_ACCESS_KEY|AWS_SECRET_KEY|SecretAccessKey)"
        r"[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
    ),
    _p(
        "github-token",
        "GitHub token",
        (b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"),
        r"(?<![A-Za-z0-9_])(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})(?![A-Za-z0-9])",
    ),
    _p(
        "github-fine-grained-token",
        "GitHub fine-grained token",
        (b"github_pat_",),
        r"(?P<secret>github_pat_[A-Za-z0-9_]{60,255})",
    ),
    _p(
        "gitlab-token",
        "GitLab personal access token",
        (b"glpat-",),
        r"(?P<secret>glpat-[A-Za-z0-9_\-]{20,})",
    ),
    _p(
        "slack-token",
        "Slack token",
        (b"xoxb-", b"xoxa-", b"xoxp-", b"xoxo-", b"xoxs-", b"xoxr-"),
        r"(?P<secret>xox[abposr]-[A-Za-z0-9-]{10,})",
    ),
    _p(
        "slack-webhook",
        "Slack webhook URL",
        (b"hooks.slack.com/services/",),
        r"(?P<secret>https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]{16,})",
    ),
    _p(
        "stripe-live-key",
        "Stripe live secret key",
        (b"sk_live_", b"rk_live_"),
        r"(?P<secret>(?:sk|rk)_live_[0-9a-zA-Z]{20,})",
    ),
    _p(
        "openai-api-key",
        "OpenAI API key",
        (b"T3BlbkFJ", b"sk-proj-", b"sk-svcacct-"),
        r"(?P<secret>sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}|[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}))",
    ),
    _p(
        "anthropic-api-key",
        "Anthropic API key",
        (b"sk-ant-",),
        r"(?P<secret>sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{80,})",
    ),
    _p(
        "huggingface-token",
        "Hugging Face token",
        (b"hf_",),
        r"(?<![A-Za-z0-9_])(?P<secret>hf_[A-Za-z0-9]{34,40})(?![A-Za-z0-9_])",
        shape=rb"hf_[A-Za-z0-9]{20}",
    ),
    _p(
        "google-api-key",
        "Google API key",
        (b"AIza",),
        r"(?P<secret>AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])",
    ),
    _p(
        "google-oauth-secret",
        "Google OAuth client secret",
        (b"GOCSPX-",),
        r"(?P<secret>GOCSPX-[A-Za-z0-9_\-]{28})",
    ),
    _p(
        "azure-storage-key",
        "Azure storage account key",
        (b"AccountKey=",),
        r"AccountKey=(?P<secret>[A-Za-z0-9+/]{80,}={0,2})",
    ),
    _p(
        "pypi-token",
        "PyPI upload token",
        (b"pypi-AgEIcHlwaS5vcmc",),
        r"(?P<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})",
    ),
    _p(
        "private-key",
        "private key",
        (b"PRIVATE KEY-----",),
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
        r"(?:\\n|\\r|[\s\"',+])*(?P<secret>[A-Za-z0-9+/=]{40,})",
    ),
    _p(
        "connection-string-password",
        "password in a connection string",
        (b"://",),
        r"://(?P<user>[A-Za-z0-9_.~%+\-]{1,64}):(?P<secret>[^@/\s'\"`<>{}$]{3,128})@(?P<host>[A-Za-z0-9_.\-]+)",
        # A character outside ASCII is bytes outside ASCII: none of them excluded here.
        shape=rb"://[A-Za-z0-9_.~%+\-]+:[^@/\n'\"`<>{}$]+@[A-Za-z0-9_.\-]",
    ),
)

_PLACEHOLDER_WORDS = (
    "example",
    "changeme",
    "change_me",
    "change-me",
    "your",
    "xxxx",
    "****",
    "...",  # a masked value shown for identification: `sk-...xyz123`
    "\u2026",
    "12345678",  # a counting sequence: `sk-1234567890`
    "dummy",
    "fake",
    "sample",
    "placeholder",
    "redacted",
    "replace",
    "todo",
    "fixme",
    "insert",
    "secret_here",
    "notreal",
    "not-a-real",
    "never-use",
    "never_use",
    "do-not-use",
    "do_not_use",
    "mock",
    # LocalStack's dummy AWS credentials (it accepts any): `localstack-ET-key`
    "localstack",
    # a value describing the one to put there (`openai-api-key: "base64-encoded-key"` in
    # a Helm chart's usage notes)
    "base64-encoded",
    "base64_encoded",
    # keyboard runs a person types for a value that does not matter (`asdf1234`)
    "asdf",
    # the key `django-admin startproject` writes, labelled as unfit for production
    "django-insecure-",
    "qwerty",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "%(",
    "$(",
)
_DEFAULT_PASSWORDS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "postgres",
        "root",
        "admin",
        "mysql",
        "secret",
        "test",
        "guest",
        "user",
        "pw",
        "pwd",
        "none",
        "null",
        "airflow",
        "mlflow",
        "minio",
        "minioadmin",
        "minio123",  # the secret key of Kubeflow's bundled MinIO (`minio` / `minio123`)
        "changeit",
        "example",
        "token",  # `https://user:token@host/path` in a docstring
        "prefix",  # `databricks://scope:prefix@...` names a secret scope
    }
)


# Compiled once (the scan calls these per candidate line, `re.search(str)` per call
# costs a cache lookup each).
#: A format or f-string field: `{password}`, `{cfg.token}`, `{random_secret()}`, `{key!r}`.
_FORMAT_FIELD = lazy_compile(r"\{[\w.\[\]'\"(), :!]*\}")
#: A CSS selector of a form field: `#password`, `.api-key-input` (lower-case words, not
#: a vault token's random `s.Xk8p...`).
_CSS_SELECTOR = lazy_compile(r"[#.][a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
#: A provider's prefix, of one or more parts: `ghp_`, `sk-`, `sk-proj-`.
_PROVIDER_PREFIX = lazy_compile(r"^[a-z]+[_\-](?:[a-z]{1,5}[_\-])?")
_WORD_BREAK = lazy_compile(r"[.\-]+|(?<=[a-z0-9])(?=[A-Z])")
_LOWER_WORDS = lazy_compile(r"[A-Za-z]?[a-z]+(?:[_\-.][a-z]+)*")
#: A camelCase name: `accessKey`, `secretAccessKey` (mlrun's field names), words only,
#: maybe after snake_case words (`anythingllm_authToken`, a browser storage key's name).
_CAMEL_CASE_NAME = lazy_compile(r"[a-z]{2,}(?:[_\-.][a-z]{2,})*(?:[_\-.]?[A-Z][a-z]{2,})+")
#: An environment variable's name (`HF_TOKEN`, `R2R_SECRET_KEY`): words of capitals, a
#: first one of a few letters and digits at most (`AKIAIOSFODNN7EXAMPLE` is a key).
#: An environment variable's name, maybe in dunders (aim's `'__AIM_RT_BEARER_TOKEN__'`, the
#: placeholder its config swaps for the variable's value).
_ENV_NAME = lazy_compile(
    r"(?:__)?(?:[A-Z]+(?:_[A-Z0-9]+)*|[A-Z][A-Z0-9]{0,7}(?:_[A-Z][A-Z0-9]*)+)(?:__)?"
    # an environment's prefix before the capitals (`Dev_AWS_SECRET_ACCESS_KEY`)
    r"|[A-Z][a-z0-9]{1,7}(?:_[A-Z][A-Z0-9]*){2,}"
)
_RELATIVE_PATH = lazy_compile(r"[\w.\-]*(?:/[\w.\-]+)+")
_IMPORT_PATH = lazy_compile(r"\.*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")
_RELATIVE_IMPORT = lazy_compile(r"\.+[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
#: A value made of lower-case words (`charturnerv2`, `sk_admin_test_token_12345`), ending
#: in up to three digits or a counting run: chosen by a person, where issued keys are random.
_WORD_VALUE = lazy_compile(r"[a-z]+(?:[_-][a-z]+)*[_-]?(?:\d{0,3}|12345\d*)")
#: A command line option: `DR_API_TOKEN = "--api-token"` in an enum of a CLI's flags.
_OPTION_NAME = lazy_compile(r"--[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
#: A lower-case prefix and a capitalised name, no digit: `key-FLASKPLAYWRIGHTKEY`, the
#: stand-in a local container is started with (issued keys are random: they hold digits).
_NAMED_STAND_IN = lazy_compile(r"[a-z]{1,10}[-_][A-Z]{6,}")
#: An HTTP header's name for a credential (`X-Api-Key`, `X-Auth-Token`, `Authorization`);
#: `Correct-Horse` may be someone's password.
_HEADER_NAME = lazy_compile(
    r"X-[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)*"
    r"|(?:Proxy-)?Authorization|(?:[A-Z][a-z]+-)+(?:Key|Token|Auth|Secret|Signature)"
)


#: A value of plain words only, digits and a closing symbol or two (a password naming
#: itself one is a demo's); the word itself is found with `in`, so the check stays linear
#: in the value's length.
_NAMED_PASSWORD = lazy_compile(r"[a-z0-9_\-]+[!?.#@$%&*]{0,2}")
#: A value that names what it stands for: `password123`, `apikey123`.
_NAMES_ITSELF = lazy_compile(r"passw(?:or)?d|api[_-]?key")

#: An Azure Resource Manager template expression (`[parameters('adminPassword')]`,
#: `[variables('key')]`): filled in at deployment.
_ARM_EXPRESSION = lazy_compile(r"\[[A-Za-z]+\(.*\)[\w.\[\]']*\]")

#: A name in square brackets standing for the value (`[password]`, `[db_pass]`), as
#: documentation writes `<password>`.
_BRACKETED_NAME = lazy_compile(r"\[[A-Za-z][\w .-]{0,40}\]")

#: Any of the placeholder words, in one search (a loop of `in` tests cost more, per value).
_PLACEHOLDER_WORD = lazy_compile("|".join(map(re.escape, _PLACEHOLDER_WORDS)))


def is_placeholder(value: str) -> bool:
    lowered = value.lower()
    if lowered in _DEFAULT_PASSWORDS or _PLACEHOLDER_WORD.search(lowered):
        return True
    if value.startswith(("$", "%", "@", "os.environ", "env.", "!", "($", '("$')):
        return True  # `($DB_PASSWORDS)`: a shell array filled from a variable
    if _ARM_EXPRESSION.fullmatch(value):
        return True  # `[parameters('adminPassword')]`: an Azure template's deploy-time value
    if _BRACKETED_NAME.fullmatch(value):
        return True  # `postgresql://user:[password]@host` in help text: fill in your own
    if _CSS_SELECTOR.fullmatch(value):
        return True  # `PASSWORD_INPUT: '#password'`: an end-to-end test's selector
    if _FORMAT_FIELD.search(value):
        return True  # a format/f-string field (`{password}`, `{cfg.token}`) filled at run time
    if _NAMES_ITSELF.search(lowered) and _NAMED_PASSWORD.fullmatch(lowered):
        # `evidently_password`, `password123`, an API doc's `SecurePassword123!`, a
        # Kubernetes Secret's `apikey123` (base64 under "replace with actual secrets"): a
        # demo's throwaway, by its name
        return True
    body = _PROVIDER_PREFIX.sub("", value)  # drop a provider prefix such as ghp_
    return len(set(body)) <= 3  # AKIAXXXXXXXXXXXXXXXX, 0000..., aaaa...


#: Keys that are public by design: issued to be embedded in clients (web pages, apps,
#: opt-out telemetry), they can only send data or start a checkout, never read or spend.
#: A value starting with one of these prefixes is never reported. The secret keys of the
#: same providers stay reported: PostHog personal keys (`phx_`), Stripe secret and
#: restricted keys (`sk_live_`, `rk_live_`).
PUBLIC_KEY_PREFIXES = (
    "phc_",  # PostHog project API key: write-only event ingestion
    "pk_live_",  # Stripe publishable key (live mode)
    "pk_test_",  # Stripe publishable key (test mode)
    # Jitsu server-to-server event key (`/api/v1/s2s/event`): write-only event ingestion,
    # shipped in every installed copy of iterative-telemetry's users (DVC, MLEM, evidently).
    "s2s.",
    # Supabase publishable key: the client key of a project, guarded by row-level security
    # (Supabase's "Understanding API Keys"); the secret keys are `sb_secret_`.
    "sb_publishable_",
)


#: Credentials an open-source client publishes in its own code, copied verbatim by the
#: projects that talk to the same service as that client: known to everyone, revocable
#: by their owner only. Kept as fingerprints (`fingerprint`), never as values.
PUBLISHED_CREDENTIALS = {
    # The installed-app OAuth client secret of Google's Gemini CLI
    # (google-gemini/gemini-cli, packages/core/src/code_assist/oauth2.ts).
    "sha256:6a5f78b8b99dd4025e41": "Gemini CLI's OAuth client secret",
    # The well-known account key of `devstoreaccount1`, which the Azurite emulator and the
    # legacy Azure Storage Emulator accept (Microsoft's "Use the Azurite emulator" page,
    # "Well-known storage account and key"): it opens local emulators only.
    "sha256:0011cc25eb4320717494": "the Azure Storage emulator's well-known key",
    # The well-known key the Azure Cosmos DB emulator starts with (Microsoft's "What is
    # the Azure Cosmos DB emulator?" page: it "uses a well-known key"; the value as
    # public gists and microsoft/graphrag's tests quote it): local emulators only.
    "sha256:aa6547439583c3a275d4": "the Azure Cosmos DB emulator's well-known key",
    # OpenCost's GCP trial API key, which the OpenCost chart's defaults ship as
    # `CLOUD_PROVIDER_API_KEY` ("Trial API Key used only with GCP") and every chart that
    # bundles it copies (Grafana's k8s-monitoring).
    "sha256:09863a223ab6cd154721": "OpenCost's published GCP trial key",
}
#: The prefixes of the published credentials: only these values are hashed.
_PUBLISHED_PREFIXES = ("GOCSPX-", "Eby8vdM02x", "C2y6yDjf5/", "AIzaSyD29b")


def is_public_key(value: str) -> bool:
    """Whether `value` is a key that providers publish on purpose (`PUBLIC_KEY_PREFIXES`,
    a Supabase anon key), or a credential an open-source client publishes
    (`PUBLISHED_CREDENTIALS`)."""
    return (
        value.startswith(PUBLIC_KEY_PREFIXES)
        or (value.startswith(_PUBLISHED_PREFIXES) and fingerprint(value) in PUBLISHED_CREDENTIALS)
        or (value.startswith("eyJ") and _anonymous_role_jwt(value))
    )


#: The claims of a JWT that make it an anonymous client's key: Supabase's anon key
#: (`"role": "anon"`) is "safe to expose with RLS enabled" (Supabase's "Securing your
#: data"); its `service_role` key, the same shape, bypasses RLS and stays a secret.
_ANONYMOUS_ROLES = frozenset({"anon"})


def _anonymous_role_jwt(value: str) -> bool:
    """Whether `value` is a JWT whose payload claims an anonymous role (`_ANONYMOUS_ROLES`)."""
    import base64
    import binascii
    import json

    parts = value.split(".")
    if len(parts) != 3 or len(parts[1]) > 4096:
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(claims, dict) and claims.get("role") in _ANONYMOUS_ROLES


def mask(value: str) -> str:
    """Enough of a secret to find it, never the whole: `AKIA…(20 chars)`."""
    shown = value[: min(4, len(value) // 4)]
    return f"{shown}…({len(value)} chars)"


def fingerprint(value: str) -> str:
    """A stable, non-reversible identity for a secret (baselines store this, not the value)."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:20]


# --- secret-named keys -------------------------------------------------------------------

KEY_WORDS = (
    b"password",
    b"passwd",
    b"secret",
    b"token",
    b"api_key",
    b"apikey",
    b"api-key",
    b"access_key",
    b"private_key",
    b"pwd",
)
_TOKEN_PREFIXES = frozenset(
    {
        "",
        "auth",
        "access",
        "api",
        "refresh",
        "bearer",
        "hf",
        "huggingface",
        "hub",
        "github",
        "gh",
        "gitlab",
        "slack",
        "bot",
        "oauth",
        "session",
        "secret",
        "wandb",
        "discord",
        "telegram",
        "npm",
        "pypi",
        "personal",
        "private",
        "client",
        "id",
        "jwt",
        "service",
        "app",
        "kaggle",
        "notion",
        "openai",
        # services that issue tokens to a project: vector stores, model and tracking
        # platforms, hosting (`milvus_token`, `replicate_token`, `dagshub_token`)
        "milvus",
        "zilliz",
        "qdrant",
        "weaviate",
        "pinecone",
        "replicate",
        "cohere",
        "mistral",
        "groq",
        "langsmith",
        "supabase",
        "databricks",
        "dagshub",
        "neptune",
        "comet",
        "clearml",
        "roboflow",
        "ngrok",
        "sentry",
        "mapbox",
        "cloudflare",
        "vercel",
        "netlify",
        "heroku",
        "twilio",
        "dropbox",
        "airtable",
    }
)
_NOT_SECRET_SUFFIXES = (
    "_file",
    "_path",
    "_env",
    "_var",
    "_variable",
    "_name",
    "_url",
    "_uri",
    "_endpoint",
    "_header",
    "_type",
    "_length",
    "_len",
    "_size",
    "_count",
    "_prefix",
    "_suffix",
    "_field",
    "_id",
    "_arn",
    "_ref",
    "_location",
    "_dir",
    "_key_id",
    "_secret_name",
    "_param",
    "_format",
    "_pattern",
    "_regex",
    "_min",
    "_max",
    "_policy",
    "_hint",
    "_label",
    "_placeholder",
    "_help",
    "_mode",
    "_column",
    "_col",
    "_index",
    "_idx",
    "_ids",
    "_scope",
    "_scopes",
    "_expiry",
    "_expires",
    "_ttl",
    "_timeout",
    "_cls",
    "_class",
    "_kwargs",
    "_config",
    "_fn",
    "_func",
    "_provider",
    # how a password is hashed, not the password: `PASSWORD_SCHEME = "pbkdf2_sha256"`
    "_scheme",
    "_schemes",
    "_algorithm",
    "_algo",
    "_hasher",
    "_hashers",
)


@functools.lru_cache(maxsize=4096)  # keys repeat: `password`, `api_key` on every line
def is_secret_key(key: str) -> bool:
    """Whether a variable/config key names a secret (`DB_PASSWORD`, `hf_token`,
    `npmToken`), and not a look-alike (`pad_token`, `max_tokens`, `password_file`,
    `token_type`, `tokenType`)."""
    name = _WORD_BREAK.sub("_", key).strip("_").lower()
    name = name.rsplit("_", 1)[0] if name.endswith("_") else name
    if not name or name.endswith(_NOT_SECRET_SUFFIXES):
        return False
    words = name.split("_")
    if words[0] == "existing":
        return False  # Helm's `existingSecret: app-secrets`: the name of a Kubernetes Secret
    if any(w in ("password", "passwd", "pwd", "passphrase") for w in words) or "password" in name:
        return True
    if "secret" in words or name.endswith("secret") or "secret_key" in name or "secretkey" in name:
        return True
    if "api_key" in name or "apikey" in name or "access_key" in name or "private_key" in name:
        return True
    if words[-1] in ("token", "tok") or name.endswith(("authtoken", "accesstoken", "apitoken")):
        prefix = words[-2] if len(words) >= 2 else ""
        return prefix in _TOKEN_PREFIXES
    return False


#: One name of code: `api_key_data`, `OPENAI_API_KEY`, `Secret`, `resolveValue`, `getenv`.
#: Digits only end a word, so random strings (`Ar9wXTBHiB6j`, `a94a8fe5cc`) are no names.
#: The alternatives never match the same text: no backtracking blow-up on long values.
_NAME = (
    r"_{0,2}(?:[a-z]+\d{0,2}(?:(?:_+[a-z]+\d{0,2})+|(?:[A-Z][a-z]+\d{0,2})+)?"
    r"|[A-Z](?:[a-z]+\d{0,2}(?:[A-Z][a-z]+\d{0,2})*|[A-Z]*\d{0,2}(?:_+[A-Z]+\d{0,2})*))_{0,2}"
)
#: A whole value that is one name of code (`_NAME`).
_CODE_NAME = lazy_compile(_NAME)
#: A code expression, not a literal: an attribute path, a subscript or a call
#: (`settings.API_KEY`, `data["init_parameters"]["api_key"]`, `self.token.resolve_value()`).
_EXPRESSION = lazy_compile(rf"{_NAME}(?:\.{_NAME}|\[[^\[\]\s]{{0,200}}\]|\([^()\s]{{0,200}}\))+")
#: Expressions joined by operators: `COALESCE(tokens_prompt,0)+COALESCE(tokens_completion,0)`
#: (SQL summing token counts, held in `_tok`).
_JOINED_EXPRESSIONS = lazy_compile(rf"{_EXPRESSION.pattern}(?:[-+*/]{_EXPRESSION.pattern})+")
#: A call whose arguments are names, left open where a line breaks it: pseudocode in a
#: standard or a README (`initial_secret = HKDF-Extract(initial_salt,` in RFC 9001).
_OPEN_CALL = lazy_compile(
    r"[A-Za-z][A-Za-z0-9_.-]{1,64}\((?:[A-Za-z_][\w.]{0,64},){0,8}(?:[A-Za-z_][\w.]{0,64}\)?)?"
)
#: A word that ends a sentence (`expansion.`, `required,`): prose read as `key value`.
_PROSE_WORD = lazy_compile(r"[A-Za-z][a-z]+(?:[-'][a-z]+)*[.,;:]")


#: Values that are not secrets, as one pattern (one match per value, not eight):
_NOT_A_SECRET = lazy_compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern in (
            # words (`bearer_token`, `Randomstr`), env var names (`HF_TOKEN`), prose
            # (`expansion.`)
            _LOWER_WORDS,
            _CAMEL_CASE_NAME,
            _ENV_NAME,
            _PROSE_WORD,
            # the name of the header the token goes in: `API_TOKEN = "X-Api-Key"`
            _HEADER_NAME,
            # the option that passes it: `API_TOKEN = "--api-token"`
            _OPTION_NAME,
            _NAMED_STAND_IN,
            # code that computes the value: `data["api_key"]`, `cfg.token`
            _EXPRESSION,
            _JOINED_EXPRESSIONS,
            _OPEN_CALL,
            # an import path: `pkg.module:Attr`, `._internal.api_token:ApiToken`
            _IMPORT_PATH,
            _RELATIVE_IMPORT,
        )
    )
)


_UNICODE_ESCAPE = lazy_compile(r"\\u([0-9a-fA-F]{4})")
#: A URI (`https://...`, `s3://...`) or a reference a platform resolves to the secret at
#: deploy time: TrueFoundry's `tfy-secret://team:app:KEY`, 1Password's `op://vault/item`,
#: `vault://...`, an AWS Secrets Manager ARN. A URL with credentials before its host
#: (`redis://:pass@host`, `postgres://user:pass@host`) is no reference.
_URI_OR_REFERENCE = lazy_compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://(?![^/\s]*@)|arn:aws[\w-]*:secretsmanager:"
)


def looks_like_secret_value(value: str) -> bool:
    """A literal that could be a real credential: long enough, no spaces, not a word list,
    not a code expression, not a key that is public by design; not words of a human
    language (`"API-Schlüssel"`, a translation of the key's label); and, for a base64
    value that decodes to text (a Kubernetes Secret's `data:`), the decoded text."""
    if len(value) < 8 or len(value) > 512 or _WHITESPACE.search(value):
        return False
    if "\\u" in value:
        # JSON's `\u0b95` escapes, as a translation file writes its labels: read the text
        value = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    if not value.isascii() and any(not c.isascii() and c.isalpha() for c in value):
        return False  # credentials are ASCII; this is a label in some language
    decoded = _base64_text(value)
    if decoded is not None:
        return looks_like_secret_value(decoded)
    if is_placeholder(value) or is_public_key(value):
        return False
    if _NOT_A_SECRET.fullmatch(value):
        return False
    if _RELATIVE_PATH.fullmatch(value) and "/" in value and not value.startswith("/"):
        return False  # relative paths and model ids such as `Org/Model_Name`
    if value.startswith(("/", "./", "~/")) or _URI_OR_REFERENCE.match(value):
        return False  # a path, a URL, or a reference to a secret store (resolved at deploy)
    return len(value) >= 20 or _character_classes(value) >= 2


_BASE64 = lazy_compile(r"(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _base64_text(value: str) -> str | None:
    """The text a base64 value encodes, when it is printable ASCII (`ZG9jc2dwdA==` is
    `docsgpt`; a value of a length divisible by three needs no `=`); None for anything
    else (random key bytes stay what they were: 27 random bytes are all printable
    about once in 10^11)."""
    if len(value) % 4 or not _BASE64.fullmatch(value):
        return None
    import base64
    import binascii

    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not raw or not all(32 <= byte < 127 for byte in raw):
        return None
    return raw.decode("ascii")


#: `re`'s `\s` on text is `str.isspace` (both ask Py_UNICODE_ISSPACE).
_WHITESPACE = lazy_compile(r"\s")
_ASCII_DIGIT = lazy_compile("[0-9]")


def _character_classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters `value` holds."""
    if not value:
        return 0
    if value.isascii():  # string methods in C, not a Python loop per character
        other = not value.isalnum()
        # Without other characters, a value that is not all letters holds a digit.
        digit = _ASCII_DIGIT.search(value) is not None if other else not value.isalpha()
        return (value != value.upper()) + (value != value.lower()) + digit + other
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )


# `KEY = "v"`, `key: str = "v"`, `{"key": "v"}`, `key="v"` and `os.environ["KEY"] = "v"`.
# Repeats are bounded and a key starts only at an identifier's first character: on one
# 10 MB line, an unbounded key or annotation makes every start position rescan the rest
# of the line (quadratic: hours). Values longer than 1024 are never secrets anyway.
_CODE_ASSIGN = lazy_compile(
    r"(?<![A-Za-z0-9_])(?P<key>[A-Za-z_][A-Za-z0-9_]{0,127})[\"']?\]?\s{0,64}"
    r"(?::\s{0,64}[A-Za-z_][\w\[\]., |]{0,200})?\s{0,64}(?:=|:)\s{0,64}"
    r"[rRbBuU]{0,2}(?P<q>[\"'])(?P<value>[^\"'\n\\]{0,1024})(?P=q)"
)
#: A key and its value in a configuration line: `KEY=v`, `key: v`, `ENV KEY v`, or a bare
#: `key value` (the `space` group), which counts only for a value that looks issued (see
#: `_BARE_VALUE_MIN`).
_CONFIG_ASSIGN = lazy_compile(
    r"^\s*(?:export\s+|ENV\s+|ARG\s+|-\s+|set\s+)?[\"']?(?P<key>[A-Za-z_][\w.\-]*)[\"']?"
    r"\s*(?:=|:|(?P<space>\s)(?=\S))\s*(?P<value>.*?)\s*$"
)
#: A bare `key value` line is prose or data (`secret garden;7102` in a list of names and
#: ids) unless its value is as long as an issued token (`token 3fA9...` in a note).
_BARE_VALUE_MIN = 16


@dataclass(frozen=True)
class SecretMatch:
    line: int  # 1-based line index into the lines that were scanned
    column: int  # 1-based
    description: str
    value: str

    def masked_line(self, text: str) -> str:
        return text.replace(self.value, mask(self.value))


_KEY_WORDS_TEXT = tuple(word.decode() for word in KEY_WORDS)
#: Each provider pattern's literals as text: (pattern, anchors).
_ANCHOR_TEXTS = tuple((p, tuple(a.decode() for a in p.anchors)) for p in PATTERNS)
#: (literal, pattern) flat: a text is tested once per literal, in one plain loop.
_ANCHOR_OF = tuple((anchor, p) for p, anchors in _ANCHOR_TEXTS for anchor in anchors)


#: From this size a text's literals are found by one multi-pattern pass (`scan`), not one
#: `in` per literal (34 passes over every file was a tenth of a cold run).
_SET_MIN_CHARS = 4096


@functools.cache
def _anchor_set() -> Any:
    """The RE2 set of every pattern's literals (None without google-re2), built once."""
    from twelvefold.pattern_sets import literal_set

    return literal_set([anchor.encode() for anchor, _ in _ANCHOR_OF])


def _present_patterns(joined: str) -> set[str]:
    """The ids of the patterns one of whose literals is in `joined`."""
    if len(joined) >= _SET_MIN_CHARS and (found := _anchor_set()) is not None:
        # The literals are ASCII: found in the UTF-8 bytes exactly where in the text.
        matched = found.Match(joined.encode("utf-8", "surrogatepass"))
        return {_ANCHOR_OF[number][1].id for number in matched or ()}
    return {p.id for anchor, p in _ANCHOR_OF if anchor in joined}


def _line_numbers(text: str, needles: Sequence[str], lines: list[str] | None) -> set[int]:
    """1-based numbers of the lines of `text` (lines joined by newlines) that contain
    one of `needles`; when `lines` is given, those lines are tested one by one instead."""
    if lines is None and "\n" not in text:  # one line (a message, a source line): no counting
        return {1} if any(needle in text for needle in needles) else set()
    if lines is not None:
        return {
            number
            for number, line in enumerate(lines, start=1)
            if any(needle in line for needle in needles)
        }
    positions: list[int] = []
    for needle in needles:
        start = text.find(needle)
        while start >= 0:
            positions.append(start)
            end = text.find("\n", start)
            if end < 0:
                break
            start = text.find(needle, end + 1)  # one hit per line is enough
    numbers: set[int] = set()
    line, last = 1, 0
    for position in sorted(positions):
        line += text.count("\n", last, position)
        last = position
        numbers.add(line)
    return numbers


def scan_lines(
    lines: list[str],
    data: bytes = b"",
    lower: bytes = b"",
    *,
    code: bool,
    anchors: Collection[str] | None = None,
) -> Iterator[SecretMatch]:
    """Secrets in `lines` (file or notebook lines); `code` selects Python quoting rules
    for secret-named keys.

    Every cost is linear in the size of `lines` and the number of matches. `data` and
    `lower` (the file's bytes) are accepted and not read: callers pass a whole notebook's
    bytes for each of its cells (a Dockerfile's for each `ENV`), and a literal test on
    them per call made a file with many cells cost its size times its cells. The literals
    are found in `lines` themselves, which is also exact where the bytes are not (a
    notebook cell's JSON escapes). `anchors`: the patterns' literals that are in `lines`,
    when the caller knows them already (the run's one scan found them)."""
    seen: set[tuple[int, str]] = set()
    joined = "\n".join(lines)
    if anchors is None:
        present = _present_patterns(joined)
    else:
        present = {p.id for anchor, p in _ANCHOR_OF if anchor in anchors}
    candidates = [(p, anchors) for p, anchors in _ANCHOR_TEXTS if p.id in present]
    # Lines are visited only where a search over the whole text found a literal: one
    # C-speed `find` per literal instead of a Python loop over every line and literal.
    # (Lines holding a newline themselves would break the line arithmetic: scan them all.)
    whole = joined.count("\n") == max(len(lines) - 1, 0)
    if candidates:
        hits = {
            pattern.id: _line_numbers(joined, anchors, None if whole else lines)
            for pattern, anchors in candidates
        }
        for number in sorted(set().union(*hits.values())):
            text = lines[number - 1]
            for pattern, _ in candidates:
                if number not in hits[pattern.id]:
                    continue
                matches = list(pattern.regex.finditer(text))
                if not matches and pattern.id == "private-key":
                    body = _pem_body(lines, number)
                    if body is not None and (number, body) not in seen:
                        seen.add((number, body))
                        yield SecretMatch(
                            number, text.find("-----BEGIN") + 1, pattern.description, body
                        )
                for match in matches:
                    value = match.group(pattern.group)
                    if pattern.id == "connection-string-password":
                        if is_placeholder(value) or value.lower() == match.group("user").lower():
                            continue
                    elif pattern.id != "private-key" and (
                        is_placeholder(value) or is_public_key(value)
                    ):
                        continue
                    if pattern.id == "huggingface-token" and not _mixed_case(value):
                        continue
                    if pattern.id == "openai-api-key" and not _mixed(value):
                        continue
                    if (number, value) not in seen:
                        seen.add((number, value))
                        yield SecretMatch(
                            number, match.start(pattern.group) + 1, pattern.description, value
                        )
    # In code, the lines that may assign a literal to a secret-named key, from one RE2
    # pass; else every line naming a key word (the test below keeps only those anyway).
    assigning = _assigning_lines(joined) if code and whole else None
    lowered_text = joined.lower() if assigning is None else ""
    if assigning is None and not any(word in lowered_text for word in _KEY_WORDS_TEXT):
        return
    # The values found so far on each line: a key's value that holds one of them (or is
    # held by one) is the same secret. Per line, so the test costs the line's findings,
    # not every finding of the file.
    on_line: dict[int, list[str]] = {}
    for number, value in seen:
        on_line.setdefault(number, []).append(value)
    assign = _CODE_ASSIGN if code else _CONFIG_ASSIGN
    # Lower-casing keeps every newline where it was, so line numbers carry over.
    lowered = None if whole else [line.lower() for line in lines]
    if assigning is not None:
        numbers = [
            number
            for number in assigning
            if any(word in lines[number - 1].lower() for word in _KEY_WORDS_TEXT)
        ]
    else:
        numbers = sorted(_line_numbers(lowered_text, _KEY_WORDS_TEXT, lowered))
    for number in numbers:
        text = lines[number - 1]
        if code and "'" not in text and '"' not in text:
            continue  # a code assignment of a literal needs a quote
        assignments: Iterable[re.Match[str] | None] = (
            assign.finditer(text) if code else [assign.match(text)]
        )
        for assigned in assignments:
            if assigned is None:
                continue
            value = assigned.group("value")
            if not code:
                value = _config_value(value)
                lead = text[: assigned.start("key")].strip(" \t\"'")  # `ENV`, `export`, `-`
                bare = assigned.group("space") is not None and not lead
                if bare and value is not None and len(value) < _BARE_VALUE_MIN:
                    continue
            if (
                value is None
                or not looks_like_secret_value(value)
                or not is_secret_key(assigned.group("key"))
            ):
                continue
            if _names_its_key(value, assigned.group("key")) and not PASSWORD_KEY.search(
                assigned.group("key")
            ):
                # CircleCI's `aws-secret-access-key: Dev_AWS_SECRET_ACCESS_KEY` (the name
                # of a context's variable), CodeBuild's `GITHUB_TOKEN: 'CodeBuild/x:github_token'`
                # (a Secrets Manager entry): where the secret is kept, not the secret.
                continue
            if not code and _names_a_secret_object(value):
                # `api_key_secret: epic8-secrets`, `auth-secret: platform-analytics-auth`
                # of a Helm chart or manifest: the Kubernetes Secret that holds the value.
                continue
            if _WORD_VALUE.fullmatch(value) and not PASSWORD_KEY.search(assigned.group("key")):
                # A word such as `token="charturnerv2"` (a textual-inversion token): people
                # choose passwords like that, but issued tokens and keys are random.
                continue
            found = on_line.setdefault(number, [])
            if any(value in s or s in value for s in found):
                continue
            found.append(value)
            yield SecretMatch(
                number, text.find(value) + 1, f"secret in `{assigned.group('key')}`", value
            )


#: A password's key: its value is what a person picked, whatever it reads.
PASSWORD_KEY = lazy_compile(r"pass(?:word|wd|phrase)?|pwd", re.IGNORECASE)


#: The words a Kubernetes Secret's name says it by (`epic8-secrets`, `grafana-auth`).
_SECRET_OBJECT_WORDS = frozenset({"secret", "secrets", "auth", "credentials", "creds", "tls"})
_OBJECT_NAME_WORD = lazy_compile(r"[a-z0-9]+")


def _names_a_secret_object(value: str) -> bool:
    """Whether `value` is a Kubernetes object's name that says it holds secrets: lower-case
    words joined by `-`, one of them `secret(s)`, `auth`, `credentials`, `tls`."""
    words = value.split("-")
    return (
        len(words) >= 2
        and all(_OBJECT_NAME_WORD.fullmatch(word) for word in words)
        and not _SECRET_OBJECT_WORDS.isdisjoint(words)
    )


def _names_its_key(value: str, key: str) -> bool:
    """Whether `value` holds the name of its own key (`-`, `.` and `_` alike, case
    ignored), six letters or more: issued tokens and keys are random, and one holding
    its key's name is a stand-in (`api_key_here`). Not asked of a password, which a
    person picks (`Password.123`)."""
    name = key.strip("\"'[] ").lower().replace("-", "_").replace(".", "_")
    return len(name) >= 6 and name in value.lower().replace("-", "_").replace(".", "_")


#: Whitespace Python's `\s` takes inside one line (a line of `str.splitlines` holds no
#: `\n`, `\r`, `\v`, `\f`, `\x1c`-`\x1e`, `\x85`, `\u2028` or `\u2029`), in UTF-8.
_LINE_SPACE = (
    rb"(?:[\t \x1f]|\xc2\xa0|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
)
#: A superset of what `_CODE_ASSIGN` matches with a key `is_secret_key` accepts, case
#: ignored (compiled so: lower-casing the text first cost a copy of it): a name holding
#: one of the words such a key must hold (`pass`, `pwd`, `secret`, `api`, `access`,
#: `private`, `tok`: camelCase `privateKey` included), the rest of the name, then an
#: optional annotation, `=` or `:`, and a quote. Its repeats are unbounded where
#: `_CODE_ASSIGN`'s are bounded: RE2 is linear either way, a bounded repeat costs it a
#: state per count (2.6x slower on transformers), and a superset only hands the exact
#: test a few more lines.
_SECRET_ASSIGNMENT = (
    rb"(?:pass|pwd|secret|api|access|private|tok)[a-z0-9_]*[\"']?\]?"
    + _LINE_SPACE
    + rb"*(?::[^\n=]*)?"
    + _LINE_SPACE
    + rb"*[=:]"
    + _LINE_SPACE
    + rb"*[rbu]{0,2}[\"']"
)


#: `_SECRET_ASSIGNMENT` for an RE2 set (case ignored by the pattern itself).
SECRET_ASSIGNMENT_IN_SET = b"(?i)" + _SECRET_ASSIGNMENT


def _secret_assignment() -> Any:
    """`_SECRET_ASSIGNMENT` compiled by RE2 over bytes, or None without google-re2 (or
    with a version that cannot compile it: the scan without it)."""
    return re2_pattern(_SECRET_ASSIGNMENT, ignore_case=True)


def _assigning_lines(text: str) -> list[int] | None:
    """1-based numbers, in order, of the lines of `text` (lines joined by `\n`) where
    `_SECRET_ASSIGNMENT` matches; None without google-re2. One linear pass, instead of a
    find per key word and line (transformers says `token` on most lines)."""
    pattern = _secret_assignment()
    if pattern is None:
        return None
    data = text.encode("utf-8", "surrogatepass")
    numbers: list[int] = []
    line, last = 1, 0
    for match in pattern.finditer(data):
        start = match.start()
        line += data.count(b"\n", last, start)
        last = start
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


# --- YAML block scalars ------------------------------------------------------------------

#: A YAML line that opens a block scalar: `description: >`, `- |`, `run: |-`, `key: >2`,
#: `- script: !!str |` (a key or a sequence dash, then an optional anchor or tag). It is
#: matched on the line without its indentation and trailing space; repeats are bounded.
_BLOCK_SCALAR_START = lazy_compile(
    r"(?P<dashes>(?:-[ ]{1,8}){0,8})"
    r"(?:-[ ]{1,8}|(?:\"[^\"]{0,256}\"|'[^']{0,256}'|[^\s#\"'][^#]{0,256}?)[ ]{0,64}:[ ]{1,64})"
    r"(?:[&!]\S{0,128}[ ]{1,64}){0,2}(?P<style>[|>])[-+1-9]{0,2}"
    r"(?:[ \t]{1,64}#.*)?$"
)
#: An assignment in code or configuration embedded in a literal block (a `run: |`
#: script, a config file in a ConfigMap): `export KEY=v`, `key = v`, `key: v`.
_EMBEDDED_ASSIGNMENT = lazy_compile(
    r"(?:export\s{1,64}|-\s{1,64})?[\"']?[A-Za-z_][\w.\-]{0,256}[\"']?\s{0,64}[=:]"
)


def yaml_block_scalars(lines: list[str]) -> dict[int, str]:
    """The 1-based numbers of the lines of YAML `lines` that are the text of a block
    scalar, each with its style: `>` (folded: prose, its lines joined into one) or `|`
    (literal: often a script or an embedded file). A block holds the lines after its
    opening line that are blank or indented deeper than the key (or the sequence dash)
    that owns it."""
    found: dict[int, str] = {}
    number = 0
    while number < len(lines):
        text = lines[number].rstrip()
        body = text.lstrip(" ")
        number += 1
        match = _BLOCK_SCALAR_START.match(body) if "|" in body or ">" in body else None
        if match is None:
            continue
        # The column of the key or dash that owns the block: its text is indented deeper.
        parent = len(text) - len(body) + match.end("dashes")
        style = match.group("style")
        end = _end_of_nested(lines, number, parent)
        found.update(dict.fromkeys(range(number + 1, end + 1), style))
        number = end
    return found


def _end_of_nested(lines: list[str], start: int, parent: int) -> int:
    """The 0-based index after the lines from `start` that are blank or indented deeper
    than column `parent` (what a key or a block scalar at that column holds)."""
    number = start
    while number < len(lines):
        text = lines[number]
        stripped = text.lstrip(" ")
        if stripped.strip() and len(text) - len(stripped) <= parent:
            break
        number += 1
    return number


#: Mappings whose values name a secret kept elsewhere, resolved when the job runs: AWS
#: CodeBuild's `env: secrets-manager:` (`TOKEN: my-secret:accessToken`) and
#: `env: parameter-store:` (`PASSWORD: /app/db/password`).
_REFERENCE_MAPPING = lazy_compile(r"(?:secrets-manager|parameter-store)[ \t]*:[ \t]*(?:#.*)?")


def yaml_secret_references(lines: list[str]) -> set[int]:
    """The 1-based numbers of the lines of YAML `lines` inside a mapping whose values are
    references to a secret store (`_REFERENCE_MAPPING`): indented deeper than its key."""
    found: set[int] = set()
    number = 0
    while number < len(lines):
        text = lines[number].rstrip()
        body = text.lstrip(" ")
        number += 1
        if not _REFERENCE_MAPPING.fullmatch(body):
            continue
        end = _end_of_nested(lines, number, len(text) - len(body))
        found.update(range(number + 1, end + 1))
        number = end
    return found


def is_embedded_assignment(text: str) -> bool:
    """Whether a line of a literal block scalar assigns with `=` or `:` (a line of a
    script or a configuration file), rather than reading as `key value` prose."""
    return _EMBEDDED_ASSIGNMENT.match(text.lstrip()) is not None


# --- credential stores whose lines are no `key = value` -----------------------------------

#: `.npmrc`: `_auth=...`, or registry-scoped `//registry.npmjs.org/:_authToken=...`.
_NPMRC = lazy_compile(
    r"^\s*(?://[^\s=]*:)?(?P<key>_authToken|_auth|_password)\s*=\s*(?P<value>\S{1,1024})"
)
#: `.netrc`: `machine host login user password VALUE` on one line.
_NETRC_PASSWORD = lazy_compile(r"(?:^|\s)(?P<key>password|account)\s+(?P<value>\S{1,1024})")
#: `.pgpass`: `host:port:database:user:password`.
_PGPASS = lazy_compile(
    r"^[^#:\s][^:]{0,255}:[^:]{0,16}:[^:]{0,255}:[^:]{0,255}:(?P<value>.{1,1024})$"
)
_CREDENTIAL_LINES = {
    ".npmrc": _NPMRC,
    ".netrc": _NETRC_PASSWORD,
    "_netrc": _NETRC_PASSWORD,
    ".pgpass": _PGPASS,
}


def scan_credential_lines(name: str, lines: list[str]) -> Iterator[SecretMatch]:
    """Secrets in the lines of a credential store whose syntax is not `key = value`
    (`.npmrc` auth entries, one-line `.netrc` entries, `.pgpass`); `name` is
    the file's base name. Placeholders (`${NPM_TOKEN}`, `changeme`) are not reported."""
    pattern = _CREDENTIAL_LINES.get(name.lower())
    if pattern is None:
        return
    for number, text in enumerate(lines, start=1):
        for match in pattern.finditer(text):
            value = match.group("value")
            if looks_like_secret_value(value):
                key = match.groupdict().get("key") or "password"
                yield SecretMatch(number, match.start("value") + 1, f"secret in `{key}`", value)


_PEM_HEADER = lazy_compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----[\s\"']*$")
_PEM_LINE = lazy_compile(r"\s*[\"']?(?P<body>[A-Za-z0-9+/=]{40,})")


def _pem_body(lines: list[str], number: int) -> str | None:
    """The first base64 line of a PEM block whose header ends line `number` (a key pasted
    across lines, as in a .pem file or a triple-quoted string)."""
    if not _PEM_HEADER.search(lines[number - 1]) or number >= len(lines):
        return None
    match = _PEM_LINE.match(lines[number])
    return match.group("body") if match else None


def _config_value(raw: str) -> str | None:
    stripped = raw.strip()
    if stripped[-1:] in (",", ";") and _VARIABLE.fullmatch(stripped[:-1].rstrip()):
        # `"token": base64Token,` in a script a YAML block embeds (Elastic's Kibana
        # chart): an object literal's variable, not a literal; JSON quotes its strings.
        return None
    value = stripped.rstrip(",;")
    if value[:1] in ('"', "'"):
        quote = value[0]
        end = value.find(quote, 1)
        if end < 0:
            return None
        return value[1:end]
    value = value.split(" #", 1)[0].strip()
    if value.startswith(("{", "[", "!", "&", "*", "|", ">")) or value in ("", "~", "null", "None"):
        return None
    if _CALL_EXPRESSION.fullmatch(value):
        return None  # code (Python in a shell heredoc): `base64.b64decode(data["KEY"])`
    return value


#: A variable's name in JavaScript or Python.
_VARIABLE = lazy_compile(r"[A-Za-z_$][\w$]*")

#: A call written as code: a dotted name, its arguments, maybe methods chained after.
_CALL_EXPRESSION = lazy_compile(r"[A-Za-z_][\w.]*\([^)]*\)(?:\.[A-Za-z_]\w*\([^)]*\))*")


def _mixed_case(value: str) -> bool:
    """Upper and lower case letters in a Hugging Face token's body: issued tokens are 34
    random letters (gitleaks' `hf_(?i:[a-z]{34})`), often without a digit."""
    body = value.split("_", 1)[-1]
    if _CODE_NAME.fullmatch(body):
        return False  # `hf_ModelForSequenceClassificationWithValueHead`: a name in code
    return any(c.isupper() for c in body) and any(c.islower() for c in body)


def _mixed(value: str) -> bool:
    """Upper and lower case letters and digits in an OpenAI key: issued keys are random."""
    return (
        any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )
