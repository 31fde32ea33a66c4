"""Which files to audit: the paths given, folders searched recursively, and every skipped entry said.

A folder users send may hold anything: links to missing files, links out of the folder, named
pipes (opening one blocks forever), folders named like files. None of them is read, and each gets
its line in the per-file report (`Target.problem`), so nothing disappears without a word.
Hidden files and the tool's own databases are the only entries skipped silently (documented).
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from . import registry
from .model import InputError

_SKIP_NAMES = re.compile(r"(^\.|\.duckdb(\.wal)?$|^~\$|\.pyc$)")
_FILE_LIKE = re.compile(r"\.(csv|tsv|txt|xlsx|xls|ods|xml|html?|zip)$", re.I)


@dataclass
class Target:
    path: Path
    display: str
    override: tuple[str, str] | None = None
    problem: str | None = None       # set when the entry is not read at all (said, never silent)


def parse_target(arg: str) -> tuple[str, tuple[str, str] | None]:
    """`PATH:system:entity` → (PATH, (system, entity)); anything else is a plain path."""
    parts = arg.rsplit(":", 2)
    if len(parts) == 3 and (parts[1], parts[2]) in registry.systems():
        return parts[0], (parts[1], parts[2])
    if len(parts) == 3 and not Path(arg).exists() and Path(parts[0]).exists():
        known = ", ".join(f"{s}:{e}" for s, e in registry.systems())
        raise InputError(f"unknown system:entity '{parts[1]}:{parts[2]}' in {arg}; use one of: {known}")
    return arg, None


def discover(args: list[str]) -> list[Target]:
    targets: list[Target] = []
    for arg in args:
        raw, override = parse_target(arg)
        path = Path(raw)
        if not path.exists():
            if path.is_symlink():
                raise InputError(f"{raw}: a symbolic link to a missing file ({os.readlink(path)}); fix the link or pass the file itself")
            raise InputError(f"{raw}: no such file or folder; check the path")
        if path.is_dir():
            targets += _walk(path, override)
        else:
            targets.append(Target(path, display(path), override, _special_problem(path)))
    return targets


def _walk(root: Path, override) -> list[Target]:
    """Every entry under `root`, sorted; links are not followed (a link's target is said instead)."""
    real_root = root.resolve()
    out: list[Target] = []

    def visit(folder: Path) -> bool:
        found = False
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            out.append(Target(folder, display(folder), override, f"cannot list the folder ({err.strerror}); check its permissions"))
            return True
        for entry in entries:
            if _SKIP_NAMES.search(entry.name):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                out.append(_link_target(path, real_root, override))
                found = True
            elif entry.is_dir(follow_symlinks=False):
                if not visit(path) and _FILE_LIKE.search(entry.name):
                    out.append(Target(path, display(path), override,
                                      "a folder named like a file, with no file inside; pass the export file itself"))
                found = True
            else:
                out.append(Target(path, display(path), override, _special_problem(path)))
                found = True
        return found

    visit(root)
    return out


def _link_target(path: Path, real_root: Path, override) -> Target:
    try:
        goal = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target or a loop
        return Target(path, display(path), override,
                      f"a symbolic link to a missing file ({os.readlink(path)}); nothing read — fix or remove the link")
    inside = goal == real_root or real_root in goal.parents
    if not inside:
        return Target(path, display(path), override,
                      f"a symbolic link leading outside the given folder (to {goal}); not followed — "
                      "pass that path itself if it should be audited")
    if goal.is_dir():
        return Target(path, display(path), override,
                      "a symbolic link to a folder inside the given folder; not followed (its files are audited there)")
    return Target(path, display(path), override,
                  f"a symbolic link to {display(goal)} inside the given folder; not read twice (that file is audited)")


def _special_problem(path: Path) -> str | None:
    """Named pipes, sockets and devices are never opened: reading a FIFO blocks the audit."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot read the file ({err.strerror}); check permissions"
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISBLK(mode) or stat.S_ISCHR(mode) else "not a regular file")
    return f"{kind}, not a file; nothing read — save the export as a regular file"


def display(path: Path) -> str:
    try:
        # the folder resolved, the name kept: a link is shown as the link, not as its target
        full = Path(os.path.abspath(path))
        return str((full.parent.resolve() / full.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
