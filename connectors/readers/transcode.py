"""Make a text file readable by DuckDB, whose CSV reader takes only UTF-8 (FORMATS.md §0).

One streaming pass: UTF-8 files are validated (and counted) in place; legacy code pages
(windows-1251, cp866) and UTF-8 files with a few broken bytes (real Asterisk caller ids) are
written as a UTF-8 copy in the work folder. The input file itself is never touched.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

CHUNK = 16 * 1024 * 1024


@dataclass
class TextFile:
    path: Path              # what DuckDB should read
    encoding: str           # encoding of the original
    newlines: int           # b"\n" count of the original
    replaced: int = 0       # undecodable bytes replaced with U+FFFD
    transcoded: bool = False


def ensure_utf8(src: Path, encoding: str, workdir: Path) -> TextFile:
    codec = codecs.lookup(encoding).name
    if codec in ("utf-8", "utf-8-sig"):
        newlines, bad_at = _validate_utf8(src)
        if bad_at is None:
            return TextFile(src, "utf-8", newlines)
        codec = "utf-8"
    dst = workdir / (src.name + ".utf8")
    newlines, replaced = _rewrite(src, dst, codec)
    return TextFile(dst, codec, newlines, replaced=replaced, transcoded=True)


def _validate_utf8(src: Path) -> tuple[int, int | None]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, offset = 0, 0
    with src.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            newlines += chunk.count(b"\n")
            # pure ASCII is valid UTF-8 when no multi-byte sequence is pending from the last chunk;
            # the check is ~10x cheaper than decoding (call logs of numbers are all ASCII)
            if chunk.isascii() and not decoder.getstate()[0]:
                offset += len(chunk)
                continue
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                return newlines, offset + err.start
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return newlines, offset
    return newlines, None


def _rewrite(src: Path, dst: Path, codec: str) -> tuple[int, int]:
    """Copy as UTF-8; returns (newline count, characters replaced because undecodable)."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    replaced = newlines = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(CHUNK):
            newlines += chunk.count(b"\n")
            text = decoder.decode(chunk)
            replaced += text.count("\ufffd")
            fout.write(text.encode("utf-8"))
        tail = decoder.decode(b"", final=True)
        replaced += tail.count("\ufffd")
        fout.write(tail.encode("utf-8"))
    return newlines, replaced
