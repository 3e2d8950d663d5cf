"""Baselines: adopt twelvefold on a repository that already has violations.

`twelvefold check --write-baseline FILE` records today's findings; `twelvefold check
--baseline FILE` then reports only findings that are not in it. A finding is matched by
its *fingerprint*, never by its line number, so a baseline survives unrelated edits:

* rule code + path + what was found: the `key` a rule attaches to its violation (secret
  rules set a hash of the secret), else the finding's source line with all whitespace
  removed and quotes unified (so re-indenting or re-formatting the line keeps it), else
  the message (repo-level findings have no line);
* plus the other files a grouped finding covers (`Finding.files`), so a notebook joining
  the group is reported, not hidden by the group's entry;
* plus the occurrence index among findings with that same identity in the file, so two
  identical lines are two entries and fixing one of them reports the other.

The file stores only the fingerprint (a SHA-256 digest), the code, the path and, for
humans reviewing it, the message — never the source line, and never the message of a
finding that carries a `key` (a secret finding), so a secret is never stored in clear.

Entries that no longer match (the finding was fixed) are reported as `info` findings
so the baseline shrinks over time: re-run `--write-baseline` to drop them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from twelvefold.lazy_regex import lazy_compile
from twelvefold.model import Finding, Severity

BASELINE_VERSION = 1
_SPACE = lazy_compile(r"\s+")


class BaselineError(ValueError):
    """The baseline file is missing, unreadable or not a twelvefold baseline."""


def _identity(finding: Finding) -> str:
    if finding.key is not None:
        what = "key:" + finding.key
    elif finding.source is not None and finding.source.strip():
        what = "line:" + _SPACE.sub("", finding.source).replace("'", '"')
    else:
        what = "message:" + finding.message
    # A grouped finding is the set of files it covers: a file added to the group is a
    # new violation the baseline must not hide.
    return "\0".join((finding.code, finding.path or "", what, *sorted(finding.files)))


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable fingerprint per finding, in the order given.

    Identical identities are numbered in the order of the findings (sorted by line), so
    the n-th occurrence keeps its fingerprint when lines move.
    """
    seen: Counter[str] = Counter()
    result = [""] * len(findings)
    for position in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
        identity = _identity(findings[position])
        occurrence = seen[identity]
        seen[identity] += 1
        payload = f"{identity}\0{occurrence}".encode("utf-8", "surrogatepass")
        result[position] = hashlib.sha256(payload).hexdigest()[:32]
    return result


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str | None
    message: str


def write(path: Path, findings: Sequence[Finding]) -> int:
    """Record `findings` in `path`; returns how many entries were written."""
    from twelvefold.masking import mask_secrets

    entries = [
        {
            "fingerprint": digest,
            "code": finding.code,
            "path": finding.path,
            # A finding with a key (a secret) keeps only its rule name: the message
            # shows a masked prefix of the secret, which has no place in a committed file.
            # Other messages come masked from the engine; masked again here, since this
            # file is committed (it costs nothing when there is nothing to mask).
            "message": finding.name if finding.key is not None else mask_secrets(finding.message),
        }
        for finding, digest in zip(findings, fingerprints(findings), strict=True)
    ]
    entries.sort(key=lambda e: (e["path"] or "", e["code"], e["fingerprint"]))
    document = {"version": BASELINE_VERSION, "tool": "twelvefold", "findings": entries}
    from twelvefold import safe_io

    safe_io.write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return len(entries)


#: A baseline bigger than this is refused: a real one is a few hundred kB at most.
MAX_BASELINE_BYTES = 32 * 1024 * 1024


def read(path: Path) -> list[Entry]:
    """The entries of a baseline file, or a `BaselineError` with a one-line message.

    The file is untrusted (it is committed beside the code it excuses): it must be a
    regular file (never a FIFO, a device or a symlink), at most `MAX_BASELINE_BYTES`,
    and every field has the type the writer gives it.
    """
    from twelvefold.sources import read_regular_file

    try:
        if path.is_symlink():
            raise BaselineError(f"{path}: the baseline is a symlink; refused")
        raw = read_regular_file(path, MAX_BASELINE_BYTES)
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found (create it with --write-baseline)"
        ) from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    if len(raw) > MAX_BASELINE_BYTES:
        raise BaselineError(f"{path}: the baseline is over {MAX_BASELINE_BYTES // 2**20} MiB")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise BaselineError(f"{path}: not a twelvefold baseline (JSON nested too deeply)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("tool") != "twelvefold":
        raise BaselineError(f'{path}: not a twelvefold baseline (no "tool": "twelvefold")')
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: baseline version {document.get('version')!r} is not supported"
        )
    raw_entries = document.get("findings", [])
    if not isinstance(raw_entries, list):
        raise BaselineError(f'{path}: "findings" must be a list of entries')
    entries: list[Entry] = []
    for number, raw_entry in enumerate(raw_entries, start=1):
        if (
            not isinstance(raw_entry, dict)
            or not isinstance(raw_entry.get("fingerprint"), str)
            or not isinstance(raw_entry.get("code"), str)
        ):
            raise BaselineError(f"{path}: entry {number} has no fingerprint or code")
        entry_path = raw_entry.get("path")
        if entry_path is not None and not isinstance(entry_path, str):
            raise BaselineError(f'{path}: entry {number}: "path" must be a string or null')
        message = raw_entry.get("message", "")
        entries.append(
            Entry(
                raw_entry["fingerprint"],
                raw_entry["code"],
                entry_path,
                message if isinstance(message, str) else "",
            )
        )
    return entries


def apply(
    findings: Sequence[Finding],
    entries: Sequence[Entry],
    in_scope: Callable[[Entry], bool],
    describe: Callable[[str], tuple[str, int]],
) -> tuple[list[Finding], int]:
    """The findings not in the baseline, plus an `info` finding per stale entry.

    `in_scope(entry)` says whether this run could have reproduced the entry (its rule
    ran, its file was audited): only those can be stale. `describe(code)` gives the
    rule's name and factor. Returns the findings and how many were suppressed.
    """
    # An entry excuses the finding it was written for: same fingerprint, same rule, same
    # file. A fingerprint alone could be relabelled (code TF999, a harmless path) and
    # still hide the finding it was copied from.
    known = {(entry.fingerprint, entry.code, entry.path or None) for entry in entries}
    digests = fingerprints(findings)
    identities = [
        (digest, finding.code, finding.path or None)
        for finding, digest in zip(findings, digests, strict=True)
    ]
    kept = [
        finding
        for finding, identity in zip(findings, identities, strict=True)
        if identity not in known
    ]
    matched = set(identities) & known
    stale: list[Finding] = []
    for entry in entries:
        if (entry.fingerprint, entry.code, entry.path or None) in matched or not in_scope(entry):
            continue
        name, factor = describe(entry.code)
        stale.append(
            Finding(
                path=entry.path,
                line=None,
                column=None,
                code=entry.code,
                name=name,
                factor=factor,
                severity=Severity.INFO,
                message=f"baseline entry no longer found (fixed?): {entry.message}",
                fix="Re-run `twelvefold check --write-baseline FILE` to drop stale entries.",
            )
        )
    merged = sorted([*kept, *stale], key=Finding.sort_key)
    return merged, len(findings) - len(kept)
