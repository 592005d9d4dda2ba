"""A trust run as Birmingham Children's Trust's policy framework describes (seed 000): the Policy
Service in the Practice Hub, the Executive Team and the Trust Board, the Director Leadership Group,
the Directors and ADs group, an Assistant Director and Heads of Service for each area of practice."""

KEY = "bct"
ORGANISATION = "Demo Children's Trust (BCT framework)"

_ET, _DLG, _DA = "member:executive_team", "member:dlg", "member:directors_ads"

# (id, name, job title, service area, roles)
PEOPLE = [
    ("policy-officer", "Nadia Brookes", "Policy Officer, Practice Hub", "Practice Hub", ["policy_service", "ppo"]),
    ("hub-manager", "Owen Clarke-Matthews", "Practice Hub Manager", "Practice Hub", ["policy_service"]),
    ("chief-exec", "Margaret Oduya", "Chief Executive", "Trust", ["slt", "chair:executive_team", _ET]),
    ("board-chair", "Geoffrey Haldane", "Chair of the Trust Board", "Trust Board", ["chair:trust_board", "member:trust_board"]),
    ("board-member", "Fiona Mackay-Reid", "Non-executive Director", "Trust Board", ["member:trust_board"]),
    ("dir-practice", "Samuel Adeyemi", "Director of Practice", "Directorate", ["director", "slt", "chair:dlg", _DLG, _ET, "chair:directors_ads", _DA, "consultee"]),
    ("dir-ops", "Helen Thornbury", "Director of Children's Social Care", "Directorate", ["director", "slt", _DLG, _ET, _DA, "consultee"]),
    ("ad-safeguarding", "Imran Choudhury", "Assistant Director, Safeguarding and Family Help", "Safeguarding", ["ad", _DLG, _DA, "consultee"]),
    ("ad-care", "Lucy Whitmore", "Assistant Director, Children in Care and Care Leavers", "Children in Care", ["ad", _DLG, _DA, "consultee"]),
    ("ad-disabled", "Peter Nwosu", "Assistant Director, Children with Disabilities", "Children with Disabilities", ["ad", _DLG, _DA, "consultee"]),
    ("hos-mash", "Rachel Dunne", "Head of Service, Children's Advice and Support Service", "Safeguarding", ["hos", "ro"]),
    ("hos-fostering", "Daniel Osei-Bonsu", "Head of Service, Fostering", "Children in Care", ["hos", "ro"]),
    ("hos-leaving-care", "Amira Haddad", "Head of Service, Care Leavers", "Children in Care", ["hos", "ro"]),
    ("hos-disabled", "Tom Ashworth", "Head of Service, Short Breaks", "Children with Disabilities", ["hos", "ro"]),
    ("psw", "Grace Fairweather", "Principal Social Worker", "Practice Hub", ["ro", "consultee"]),
    ("team-manager", "Kieran Lowe", "Team Manager, Assessment", "Safeguarding", ["ro"]),
]

# (title, type, category, service area, owner, sign-off, summary, months since last reviewed)
DOCUMENTS = [
    ("Practice Model: Relationships and Restorative Practice", "Policy", "Overarching Trust policy", "Trust", "dir-practice", "chief-exec",
     "The Trust's practice model and the values behind every procedure.", 20),
    ("Information Sharing Protocol", "Policy", "Overarching Trust policy", "Trust", "ad-safeguarding", "chief-exec",
     "When and how the Trust shares information with partners.", 30),
    ("Children in Need Policy", "Policy", "Policy for an area of practice", "Safeguarding", "ad-safeguarding", "dir-practice",
     "The Trust's position on support for children in need under section 17.", 14),
    ("Short Breaks for Children with Disabilities", "Policy", "Policy for an area of practice", "Children with Disabilities", "hos-disabled", "dir-practice",
     "Eligibility for short breaks and how they are arranged.", 9),
    ("Voice of the Child", "Policy", "Policy for an area of practice", "Trust", "psw", "dir-practice",
     "How children's wishes and feelings are heard and recorded.", 26),
    ("Children in Need Procedure", "Procedure", "Procedure for an area of practice", "Safeguarding", "team-manager", "dir-practice",
     "Assessments, child in need plans and reviews.", 13),
    ("Short Breaks Procedure", "Procedure", "Procedure for an area of practice", "Children with Disabilities", "hos-disabled", "dir-practice",
     "Referral, assessment and review of short breaks.", 7),
    ("Trust Practice Standards: Visiting Children", "Practice Standards", "Trust Practice Standards", "Trust", "psw", "dir-practice",
     "Bottom lines for how often and how we see children.", 11),
    ("Trust Practice Standards: Recording", "Practice Standards", "Trust Practice Standards", "Trust", "psw", "dir-practice",
     "What a good case record looks like.", 16),
    ("Strategy Discussions (Trix chapter, Trust additions)", "Procedure", "Twice-yearly review of Trix main chapters", "Safeguarding", "hos-mash", "ad-safeguarding",
     "The Trust's local additions to the Trix chapter on strategy discussions.", 5),
    ("Children Missing from Care (Trix chapter, Trust additions)", "Procedure", "Twice-yearly review of Trix main chapters", "Children in Care", "hos-fostering", "ad-care",
     "Local contacts and return interviews added to the Trix chapter.", 8),
    ("Private Fostering (Trix chapter, Trust additions)", "Procedure", "Twice-yearly review of Trix main chapters", "Children in Care", "hos-fostering", "ad-care",
     "Notification and assessment of private fostering in the Trust.", 4),
    ("Children's Advice and Support Service Screening", "Procedure", "Procedure for a single service area", "Safeguarding", "hos-mash", "ad-safeguarding",
     "How contacts are screened and referrals decided at the front door.", 10),
    ("Fostering Panel Procedure", "Procedure", "Procedure for a single service area", "Children in Care", "hos-fostering", "ad-care",
     "How the fostering panel is run and makes its recommendations.", 15),
    ("Staying Close for Care Leavers", "Procedure", "Procedure for a single service area", "Children in Care", "hos-leaving-care", "ad-care",
     "Support for young people leaving residential care.", 6),
    ("Practice Guidance: Working with Neglect", "Practice Guidance", "Practice guidance", "Safeguarding", "team-manager", "ad-safeguarding",
     "Recognising and responding to neglect, with the graded care profile.", 13),
    ("Practice Guidance: Child Criminal Exploitation", "Practice Guidance", "Practice guidance", "Safeguarding", "hos-mash", "ad-safeguarding",
     "Working with children exploited into criminal activity, including county lines.", 3),
    ("Practice Guidance: Life Story Work", "Practice Guidance", "Practice guidance", "Children in Care", "hos-fostering", "ad-care",
     "Helping children in care understand their history.", 12),
    ("Practice Guidance: Transition to Adult Services", "Practice Guidance", "Practice guidance", "Children with Disabilities", "hos-disabled", "ad-disabled",
     "Preparing disabled young people for adult social care from 14.", 18),
]
