"""One masking step for every text that leaves the tool.

Findings, fix hints, diagnostics, usage errors, baselines, the cache and `--diff` all pass
through `mask_secrets` where they are made, so no output holds a secret whole, whatever
rule quoted it. The detector (`detectors/secrets.py`) decides what a secret is; this module
only replaces what it finds, in one pass over the text.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

from twelvefold.lazy_regex import lazy_compile


def mask_secrets(text: str) -> str:
    """`text` with every secret the detector recognises replaced by its masked form
    (`AKIA…(20 chars)`), wherever in the text it appears.

    The one masking step of everything that leaves the tool: the engine masks each
    finding (message, fix, source line) and each `Diagnostic` masks its message when
    made, so the reports, the baseline, the cache and the memo only ever hold masked
    text; `--diff` and every stderr line (`log_line`) are masked too. It also masks what
    a cut (`text[:67] + "..."`) left of a provider's key or of a URL's password, which
    the detector's patterns no longer match.

    Cheap when there is nothing to mask (one substring test per detector literal, and
    short texts, such as the fix texts every finding of a rule shares, are remembered);
    linear in the text otherwise. What it returns is `Masked`, and masking that again
    costs nothing: a finding's message is masked where the engine makes it and passes
    the report and the formats on the way out.
    """
    if type(text) is Masked:
        return text
    if len(text) <= _REMEMBERED_CHARS:
        return _mask_remembered(text)
    return Masked(_mask(text))


class Masked(str):
    """A text `mask_secrets` returned. Anything built from it (a slice, an f-string) is a
    plain `str` again and is masked again; a cache or a pool hands back plain text too."""

    __slots__ = ()


#: Texts up to this long are masked once per process (fix texts and messages repeat).
_REMEMBERED_CHARS = 512
#: Up to this many distinct secrets are masked everywhere in the text in one pass;
#: beyond, each where it was found (a pass per secret would be quadratic).
_EVERYWHERE = 32


@functools.lru_cache(maxsize=4096)
def _mask_remembered(text: str) -> Masked:
    return Masked(_mask(text))


def mask_lines(lines: list[str]) -> list[str]:
    """`mask_secrets` of each of `lines` (one line each: the source lines of a file's
    findings), the detector run once over all of them: a file of 100,000 findings pays
    its per-scan costs once, not per finding. Each line is masked as it would be alone."""
    masked: list[str] = list(lines)
    batch: dict[str, list[int]] = {}  # line -> its indexes (findings share lines)
    for index, line in enumerate(lines):
        if type(line) is Masked:
            continue
        if _LINE_BREAK.search(line) is not None:
            masked[index] = mask_secrets(line)  # not one line: masked on its own
        else:
            batch.setdefault(line, []).append(index)
    texts = list(batch)
    hits = _hits(texts)
    for number, text in enumerate(texts):
        found = hits.get(number)
        done = Masked(_replaced(text, found) if found else text)
        for index in batch[text]:
            masked[index] = done
    return masked


#: What `str.splitlines` breaks a line at.
_LINE_BREAK = lazy_compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _mask(text: str) -> str:
    lines = text.splitlines(keepends=True) or [text]
    hits = _hits(lines)
    if not hits:
        return text
    everything = {value: masked for found in hits.values() for value, masked in found.items()}
    if len(everything) <= _EVERYWHERE:
        return _replaced(text, everything)
    for index, found in hits.items():
        lines[index] = _replaced(lines[index], found, everywhere=False)
    return "".join(lines)


def masked_values(text: str, values: list[str]) -> Masked:
    """`text` with each of `values` (what the detector found in it) replaced by its masked
    form: a rule that scanned the text itself passes it on masked, with no second scan."""
    from twelvefold.detectors.secrets import mask

    return Masked(_replaced(text, {value: mask(value) for value in values}) if values else text)


def _replaced(text: str, found: dict[str, str], *, everywhere: bool = True) -> str:
    """`text` with each found value replaced by its masked form, the longest first."""
    if len(found) == 1:  # the usual case: no pattern to compile for one value
        ((value, masked),) = found.items()
        return text.replace(value, masked)
    if everywhere and len(found) <= _EVERYWHERE:
        values = sorted(found, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, values)))
        return pattern.sub(lambda m: found[m.group()], text)
    for value in sorted(found, key=len, reverse=True):
        text = text.replace(value, found[value])
    return text


def _hits(lines: list[str]) -> dict[int, dict[str, str]]:
    """Index of a line -> {secret found in it, as written and JSON-escaped: its mask}."""
    hits: dict[int, dict[str, str]] = {}
    anchors, words = _secret_hints()
    text = "\n".join(lines)
    # The detector's own cheap test first: most texts hold no anchor and no key word.
    present = [anchor for anchor in anchors if anchor in text]
    lowered = text.lower()
    named = [word for word in words if word in lowered]
    # What a cut left of a secret (`ghp_Qz7R...`), looked for in the lines only where the
    # whole text holds one: a masked value (`xEEs…(16 chars)`) is no cut secret.
    from twelvefold.detectors.secrets import mask, scan_lines  # loaded by _secret_hints

    cut = ("..." in text or "\u2026" in text) and bool(_cut_secrets(text, mask))
    if not present and not named and not cut:
        return hits

    # Lines worth scanning, each with the line it came from. A notebook line is JSON
    # (`"source": "api_key = …\\n",`): its strings are also scanned decoded, the way
    # the secret rule read the cell.
    candidates: list[str] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        if cut and ("..." in line or "\u2026" in line) and (found := _cut_secrets(line, mask)):
            hits.setdefault(index, {}).update(found)
        if not _may_hold(line, present, named):
            continue
        candidates.append(line.splitlines()[0] if line else line)
        origin.append(index)
        for string in _json_strings(line):
            # Only a string holding a literal or key word the detector looks for can
            # hold a secret (the same test as the line's).
            if _may_hold(string, present, named):
                candidates.append(string)
                origin.append(index)
    if candidates:
        data = "\n".join(candidates).encode("utf-8", "surrogatepass")
        lower = data.lower()
        for code in (True, False):  # Python and config quoting find other key = value forms
            for match in scan_lines(candidates, data, lower, code=code):
                masked = mask(match.value)
                found = hits.setdefault(origin[match.line - 1], {})
                found[match.value] = masked
                for ascii in (False, True):  # as a JSON file (a notebook) writes it
                    escaped = json.dumps(match.value, ensure_ascii=ascii)[1:-1]
                    if escaped != match.value:
                        found[escaped] = masked
    return hits


def _may_hold(line: str, anchors: list[str], words: list[str]) -> bool:
    """Whether `line` holds one of the detector's literals or (any case) key words."""
    if any(anchor in line for anchor in anchors):
        return True
    if not words:
        return False
    lowered = line.lower()
    return any(word in lowered for word in words)


# What a cut leaves of a provider's key (`ghp_Qz7R...`) or of a URL's password
# (`https://bob:Hq8s...`): too short for the detector's patterns, still most of it.
_CUT_TOKEN = lazy_compile(
    r"(?<![A-Za-z0-9_])(?:AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-"
    r"|[sr]k_live_|sk-(?:ant-|proj-|svcacct-)?|hf_|AIza|GOCSPX-|pypi-)"
    r"(?P<tail>[A-Za-z0-9_\-]{6,})(?=\.\.\.|\u2026)"
)
_CUT_PASSWORD = lazy_compile(
    r"://(?P<user>[A-Za-z0-9_.~%+\-]{1,64}):(?P<secret>[^@/\s'\"`<>{}$]{3,128}?)(?=\.\.\.|\u2026)"
)


def _cut_secrets(line: str, mask: Callable[[str], str]) -> dict[str, str]:
    from twelvefold.detectors.secrets import is_placeholder

    found: dict[str, str] = {}
    for match in _CUT_TOKEN.finditer(line):
        tail = match.group("tail")
        random = any(c.isdigit() for c in tail) and any(c.isalpha() for c in tail)
        mixed = len(tail) >= 10 and tail.lower() != tail and tail.upper() != tail
        if (random or mixed) and not is_placeholder(match.group()):
            found[match.group()] = mask(match.group())
    for match in _CUT_PASSWORD.finditer(line):
        secret = match.group("secret")
        if (
            secret.isdigit()  # a port: `postgres://db:5432...`
            or secret.lower() == match.group("user").lower()
            or is_placeholder(secret)
        ):
            continue
        found[secret] = mask(secret)
    return found


_JSON_STRING = lazy_compile(r'"((?:[^"\\\n]|\\.)*)"')


def _json_strings(line: str) -> list[str]:
    """Each JSON string literal in `line`, decoded, as its own lines (a cell's source
    line ends with an escaped newline)."""
    if '"' not in line:
        return []
    found: list[str] = []
    for literal in _JSON_STRING.finditer(line):
        if "\\" not in literal.group(1):
            found.append(literal.group(1))
            continue
        try:
            decoded = json.loads(f'"{literal.group(1)}"')
        except ValueError:
            continue
        found.extend(part for part in decoded.splitlines() if part)
    return found


@functools.cache
def _secret_hints() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from twelvefold.detectors.secrets import KEY_WORDS, PATTERNS

    anchors = tuple(dict.fromkeys(a.decode() for pattern in PATTERNS for a in pattern.anchors))
    return anchors, tuple(word.decode() for word in KEY_WORDS)
