"""Warn/fail thresholds for every check, from one documented file (`thresholds.yaml`).

Users override any of them with their own YAML of the same shape (`--config`).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from connectors.model import InputError

from .model import Threshold

Thresholds = dict[str, Threshold]


def _parse(data: dict, origin: str) -> Thresholds:
    out: Thresholds = {}
    for check_id, spec in (data or {}).get("thresholds", {}).items():
        try:
            out[check_id] = Threshold(
                warn=float(spec["warn"]), fail=float(spec["fail"]),
                higher_is_worse=bool(spec.get("higher_is_worse", True)),
                rationale=str(spec.get("rationale", "")), source=str(spec.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(f"{origin}: threshold for {check_id} needs numeric warn and fail ({err})") from None
    return out


def load_thresholds(override: Path | None = None) -> Thresholds:
    text = resources.files(__package__).joinpath("thresholds.yaml").read_text(encoding="utf-8")
    out = _parse(yaml.safe_load(text), "thresholds.yaml")
    if override is not None:
        try:
            data = yaml.safe_load(Path(override).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise InputError(f"{override}: cannot read the config ({str(err).splitlines()[0]}); fix the YAML") from None
        out.update(_parse(data, str(override)))
    return out
