"""An adults' social care service run as Barking and Dagenham's development process describes
(seed 002): a lead stakeholder and named stakeholders who agree the need, authors, the Operational
Management Team and Heads of Service, the Adults Improvement Board, the Cabinet Member for Health
and Social Care Integration, the Executive Group and Cabinet, legal services, and the team and
service managers who cascade what is published."""

KEY = "lbbd"
ORGANISATION = "Demo Borough Council, Adults' Care and Support"

# (id, name, job title, service area, roles)
PEOPLE = [
    ("ppo", "Joanne Achterberg", "Policy and Procedures Officer, Adults", "Practice Development", ["ppo", "governance_officer"]),
    ("psw-adults", "Marcus Bell", "Principal Social Worker, Adults", "Practice Development", ["stakeholder_lead", "hos", "consultee"]),
    ("hos-safeguarding", "Nkechi Obi", "Head of Service, Adult Safeguarding", "Safeguarding Adults", ["hos", "member:omt", "consultee", "stakeholder"]),
    ("hos-localities", "Gareth Pryce", "Head of Service, Localities and Long-Term Care", "Localities", ["hos", "member:omt", "consultee", "stakeholder"]),
    ("hos-mental-health", "Anita Sharma", "Head of Service, Mental Health", "Mental Health", ["hos", "member:omt", "consultee"]),
    ("hos-commissioning", "Ben Hollis", "Head of Commissioning, Adults", "Commissioning", ["hos", "member:omt", "consultee"]),
    ("hos-housing", "Rachel Amankwah", "Head of Service, Housing Options and Homelessness", "Housing", ["hos"]),  # not on OMT: told (LBBD-9)
    ("op-director", "Claire Denholm", "Operational Director, Adults' Care and Support", "Directorate", ["chair:omt", "member:omt", "member:aib", "slt"]),
    ("dass", "Victor Mensah-Boateng", "Strategic Director, Adults (DASS)", "Directorate", ["director", "chair:aib", "member:aib", "member:executive_group", "slt"]),
    ("chief-exec", "Harriet Sondergaard", "Chief Executive", "Council", ["chair:executive_group", "member:executive_group"]),
    ("cabinet-member", "Cllr Maureen Pike", "Cabinet Member for Health and Social Care Integration", "Cabinet", ["cabinet_member", "member:cabinet"]),
    ("council-leader", "Cllr Desmond Achebe", "Leader of the Council", "Cabinet", ["chair:cabinet", "member:cabinet"]),
    ("author-sam", "Sam Okafor", "Senior Practitioner, Safeguarding Adults", "Safeguarding Adults", ["ro"]),
    ("author-lena", "Lena Kowalczyk", "Practice Educator", "Practice Development", ["ro"]),
    ("tm-locality", "Patrick Nolan", "Team Manager, East Locality", "Localities", ["team_manager"]),
    ("sm-hospital", "Yasmin Farouk", "Service Manager, Hospital Discharge", "Localities", ["service_manager"]),
    ("newsletter", "Olivia Grant", "Communications Officer, ASC Newsletter", "Communications", ["newsletter_editor"]),
    ("legal-adults", "Rupert Calloway", "Solicitor, Adults and Health", "Legal Services", ["legal"]),
    ("coproduction", "Dolores Ferreira", "Co-production Lead (resident and carer voice)", "Practice Development", ["consultee"]),
]

# (title, type, category, service area, owner, sign-off, summary, months since last reviewed)
DOCUMENTS = [
    ("Safeguarding Adults: Section 42 Enquiries", "Procedure", "Adult social care", "Safeguarding Adults", "author-sam", "hos-safeguarding",
     "Making safeguarding enquiries under section 42 of the Care Act 2014.", 10),
    ("Deprivation of Liberty Safeguards (DoLS)", "Procedure", "Adult social care", "Safeguarding Adults", "author-sam", "hos-safeguarding",
     "Requests, assessments and authorisations for deprivation of liberty in care homes and hospitals.", 19),
    ("Mental Capacity Act: Assessing Capacity and Best Interests", "Practice Guidance", "Adult social care", "Practice Development", "author-lena", "psw-adults",
     "Two-stage capacity assessments and best interests decisions.", 14),
    ("Self-Neglect and Hoarding", "Procedure", "Adult social care", "Safeguarding Adults", "author-sam", "hos-safeguarding",
     "Multi-agency responses to self-neglect and hoarding in people's homes.", 21),
    ("Carers' Assessments and Support", "Procedure", "Adult social care", "Localities", "author-lena", "hos-localities",
     "Assessing carers' needs and planning their support under the Care Act.", 8),
    ("Direct Payments", "Policy", "Adult social care", "Localities", "author-lena", "hos-localities",
     "Offering, setting up and monitoring direct payments.", 16),
    ("Charging for Care and Support", "Policy", "Adult social care", "Localities", None, "hos-commissioning",
     "Financial assessments and charging for non-residential care.", 25),
    ("Hospital Discharge to Assess", "Procedure", "Adult social care", "Localities", "author-lena", "hos-localities",
     "Discharge to assess pathways from acute hospitals.", 6),
    ("Transitions from Children's to Adults' Services", "Procedure", "Adult social care", "Localities", "author-lena", "hos-localities",
     "Preparing young people with care and support needs for adult services from 14.", 13),
    ("Approved Mental Health Professional (AMHP) Service", "Procedure", "Adult social care", "Mental Health", None, "hos-mental-health",
     "Mental Health Act assessments and the AMHP rota.", 17),
    ("Care and Support Planning and Reviews", "Procedure", "Adult social care", "Localities", "author-lena", "hos-localities",
     "Care and support plans, personal budgets and annual reviews.", 11),
    ("Domestic Abuse and Adults at Risk", "Practice Guidance", "Adult social care", "Safeguarding Adults", "author-sam", "hos-safeguarding",
     "Recognising and responding to domestic abuse of adults with care needs.", 4),
    ("Lone Working for Adult Social Care Staff", "Policy", "Adult social care", "Practice Development", "author-lena", "op-director",
     "Keeping staff safe on home visits and out of hours.", 20),
    ("Ordinary Residence", "Practice Guidance", "Adult social care", "Commissioning", None, "hos-commissioning",
     "Deciding which council is responsible for a person's care.", 30),
]
