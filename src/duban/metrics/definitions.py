"""Indicator definitions, read from ``indicators.toml`` (or another file in the same format)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

FACILITY_KINDS = (
    "elderly_institution",
    "support_home",
    "regional_center",
    "township_center",
    "community_facility",
    "childcare",
    "elderly_university",
)
NATURES = ("public", "inclusive", "private")
FACILITY_FIELDS = ("beds", "nursing_beds", "places", "enrolled", "count")
METHODS = ("linear", "cagr")


class DefinitionError(ValueError):
    """An indicator file that does not describe valid indicators; the message names the indicator."""


@dataclass(frozen=True)
class FacilityMeasure:
    """A sum over the facilities active on a period's last day."""

    field: str
    kinds: tuple[str, ...] = ()
    natures: tuple[str, ...] = ()
    min_beds: float | None = None
    comprehensive: bool | None = None
    has_medical: bool | None = None


@dataclass(frozen=True)
class ElementMeasure:
    """A statistical element: its latest value at or before the period's end, or (``cumulative``) a flow
    summed from the plan's start to the period's end."""

    element: str
    cumulative: bool = False


@dataclass(frozen=True)
class AreaMeasure:
    """Areas of a level below the unit, optionally only those that have a facility of the given kind."""

    level: str
    area_types: tuple[str, ...] = ()
    having: FacilityMeasure | None = None


Measure = FacilityMeasure | ElementMeasure | AreaMeasure


@dataclass(frozen=True)
class ShareMeeting:
    comparator: str
    value: float


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    unit: str
    numerator: Measure
    denominator: Measure | None = None
    scale: float = 1.0
    task: int | None = None
    binds: tuple[str, ...] = ()
    method: str = "linear"
    share_meeting: ShareMeeting | None = None
    elements: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


def load_definitions(path: str | Path | None = None) -> list[Indicator]:
    """The bundled indicators, or those of ``path``."""
    if path is None:
        text = resources.files("duban.metrics").joinpath("indicators.toml").read_text("utf-8")
        source = "indicators.toml"
    else:
        text = Path(path).read_text("utf-8")
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{source}: {exc}") from exc
    indicators = [_indicator(raw, source) for raw in data.get("indicator", [])]
    codes = [i.code for i in indicators]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise DefinitionError(f"{source}: 指标代码重复 {', '.join(duplicates)}")
    return indicators


def _indicator(raw: dict[str, Any], source: str) -> Indicator:
    code = str(raw.get("code", ""))
    where = f"{source}: 指标 {code or '(无代码)'}"
    for key in ("code", "name", "unit", "numerator"):
        if key not in raw:
            raise DefinitionError(f"{where}: 缺少 {key}")
    method = str(raw.get("method", "linear"))
    if method not in METHODS:
        raise DefinitionError(f"{where}: method 应为 {' 或 '.join(METHODS)}")
    numerator = _measure(raw["numerator"], where)
    denominator = _measure(raw["denominator"], where) if "denominator" in raw else None
    share = raw.get("share_meeting")
    elements = tuple(m.element for m in (numerator, denominator) if isinstance(m, ElementMeasure))
    return Indicator(
        code=code,
        name=str(raw["name"]),
        name_en=str(raw.get("name_en", raw["name"])),
        unit=str(raw["unit"]),
        numerator=numerator,
        denominator=denominator,
        scale=float(raw.get("scale", 1)),
        task=int(raw["task"]) if "task" in raw else None,
        binds=tuple(str(b) for b in raw.get("binds", ())),
        method=method,
        share_meeting=ShareMeeting(str(share["comparator"]), float(share["value"])) if share else None,
        elements=elements,
    )


def _measure(raw: dict[str, Any], where: str) -> Measure:
    if "facilities" in raw:
        return _facility_measure(raw, where)
    if "element" in raw:
        return ElementMeasure(str(raw["element"]), bool(raw.get("cumulative", False)))
    if "areas" in raw:
        having = _facility_measure(raw["having"], where) if "having" in raw else None
        return AreaMeasure(str(raw["areas"]), tuple(raw.get("area_types", ())), having)
    raise DefinitionError(f"{where}: 度量须含 facilities、element 或 areas 之一")


def _facility_measure(raw: dict[str, Any], where: str) -> FacilityMeasure:
    field_name = str(raw.get("facilities"))
    if field_name not in FACILITY_FIELDS:
        raise DefinitionError(f"{where}: facilities 应为 {'/'.join(FACILITY_FIELDS)} 之一")
    kinds = tuple(str(k) for k in raw.get("kinds", ()))
    natures = tuple(str(n) for n in raw.get("natures", ()))
    unknown = [k for k in kinds if k not in FACILITY_KINDS] + [n for n in natures if n not in NATURES]
    if unknown:
        raise DefinitionError(f"{where}: 未知的机构类型或性质 {', '.join(unknown)}")
    return FacilityMeasure(
        field=field_name,
        kinds=kinds,
        natures=natures,
        min_beds=float(raw["min_beds"]) if "min_beds" in raw else None,
        comprehensive=bool(raw["comprehensive"]) if "comprehensive" in raw else None,
        has_medical=bool(raw["has_medical"]) if "has_medical" in raw else None,
    )
