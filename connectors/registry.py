"""Every known export profile, listed explicitly (no registration by import side effect)."""
from __future__ import annotations

from .model import Detection, Sample
from .profile import Profile
from .systems import amocrm, asterisk, bitrix24, bitrix24_rest, generic, onec
from .systems import hubspot, pipedrive, salesforce, telephony

PROFILES: tuple[Profile, ...] = (
    *bitrix24.PROFILES,
    *bitrix24_rest.PROFILES,
    *amocrm.PROFILES,
    *asterisk.PROFILES,
    *onec.PROFILES,
    *telephony.PROFILES,
    *salesforce.PROFILES,
    *hubspot.PROFILES,
    *pipedrive.PROFILES,
    *generic.PROFILES,
)

ACCEPT = 0.5      # below this a file is "not recognised"
MARGIN = 0.08     # a runner-up this close to the winner (another system/entity) is ambiguous


def find(system: str, entity: str, extra: tuple[Profile, ...] = ()) -> Profile | None:
    """The profile of system+entity; user mapping profiles (`extra`) come first."""
    for p in (*extra, *PROFILES):
        if p.system == system and p.entity == entity:
            return p
    return None


def by_key(key: str, extra: tuple[Profile, ...] = ()) -> Profile | None:
    """The exact profile a detection chose (one system + entity may have several layouts)."""
    for p in (*extra, *PROFILES):
        if p.key == key:
            return p
    return None


def best_variant(system: str, entity: str, sample: Sample, extra: tuple[Profile, ...] = ()) -> Profile | None:
    """For a user override: the layout of system+entity that fits the file best."""
    candidates = [p for p in (*extra, *PROFILES) if p.system == system and p.entity == entity]
    return max(candidates, key=lambda p: p.score(sample)[0], default=None)


def systems() -> list[tuple[str, str]]:
    return sorted({(p.system, p.entity) for p in PROFILES})


def rank(sample: Sample, profiles: tuple[Profile, ...] | None = None) -> list[Detection]:
    out = []
    for p in PROFILES if profiles is None else profiles:
        conf, why = p.score(sample)
        if conf > 0:
            out.append(Detection(p.system, p.entity, conf, p.key, why))
    return sorted(out, key=lambda d: -d.confidence)


def detect(sample: Sample, extra: tuple[Profile, ...] = ()) -> tuple[Detection | None, str | None]:
    """(best detection, None) or (None, problem text naming the override).

    User mapping profiles (`extra`, see mapping_file.py) that match win over the built-in ones."""
    if extra:
        found, problem = _pick(rank(sample, extra))
        if found is not None or (problem or "").startswith("ambiguous"):
            return found, problem
    return _pick(rank(sample))


def _pick(ranked: list[Detection]) -> tuple[Detection | None, str | None]:
    # several profiles of one system+entity (e.g. two CDR layouts) do not compete with each other
    seen, distinct = set(), []
    for d in ranked:
        if (d.system, d.entity) not in seen:
            seen.add((d.system, d.entity))
            distinct.append(d)
    if not distinct or distinct[0].confidence < ACCEPT:
        hint = f" (closest: {distinct[0].system} {distinct[0].entity}, confidence {distinct[0].confidence:.2f})" if distinct else ""
        return None, f"not recognised as a known export{hint}; name it with PATH:system:entity (`crm-audit systems` lists them)"
    best = distinct[0]
    if len(distinct) > 1 and best.confidence - distinct[1].confidence < MARGIN:
        second = distinct[1]
        return None, (f"ambiguous: {best.system} {best.entity} ({best.confidence:.2f}) or {second.system} {second.entity} "
                      f"({second.confidence:.2f}); name it with PATH:{best.system}:{best.entity}")
    return best, None
