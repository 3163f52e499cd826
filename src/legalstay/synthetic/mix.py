"""The documented mix of the synthetic world: who is in it, on what title, holding what.

Both generators (the demo caseload and the vectorised population) draw from these numbers, and
the tests check that a large population reproduces them. Sources are the project's research
notes: ``legal-rules.md`` (LR) and ``microsim-calibration.md`` (MC), with their section. Where the
research has no figure the value is marked *assumed*.

People and families
    * men 55 % of Belarusians holding a permit (MC §2.5: 55 % in Oct 2020 and Apr 2021; 2022
      "similar"). The household mix below is tuned (assumed) to give about 54–55 %.
    * under 18 about 15 % (MC §2.5: just over 11 % in 2021, under 20 17 % in 2022).
    * adults' age: 20–39 about 60 % (MC §2.5: 58 % in 2020, 55 % of all in 2022); the bands
      are assumed around it.
    * households: singles, couples, couples with children, single mothers: assumed.
    * citizenship: mostly ``BY``; a few ``UA``/``RU`` and dual ``BY``+``RU``/``UA``: assumed.

Titles of adults (the *track*; a spouse shares the partner's track three times in four, assumed;
children take their parents', see :mod:`legalstay.synthetic.children`). The shares are allotted
exactly, rounded, among the adults who do not share a partner's track, so that a small demo
caseload keeps its rare groups.

    ======================  =======  =================================================
    track                   adults   what the person holds
    ======================  =======  =================================================
    temporary residence     56 %     visa, TRP (pkt 9 55 %, work 28 %, family 10 %,
                                     business 7 %); after it ends the next application
    subsidiary protection   7 %      protection granted, cards every 2 years, PDPdC
    refugee status          0.55 %   status, cards every 3 years, Geneva travel document
    permanent residence     27 %     PR (Karta Polaka 60 %, Polish origin 40 %)
    EU long-term resident   1.2 %    two TRPs over five years, then the LTR
    pending protection      1.5 %    an application and a TZC; 10 % refused lately
    recent visa arrival     5 %      a humanitarian (or, before 26 Jan 2024, PBH) visa
    irregular               1.75 %   a TRP ended months ago; no filing or a final refusal
    ======================  =======  =================================================

    * the stock of mid-2025 (MC §2.1, 145,205): TRP > 90k (62 %), PR 42.3k (29 %), LTR 1.6k
      (1.1 %), international protection + humanitarian 10.9k (7.5 %). The caseload adds people
      outside that stock: pending protection (MC §1.3: 1,607 pending in Feb 2024, about 1.3 %
      of the stock), recent visa arrivals and irregular persons (both assumed).
    * temporary residence: the caseload of *political* emigrants is led by the humanitarian-visa
      TRP (UoC art. 186 ust. 1 pkt 9, LR §1.2: granted once, for 3 years). This share is
      assumed: the UdSC stock of all Belarusian TRP holders is led by work (70 % in Apr 2021,
      MC §2.1; 3,757 humanitarian TRPs among ~48k permits in H1 2023, MC §2.2).
    * protection: refugee status is 7 % of grants (MC §2.4: 570 refugee vs 7,472 subsidiary,
      2021 – Feb 2024); the rest subsidiary protection.
    * permanent residence: ~95 % Polish origin or Karta Polaka (MC §2.1, Apr 2019); the split
      between the two is assumed.

Applications and decisions
    * positive TRP+PR decisions 90.6 % (MC §2.2: 81,002 / 8,434, 2021–2023), for the decisions
      on the application that follows a title (a story starts from a granted title); 30 % of
      refusals are moved into the last weeks so that appeal deadlines are seen running.
    * processing of residence cases: lognormal around 300 days (MC §1.2: 172–640 days by
      voivodeship in 2025; the dispersion is assumed, MC §6.2).
    * filed on time (on or before the last day of the title, LR §1.2 art. 108): assumed 90 %.
    * formally complete: assumed 85 %.

Documents
    * Belarusian passports: 10 years from 14, 5 years under 14, to age 99 from 64 (MC §5);
      renewed abroad only before Decree 278 took effect, 7 Sep 2023 (LR §3).
    * PDPdC: 1 year from issue (LR §1.1, UoC art. 253 ust. 2); held by an assumed 65 % of those
      eligible (no valid passport and a TRP, PR, LTR or subsidiary protection, art. 252/252a);
      renewed by an assumed 75 %.
    * residence cards: TRP card = title period; subsidiary 2 years, refugee 3 (LR §1.4, UOchr
      art. 89i); PR 10, LTR 5 (LR §1.3); renewed on time by an assumed 92 %.
    * TZC for pending protection applicants: 90 days, then 6 months each (LR §1.4, art. 55a).
    * children born in Poland: many without any document (Amnesty, Aug 2025; MC §3: no count),
      so the shares are assumed.

Stays abroad: one or two short trips for half the adults (not protection applicants, whose
procedure a departure would end); a break over six months for an
assumed 2 % of trips (LR §1.3: continuity breaks at six months); 1 % still abroad.

The caseload's dress (:mod:`legalstay.synthetic.caseload`): PESEL for an assumed 60 %, names
written in Belarusian by an assumed 40 % of Belarusian families, Russian forms otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

# Adults' tracks: the title (or lack of one) that organises a person's episodes.
TRACKS: Final[dict[str, float]] = {
    "temporary_residence": 0.56,
    "subsidiary_protection": 0.07,
    "refugee_status": 0.0055,
    "permanent_residence": 0.27,
    "eu_long_term_residence": 0.012,
    "pending_protection": 0.015,
    "recent_visa": 0.05,
    "irregular": 0.0175,
}
TRP_GROUNDS: Final[dict[str, float]] = {
    "humanitarian_visa_belarus": 0.55,
    "work": 0.28,
    "family": 0.10,
    "business": 0.07,
}
PERMANENT_GROUNDS: Final[dict[str, float]] = {"karta_polaka": 0.6, "polish_origin": 0.4}
VISA_GROUNDS_OF_ARRIVALS: Final[dict[str, float]] = {"humanitarian": 0.8, "pbh": 0.2}

HOUSEHOLDS: Final[dict[str, float]] = {
    "single_man": 0.40,
    "single_woman": 0.225,
    "couple": 0.22,
    "couple_with_children": 0.11,
    "single_mother": 0.045,
}
CHILDREN_PER_FAMILY: Final[dict[int, float]] = {1: 0.55, 2: 0.35, 3: 0.10}
# (lowest age, highest age, share of adults)
ADULT_AGE_BANDS: Final[tuple[tuple[int, int, float], ...]] = (
    (18, 20, 0.03),
    (20, 30, 0.28),
    (30, 40, 0.37),
    (40, 50, 0.17),
    (50, 60, 0.09),
    (60, 80, 0.06),
)
CITIZENSHIPS: Final[dict[tuple[str, ...], float]] = {
    ("BY",): 0.92,
    ("UA",): 0.02,
    ("RU",): 0.02,
    ("BY", "RU"): 0.025,
    ("BY", "UA"): 0.015,
}

# Dates of law that the world respects even though its other dates move with ``as_of``.
DECREE_278: Final = dt.date(2023, 9, 7)  # LR §3: consulates stop renewing passports
HUMANITARIAN_TRP_FROM: Final = dt.date(2022, 7, 9)  # LR §2.1: art. 186 ust. 1 pkt 9 TRP
PBH_CLOSED: Final = dt.date(2024, 1, 26)  # LR §2.1: MFA suspends Poland. Business Harbour
ART_252A_FROM: Final = dt.date(2023, 7, 1)  # LR §2.2: PDPdC for Belarusians on any TRP

# Behaviour (all assumed unless a source is named in the module docstring).
SPOUSE_SHARES_TRACK: Final = 0.75
SPOUSE_SHARES_CITIZENSHIP: Final = 0.85
PROTECTED_CAME_ON_VISA: Final = 0.5
PENDING_PROTECTION_CAME_ON_VISA: Final = 0.4
PERMANENT_CAME_ON_VISA: Final = 0.5
RECENT_ARRIVALS_APPLIED: Final = 0.4
PROTECTION_REFUSED_LATELY: Final = 0.10
PROTECTION_APPEALED: Final = 0.4
IRREGULAR_AFTER_FINAL_REFUSAL: Final = 0.5  # the others never filed again
REFUGEES_WITH_TRAVEL_DOCUMENT: Final = 0.7
FILED_ON_TIME: Final = 0.90
FORMALLY_COMPLETE: Final = 0.85
POSITIVE_DECISIONS: Final = 81_002 / (81_002 + 8_434)  # MC §2.2
REFUSALS_DELIVERED_RECENTLY: Final = 0.30  # so that appeal deadlines are seen running
APPEALED: Final = 0.45
SUSPENDED_AT_PARTY_REQUEST: Final = 0.02
PROCESSING_MEDIAN_DAYS: Final = 250
PDPDC_TAKE_UP: Final = 0.65
PDPDC_TAKE_UP_CHILDREN_BORN_IN_POLAND: Final = 0.40
PDPDC_RENEWED: Final = 0.75
CARD_RENEWED: Final = 0.92
CHILD_BORN_IN_POLAND_HAS_TITLE: Final = 0.55
CHILD_BORN_IN_POLAND_HAS_APPLICATION: Final = 0.50
CHILD_BORN_IN_POLAND_HAS_BIRTH_CERTIFICATE: Final = 0.30
PASSPORT_LOST: Final = 0.02
PASSPORT_STOLEN: Final = 0.005
TRAVELLERS: Final[dict[int, float]] = {0: 0.5, 1: 0.3, 2: 0.2}  # trips abroad per adult
BREAK_OVER_SIX_MONTHS: Final = 0.02
STILL_ABROAD: Final = 0.01
PESEL_HOLDERS: Final = 0.60
NAMES_IN_BELARUSIAN: Final = 0.40  # of Belarusian families; the others write Russian forms

# What a large population should show (the tests' tolerance is a couple of points).
TARGETS: Final[dict[str, float]] = {
    "men": 0.55,
    "under_18": 0.15,
    "refugee_of_protection_grants": 570 / (570 + 7472),
    "positive_decisions": 81_002 / (81_002 + 8_434),
}
