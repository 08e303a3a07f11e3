"""Word lists for the demo: built in, so a million leads take seconds, not a faker's hours."""

from __future__ import annotations

FIRST_NAMES = (
    "Ava Liam Noah Emma Olivia Mia Lucas Sofia Mateo Amara Kenji Priya Ines Jonas Lena Marco "
    "Chloe Diego Hannah Omar Grace Tariq Elena Samuel Yuki Freya Ravi Nadia Felix Clara Theo "
    "Maya Hugo Zara Aaron Leila Ethan Isla Daniel Aisha Victor Rosa Malik Julia Sven Ana "
    "Patrick Mei Carlos Ingrid Tom Fatima Lukas Sara Andre Nina Oscar Helen Ivan Beatriz"
).split()

LAST_NAMES = (
    "Smith Johnson Garcia Müller Rossi Nguyen Kowalski Patel Okafor Andersson Dubois Silva "
    "Tanaka Schmidt Brown Martin Jensen Novak Fischer Costa Lopez Kim Hansen Weber Moreau "
    "Walker Rivera Sato Bakker Lindqvist Murphy Ozturk Hughes Rahman Keller Ferreira Young "
    "Petrov Dalton Mendes Baker Ito Larsen Vogel Clarke Santos Ward Kaur Byrne Nowak"
).split()

COMPANY_FIRST = (
    "North Blue Iron Summit Harbor Pine Silver Granite Cedar Bright Atlas Meridian Keystone "
    "Redwood Lakeside Vertex Crown Pioneer Orion Sterling Beacon Prairie Falcon Anchor Ridge "
    "Copper Riverbend Evergreen Polar Highland"
).split()

COMPANY_SECOND = {
    "Manufacturing": ("Precision", "Fabrication", "Components", "Machining", "Industries", "Plastics"),
    "Logistics": ("Freight", "Logistics", "Transport", "Supply", "Cargo", "Distribution"),
    "Healthcare": ("Health", "Medical", "Care", "Clinics", "Diagnostics", "Pharma"),
    "Retail": ("Outfitters", "Market", "Stores", "Goods", "Brands", "Home"),
    "Financial Services": ("Capital", "Bank", "Insurance", "Finance", "Credit", "Trust"),
    "Software": ("Labs", "Systems", "Cloud", "Data", "Software", "Digital"),
    "Education": ("Academy", "Learning", "College", "Schools", "Institute", "Education"),
    "Energy": ("Energy", "Power", "Solar", "Utilities", "Grid", "Fuels"),
    "Construction": ("Builders", "Construction", "Contracting", "Structures", "Materials", "Works"),
}

# industry: weight (manufacturing is this demo company's sweet spot)
INDUSTRIES = {
    "Manufacturing": 24,
    "Logistics": 14,
    "Healthcare": 12,
    "Retail": 10,
    "Financial Services": 10,
    "Software": 10,
    "Education": 6,
    "Energy": 7,
    "Construction": 7,
}

# country: (weight, legal suffix, web domain ending, phone prefix, ((city, region), ...))
COUNTRIES = {
    "United States": (40, "Inc.", ".com", "+1", (
        ("Chicago", "IL"), ("Houston", "TX"), ("Columbus", "OH"), ("Atlanta", "GA"),
        ("Denver", "CO"), ("Seattle", "WA"), ("Detroit", "MI"), ("Charlotte", "NC"),
        ("Milwaukee", "WI"), ("Pittsburgh", "PA"))),
    "Canada": (7, "Ltd.", ".ca", "+1", (
        ("Toronto", "ON"), ("Calgary", "AB"), ("Montreal", "QC"), ("Vancouver", "BC"))),
    "Mexico": (3, "S.A. de C.V.", ".mx", "+52", (("Monterrey", "NL"), ("Guadalajara", "JA"))),
    "Germany": (9, "GmbH", ".de", "+49", (
        ("Stuttgart", "BW"), ("Munich", "BY"), ("Hamburg", "HH"), ("Cologne", "NW"))),
    "France": (5, "SAS", ".fr", "+33", (("Lyon", "ARA"), ("Toulouse", "OCC"), ("Lille", "HDF"))),
    "Netherlands": (4, "B.V.", ".nl", "+31", (("Rotterdam", "ZH"), ("Eindhoven", "NB"))),
    "Spain": (3, "S.L.", ".es", "+34", (("Barcelona", "CT"), ("Valencia", "VC"))),
    "Poland": (3, "sp. z o.o.", ".pl", "+48", (("Wroclaw", "DS"), ("Poznan", "WP"))),
    "Sweden": (2, "AB", ".se", "+46", (("Gothenburg", "O"), ("Malmo", "M"))),
    "United Kingdom": (7, "Ltd", ".co.uk", "+44", (
        ("Manchester", "ENG"), ("Birmingham", "ENG"), ("Leeds", "ENG"))),
    "India": (6, "Pvt. Ltd.", ".in", "+91", (("Pune", "MH"), ("Chennai", "TN"))),
    "Brazil": (4, "Ltda.", ".com.br", "+55", (("Sao Paulo", "SP"), ("Curitiba", "PR"))),
    "Australia": (4, "Pty Ltd", ".com.au", "+61", (("Melbourne", "VIC"), ("Brisbane", "QLD"))),
    "Singapore": (2, "Pte. Ltd.", ".sg", "+65", (("Singapore", ""),)),
}

# seniority: (weight, title patterns with {f} for the function, how much it drives buying)
SENIORITY = {
    "intern": (3, ("{f} Intern", "Intern, {f}"), 0.1),
    "student": (2, ("Student", "Graduate Student"), 0.05),
    "specialist": (24, ("{f} Specialist", "{f} Analyst", "{f} Coordinator"), 0.5),
    "engineer": (14, ("Systems Engineer", "Process Engineer", "{f} Engineer"), 0.6),
    "manager": (26, ("{f} Manager", "Manager, {f}", "{f} Team Lead"), 1.0),
    "director": (17, ("Director of {f}", "{f} Director", "Senior Director, {f}"), 1.6),
    "vp": (9, ("VP of {f}", "Vice President, {f}", "Head of {f}"), 2.4),
    "c_level": (5, ("CIO", "CTO", "COO", "Chief Information Officer", "CEO"), 2.2),
}

FUNCTIONS = {
    "IT": 30,
    "Operations": 20,
    "Engineering": 12,
    "Supply Chain": 8,
    "Finance": 10,
    "Procurement": 6,
    "Marketing": 8,
    "Information Technology": 6,
}

# employees band: (weight, low, high)
COMPANY_SIZES = (
    (10, 5, 49),
    (20, 50, 99),
    (30, 100, 499),
    (20, 500, 999),
    (14, 1000, 4999),
    (6, 5000, 40000),
)

# source: (weight, activity it usually starts with, how warm leads from it are)
SOURCES = {
    "web_form": (20, "product_page", 1.2),
    "demo_request": (5, "demo_request", 1.8),
    "webinar": (16, "webinar_registered", 1.0),
    "trade_show": (12, None, 0.8),
    "content_download": (25, "content_download", 0.7),
    "referral": (7, None, 1.5),
    "paid_search": (15, "product_page", 0.9),
}

# activity kind: (weight among behaviour, funnel depth 1 top .. 3 bottom)
ACTIVITIES = {
    "email_click": (26, 1),
    "product_page": (22, 2),
    "content_download": (14, 1),
    "webinar_registered": (8, 1),
    "webinar_attended": (6, 2),
    "pricing_page": (12, 3),
    "roi_calculator": (5, 3),
    "demo_request": (3, 3),
}

FREE_MAIL = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "gmx.de")
COMPETITORS = ("Pipelinr", "QueueForce")

REPS = (
    # id, name, team, role, capacity, time zone
    ("dana", "Dana Whitfield", "Central", "rep", 40, "America/Chicago"),
    ("marcus", "Marcus Lee", "Central", "rep", 40, "America/Chicago"),
    ("priya", "Priya Raman", "Central", "rep", 35, "America/Chicago"),
    ("tomas", "Tomás Herrera", "East", "rep", 40, "America/New_York"),
    ("keiko", "Keiko Ito", "East", "rep", 30, "America/New_York"),
    ("sam", "Sam O'Neill", "West", "rep", 40, "America/Denver"),
    ("lena", "Lena Vogel", "EMEA", "rep", 35, "Europe/Berlin"),
    ("morgan", "Morgan Blake", "Central", "lead", 15, "America/Chicago"),
)
