"""Unpacking an uploaded .zip into the audit's folder, refusing what a hostile archive would do.

Refused, each with a one-line reason: entries whose name would land outside the folder (zip slip),
symlinks, password-protected entries, an entry inflating more than 200:1 (zip bomb), more unpacked
bytes than the limit, too many entries. Sizes are counted while inflating, never taken from the
headers alone (they can lie).
"""
from __future__ import annotations

import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from connectors.archive import MAX_ENTRIES, MAX_RATIO, RATIO_FROM, LimitExceeded, stream_entry

from .names import BadName, check_name


class ArchiveRefused(ValueError):
    """The message is the one line the client sees; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Entry:
    name: str     # the client-visible relative name (zip's folder + entry path)
    stored: Path  # where its bytes are (a generated name)
    size: int


def is_zip(name: str, path: Path) -> bool:
    return name.lower().endswith(".zip") and zipfile.is_zipfile(path)


def unpack(archive: Path, shown: str, budget: int, new_path: Callable[[str], Path]) -> list[Entry]:
    """Unpack `archive` (the client called it `shown`); `budget` = unpacked bytes still allowed.

    `new_path(name)` gives a fresh generated path for an entry. On refusal, whatever was written is
    removed by the caller (it deletes the whole upload).
    """
    base = PurePosixPath(shown).parent
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as err:
        raise ArchiveRefused(f"{shown}: not a readable zip archive ({err}); pack it again") from None
    out: list[Entry] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            raise ArchiveRefused(f"{shown}: {len(infos):,} entries, more than {MAX_ENTRIES:,}; split the archive", 413)
        for info in infos:
            try:
                inner = check_name(info.filename, "archive entry")
            except BadName as err:
                raise ArchiveRefused(f"{shown}: {err} (it would land outside the audit's folder: zip slip)") from None
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ArchiveRefused(f"{shown}: entry '{inner}' is a symbolic link; archives with links are refused")
            if info.flag_bits & 0x1:
                raise ArchiveRefused(f"{shown}: entry '{inner}' is password-protected; pack it without a password")
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ArchiveRefused(_bomb(shown, inner, info.file_size, info.compress_size), 413)
            if info.file_size > budget:
                raise ArchiveRefused(_too_big(shown, inner), 413)
            name = str(base / inner) if str(base) != "." else inner
            dst = new_path(name)
            written = _inflate(zf, info, dst, shown, inner, budget)
            budget -= written
            out.append(Entry(name, dst, written))
    return out


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dst: Path, shown: str, inner: str, budget: int) -> int:
    """The CLI's inflating loop (connectors/archive.py), its limits told as this upload's refusals."""
    try:
        with dst.open("xb") as fh:
            return stream_entry(zf, info, fh, budget, declared=False)
    except LimitExceeded as err:
        if err.kind == "budget":
            raise ArchiveRefused(_too_big(shown, inner), 413) from None
        raise ArchiveRefused(_bomb(shown, inner, err.written, info.compress_size), 413) from None
    except (zipfile.BadZipFile, EOFError, NotImplementedError, OSError) as err:
        raise ArchiveRefused(f"{shown}: entry '{inner}' cannot be unpacked ({err}); pack the archive again") from None
    except Exception as err:  # zlib.error and lzma errors are not OSErrors: a damaged entry is the archive's problem
        raise ArchiveRefused(f"{shown}: entry '{inner}' is damaged ({type(err).__name__}); pack the archive again") from None


def _bomb(shown: str, inner: str, size: int, packed: int) -> str:
    ratio = size / max(packed, 1)
    return (f"{shown}: entry '{inner}' inflates {ratio:,.0f}:1 (more than {MAX_RATIO}:1); refused as a possible "
            f"zip bomb — send the file itself")


def _too_big(shown: str, inner: str) -> str:
    return (f"{shown}: unpacking '{inner}' goes over the unpacked-size limit (--max-unpacked-mb); "
            f"send fewer files or raise the limit")
