"""Client file names: checked and kept as metadata, never used to choose where bytes are stored.

A browser sends a dropped folder's files with their relative path as the file name
(`exports/1c/Контрагенты.xlsx`); zip entries carry paths too. Such a name is accepted only if it is
a plain relative path, and refused with a one-line reason otherwise (OWASP File Upload Cheat Sheet:
no `..`, absolute paths, NUL or control characters, reserved device names).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from connectors.discover import _SKIP_NAMES  # the CLI's own rule for files a folder scan skips

MAX_NAME_BYTES = 1024
MAX_PART_BYTES = 255
MAX_DEPTH = 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Windows device names are reserved in every folder and with any extension (CON.csv is CON)
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$", re.I)
_DRIVE = re.compile(r"^[a-zA-Z]:")


class BadName(ValueError):
    """A client file name that cannot be accepted (the message is the one line the client sees)."""


def check_name(raw: str, what: str = "file name") -> str:
    """The client's relative path, normalised (NFC, `/` separators), or BadName saying why not."""
    shown = raw.encode("unicode_escape").decode("ascii")[:120]
    if not raw or not raw.strip():
        raise BadName(f"an empty {what}; give every file a name")
    if _CONTROL.search(raw):
        raise BadName(f"{what} '{shown}' holds NUL or control characters; rename the file")
    name = unicodedata.normalize("NFC", raw).replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise BadName(f"{what} '{shown}' is an absolute path; send paths relative to the dropped folder")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise BadName(f"{what} '{shown}…' is longer than {MAX_NAME_BYTES} bytes; shorten it")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts:
        raise BadName(f"{what} '{shown}' names no file")
    if len(parts) > MAX_DEPTH:
        raise BadName(f"{what} '{shown}' is nested deeper than {MAX_DEPTH} folders")
    for part in parts:
        if part == "..":
            raise BadName(f"{what} '{shown}' climbs out of its folder with '..'; refused")
        if _DEVICE.match(part.rstrip(" .")):
            raise BadName(f"{what} '{shown}' uses the reserved device name '{part}'; rename it")
        if len(part.encode("utf-8")) > MAX_PART_BYTES:
            raise BadName(f"{what} '{shown}': a name part is longer than {MAX_PART_BYTES} bytes; shorten it")
    return "/".join(parts)


def skipped(name: str) -> bool:
    """True for what `crm-audit run FOLDER` skips too (hidden files such as .DS_Store, Office lock files)."""
    return any(_SKIP_NAMES.search(part) for part in PurePosixPath(name).parts)


def sort_key(name: str) -> PurePosixPath:
    """The order the CLI lists a folder's files in (it sorts Path objects), so audit.json matches."""
    return PurePosixPath(name)


def extension(name: str) -> str:
    """A short, plain extension for the stored copy (readers look at it: .xlsx, .xml, .csv)."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
