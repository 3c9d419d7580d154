"""Turning the generator's arrays into Arrow tables that match the data contract."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from forcepack.contract.spec import TABLES
from forcepack.demo._util import hex_ids, ids
from forcepack.demo.config import DISTRICTS, POPULATION_YEAR, DemoConfig
from forcepack.demo.crimes import Crimes, neighbourhood_table
from forcepack.demo.events import Contacts, Events
from forcepack.demo.incidents import Calls, Incidents
from forcepack.demo.other import Downtime, Missing, Orders
from forcepack.demo.people import Suspects, Victims
from forcepack.demo.surveys import QUESTIONS, Responses

DISTRICT_CODES = np.array([d.code for d in DISTRICTS])


def schema(name: str) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, c.type.arrow, nullable=c.nullable) for c in TABLES[name].columns]
    )


def _arr(values: object, typ: pa.DataType, null: np.ndarray | None = None) -> pa.Array:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        arr = values
    elif typ in (pa.timestamp("us"), pa.date32()):
        unit = "us" if typ == pa.timestamp("us") else "D"
        v = np.asarray(values).astype(f"datetime64[{unit}]")
        nat = np.isnat(v)
        raw = pa.array(v.view(np.int64), mask=nat if nat.any() else None)
        arr = raw.cast(pa.int32()).cast(typ) if unit == "D" else raw.cast(typ)
    else:
        arr = pa.array(np.asarray(values), type=typ)
    if null is not None and null.any():
        arr = pc.if_else(pa.array(null), pa.nulls(len(arr), typ), arr)
    return arr.cast(typ)


def make_table(
    name: str, columns: dict[str, object], nulls: dict[str, np.ndarray] | None = None
) -> pa.Table:
    sch = schema(name)
    nulls = nulls or {}
    arrays = [_arr(columns[f.name], f.type, nulls.get(f.name)) for f in sch]
    return pa.Table.from_arrays(arrays, schema=sch)


def _salt(cfg: DemoConfig, kind: int) -> int:
    return (cfg.seed * 1_000_003 + cfg.force * 7919 + kind * 104729) & 0xFFFFFFFF


def _prefixed(prefix: str, codes: np.ndarray) -> np.ndarray:
    """``codes`` with ``prefix`` in front (the same array when there is no prefix)."""
    return codes if not prefix else np.char.add(prefix, codes)


def district_codes(cfg: DemoConfig) -> np.ndarray:
    """The force's district codes, in the order of :data:`DISTRICTS` (indexed by the
    generator's district numbers)."""
    return _prefixed(cfg.place_prefix, DISTRICT_CODES)


def neighbourhood_codes(cfg: DemoConfig) -> np.ndarray:
    """The force's neighbourhood codes, indexed by the generator's neighbourhood numbers."""
    rows, _, _ = neighbourhood_table()
    return _prefixed(cfg.place_prefix, np.array([r[0] for r in rows]))


def districts_table(cfg: DemoConfig) -> pa.Table:
    """The force's districts: for the demo force, the rows of the shipped districts.csv; a
    scale force's populations are the demo's times its size factor."""
    return make_table(
        "districts",
        {
            "district_code": district_codes(cfg),
            "district_name": [d.name + cfg.place_suffix for d in DISTRICTS],
            "area": [d.area for d in DISTRICTS],
            "force": [cfg.force_name] * len(DISTRICTS),
            "population": [round(d.population * cfg.scale) for d in DISTRICTS],
            "population_year": [POPULATION_YEAR] * len(DISTRICTS),
        },
    )


def neighbourhoods_table(cfg: DemoConfig) -> pa.Table:
    rows, nb_district, _ = neighbourhood_table()
    return make_table(
        "neighbourhoods",
        {
            "neighbourhood_code": neighbourhood_codes(cfg),
            "district_code": district_codes(cfg)[nb_district],
            "neighbourhood_name": [r[2] + cfg.place_suffix for r in rows],
        },
    )


def _serial_ids(cfg: DemoConfig, code: str, count: int, width: int) -> pa.Array:
    """A table's record ids numbered 1 to ``count``, after the force's id prefix and ``code``
    (``CL000000001``), padded to ``width`` digits."""
    return ids(f"{cfg.id_prefix}{code}", np.arange(1, count + 1), width)


def crime_ids(cfg: DemoConfig, n: int) -> pa.Array:
    return _serial_ids(cfg, "CR", n, 8)


def crimes_table(cfg: DemoConfig, c: Crimes, inc: Incidents) -> pa.Table:
    status = np.where(c.cancelled, "cancelled", np.where(c.finalised, "finalised", "open"))
    linked = inc.crime_incident >= 0
    return make_table(
        "crimes",
        {
            "crime_id": crime_ids(cfg, c.n),
            "recorded_at": c.recorded_at,
            "offence_code": c.offence_code,
            "district_code": district_codes(cfg)[c.district],
            "neighbourhood_code": neighbourhood_codes(cfg)[c.neighbourhood],
            "incident_id": incident_ids(cfg, np.maximum(inc.crime_incident, 0)),
            "domestic_abuse": c.domestic_abuse,
            "hate_crime": c.hate_crime,
            "child_sexual_abuse": c.child_sexual_abuse,
            "child_sexual_exploitation": c.child_sexual_exploitation,
            "serious_sexual_offence": c.serious_sexual_offence,
            "knife_crime": c.knife_crime,
            "status": status,
            "outcome_code": c.outcome_code,
            "outcome_at": c.outcome_at,
            "next_review_due": c.next_review_due,
            "occurred_at": c.occurred_at,
            "lsoa_code": _prefixed(cfg.place_prefix, c.lsoa_code),
            "owning_unit": c.owning_unit,
        },
        {"incident_id": ~linked, "outcome_code": c.outcome_code == 0},
    )


def incident_ids(cfg: DemoConfig, rows: np.ndarray) -> pa.Array:
    return ids(f"{cfg.id_prefix}INC", rows + 1, 8)


def victims_table(cfg: DemoConfig, v: Victims, crime_id: pa.Array) -> pa.Table:
    return make_table(
        "crime_victims",
        {
            "crime_id": crime_id.take(pa.array(v.crime)),
            "victim_id": hex_ids("V", v.person, _salt(cfg, 1)),
            "priority_group": v.priority_group,
            "priority_group_recorded_at": v.priority_group_recorded_at,
            "vcc_agreed": v.vcc_agreed,
            "vcc_contact_days": v.vcc_contact_days,
            "hub_referred_at": v.hub_referred_at,
            "hub_referral_declined": v.hub_referral_declined,
        },
        {"priority_group": v.priority_group == "", "vcc_contact_days": v.vcc_contact_days == 0},
    )


def suspects_table(cfg: DemoConfig, s: Suspects, crime_id: pa.Array) -> pa.Table:
    return make_table(
        "crime_suspects",
        {
            "crime_id": crime_id.take(pa.array(s.crime)),
            "person_id": hex_ids("P", s.person, _salt(cfg, 2)),
        },
    )


def events_table(cfg: DemoConfig, e: Events, crime_id: pa.Array) -> pa.Table:
    return make_table(
        "investigation_events",
        {
            "event_id": _serial_ids(cfg, "EV", len(e.crime), 9),
            "crime_id": crime_id.take(pa.array(e.crime)),
            "event_type": e.event_type,
            "event_at": e.event_at,
        },
    )


def contacts_table(cfg: DemoConfig, ct: Contacts, v: Victims, crime_id: pa.Array) -> pa.Table:
    return make_table(
        "victim_contacts",
        {
            "contact_id": _serial_ids(cfg, "VC", len(ct.crime), 9),
            "crime_id": crime_id.take(pa.array(ct.crime)),
            "victim_id": hex_ids("V", v.person[ct.victim], _salt(cfg, 1)),
            "contact_at": ct.contact_at,
            "contact_type": ct.contact_type,
            "channel": ct.channel,
        },
    )


def incidents_table(cfg: DemoConfig, inc: Incidents) -> pa.Table:
    return make_table(
        "incidents",
        {
            "incident_id": incident_ids(cfg, np.arange(inc.n)),
            "created_at": inc.created_at,
            "call_type_code": inc.call_type_code,
            "grade": inc.grade,
            "district_code": district_codes(cfg)[inc.district],
            "dispatched_at": inc.dispatched_at,
            "arrived_at": inc.arrived_at,
            "delay_reason": inc.delay_reason,
            "source": inc.source,
            "verbal_only": inc.verbal_only == 1,
        },
        {"delay_reason": inc.delay_reason == "", "verbal_only": inc.verbal_only < 0},
    )


def calls_table(cfg: DemoConfig, cl: Calls) -> pa.Table:
    return make_table(
        "calls",
        {
            "call_id": _serial_ids(cfg, "CL", len(cl.line), 9),
            "line": cl.line,
            "offered_at": cl.offered_at,
            "answered_at": cl.answered_at,
            "ended_at": cl.ended_at,
            "secondary": cl.secondary,
        },
    )


def surveys_table(cfg: DemoConfig, r: Responses, crime_id: pa.Array) -> pa.Table:
    cols: dict[str, object] = {
        "response_id": _serial_ids(cfg, "SR", len(r.crime), 7),
        "survey": r.survey,
        "crime_id": crime_id.take(pa.array(r.crime)),
        "interviewed_at": r.interviewed_at,
        "district_code": district_codes(cfg)[r.district],
        "crime_group": r.crime_group,
    }
    cols.update({q: r.answers[q] for q in QUESTIONS})
    return make_table("survey_responses", cols, {q: r.answers[q] == 0 for q in QUESTIONS})


def missing_table(cfg: DemoConfig, m: Missing) -> pa.Table:
    return make_table(
        "missing_episodes",
        {
            "episode_id": _serial_ids(cfg, "ME", len(m.person), 7),
            "person_id": hex_ids("M", m.person, _salt(cfg, 3)),
            "age": m.age,
            "reported_at": m.reported_at,
            "district_code": district_codes(cfg)[m.district],
            "from_care_home": m.from_care_home,
        },
    )


def orders_table(cfg: DemoConfig, o: Orders) -> pa.Table:
    return make_table(
        "civil_orders",
        {
            "order_id": _serial_ids(cfg, "CO", len(o.order_type), 7),
            "order_type": o.order_type,
            "applied_at": o.applied_at,
            "granted_at": o.granted_at,
            "district_code": district_codes(cfg)[o.district],
        },
    )


def qa_table(days: np.ndarray, level: np.ndarray) -> pa.Table:
    return make_table("qa_backlog", {"snapshot_date": days, "crimes_awaiting_qa": level})


def downtime_table(d: Downtime) -> pa.Table:
    return make_table(
        "system_downtime",
        {"system": d.system, "start_at": d.start_at, "end_at": d.end_at, "planned": d.planned},
    )
