"""What the demo's fake patients report: drawn from a seeded random generator, no database."""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from forum.outcomes.models import FOLLOW_UP_MONTHS, SYMPTOMS
from forum.outcomes.schedule import add_months, due_on

PATIENTS = 48
# How many reports of each treatment the demo holds: the smaller groups (stenting, diet)
# fall below 5 reports at the later intervals, so suppressed cells show on a fresh demo.
TREATMENT_MIX = {"ccsvi-angioplasty": 16, "ccsvi-stent": 7, "dmt-natalizumab": 12,
                 "dmt-ocrelizumab": 12, "rehabilitation": 9, "diet": 6}
MS_TYPE_WEIGHTS = {"rrms": 50, "spms": 25, "ppms": 12, "cis": 5, "unsure": 8}
PDDS_RANGE = {"rrms": (1, 4), "spms": (3, 6), "ppms": (3, 6), "cis": (0, 2), "unsure": (1, 4)}
EDSS_FOR_PDDS = {0: "1.5", 1: "2.5", 2: "3.5", 3: "4.0", 4: "5.5", 5: "6.0", 6: "6.5", 7: "7.0",
                 8: "8.0"}
# Of those who gave the previous follow-up, the share who give the next: who stops reporting
# is part of what the figures show.
CARRY_ON = {1: 0.92, 3: 0.85, 6: 0.8, 12: 0.75, 24: 0.7}
VEINS = ("left-ijv", "right-ijv", "azygos")


@dataclass(frozen=True)
class Profile:
    """How members' answers about one treatment tend to fall (fake, but shaped like life)."""

    pgic_early: tuple[int, ...]  # weights of PGIC 1..7 at 1 and 3 months
    pgic_late: tuple[int, ...]   # ... at 6, 12 and 24 months
    complications: dict[int, dict[str, float]]  # interval -> kind -> chance
    stop_chance: float = 0.0     # per interval
    procedure: bool = False      # a CCSVI procedure: veins, a clinic, repeats after restenosis


_CCSVI_EARLY = {"access-bleeding": 0.06, "thrombosis": 0.04, "arrhythmia": 0.03}
_DMT_LATER = {months: {"other": 0.05} for months in FOLLOW_UP_MONTHS}
PROFILES = {
    "ccsvi-angioplasty": Profile(
        (5, 15, 25, 35, 10, 6, 4), (2, 6, 14, 45, 18, 10, 5),
        {1: _CCSVI_EARLY, 3: {"restenosis": 0.1, "thrombosis": 0.03}, 6: {"restenosis": 0.18},
         12: {"restenosis": 0.2, "thrombosis": 0.02}, 24: {"restenosis": 0.1}},
        procedure=True),
    "ccsvi-stent": Profile(
        (4, 14, 22, 35, 12, 8, 5), (2, 5, 12, 42, 20, 12, 7),
        {1: {"thrombosis": 0.08, "access-bleeding": 0.05, "stent-migration": 0.04},
         3: {"thrombosis": 0.06, "restenosis": 0.08}, 6: {"restenosis": 0.15, "thrombosis": 0.04},
         12: {"restenosis": 0.15, "thrombosis": 0.04}, 24: {"restenosis": 0.1}},
        procedure=True),
    "dmt-natalizumab": Profile((3, 12, 28, 45, 8, 3, 1), (4, 15, 28, 38, 10, 4, 1), _DMT_LATER,
                               stop_chance=0.05),
    "dmt-ocrelizumab": Profile((3, 10, 27, 48, 8, 3, 1), (4, 13, 27, 41, 10, 4, 1), _DMT_LATER,
                               stop_chance=0.03),
    "rehabilitation": Profile((6, 20, 30, 34, 6, 3, 1), (5, 18, 28, 35, 9, 4, 1),
                              {months: {"other": 0.02} for months in FOLLOW_UP_MONTHS},
                              stop_chance=0.1),
    "diet": Profile((2, 8, 20, 55, 10, 4, 1), (1, 6, 16, 55, 14, 6, 2), {}, stop_chance=0.15),
}



def profile_for(slug: str) -> Profile:
    """A treatment's profile; one without its own borrows its kind's (the benchmark's DMTs)."""
    if slug in PROFILES:
        return PROFILES[slug]
    if slug.startswith("ccsvi-"):
        return PROFILES["ccsvi-angioplasty"]
    return PROFILES["dmt-ocrelizumab" if slug.startswith("dmt-") else "rehabilitation"]


NOTES = {
    "restenosis": "The scan showed the vein had narrowed again. Back to where I started.",
    "thrombosis": "A clot formed after the procedure; I was on blood thinners for months.",
    "better": "Less fatigue most days. I don't know how much is the treatment.",
    "same": "No change that I can tell, honestly.",
    "worse": "Harder to walk than before. Talking to my neurologist next month.",
}


@dataclass(frozen=True)
class PlannedFollowUp:
    months: int
    pgic: int
    pdds: int
    edss: Decimal | None
    relapses: int
    symptoms: dict[str, int]
    complications: tuple[str, ...]
    repeated: bool
    stopped: bool
    note: str


@dataclass(frozen=True)
class PlannedReport:
    treatment: str
    treated_on: date
    veins: tuple[str, ...]
    at_demo_clinic: bool
    ms_type: str
    diagnosis_year: int
    pdds: int
    edss: Decimal | None
    relapses_12m: int
    symptoms: dict[str, int]
    public: bool
    consent_export: bool
    follow_ups: tuple[PlannedFollowUp, ...] = field(default=())


def username(index: int) -> str:
    return f"demo_patient_{index + 1:02d}"


def treatments_by_patient(seed: int = 15) -> list[list[str]]:
    """Each patient's treatments: one each, and a second for the first few patients."""
    mix = [slug for slug, count in TREATMENT_MIX.items() for _ in range(count)]
    random.Random(seed).shuffle(mix)
    patients: list[list[str]] = [[slug] for slug in mix[:PATIENTS]]
    for index, slug in enumerate(mix[PATIENTS:]):
        patients[index].append(slug)
    return patients


def plan_report(rng: random.Random, slug: str, today: date, public: bool,
                months_back: int = 36) -> PlannedReport:
    """A baseline, and the follow-ups given so far with drop-outs along the way; the
    treatment fell in the last `months_back` months."""
    profile = profile_for(slug)
    treated_on = add_months(today.replace(day=1), -rng.randint(1, months_back))
    ms_type = rng.choices(list(MS_TYPE_WEIGHTS), list(MS_TYPE_WEIGHTS.values()))[0]
    pdds = rng.randint(*PDDS_RANGE[ms_type])
    baseline = PlannedReport(
        treatment=slug, treated_on=treated_on,
        veins=tuple(sorted(rng.sample(VEINS, rng.randint(1, 3)))) if profile.procedure else (),
        at_demo_clinic=profile.procedure and rng.random() < 0.6, ms_type=ms_type,
        diagnosis_year=max(1985, treated_on.year - rng.randint(1, 20)), pdds=pdds,
        edss=Decimal(EDSS_FOR_PDDS[pdds]) if rng.random() < 0.5 else None,
        relapses_12m=rng.choices([0, 1, 2, 3], [40, 35, 18, 7] if ms_type == "rrms"
                                 else [85, 15, 0, 0])[0],
        symptoms=dict(zip(SYMPTOMS, rng.choices(range(5), [15, 30, 30, 18, 7],
                                                k=len(SYMPTOMS)))),
        public=public, consent_export=rng.random() < 0.6)
    return replace(baseline, follow_ups=tuple(_plan_follow_ups(rng, baseline, today)))


def _plan_follow_ups(rng: random.Random, report: PlannedReport, today: date
                     ) -> list[PlannedFollowUp]:
    given: list[PlannedFollowUp] = []
    stopped = False
    for months in FOLLOW_UP_MONTHS:
        if due_on(report.treated_on, months) > today or rng.random() > CARRY_ON[months]:
            break  # not due yet, or this member stopped reporting
        follow_up = _plan_follow_up(rng, report, months, stopped)
        stopped = follow_up.stopped
        given.append(follow_up)
    return given


def _plan_follow_up(rng: random.Random, report: PlannedReport, months: int,
                    stopped_before: bool) -> PlannedFollowUp:
    profile = profile_for(report.treatment)
    pgic = rng.choices(range(1, 8), profile.pgic_early if months <= 3 else profile.pgic_late)[0]
    change = rng.choice([-1, 0, 0] if pgic <= 2 else [0, 1, 1] if pgic >= 5 else [0] * 5 + [1])
    complications = tuple(sorted(kind for kind, chance in profile.complications.get(months, {})
                                 .items() if rng.random() < chance)) or ("none",)
    pdds = min(8, max(0, report.pdds + change))
    return PlannedFollowUp(
        months=months, pgic=pgic, pdds=pdds,
        edss=Decimal(EDSS_FOR_PDDS[pdds]) if report.edss is not None else None,
        relapses=rng.choices([0, 1, 2], [75, 20, 5] if report.ms_type == "rrms"
                             else [92, 8, 0])[0],
        symptoms={name: min(4, max(0, value + (change if rng.random() < 0.5 else 0)))
                  for name, value in report.symptoms.items()},
        complications=complications,
        repeated=profile.procedure and "restenosis" in complications and rng.random() < 0.5,
        stopped=stopped_before or rng.random() < profile.stop_chance,
        note=_note(rng, pgic, complications))


def _note(rng: random.Random, pgic: int, complications: tuple[str, ...]) -> str:
    for kind in ("restenosis", "thrombosis"):
        if kind in complications:
            return NOTES[kind]
    if rng.random() > 0.2:
        return ""
    return NOTES["better" if pgic <= 2 else "worse" if pgic >= 5 else "same"]
