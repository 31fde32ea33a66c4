"""audit.json, exactly as ../shared/contract/ defines it (validated against its JSON Schema in tests)."""
from __future__ import annotations

import json
import math
from pathlib import Path

from ..result import AuditResult


def _clean(value):
    """NaN/inf are not JSON; a non-finite number becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_json(result: AuditResult, path: Path) -> Path:
    path.write_text(json.dumps(_clean(result.to_json()), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
