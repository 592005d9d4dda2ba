"""Children's services run as Dorset's Practice, Policy and Procedures Group terms of reference
describe (seed 003): the Project and Policy Officer chairing the Group (ToR 4.1), the Head of
Quality Assurance and Partnerships and the Principal Social Worker as vice-chairs, the members of
ToR 7.1 (Heads of Locality, QA Managers, service leads, the Senior Solicitor), a Director, the
extended CSLT and Cabinet, with a register of governance assets including casework forms."""

KEY = "dorset"
ORGANISATION = "Demo Council Children's Services (PPP Group)"

_M = "member:ppp_group"

# (id, name, job title, service area, roles)
PEOPLE = [
    ("ppo-chair", "Eleanor Whitcombe", "Project and Policy Officer", "Quality Assurance and Partnerships",
     ["governance_officer", "ppo", "chair:ppp_group", _M]),
    ("head-qa", "Robert Tennant", "Head of Quality Assurance and Partnerships", "Quality Assurance and Partnerships",
     ["head_of_qa", "vice_chair:ppp_group", _M, "member:xcslt"]),
    ("psw", "Aisha Karimi", "Principal Social Worker", "Quality Assurance and Partnerships", ["vice_chair:ppp_group", _M, "ro"]),
    ("hol-north", "Martin Fowler-Greene", "Head of Locality, North", "Locality North", ["hos", _M, "ro"]),
    ("hol-west", "Sinead O'Rourke", "Head of Locality, West", "Locality West", ["hos", _M, "ro"]),
    ("hol-east", "Declan Hughes", "Head of Locality, East", "Locality East", ["hos", _M]),
    ("qa-manager-1", "Priti Desai", "Quality Assurance Manager", "Quality Assurance and Partnerships", ["qa_manager", _M]),
    ("qa-manager-2", "Hugo Lindqvist", "Quality Assurance Manager", "Quality Assurance and Partnerships", ["qa_manager", _M]),
    ("wfd-manager", "Carol Embleton", "Team Manager, Workforce Development", "Workforce Development", [_M]),
    ("commissioning", "Isaac Boateng", "Commissioning Manager", "Commissioning", [_M]),
    ("lead-fostering", "Megan Pascoe", "Service Lead, Fostering", "Fostering", [_M, "ro"]),
    ("lead-send", "Oliver Trask", "Service Lead, SEND", "SEND", [_M, "ro"]),
    ("lead-early-help", "Zara Qureshi", "Service Lead, Early Help", "Early Help", [_M, "ro"]),
    ("mosaic-lead", "Colin Stroud", "Mosaic Lead", "Systems", [_M, "systems_lead"]),
    ("virtual-school", "Bethany Cole", "Virtual School Service Manager", "Virtual School", [_M]),
    ("solicitor", "Victoria Lamb", "Senior Solicitor", "Legal Services", [_M, "legal"]),
    ("director", "Jonathan Pryor", "Director of Care and Protection", "Directorate", ["director", "slt", "member:xcslt"]),
    ("corp-director", "Frances Ellery", "Corporate Director, QA and Safeguarding Families", "Directorate",
     ["director", "slt", "chair:xcslt", "member:xcslt"]),
    ("cabinet-lead", "Cllr Andrew Hale", "Cabinet Member for Children, Education and Skills", "Cabinet", ["chair:cabinet", "member:cabinet"]),
]

# (title, type, category, service area, owner, sign-off, summary, months since last reviewed)
DOCUMENTS = [
    ("Children's Services Policies, Values and Principles", "Policy", "Children's services", "Directorate", "head-qa", "director",
     "The governing policy of the Children's Services Procedures Library.", 14),
    ("Strategy Discussions and Section 47 Enquiries", "Procedure", "Children's services", "Locality North", "hol-north", "head-qa",
     "Convening strategy discussions and completing section 47 enquiries.", 9),
    ("Children Missing from Home and Care", "Procedure", "Children's services", "Locality West", "hol-west", "head-qa",
     "Responding to children who go missing, and return home interviews.", 15),
    ("Fostering: Placement Planning and Matching", "Procedure", "Children's services", "Fostering", "lead-fostering", "head-qa",
     "Matching children with foster carers and placement planning meetings.", 11),
    ("Early Help Assessment and Family Plans", "Procedure", "Children's services", "Early Help", "lead-early-help", "head-qa",
     "The early help assessment and family plans with a lead practitioner.", 7),
    ("Education, Health and Care Plan Advice from Social Care", "Procedure", "Children's services", "SEND", "lead-send", "head-qa",
     "Social care advice to EHC needs assessments and reviews.", 13),
    ("Practice Standards: Supervision", "Practice Standards", "Children's services", "Quality Assurance and Partnerships", "psw", "head-qa",
     "How often and how well practitioners are supervised.", 16),
    ("Practice Standards: Visits to Children in Care", "Practice Standards", "Children's services", "Fostering", "lead-fostering", "head-qa",
     "Statutory visits and seeing children alone.", 4),
    ("Practice Guidance: Working with Fathers", "Practice Guidance", "Children's services", "Quality Assurance and Partnerships", "psw", "head-qa",
     "Including fathers and male carers in assessments and plans.", 18),
    ("Practice Guidance: Contextual Safeguarding", "Practice Guidance", "Children's services", "Locality East", None, "head-qa",
     "Assessing harm outside the home.", 25),
    ("Mosaic Form: Child and Family Assessment", "Form", "Children's services", "Systems", "mosaic-lead", "head-qa",
     "The casework form for child and family assessments.", 10),
    ("Mosaic Form: Strategy Discussion Record", "Form", "Children's services", "Systems", "mosaic-lead", "head-qa",
     "The casework form recording strategy discussions.", 14),
    ("Mosaic Form: Missing Episode and Return Interview", "Form", "Children's services", "Systems", "mosaic-lead", "head-qa",
     "The casework form for missing episodes and return home interviews.", 6),
]
