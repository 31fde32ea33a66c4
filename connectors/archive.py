"""Zip archives, checked before anything expands them: .zip folders of exports and XLSX/ODS workbooks.

A zip's directory says how big each entry becomes; a bomb says gigabytes for kilobytes. The limits
are checked on the directory first, then again while bytes are written (a directory can lie):
  total uncompressed size  MAX_TOTAL (2 GiB; CRM_AUDIT_MAX_UNPACKED=<bytes> to change),
  ratio per entry          200:1 for entries over 1 MiB (real CSV and sheet XML stay under ~30:1;
                           tiny entries are exempt: a 2 KB file of blanks may legitimately reach it),
  entries                  10 000.
Unpacking writes only regular files, only under the destination: absolute names, `..`, symlink
entries and nested archives are refused by name, each with its line.
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
MAX_ENTRIES = 10_000
_CHUNK = 1024 * 1024


def max_total() -> int:
    try:
        return int(os.environ.get("CRM_AUDIT_MAX_UNPACKED", 2 * 1024 ** 3))
    except ValueError:
        return 2 * 1024 ** 3


def _mib(n: int) -> str:
    return f"{n / 1024 ** 2:,.0f} MiB"


def zip_problem(zf: zipfile.ZipFile, what: str = "archive") -> str | None:
    """A one-line refusal when the directory announces a bomb, else None."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return f"the {what} holds {len(infos):,} entries (limit {MAX_ENTRIES:,}); unpack it and pass the folder"
    total = sum(i.file_size for i in infos)
    if total > max_total():
        return (f"the {what} expands to {_mib(total)} (limit {_mib(max_total())}, CRM_AUDIT_MAX_UNPACKED to change); "
                "a zip bomb or a huge export: split it and export again")
    for i in infos:
        if i.file_size > RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            return (f"entry {i.filename[:60]!r} of the {what} expands {i.file_size // max(i.compress_size, 1):,}:1 "
                    f"(limit {MAX_RATIO}:1): a zip bomb, not an export; export the file again")
    return None


@dataclass
class Unpacked:
    files: list[tuple[Path, str]] = field(default_factory=list)     # (extracted path, name inside the archive)
    skipped: list[tuple[str, str]] = field(default_factory=list)    # (name inside the archive, problem)


_SKIP = re.compile(r"(^|/)(__MACOSX|\.[^/]*)(/|$)|(^|/)~\$")


def unpack(archive: Path, dest: Path) -> Unpacked:
    """Extract the regular files of a zip of exports into `dest`, safely; raises ValueError with a
    one-line problem when the archive as a whole is refused."""
    out = Unpacked()
    with zipfile.ZipFile(archive) as zf:
        problem = zip_problem(zf)
        if problem:
            raise ValueError(problem)
        budget = max_total()
        for n, info in enumerate(zf.infolist()):
            name = info.filename
            mode = info.external_attr >> 16
            pure = PurePosixPath(name.replace("\\", "/"))
            if info.is_dir() or (_SKIP.search(name) and ".." not in pure.parts):
                continue  # folders and hidden entries (__MACOSX, .DS_Store) as in a folder
            if stat.S_ISLNK(mode):
                out.skipped.append((name, "a symbolic link inside the archive; not followed — put the file itself in the archive"))
                continue
            if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                out.skipped.append((name, "an entry with an absolute or `..` path (would land outside the archive's "
                                          "folder); not unpacked — re-create the archive from the folder"))
                continue
            if pure.suffix.lower() == ".zip":
                out.skipped.append((name, "an archive inside the archive; not unpacked — unpack it and pass the folder"))
                continue
            if info.flag_bits & 0x1:
                out.skipped.append((name, "an encrypted entry; unpack it with its password and pass the files"))
                continue
            target = dest / f"{n:05d}" / pure.name  # flat, numbered: no name can reach outside `dest`
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                budget = _copy(zf, info, target, budget)
            except ValueError as err:
                target.unlink(missing_ok=True)
                out.skipped.append((name, str(err)))
                if budget <= 0:
                    break
                continue
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
                target.unlink(missing_ok=True)
                out.skipped.append((name, f"cannot unpack this entry ({str(err)[:80]}); re-create the archive"))
                continue
            out.files.append((target, name))
    return out


class LimitExceeded(ValueError):
    """An entry inflated past a limit while it was written: `kind` is "declared" (more than its
    directory entry said), "ratio" (over MAX_RATIO:1) or "budget" (over the bytes still allowed)."""

    def __init__(self, kind: str, written: int):
        super().__init__(kind)
        self.kind, self.written = kind, written


def stream_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dst, budget: int, *, declared: bool = True) -> int:
    """Copy one entry into the open binary file `dst`, counting the real bytes (a directory can lie)
    against the declared size (when `declared`), the ratio and `budget`; returns the bytes written.
    The one inflating loop behind both the CLI's archives and the web app's uploads."""
    written = 0
    ratio_cap = max(RATIO_FROM, MAX_RATIO * max(info.compress_size, 1))
    with zf.open(info) as src:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if declared and written > max(info.file_size, 0):
                raise LimitExceeded("declared", written)
            if written > budget:
                raise LimitExceeded("budget", written)
            if written > ratio_cap:
                raise LimitExceeded("ratio", written)
            dst.write(chunk)
    return written


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Stream one entry into `target`; returns the budget left."""
    with target.open("wb") as dst:
        try:
            written = stream_entry(zf, info, dst, budget)
        except LimitExceeded:
            raise ValueError("this entry expands beyond what the archive declares or the limits allow "
                             f"({MAX_RATIO}:1, {_mib(max_total())} in all): not unpacked — a zip bomb? re-create the archive") from None
    return budget - written
