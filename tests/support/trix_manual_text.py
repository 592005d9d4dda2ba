"""The words of the test manual: our own text, written for these tests, in the shape of a UK
children's and adults' social care procedures manual. Key chapters are written out; the rest
are generated from topic phrases so the manual is large (and the search has distractors).
"""

from __future__ import annotations

import random

# A paragraph starting with this is a lead-in sentence and a bulleted list ("\n- " between items).
LIST_START = "LIST:"

# (section slug, section title)
SECTIONS = [
    ("contacts-referrals-assessments", "Contacts, Referrals and Assessments"),
    ("child-protection", "Child Protection"),
    ("children-in-need", "Children in Need"),
    ("court-proceedings", "Court Proceedings and Pre-proceedings"),
    ("children-in-care", "Children in Care"),
    ("fostering", "Fostering and Connected Persons"),
    ("adoption-permanence", "Adoption and Permanence"),
    ("leaving-care", "Leaving Care and Transition"),
    ("disabled-children-send", "Disabled Children and SEND"),
    ("adults", "Adult Social Care and Safeguarding Adults"),
    ("practice-guidance", "Practice Guidance"),
    ("workforce-recording", "Recording, Supervision and Workforce"),
]

# Key chapters: slug -> (section slug, title, paragraphs, related slugs)
KEY_CHAPTERS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "missing-children": (
        "child-protection",
        "Children Missing from Home and Care",
        [
            "This chapter sets out what practitioners must do when a child goes missing from home or from care, "
            "and how the risk to the child is assessed while they are away and after they come back.",
            "When a child is missing, the carer or parent reports it to the police at once and tells the allocated "
            "social worker. Out of hours the emergency duty team is told. A strategy discussion is held when the "
            "child is at risk of significant harm, including sexual or criminal exploitation.",
            "Every child who returns is offered a return home interview by an independent person within 72 hours. "
            "The interview explores why the child went missing, where they were and who they were with, and what "
            "would help them stay safe. Repeated missing episodes lead to a review of the child's plan.",
            "Children who are absent (not where they should be but whose whereabouts are known) are recorded "
            "separately; absence can become missing when the risk changes.",
        ],
        ["strategy-discussions", "child-sexual-exploitation", "section-47-enquiries"],
    ),
    "section-47-enquiries": (
        "child-protection",
        "Section 47 Enquiries",
        [
            "A local authority must make enquiries under section 47 of the Children Act 1989 when it has reasonable "
            "cause to suspect that a child in its area is suffering, or is likely to suffer, significant harm.",
            "The decision to start a section 47 enquiry is made at a strategy discussion. The enquiry is led by a "
            "qualified social worker, who sees and speaks to the child alone where appropriate, and involves the "
            "police, health and education.",
            "The outcome of the enquiry is recorded within 15 working days of the strategy discussion: no further "
            "action, a child in need plan, or an initial child protection conference.",
        ],
        ["strategy-discussions", "initial-child-protection-conferences"],
    ),
    "strategy-discussions": (
        "child-protection",
        "Strategy Discussions",
        [
            "A strategy discussion is convened whenever there is reasonable cause to suspect that a child is "
            "suffering or likely to suffer significant harm. It involves children's social care, the police and "
            "health, and any agency that referred the child.",
            "The discussion shares information, agrees whether enquiries under section 47 are needed, plans how the "
            "child will be kept safe and decides what the parents will be told and when.",
        ],
        ["section-47-enquiries", "missing-children"],
    ),
    "initial-child-protection-conferences": (
        "child-protection",
        "Initial Child Protection Conferences",
        [
            "An initial child protection conference (ICPC) brings together the family and professionals to decide "
            "whether the child should be subject to a child protection plan. It takes place within 15 working days "
            "of the strategy discussion at which the section 47 enquiry was started.",
            "The conference is chaired by an independent chair. Parents are invited and helped to take part; the "
            "child's wishes and feelings are presented. The category of abuse is decided and a core group is named.",
        ],
        ["child-protection-plans", "section-47-enquiries"],
    ),
    "child-protection-plans": (
        "child-protection",
        "Child Protection Plans, Core Groups and Review Conferences",
        [
            "The core group meets within ten working days of the initial conference and then regularly to develop "
            "and carry out the child protection plan. The first review conference is held within three months and "
            "later reviews at intervals of no more than six months.",
            "A child protection plan ends when the child is no longer at continuing risk of significant harm, the "
            "child moves permanently to another area, or the child reaches 18.",
        ],
        ["initial-child-protection-conferences"],
    ),
    "mash": (
        "contacts-referrals-assessments",
        "Multi Agency Safeguarding Hub",
        [
            "The Multi Agency Safeguarding Hub receives every contact about a child's welfare. Professionals from "
            "social care, police, health, education and probation share information in one place to decide quickly "
            "and safely what response a child needs.",
            "A contact is screened against the threshold document within one working day. It may become a referral "
            "to children's social care, be passed to early help, or close with advice. Urgent safeguarding concerns "
            "go straight to a strategy discussion.",
        ],
        ["threshold-document", "strategy-discussions", "early-help-assessment"],
    ),
    "threshold-document": (
        "contacts-referrals-assessments",
        "Threshold Document: Levels of Need",
        [
            "The threshold document describes four levels of need, from universal services to children who need "
            "protection, with examples that help professionals decide which services to contact.",
            "Practitioners who disagree with a threshold decision should talk to the manager who made it and, if "
            "still concerned, use the escalation and resolution procedure.",
        ],
        ["mash"],
    ),
    "single-assessment": (
        "contacts-referrals-assessments",
        "Single Assessment",
        [
            "A single assessment is completed for every child referred to children's social care who may need "
            "services. It is led by a qualified social worker and completed within 45 working days of the referral.",
            "The assessment covers the child's developmental needs, the parents' capacity to respond and wider "
            "family and environmental factors, and ends with a clear analysis and plan.",
        ],
        ["cin-assessment"],
    ),
    "cin-assessment": (
        "children-in-need",
        "Assessment of Children in Need under Section 17",
        [
            "Section 17 of the Children Act 1989 places a general duty on the local authority to safeguard and "
            "promote the welfare of children in need in its area by providing a range of services.",
            "A child in need is a child who is unlikely to achieve a reasonable standard of health or development "
            "without services, or who is disabled. The single assessment decides whether the child is in need.",
        ],
        ["cin-plans", "single-assessment"],
    ),
    "cin-plans": (
        "children-in-need",
        "Child in Need Plans and Reviews",
        [
            "When an assessment finds that a child is in need, a child in need plan is drawn up with the family and "
            "the professionals involved. The plan says what will change, who will do what, and by when.",
            "The child in need plan is reviewed at a meeting within three months and then at least every six "
            "months. The child is visited at least every four weeks while the plan is in place.",
            "A child in need plan ends when the outcomes are reached, when the family moves, or when support steps "
            "down to early help.",
        ],
        ["cin-assessment", "step-up-step-down"],
    ),
    "plo-pre-proceedings": (
        "court-proceedings",
        "Pre-proceedings and the Public Law Outline",
        [
            "The Public Law Outline sets out how care proceedings are run. Before an application is made, the local "
            "authority sends parents a letter before proceedings and invites them to a pre-proceedings meeting with "
            "their solicitor.",
            "The pre-proceedings period is used to agree a plan of support, complete assessments and consider family "
            "members who could care for the child. The legal gateway meeting reviews progress and decides whether "
            "to issue proceedings.",
        ],
        ["care-proceedings", "legal-gateway-meetings"],
    ),
    "care-proceedings": (
        "court-proceedings",
        "Applications for Care and Supervision Orders",
        [
            "The local authority applies to the family court for a care or supervision order under section 31 of "
            "the Children Act 1989 when the threshold criteria are met. Proceedings should finish within 26 weeks.",
            "The social work evidence template, the care plan and the chronology are filed with the application.",
        ],
        ["plo-pre-proceedings"],
    ),
    "lac-reviews": (
        "children-in-care",
        "Looked After Reviews",
        [
            "Every looked after child has their care plan reviewed by an Independent Reviewing Officer. The first "
            "review is held within 20 working days of the child becoming looked after, the second within three "
            "months of the first, and later reviews every six months.",
            "The child is encouraged to take part in their review, to chair it or to share their views through an "
            "advocate. Parents, carers and professionals contribute. The Independent Reviewing Officer records the "
            "decisions and makes sure they are carried out.",
            "A review is brought forward when the placement is at risk, when the child asks for one, or when the "
            "care plan is to change significantly.",
        ],
        ["care-planning", "iro"],
    ),
    "care-planning": (
        "children-in-care",
        "Care Planning for Children in Care",
        [
            "Each child in care has a care plan, prepared before they become looked after or within ten working days "
            "of it. The plan sets out the long term plan for the child's upbringing, called the plan for permanence.",
            "The placement plan explains how the placement will meet the child's needs and is agreed with the "
            "carers. Health and education needs are covered by the health plan and personal education plan.",
        ],
        ["lac-reviews", "permanence-planning"],
    ),
    "iro": (
        "children-in-care",
        "The Independent Reviewing Officer Service",
        [
            "Independent Reviewing Officers monitor the local authority's work as a corporate parent. They chair "
            "reviews of children in care and can escalate concerns through the dispute resolution process.",
        ],
        ["lac-reviews"],
    ),
    "pathway-planning": (
        "leaving-care",
        "Pathway Planning for Care Leavers",
        [
            "Every eligible child has a pathway plan by the age of 16 and a quarter. The plan builds on the care "
            "plan and covers accommodation, education, employment and training, health, finance and relationships.",
            "Relevant and former relevant children keep a pathway plan, which their personal adviser reviews at "
            "least every six months. Care leavers can ask for support from a personal adviser until they are 25.",
        ],
        ["personal-advisers", "staying-put", "leaving-care-finance"],
    ),
    "personal-advisers": (
        "leaving-care",
        "Personal Advisers",
        [
            "A personal adviser is appointed for each care leaver. The adviser keeps in touch, helps prepare and "
            "review the pathway plan and makes sure the young person gets the services in it.",
        ],
        ["pathway-planning"],
    ),
    "dols": (
        "adults",
        "Deprivation of Liberty Safeguards",
        [
            "The Deprivation of Liberty Safeguards protect adults who lack capacity to consent to their care and "
            "treatment in a care home or hospital, where the arrangements amount to a deprivation of liberty.",
            "The managing authority asks the supervisory body for a standard authorisation, or grants itself an "
            "urgent authorisation for up to seven days. Best interests assessors and mental health assessors "
            "decide whether the requirements are met.",
        ],
        ["mental-capacity", "best-interests-decisions"],
    ),
    "children-deprivation-of-liberty": (
        "children-in-care",
        "Children Deprived of their Liberty",
        [
            "Where a child's care plan restricts their liberty in a way that is not secure accommodation, the local "
            "authority asks the High Court to authorise it under its inherent jurisdiction.",
        ],
        ["secure-accommodation"],
    ),
    "lado": (
        "child-protection",
        "Allegations Against Staff, Carers and Volunteers",
        [
            "This chapter applies when it is alleged that someone who works with children has harmed a child, "
            "committed a criminal offence against a child, or behaved in a way that shows they may pose a risk.",
            "The employer reports the allegation to the Local Authority Designated Officer within one working day. "
            "The LADO decides whether an allegations management meeting is needed and oversees the investigation, "
            "which may involve the police and children's social care.",
            LIST_START + "When the investigation ends, the LADO records one of five outcomes and tells the employer in writing."
            "\n- Substantiated: there is enough evidence to prove the allegation."
            "\n- False: there is enough evidence to disprove the allegation."
            "\n- Malicious: there is clear evidence of a deliberate act to deceive or cause harm to the person accused."
            "\n- Unsubstantiated: there is not enough evidence either to prove or to disprove the allegation."
            "\n- Unfounded: there is no evidence or proper basis to support the allegation.",
        ],
        ["section-47-enquiries"],
    ),
    "uasc": (
        "children-in-care",
        "Unaccompanied Asylum Seeking Children",
        [
            "An unaccompanied asylum seeking child is a child who has applied for asylum and is separated from both "
            "parents and any other carer. They become looked after and receive the same care planning as any child "
            "in care, with attention to immigration status, trauma and trafficking risk.",
            "Under the national transfer scheme a child may move to another local authority with capacity to care "
            "for them.",
        ],
        ["age-assessment", "trafficked-children"],
    ),
    "age-assessment": (
        "children-in-care",
        "Age Assessments",
        [
            "Where a young person's age is disputed, and in particular for unaccompanied asylum seeking children "
            "with no documents, two trained social workers complete an age assessment that meets the Merton "
            "standards.",
            "The young person is treated as a child while the age assessment is carried out, is given an "
            "appropriate adult and an interpreter, and is told the outcome and how to challenge it.",
        ],
        ["uasc"],
    ),
    "ehcp": (
        "disabled-children-send",
        "Education, Health and Care Plans",
        [
            "Children and young people with special educational needs and disabilities may need an education, "
            "health and care plan. Social care contributes advice to the needs assessment within six weeks of "
            "being asked.",
            "The plan is reviewed every year. For children in care, the review is aligned with the personal "
            "education plan and the looked after review.",
        ],
        ["short-breaks", "transition-to-adult-services"],
    ),
    "short-breaks": (
        "disabled-children-send",
        "Short Breaks for Disabled Children",
        [
            "Short breaks give disabled children enjoyable experiences away from their families and give parents a "
            "break from caring. Eligibility is decided by a short breaks assessment.",
        ],
        ["ehcp"],
    ),
    "private-fostering": (
        "fostering",
        "Private Fostering",
        [
            "A private fostering arrangement is one where a child under 16 (or 18 if disabled) is cared for by "
            "someone who is not a close relative for 28 days or more. The local authority must be notified.",
            "On notification a social worker visits within seven working days and assesses the suitability of the "
            "arrangement; the child is then visited at least every six weeks in the first year.",
        ],
        ["connected-persons-assessments"],
    ),
    "adult-safeguarding-enquiries": (
        "adults",
        "Safeguarding Adults Enquiries (Section 42)",
        [
            "Under section 42 of the Care Act 2014 the local authority makes enquiries when an adult with care and "
            "support needs is experiencing, or at risk of, abuse or neglect and cannot protect themselves.",
            "Making safeguarding personal: the adult is asked what outcomes they want, and the enquiry is "
            "proportionate to the risk.",
        ],
        ["mental-capacity", "self-neglect-and-hoarding"],
    ),
    "staying-put": (
        "leaving-care",
        "Staying Put",
        [
            "Staying put arrangements let young people remain with their former foster carers after they turn 18, "
            "up to the age of 21, where both want it.",
        ],
        ["pathway-planning"],
    ),
    "step-up-step-down": (
        "children-in-need",
        "Step Up and Step Down between Early Help and Social Care",
        [
            "Cases move between early help and children's social care through a managed transfer, with a joint "
            "meeting with the family so that support carries on without a gap.",
        ],
        ["cin-plans", "early-help-assessment"],
    ),
    "early-help-assessment": (
        "contacts-referrals-assessments",
        "Early Help Assessment",
        [
            "An early help assessment is completed with the family when needs are emerging. A lead professional "
            "coordinates a team around the family and a family plan.",
        ],
        ["step-up-step-down"],
    ),
    "mental-capacity": (
        "adults",
        "Mental Capacity Act Assessments",
        [
            "The Mental Capacity Act 2005 assumes a person has capacity unless it is shown otherwise. A capacity "
            "assessment is decision specific and time specific.",
        ],
        ["best-interests-decisions", "dols"],
    ),
}

# Generated chapters: (section slug, title) — topics that a real manual carries.
GENERATED = {
    "contacts-referrals-assessments": [
        "Contacts and Referrals", "Pre-birth Assessments", "Assessment of Parents with Learning Disabilities",
        "Consent and Information Sharing at the Front Door", "Children's Services Out of Hours",
        "Initial Visits", "Chronologies", "Genograms and Ecomaps", "Family Network Meetings",
        "Interpreters and Translators", "Responding to Anonymous Referrals", "Case Transfer between Teams",
    ],
    "child-protection": [
        "Child Sexual Exploitation", "Child Criminal Exploitation and County Lines", "Bruising in Non-mobile Babies",
        "Fabricated or Induced Illness", "Female Genital Mutilation", "Forced Marriage", "Honour Based Abuse",
        "Trafficked Children", "Radicalisation and the Prevent Duty", "Online Safety and Harmful Content",
        "Harmful Sexual Behaviour", "Domestic Abuse and Children", "Parental Substance Misuse",
        "Parental Mental Health", "Neglect and the Graded Care Profile", "Police Protection Powers",
        "Emergency Protection Orders", "Child Safeguarding Practice Reviews",
    ],
    "children-in-need": [
        "Young Carers", "Children and Families who have No Recourse to Public Funds", "Homeless 16 and 17 Year Olds",
        "Family Group Conferences", "Direct Work with Children", "The Voice of the Child",
        "Children Visiting Prisons", "Section 17 Financial Assistance", "Case Closure",
        "Support for Families of Children with Complex Health Needs",
    ],
    "court-proceedings": [
        "Legal Gateway Meetings", "Interim Care Orders", "Supervision Orders", "Discharge of Care Orders",
        "Placement Orders", "Child Arrangements Orders", "Section 7 and Section 37 Reports", "Court Skills",
        "Expert Assessments in Proceedings", "Secure Accommodation Orders", "Recovery Orders",
    ],
    "children-in-care": [
        "Health Assessments for Children in Care", "Personal Education Plans and the Virtual School",
        "Delegated Authority", "Holidays and Overnight Stays", "Passports and Travel Abroad", "Pocket Money and Savings",
        "Contact with Parents and Siblings", "Placement Stability Meetings", "Out of Area Placements",
        "Children's Homes and Regulation 44 Visits", "Independent Visitors", "Advocacy for Children in Care",
        "Notification of Serious Events", "Death of a Child in Care", "Secure Accommodation", "Restraint and Restrictive Practice",
        "Life Story Work", "Corporate Parenting", "Placement Planning and Disruption Meetings",
    ],
    "fostering": [
        "Assessment and Approval of Foster Carers", "Fostering Panel", "Annual Review of Foster Carers",
        "Supervision and Support of Foster Carers", "Allegations Against Foster Carers", "Connected Persons Assessments",
        "Temporary Approval of Connected Persons", "Exemptions and Extensions to Fostering Limits",
        "Foster Carer Training and Development", "Matching Children with Foster Carers", "Fostering Allowances",
        "Family Time Supervised by Foster Carers",
    ],
    "adoption-permanence": [
        "Permanence Planning", "Adoption Panel", "Agency Decision Maker", "Matching and Introductions for Adoption",
        "Adoption Support Services", "Later Life Letters", "Letterbox Contact", "Special Guardianship Orders",
        "Special Guardianship Support", "Early Permanence and Foster for Adoption", "Access to Birth Records",
    ],
    "leaving-care": [
        "Eligibility for Leaving Care Services", "Financial Support for Care Leavers", "Accommodation for Care Leavers",
        "Education, Employment and Training for Care Leavers", "Care Leavers in Custody", "Staying Close",
        "Health Histories for Care Leavers", "The Local Offer for Care Leavers", "Setting Up Home Allowance",
        "Care Leavers who are Parents",
    ],
    "disabled-children-send": [
        "Assessment of Disabled Children", "Transition to Adult Services", "Direct Payments for Families",
        "Residential Short Break Units", "Children with Complex Health Needs and Continuing Care",
        "Equipment and Adaptations", "Disabled Children's Register", "Safeguarding Disabled Children",
        "Autism and Neurodiversity", "Sensory Impairment",
    ],
    "adults": [
        "Best Interests Decisions", "Court of Protection Applications", "Carers Assessments", "Direct Payments",
        "Self-neglect and Hoarding", "Making Safeguarding Personal", "Hospital Discharge", "Continuing Healthcare",
        "Appointeeship and Deputyship", "Adult Safeguarding Reviews", "Transition Planning for Young Adults",
        "Domestic Abuse and Adults at Risk",
    ],
    "practice-guidance": [
        "Escalation and Resolution of Professional Disagreements", "Working with Fathers and Male Carers",
        "Cultural Competence and Anti-racist Practice", "Working with Resistant Families", "Trauma Informed Practice",
        "Contextual Safeguarding", "Relationship Based Practice", "Signs of Safety", "Children's Rights and Participation",
        "Working with Interpreters", "Lone Working and Personal Safety",
    ],
    "workforce-recording": [
        "Case Recording", "Supervision Policy", "Management Oversight", "Access to Records", "Data Protection and Retention",
        "Complaints and Representations", "Whistleblowing", "Social Work Health Checks", "Newly Qualified Social Workers",
        "Agency Staff Induction", "Practice Observations",
    ],
}

_CONCERNS = [
    "the child's safety and welfare", "the wishes and feelings of the child", "the views of parents and carers",
    "the involvement of other agencies", "management oversight and decision making", "clear and timely recording",
    "the child's identity, culture and religion", "information sharing with partners", "the child's health and education",
]
_ROLES = ["the allocated social worker", "the team manager", "the service manager", "the independent chair",
          "the lead professional", "the practice lead"]
_TIMES = ["within five working days", "within ten working days", "within one month", "at least every six months",
          "at least every twelve weeks", "as soon as possible and within 24 hours"]
_SENTENCES = [
    "{Role} is responsible for making sure that {topic} is considered at every stage, with {concern} kept in mind.",
    "Decisions about {topic} are recorded on the child's electronic record {time}, with the reasons for them.",
    "Where there is disagreement about {topic}, {role} discusses it with the family and records the outcome.",
    "{Role} should check that {concern} is reflected in the plan and that the family understands it.",
    "Practitioners should read this chapter together with the guidance on {concern}.",
    "The work on {topic} is reviewed {time} and the plan is updated when circumstances change.",
    "If there are concerns that a child is suffering significant harm, follow the child protection procedures straight away.",
    "{Role} agrees who will lead on {topic} and makes sure the family knows who to contact.",
]
_UPDATED_STYLES = [
    "Updated: {d} {m} {y}",
    "This chapter was updated in {m} {y}.",
    "Last reviewed: {dd:02d}/{mm:02d}/{y}",
    "Amended in {m} {y}",
]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]


def slugify(title: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def generated_paragraphs(title: str, rng: random.Random) -> list[str]:
    topic = title[0].lower() + title[1:] if not title[:2].isupper() else title
    paras = [f"This chapter describes the local arrangements for {topic}. It applies to all staff in children's "
             "and adults' services and should be read with the relevant statutory guidance."]
    for _ in range(rng.randint(2, 4)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            role = rng.choice(_ROLES)
            sentences.append(rng.choice(_SENTENCES).format(
                topic=topic, concern=rng.choice(_CONCERNS), time=rng.choice(_TIMES), role=role,
                Role=role[0].upper() + role[1:],
            ))
        paras.append(" ".join(sentences))
    return paras


def updated_line(index: int, rng: random.Random) -> tuple[str, tuple[int, int, int]]:
    """A last-updated statement in one of the styles real manuals use, and the date it means."""
    y = rng.choice([2023, 2024, 2025, 2026])
    mm = rng.randint(1, 12)
    d = rng.randint(1, 28)
    style = _UPDATED_STYLES[index % len(_UPDATED_STYLES)]
    text = style.format(d=d, m=MONTH_NAMES[mm - 1], y=y, dd=d, mm=mm)
    exact_day = "{d}" in style or "{dd" in style
    return text, (y, mm, d if exact_day else 1)
