"""Citations the rules rest on, written once (acts abbreviated as in docs/glossary.md).

UoC: Ustawa z 12 grudnia 2013 r. o cudzoziemcach (Act on Foreigners).
UOchr: Ustawa z 13 czerwca 2003 r. o udzielaniu cudzoziemcom ochrony (Act on granting protection).
KPA: Kodeks postępowania administracyjnego (Code of Administrative Procedure).
"""

UOC_TEMPORARY_RESIDENCE = "UoC art. 98 ust. 1 (temporary residence; article number not verified)"
UOC_PERMANENT_RESIDENCE = (
    "UoC art. 195 ust. 1 (permanent residence; that it is granted for an indefinite period: "
    "article not in the research)"
)
UOC_LONG_TERM_RESIDENCE = (
    "UoC art. 211 ust. 1 (EU long-term residence; that it is granted for an indefinite period: "
    "article not in the research)"
)
UOCHR_REFUGEE = "UOchr (refugee status; article not in the research)"
UOCHR_SUBSIDIARY = "UOchr (subsidiary protection; article not in the research)"
UOC_HUMANITARIAN = "UoC (humanitarian stay; article not in the research)"
UOC_TOLERATED = "UoC (tolerated stay; article not in the research)"
UOC_VISA = (
    "UoC (stay on a visa for its period; article not in the research, which gives art. 60 "
    "ust. 1 pkt 23 for the humanitarian purpose only)"
)
UOC_STAMP = "UoC art. 108 ust. 1 pkt 2 (art. 206 for permanent residence)"
# The stamp rule's exception, cited where a pending application was suspended at the
# applicant's request (legal-rules.md §1.2, high).
UOC_STAMP_SUSPENDED = (
    "UoC art. 108 ust. 2 (the stay on a timely application does not apply while the "
    "proceedings are suspended at the applicant's request)"
)
UOC_STAMP_NO_ENTRY = (
    "UoC art. 108 ust. 1 pkt 2 (the stay on a timely application is legal; the stamp gives no "
    "right to enter Poland or travel in Schengen: legal-rules.md §1.2, medium confidence)"
)
NEW_BELARUS_PASSPORT = (
    "Decision 1105/2011/EU art. 1(3) (recognition stays with each Member State); no state "
    "found that recognises the New Belarus passport, its status after early 2025 NOT VERIFIED"
)
UOC_FOREIGNER = (
    "UoC art. 3 pkt 2 (a foreigner is anyone without Polish citizenship; not in the research): "
    "the assessment, made as for a foreigner, does not apply to a Polish citizen"
)
CHILD_OF_A_POLISH_PARENT = (
    "Act of 2 Apr 2009 on Polish citizenship art. 14 (a child of a parent who is a Polish "
    "citizen is Polish by birth; not in the research): a parent is recorded as a Polish "
    "citizen, so the child may be one, whom the Act on Foreigners does not concern; whether "
    "the parent was Polish at the birth is not recorded: check by hand"
)
UOC_FREE_MOVEMENT = (
    "UoC art. 2 pkt 1 (the Act does not apply to citizens of the EU, the EEA states of EFTA "
    "and Switzerland, whose stay is under the Act of 14 Jul 2006; not in the research): the "
    "assessment, made as for a foreigner under the UoC, does not apply to them"
)
SPECACT_UKRAINE = (
    "Act of 12 Mar 2022 on assistance to citizens of Ukraine (the stay it gives, and what the "
    "Act of 23 Jan 2026 keeps of it, are not in the research): the stay may be legal under it"
)
UOC_NOT_IN_FORCE = (
    "UoC in force from 1 May 2014: the date is earlier, the Act of 13 Jun 2003 on foreigners "
    "then in force is not researched, and the answers apply the UoC's rules"
)
VISA_AS_TITLE = (
    f"{UOC_VISA}: a visa is a basis of stay recorded as a title; one recorded only as a "
    "document is not read as one (record it as a title)"
)
FOREIGN_DOCUMENT_EXPIRY = (
    "the expiry recorded on a document another state issued (its renewal is that state's)"
)
UOC_MOS_ONLY = (
    "UoC as amended (residence applications only through MOS from 27 Apr 2026; paper ones left "
    "unexamined; Dz.U. number not found, medium confidence)"
)
UOC_STAMP_LTR = "UoC art. 108 applied to EU long-term residence (not verified)"
CHILD_BORN_HERE_STAY = (
    "UoC (the stay of a child born in Poland to foreigners, and what must be filed for it: not "
    "in the research, which gives such children only the PDTC categories and the "
    "permanent-residence child ground)"
)
BIRTH_DATE_NOT_RECORDED = (
    "birth date not recorded: whether the person is a minor (Kodeks cywilny art. 10 § 1, not "
    "verified), which the children's routes and flags ask, is not known"
)
UOC_STAMP_MOS = (
    "UoC art. 108 ust. 1 pkt 2 (art. 206 for permanent residence); whether the MOS amendment "
    "of 27 Apr 2026 changed the rule: not verified"
)
UOCHR_PENDING = "UOchr art. 55a (the applicant stays until the decision is final)"
UOCHR_PENDING_NOT_RESEARCHED = (
    "UOchr art. 55a (the applicant stays until the decision is final), researched from 1 Jul "
    "2022: the rule in force on an earlier date is not in the research, and is applied as the same"
)
NO_BASIS = "no title, timely application or pending protection application on this date"
STAMP_NOT_RESEARCHED = (
    "the stamp rule before the UoC (in force 1 May 2014) is not researched: stay unknown"
)
STAMP_ON_PROTECTION_STAY_NOT_RESEARCHED = (
    "UoC art. 108 ust. 1 pkt 2 (stay legal on an application filed by the last day of legal "
    "stay): the application was filed while the stay rested on a pending protection "
    "application (UOchr art. 55a), and whether that filing is timely is not researched: stay "
    "unknown"
)
FINALITY_NOT_RESEARCHED = (
    "when a decision delivered became final is not known: the appeal period in force on its "
    "delivery is not in the research (a protection decision delivered before 1 May 2014), or "
    "it ends past the years the calendar knows: stay unknown"
)
PASSPORT_EXPIRED = (
    "the national passport recorded lapsed on its recorded expiry, or is recorded expired (a "
    "national passport's validity is its issuing state's: it is not derived)"
)
CURRENTLY_ABROAD = "a stay abroad recorded covers the date (left by it, no return by it)"
GRANTED_TITLE_NOT_RECORDED = (
    "a final decision granted a title (a permit, or international protection) that is not "
    "recorded: the stay and the eligibilities are worked out without it and may read "
    "irregular or not eligible; record the title to rely on them"
)
ASYLUM_STAY_NOT_MODELLED = (
    "asylum granted (the research gives it as a ground for permanent residence, UoC art. 195 "
    "ust. 1, not its effect on the stay): an irregular stay shown must be checked by hand"
)

UOC_PDPDC_VALIDITY = "UoC art. 253 ust. 2"
UOC_TRAVEL_DOCUMENTS = "Decision 1105/2011/EU art. 1(3); UoC art. 253 ust. 1; UOchr art. 89i"
UOC_IDENTITY_DOCUMENTS = (
    "UoC arts. 226, 263 (the PDTC); UOchr art. 55 (the temporary identity certificate); the "
    "PDPdC on an MSWiA interpretation (medium confidence); for passports, ID cards and "
    "residence cards the research gives no article"
)
UOC_LOST_DOCUMENT = (
    "UoC art. 230 ust. 1 (ask for the exchange within 14 days of its reason; text of 2019, "
    "medium confidence; loss a ground of exchange of the PDPdC, art. 256): the day of the loss "
    "is not recorded"
)
DECREE_278 = "Decree No. 278 of the President of Belarus (4 Sep 2023), in force 7 Sep 2023"

UOC_FILE_TRP = (
    "UoC art. 105 ust. 1 (article number not verified): apply by the last day of legal stay"
)
UOC_CARD_EXCHANGE = "UoC art. 230 ust. 2: apply at least 30 days before the card expires"
KPA_APPEAL = "KPA art. 129 § 2 with art. 57 § 4"
UOCHR_APPEAL = (
    "UOchr (Refugee Board appeal, article not verified) with KPA art. 57 § 4; 5 days where the "
    "application was refused as manifestly unfounded (shown as a deadline of its own)"
)
UOCHR_APPEAL_DISCONTINUED = (
    "UOchr (Refugee Board appeal, article not verified) with KPA art. 57 § 4 (a "
    "discontinuance is no refusal on the merits: the 5 days for a manifestly unfounded "
    "application are not shown, the research gives them for a refusal only)"
)
UOCHR_APPEAL_MANIFESTLY_UNFOUNDED = (
    "UOchr (Refugee Board appeal, article not verified) with KPA art. 57 § 4: 5 days from "
    "delivery, only if the decision refused the application as manifestly unfounded (the "
    "Refugee Board's pages, medium confidence: may be outdated); the registry does not record "
    "it, so check the decision"
)
LTR_EXCLUDED_BASES = (
    "Council Directive 2003/109/EC art. 3(2) (persons awaiting a decision on international "
    "protection, or staying on another form of protection, are outside its scope; the UoC's "
    "transposition is not in the research: not verified)"
)
APPEAL_LATE_IF_MANIFESTLY_UNFOUNDED = (
    "UOchr (Refugee Board appeal, article not verified) with KPA art. 57 § 4: the appeal was "
    "filed after the 5 days from delivery that apply if the application was refused as "
    "manifestly unfounded (medium confidence), which the registry does not record: the "
    "stay on the application then ended with those 5 days, so check the decision"
)
UOCHR_APPEAL_PARTIAL = (
    "UOchr (Refugee Board appeal, article not verified) with KPA art. 57 § 4: a decision "
    "granting subsidiary protection refuses refugee status, and is appealed as any protection "
    "decision (that it refuses the status: general knowledge, not in the research)"
)
UOC_PDPDC_RENEWAL = "UoC art. 253 ust. 2 (the document lapses one year after issue)"
# Renewal before the document in hand lapses; its validity (1 year; 3 under the Amnesty
# scenario) is the parameter the explanation shows, so the citation names no length.
UOC_PDPDC_EXPIRY = "UoC art. 253 ust. 2 (the PDPdC lapses when its validity ends)"
UOCHR_REFUGEE_TD_EXPIRY = "UOchr art. 89i ust. 3 (the refugee travel document lapses after 2 years)"
KPA_DECISION_TIME = (
    "KPA art. 35 § 3 (one month, two in a particularly complex case; residence cases "
    "before 29 Jan 2022)"
)
MAY_BE_SUSPENDED_BY_100C = (
    "art. 100c of the Act of 12 Mar 2022 may have suspended it in 2022 (from a day not verified)"
)
# A decision period cites the suspension only where it ran in it (started or was running
# between 1 Jan 2023 and the suspension's end).
UOC_TRP_DECISION_TIME = "UoC art. 112a ust. 1–2"
UOC_PR_DECISION_TIME = "UoC (6 months; article not verified)"
SUSPENDED_BY_100D = "suspended by art. 100d of the Act of 12 Mar 2022"
MAY_BE_SUSPENDED_BY_100DA = (
    "art. 100da of the Act of 12 Mar 2022 may still suspend it (its continuation after "
    "4 Mar 2026 is not verified)"
)
MAY_HAVE_BEEN_SUSPENDED_BY_100DA = (
    "art. 100da of the Act of 12 Mar 2022 may have suspended it (its start and its "
    "continuation after 4 Mar 2026 not verified)"
)
MAY_BE_SUSPENDED_BY_100D = (
    "art. 100d of the Act of 12 Mar 2022 may still suspend it (its continuation after "
    "4 Mar 2026 is not verified)"
)
STILL_SUSPENDED_BY_100D = (
    "which may still suspend it (its continuation after 4 Mar 2026 is not verified)"
)
UOC_TRP_DECISION = f"{UOC_TRP_DECISION_TIME}; {SUSPENDED_BY_100D}"
UOC_PR_DECISION = f"{UOC_PR_DECISION_TIME}; {SUSPENDED_BY_100D}"
UOCHR_DECISION = "UOchr art. 34 ust. 1 (extendable to 15 months, art. 34 ust. 2)"
UOC_LEAVE = "UoC (30 days after a final refusal; article not verified)"
UOC_LEAVE_RESIDENCE = (
    "UoC (30 days after a residence permit's refusal becomes final, unless another basis of "
    "stay exists; article not verified)"
)

UOCHR_WORK_CERTIFICATE = (
    "UOchr art. 35 (a certificate, on request, where no first-instance decision came within "
    "6 months and the delay is not the applicant's fault)"
)
UOCHR_WORK_NOT_RESEARCHED = (
    "UOchr art. 35 (verified from the version of 1 Jan 2021; earlier not researched)"
)
UOCHR_WORK_SUSPENDED_AT_OWN_REQUEST = (
    "UOchr art. 35 (the certificate where the decision is late through no fault of the "
    "applicant): the procedure was suspended at the applicant's request, for how long is not "
    "recorded, so whether the delay is theirs is not known"
)
UOCHR_WORK_DECISION_UNDATED = (
    "UOchr art. 35 (the certificate where no decision was issued within 6 months): a decision "
    "is recorded without the day it was issued, so whether the six months passed without one "
    "is not known"
)
UOCHR_WORK_CERTIFICATE_MAY_OUTLAST = (
    "UOchr art. 35 (the certificate, asked for once six months passed without a decision, is "
    "valid until the decision is final): the decision came after the six months and is not "
    "final, and whether a certificate was issued is not recorded"
)
DECISION_UNDATED = (
    "UoC art. 108 ust. 1 pkt 2; UOchr art. 55a (the stay on an application lasts until its "
    "decision is final): a decision with no delivery or finality recorded by the date leaves "
    "that day unknown"
)
WORK_BEFORE_UOC_NOT_RESEARCHED = (
    "access to work of a title holder before 1 May 2014 is not researched (the free-access "
    "rules are given from then)"
)
WORK_FREE_ACCESS = "employment act (not verified): free labour-market access"
WORK_HUMANITARIAN_VISA_TRP = "UoC art. 186 ust. 1 pkt 9 and ust. 5"
WORK_TRP_EMPLOYMENT = (
    "single permit for residence and work (not verified): work on the terms the permit states "
    "(its employer and post: not researched), not free access to the labour market"
)
WORK_TRP_SPOUSE = "employment act (not verified): permit for marriage to a Polish citizen"
WORK_HUMANITARIAN_STAY = "UoC (humanitarian stay; article not verified)"
WORK_HUMANITARIAN_VISA = (
    "UoC or the employment rules (humanitarian visa holders, from Dec 2020: act, article and "
    "day not verified)"
)
WORK_NONE = "no recorded title or certificate gives access to work"
WORK_TITLE_SILENT = (
    "the research does not say whether this title, or this permit's ground, gives access to "
    "work without a work permit (the free-access rules it gives do not name it); check by hand"
)
WORK_ASYLUM_SILENT = (
    "asylum granted: the research gives it as a ground for permanent residence (UoC art. 195 "
    "ust. 1), not whether it gives access to work; check by hand"
)
WORK_STAMP_SILENT = (
    "the research does not say whether a stay on a timely application (UoC art. 108) gives "
    "access to work; check by hand"
)

UOC_PR_GROUNDS = "UoC art. 195 ust. 1"
UOC_LTR = "UoC arts. 211–212"
UOC_LTR_NOT_FOR_STUDIES = "UoC art. 212 ust. 2"
UOC_LTR_HEALTH_INSURANCE = "UoC art. 211 ust. 1"
UOC_LTR_INCOME = (
    "UoC art. 211 ust. 1 (stable and regular income for the 3 years before applying, 2 years "
    "for a Blue Card holder, whose 2 years are not recorded)"
)
UOC_LTR_HOUSING = (
    "UoC art. 211 ust. 1 (right to housing, and registration or a certificate that registration "
    "is impossible)"
)
UOC_LTR_LANGUAGE = "UoC art. 211 (Polish language: required; level and article not verified)"
UOC_PDPDC_GENERAL = "UoC art. 252"
UOC_PDPDC_252A = "UoC art. 252a; Rozp. MSWiA 28.06.2023 (Dz.U. 2023 poz. 1247)"
UOC_PDPDC_252A_WINDOW = (
    "UoC art. 252a; Rozp. MSWiA 28.06.2023 (Dz.U. 2023 poz. 1247) § 3 as extended: the PDPdC "
    "is applied for within the window (the windows of 2025 and 2026 not verified: the day the "
    "first of 2025 opened, and the ends from 31 Dec 2025)"
)
UOC_PDPDC_252A_TITLE_END = (
    "UoC art. 252a: the PDPdC is applied for while holding a qualifying title, whose last day "
    "comes before the end of the window (Rozp. MSWiA 28.06.2023, Dz.U. 2023 poz. 1247, § 3 as "
    "extended); a stay on the stamp of its renewal holds none"
)
UOC_PDPDC_252A_TITLE_END_PROPOSED = (
    "UoC art. 252a as Amnesty International Polska's proposal of 4 Aug 2025 would leave it "
    "without windows (a proposal, not law): the PDPdC is applied for while holding a "
    "qualifying title, whose last day this is; a stay on the stamp of its renewal holds none"
)
RENEWAL_AFTER_252A_WINDOW = (
    "Rozp. MSWiA 28.06.2023 (Dz.U. 2023 poz. 1247) § 3 as extended, with UoC art. 252a: the "
    "travel document lapses after the last day of the art. 252a application window in force, "
    "or while no window is known to be in force (none is recorded after 30 Jun 2026); whether "
    "a later window will open is not verified (each earlier one was followed by another)"
)
UOC_PDPDC_252A_REFUGEE = (
    f"{UOC_PDPDC_252A}; art. 252 (refugees get the Geneva Convention document): whether art. "
    "252a is open to a refugee is not in the research"
)
UOC_PDTC = "UoC (PDTC chapter; article not verified)"
AMNESTY_CHILDREN = "Amnesty International Poland, proposal of 4 Aug 2025 (not law)"
UOC_CONTINUITY = (
    "UoC arts. 211–212 (breaks ≤ 6 months each, ≤ 10 months in total; paragraph not verified)"
)
# legal-rules.md: the same test for the spouse route (arts. 211–212 / 195; paragraph not verified).
UOC_PR_CONTINUITY = (
    "UoC art. 195 (breaks ≤ 6 months each, ≤ 10 months in total; paragraph not verified)"
)
# Readings the research does not state (audit of 26 Nov 2026): cited so the caseworker sees it.
UOC_PR_PERIOD_TO_DATE = (
    "UoC art. 195 ust. 1 (that the years run up to the date, on a title still held: not verified)"
)
UOC_PR_CHILD_BORN_DURING = (
    "UoC art. 195 ust. 1 (a child born after the parent's grant, or while the parent held a "
    "temporary residence permit, humanitarian or tolerated stay or protection: a title "
    "recorded over the birth day); born while the parent, who had held such a title before, "
    "stayed on the stamp of a timely application, it is left to be checked: whether a stay on "
    "a stamp counts as holding the permit is not in the research; not known either where no "
    "parent's titles are recorded"
)
UOC_PR_CHILD_MINOR = (
    "UoC art. 195 ust. 1 (child of a holder; that the child must be a minor: not verified)"
)
UOC_PR_PROTECTION_CONTINUITY = (
    "UoC art. 195 ust. 1 (the breaks test of arts. 211–212 applied to 5 years on protection: "
    "not verified)"
)
# A "yes" may rest on the fact recorded (before the Decree too) or on the Decree's inference.
UOC_PDPDC_CANNOT_OBTAIN = (
    "UoC art. 252 (cannot obtain a new passport: as recorded, or from 7 Sep 2023 Decree No. 278 "
    "taken to show it for a person whose only citizenship is Belarusian: not verified)"
)
UOC_PDTC_STATELESS = (
    "UoC (PDTC chapter; article not verified): where Poland's interest supports it, a weighing "
    "not assessed here"
)
# legal-rules.md §1.1: a presumed victim "holding an art. 170 certificate"; the certificate is
# a document, and a document not recorded is not held (as a passport not recorded is not).
UOC_PDTC_TRAFFICKING = (
    "UoC (PDTC chapter; article not verified): a presumed victim of trafficking holding the "
    "certificate of art. 170; none recorded, none held"
)
UOC_PDTC_WITHOUT_CARE = (
    "UoC (PDTC chapter; article not verified): where the child's best interest supports it, a "
    "weighing not assessed here"
)

# Readings that could make a "yes" wrong (they open a route the law may keep shut: Decree
# No. 278 taken to show a passport cannot be had; a weighing the law asks for and the rules
# do not make): a "yes" cites them. Other caveats make the rules stricter than the law may be
# (the years counted up to the date, a child a minor, the breaks test on protection), so they
# can only turn a "yes" into a "no", and a "yes" does not cite them.
CAVEATS_OF_A_YES = (UOC_PDPDC_CANNOT_OBTAIN, UOC_PDTC_STATELESS, UOC_PDTC_WITHOUT_CARE)
