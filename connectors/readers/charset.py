"""Which text encoding a file is in, decided from its bytes with charset-normalizer.

Real exports come in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with or
without BOM), windows-1251 (1C, on-premise Bitrix24), cp866 (DOS 1C bank files), KOI8-R and
windows-1252 (Salesforce / Excel in Western locales). A head sample is not enough: a Salesforce
export whose first 256 KB are ASCII and whose Spanish names come later was taken for UTF-8 and
its names got replacement characters. So the decision reads the lines with non-ASCII bytes from
the whole file (up to SAMPLE_CAP of them: ASCII lines carry no evidence) and:

1. valid UTF-8 everywhere → UTF-8;
2. non-ASCII bytes that are mostly valid UTF-8 sequences → damaged UTF-8 (kept, replacements counted);
3. else charset-normalizer chooses among the single-byte code pages of real exports; a choice
   whose non-ASCII characters are mostly not letters (`¥¥` inside a caller id of the real
   Asterisk log) is garbage in an ASCII file, not a code page → UTF-8 with replacements.
"""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

LEGACY = ("cp1251", "cp1252", "cp866", "koi8_r")
SAMPLE_CAP = 1024 * 1024
CHUNK = 16 * 1024 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: mostly-ASCII text puts a zero in every other byte."""
    probe = data[:4096]
    probe = probe[: len(probe) - len(probe) % 2]
    if len(probe) < 8:
        return None
    even, odd = probe[0::2].count(0), probe[1::2].count(0)
    half = len(probe) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def nonascii_lines(path: Path, cap: int = SAMPLE_CAP) -> bytes:
    """The lines holding non-ASCII bytes, from the whole file (stops once `cap` bytes are gathered)."""
    out: list[bytes] = []
    size, tail = 0, b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            data = tail + chunk
            if data.isascii():
                tail = data[data.rfind(b"\n") + 1:]
                continue
            lines = data.split(b"\n")
            tail = lines.pop()
            for line in lines:
                if not line.isascii():
                    out.append(line)
                    size += len(line) + 1
                    if size >= cap:
                        return b"\n".join(out)
    if tail and not tail.isascii():
        out.append(tail)
    return b"\n".join(out)


def choose(sample: bytes, hint: str | None = None) -> str:
    """The encoding of text whose non-ASCII lines are `sample` (a Python codec name)."""
    if not sample or sample.isascii():
        return "utf-8"
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad == 0 or (good and bad <= 0.1 * good):
        return "utf-8"
    results = from_bytes(sample, cp_isolation=list(LEGACY))
    names = {_name(m.encoding): m for m in results}
    best = results.best()
    if hint and _name(hint) in names and best is not None and names[_name(hint)].chaos <= best.chaos:
        best = names[_name(hint)]  # the head's verdict stands when the whole file does not contradict it
    if best is None or _name(best.encoding) not in LEGACY:
        return "utf-8"
    decoded = str(best)
    high = [ch for ch in decoded if ord(ch) > 127]
    letters = sum(1 for ch in high if unicodedata.category(ch).startswith("L"))
    if not high or letters < 0.5 * len(high):
        return "utf-8"  # stray bytes, not words in a code page: keep UTF-8 and count the damage
    return _name(best.encoding)


def choose_head(head: bytes, complete: bool) -> str:
    """The same decision on a bounded head (the sniffer's first guess; readers decide on the whole file)."""
    probe = head if complete else head[: head.rfind(b"\n") + 1] or head
    try:
        probe.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if not complete and err.start >= len(probe) - 4:
            return "utf-8"
    return choose(b"\n".join(line for line in probe.split(b"\n") if not line.isascii()))


def _name(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"koi8-r": "koi8_r"}.get(name, name)
