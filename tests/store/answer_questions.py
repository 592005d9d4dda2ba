"""Practitioners' questions as they type them (lower case, typos, no question marks, acronyms, UK
spelling), each with the chapter (or our own document) that answers it: the relevance set for
answers from the manual (issue 16). Written for the test manual (tests/support/trix_manual_text.py)
and the demo register; not the command table's phrasings."""

from __future__ import annotations

MISSING = "Children Missing from Home and Care"
S47 = "Section 47 Enquiries"
STRAT = "Strategy Discussions"
ICPC = "Initial Child Protection Conferences"
CPP = "Child Protection Plans, Core Groups and Review Conferences"
MASH = "Multi Agency Safeguarding Hub"
THRESH = "Threshold Document: Levels of Need"
SINGLE = "Single Assessment"
CINA = "Assessment of Children in Need under Section 17"
CINP = "Child in Need Plans and Reviews"
PLO = "Pre-proceedings and the Public Law Outline"
CARE_PROC = "Applications for Care and Supervision Orders"
LACR = "Looked After Reviews"
CAREPLAN = "Care Planning for Children in Care"
IRO = "The Independent Reviewing Officer Service"
PATHWAY = "Pathway Planning for Care Leavers"
PA = "Personal Advisers"
DOLS = "Deprivation of Liberty Safeguards"
CDOL = "Children Deprived of their Liberty"
LADO = "Allegations Against Staff, Carers and Volunteers"
UASC = "Unaccompanied Asylum Seeking Children"
AGE = "Age Assessments"
EHCP = "Education, Health and Care Plans"
SHORT = "Short Breaks for Disabled Children"
PF = "Private Fostering"
S42 = "Safeguarding Adults Enquiries (Section 42)"
PUT = "Staying Put"
STEP = "Step Up and Step Down between Early Help and Social Care"
EHA = "Early Help Assessment"
MCA = "Mental Capacity Act Assessments"

# (question, the titles that answer it: the chapter first, then our own document on the same subject)
QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    # missing children
    ("child gone missing from foster placement what do i do", (MISSING,)),
    ("who do i tell when a young person goes missing", (MISSING,)),
    ("return home interview timescale", (MISSING,)),
    ("rhi within how many hours", (MISSING,)),
    ("missing from care police report", (MISSING,)),
    ("difference between absent and missing", (MISSING,)),
    ("repeat missing episodes", (MISSING,)),
    ("runaway child", (MISSING,)),
    # section 47 and strategy
    ("s47 timescales", (S47,)),
    ("when do we start a section 47", (S47,)),
    ("s.47 outcome recorded within", (S47,)),
    ("child protection enquiry who leads it", (S47,)),
    ("seeing the child alone during enquiries", (S47,)),
    ("who attends a strategy discussion", (STRAT,)),
    ("strategy meeting what gets decided", (STRAT,)),
    ("what do we tell parents after the strategy discussion", (STRAT,)),
    # conferences and plans
    ("icpc timescale", (ICPC,)),
    ("initial cp conference within 15 days", (ICPC,)),
    ("category of abuse decided at conference", (ICPC,)),
    ("core group first meeting", (CPP,)),
    ("rcpc when", (CPP,)),
    ("when does a cp plan end", (CPP,)),
    ("review conference every 6 months", (CPP,)),
    # front door
    ("mash screening one working day", (MASH,)),
    ("how do i make a referral to the mash", (MASH,)),
    ("multi agency safeguarding hub contacts", (MASH,)),
    ("levels of need threshold", (THRESH,)),
    ("disagree with threshold decision", (THRESH,)),
    ("single assesment 45 days", (SINGLE,)),
    ("parenting capacity in the assessment", (SINGLE,)),
    # children in need
    ("s17 duty", (CINA,)),
    ("who counts as a child in need", (CINA,)),
    ("cin plan review how often", (CINP,)),
    ("cin visits every 4 weeks", (CINP,)),
    ("ending a child in need plan", (CINP,)),
    ("step down to early help", (STEP,)),
    ("stepping up from early help to social care", (STEP,)),
    ("eha lead professional", (EHA,)),
    ("team around the family", (EHA,)),
    # court
    ("letter before proceedings", (PLO,)),
    ("plo meeting with parents solicitor", (PLO,)),
    ("pre proceedings period", (PLO,)),
    ("26 weeks care proceedings", (CARE_PROC,)),
    ("applying for a supervision order", (CARE_PROC,)),
    ("social work evidence template", (CARE_PROC,)),
    # children in care
    ("lac review timescales", (LACR,)),
    ("cla review 20 working days", (LACR,)),
    ("bring a looked after review forward", (LACR,)),
    ("can the child chair their own review", (LACR,)),
    ("care plan for a child coming into care", (CAREPLAN,)),
    ("whats in the placement plan for the carers", (CAREPLAN,)),
    ("plan for permanence", (CAREPLAN, "Permanence Planning")),
    ("iro escalation dispute resolution", (IRO,)),
    ("independent reviewing officers role", (IRO,)),
    ("deprivation of liberty for a child high court", (CDOL,)),
    ("inherent jurisdiction dol child", (CDOL,)),
    # UASC and age
    ("uasc national transfer scheme", (UASC,)),
    ("asylum seeking child trafficking risk", (UASC,)),
    ("age dispute merton compliant", (AGE,)),
    ("age assesment appropriate adult", (AGE,)),
    # leaving care
    ("pathway plan by 16", (PATHWAY,)),
    ("care leaver support until 25", (PATHWAY,)),
    ("former relevant child pathway plan review", (PATHWAY,)),
    ("personal advisor for care leaver", (PA,)),
    ("staying put after 18 with foster carers", (PUT,)),
    ("staying put till 21", (PUT,)),
    # adults
    ("dols urgent authorisation seven days", (DOLS,)),
    ("deprivaton of libery care home", (DOLS,)),
    ("best interests assessor standard authorization", (DOLS,)),
    ("s42 enquiry", (S42,)),
    ("adult safeguarding enquiry care act", (S42,)),
    ("safegaurding adults enquiry", (S42,)),
    ("mental capacity assessment decision specific", (MCA,)),
    ("mca 2005 presumption of capacity", (MCA,)),
    # allegations
    ("allegation against a teacher", (LADO,)),
    ("lado referral within one working day", (LADO,)),
    ("allegations management meeting", (LADO,)),
    ("lado outcome unfounded", (LADO,)),
    ("what does malicious mean for an allegation outcome", (LADO,)),
    # SEND
    ("ehcp social care advice 6 weeks", (EHCP,)),
    ("education health and care plan annual review", (EHCP,)),
    ("send needs assessment", (EHCP,)),
    ("short breaks eligibility", (SHORT,)),
    ("respite for disabled children", (SHORT,)),
    # private fostering
    ("private fostering notification visit", (PF,)),
    ("privately fostered child visits every 6 weeks", (PF,)),
    ("child living with a family friend for 28 days", (PF,)),
    # generated chapters: their titles as practitioners say them
    ("cse", ("Child Sexual Exploitation",)),
    ("county lines", ("Child Criminal Exploitation and County Lines",)),
    ("bruise on a non mobile baby", ("Bruising in Non-mobile Babies",)),
    ("fii", ("Fabricated or Induced Illness",)),
    ("fgm", ("Female Genital Mutilation",)),
    ("forced marriage", ("Forced Marriage",)),
    ("prevent radicalisation", ("Radicalisation and the Prevent Duty",)),
    ("radicalization referral", ("Radicalisation and the Prevent Duty",)),
    ("harmful sexual behavior", ("Harmful Sexual Behaviour",)),
    ("graded care profile neglect", ("Neglect and the Graded Care Profile",)),
    ("police protection powers", ("Police Protection Powers",)),
    ("epo", ("Emergency Protection Orders",)),
    ("young carers", ("Young Carers",)),
    ("nrpf families", ("Children and Families who have No Recourse to Public Funds",)),
    ("homeless 16 year old", ("Homeless 16 and 17 Year Olds",)),
    ("fgc referral", ("Family Group Conferences",)),
    ("section 17 money", ("Section 17 Financial Assistance",)),
    ("ico", ("Interim Care Orders",)),
    ("placement order", ("Placement Orders",)),
    ("secure accommodation order", ("Secure Accommodation Orders",)),
    ("delegated authority foster carers", ("Delegated Authority",)),
    ("passport for a looked after child going abroad", ("Passports and Travel Abroad",)),
    ("family network meeting", ("Family Network Meetings",)),
    ("independent visitor", ("Independent Visitors",)),
    ("life story work", ("Life Story Work",)),
    ("fostering panel", ("Fostering Panel",)),
    ("foster carer annual review", ("Annual Review of Foster Carers",)),
    ("connected persons temporary approval reg 24", ("Temporary Approval of Connected Persons",)),
    ("sgo support", ("Special Guardianship Support",)),
    ("later life letter", ("Later Life Letters",)),
    ("letterbox contact", ("Letterbox Contact",)),
    ("setting up home allowance", ("Setting Up Home Allowance",)),
    ("local offer care leavers", ("The Local Offer for Care Leavers",)),
    ("chc", ("Continuing Healthcare",)),
    ("self neglect hoarding", ("Self-neglect and Hoarding",)),
    ("court of protection application", ("Court of Protection Applications",)),
    ("carers assessment", ("Carers Assessments",)),
    ("escalation professional disagreement", ("Escalation and Resolution of Professional Disagreements",)),
    ("lone working", ("Lone Working and Personal Safety",)),
    ("whistleblowing", ("Whistleblowing",)),
    ("supervision policy", ("Supervision Policy",)),
    ("subject access request records", ("Access to Records",)),
    # our own documents (the register), no chapter of the same name
    ("visiting children practice standards", ("Practice Standards: Visiting Children",)),
    ("corporate parenting strategy", ("Corporate Parenting Strategy", "Corporate Parenting")),
    ("neglect strategy", ("Neglect Strategy",)),
    ("recording policy", ("Recording Policy", "Case Recording")),
    ("case transfer protocol", ("Case Transfer Protocol", "Case Transfer between Teams")),
    ("assessment practice standards", ("Practice Standards: Assessments",)),
]

# Off topic: no passage may be quoted for these.
OFF_TOPIC = [
    "whats the wifi password",
    "christmas party date",
    "how do i book annual leave",
    "car parking permit",
    "printer not working on 3rd floor",
    "canteen menu today",
    "underwater basket weaving",
    "football results",
    "my laptop screen is broken",
    "expenses for mileage claim",
]

# (question, chapter, words the quoted passage must hold): the passage chosen, not only the chapter.
PASSAGES: list[tuple[str, str, tuple[str, ...]]] = [
    ("return home interview timescale", MISSING, ("return home interview", "72 hours")),
    ("missing child report to police out of hours", MISSING, ("reports it to the police",)),
    ("difference between absent and missing", MISSING, ("whereabouts are known",)),
    ("s.47 outcome recorded within", S47, ("15 working days",)),
    ("seeing the child alone during enquiries", S47, ("speaks to the child alone",)),
    ("icpc timescale", ICPC, ("within 15 working days",)),
    ("core group first meeting", CPP, ("within ten working days",)),
    ("when does a cp plan end", CPP, ("ends when",)),
    ("mash screening one working day", MASH, ("within one working day",)),
    ("cin visits every 4 weeks", CINP, ("every four weeks",)),
    ("letter before proceedings", PLO, ("letter before proceedings",)),
    ("26 weeks care proceedings", CARE_PROC, ("26 weeks",)),
    ("cla review 20 working days", LACR, ("20 working days",)),
    ("bring a looked after review forward", LACR, ("brought forward",)),
    ("care leaver support until 25", PATHWAY, ("until they are 25",)),
    ("dols urgent authorisation seven days", DOLS, ("urgent authorisation",)),
    ("lado referral within one working day", LADO, ("within one working day",)),
    ("lado outcome unfounded", LADO, ("Unfounded",)),
    ("privately fostered child visits every 6 weeks", PF, ("every six weeks",)),
    ("age assesment appropriate adult", AGE, ("appropriate adult",)),
]
