"""Every known export profile, listed explicitly (no registration by import side effect)."""
from __future__ import annotations

from .model import Detection, Sample
from .profile import Profile
from .systems import amocrm, asterisk, bitrix24, generic

PROFILES: tuple[Profile, ...] = (
    *bitrix24.PROFILES,
    *amocrm.PROFILES,
    *asterisk.PROFILES,
    *generic.PROFILES,
)

ACCEPT = 0.5      # below this a file is "not recognised"
MARGIN = 0.08     # a runner-up this close to the winner (another system/entity) is ambiguous


def find(system: str, entity: str) -> Profile | None:
    for p in PROFILES:
        if p.system == system and p.entity == entity:
            return p
    return None


def systems() -> list[tuple[str, str]]:
    return sorted({(p.system, p.entity) for p in PROFILES})


def rank(sample: Sample) -> list[Detection]:
    out = []
    for p in PROFILES:
        conf, why = p.score(sample)
        if conf > 0:
            out.append(Detection(p.system, p.entity, conf, p.key, why))
    return sorted(out, key=lambda d: -d.confidence)


def detect(sample: Sample) -> tuple[Detection | None, str | None]:
    """(best detection, None) or (None, problem text naming the override)."""
    ranked = rank(sample)
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
