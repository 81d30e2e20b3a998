#!/usr/bin/env python3
"""Writes the Lyon demo data set (deploy/demo/*.csv) that `relaisctl import` loads.

The organisations are real actors of the Lyon area (public directory facts: name, kind, commune,
approximate location). The responders are made up: first names and surnames are drawn at random
from common lists and paired at random, so none is a real person; their skills, languages,
certifications and travel readiness follow what each organisation does. Fixed seed: running it
again writes the same files. Not used at build, run or test time (the CSV files are committed).
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2026)

ORGANISATIONS = [
    # external_ref, name, kind, domains, commune, lat, lon, website, description
    ("BIOFORCE", "Institut Bioforce", "training-institute", "training;logistics;wash", "Vénissieux",
     45.6975, 4.8867, "https://www.bioforce.org",
     "Forme les métiers de l'humanitaire : logisticiens, coordinateurs, responsables WASH."),
    ("HI", "Handicap International - Humanity & Inclusion", "ngo",
     "rehabilitation;humanitarian-health;mhpss", "Lyon 8e", 45.7365, 4.8695, "https://www.hi.org",
     "Réadaptation, santé humanitaire et soutien psychosocial en situation de crise."),
    ("RESACOOP", "RESACOOP", "network", "training;digital-solidarity", "Lyon 2e", 45.7485, 4.8270,
     "https://www.resacoop.org", "Réseau régional d'appui à la coopération internationale."),
    ("BIOPORT", "Bioport", "logistics-platform", "logistics", "Vaulx-en-Velin", 45.7787, 4.9216, "",
     "Plateforme logistique humanitaire mutualisée, base à l'aéroport Lyon-Saint-Exupéry."),
    ("CRF-RHONE", "Croix-Rouge française - Rhône", "ngo", "emergency-response;humanitarian-health",
     "Lyon 7e", 45.7578, 4.8320, "https://www.croix-rouge.fr",
     "Secourisme, urgence et action sociale dans le Rhône et la Métropole."),
    ("HCL", "Hospices Civils de Lyon", "hospital", "humanitarian-health", "Lyon 2e", 45.7606, 4.8300,
     "https://www.chu-lyon.fr", "Centre hospitalier universitaire de Lyon."),
    ("PSF", "Pharmaciens Sans Frontières", "ngo", "pharmacy;humanitarian-health", "Lyon 7e",
     45.7400, 4.8450, "", "Accès aux médicaments essentiels et logistique pharmaceutique."),
    ("FORUM-REFUGIES", "Forum Réfugiés", "ngo", "refugee-reception;mhpss", "Villeurbanne", 45.7667,
     4.8800, "https://www.forumrefugies.org", "Accueil des réfugiés, interprétariat, santé mentale."),
    ("FONDATION-MERIEUX", "Fondation Mérieux", "foundation", "humanitarian-health", "Lyon 7e",
     45.7330, 4.8390, "https://www.fondation-merieux.org",
     "Laboratoires et surveillance des maladies infectieuses."),
    ("SDMIS", "SDMIS - Service départemental-métropolitain d'incendie et de secours", "emergency-service",
     "emergency-response", "Lyon 3e", 45.7600, 4.8700, "", "Sapeurs-pompiers du Rhône et de la Métropole."),
    ("MSLI", "Maison des Solidarités Locales et Internationales", "network",
     "training;refugee-reception", "Lyon 7e", 45.7510, 4.8420, "",
     "Lieu ressource des associations de solidarité de la Métropole."),
]

FIRST = ["Léa", "Karim", "Sophie", "Thomas", "Inès", "Youssef", "Camille", "Mehdi", "Chloé", "Hugo",
         "Amina", "Julien", "Manon", "Nicolas", "Fatou", "Antoine", "Sarah", "Lucas", "Aïcha",
         "Mathieu", "Clara", "Samir", "Élodie", "Pierre", "Mariam", "Romain", "Laura", "Ibrahim",
         "Émilie", "Olivier", "Nadia", "Baptiste", "Louise", "Moussa", "Pauline", "Adrien", "Yasmine",
         "Vincent", "Anaïs", "Rachid", "Margaux", "Cédric", "Salomé", "Jérôme", "Awa", "Gabriel"]
LAST = ["Martin", "Haddad", "Girard", "Nguyen", "Fontaine", "Benali", "Roux", "Diallo", "Morel",
        "Lambert", "Mercier", "Bonnet", "Chevalier", "Traoré", "Faure", "Rousseau", "Blanc",
        "Guerin", "Boyer", "Garnier", "Chabert", "Perrin", "Cissé", "Mathieu", "Renaud", "Brun",
        "Meunier", "Dupuis", "Bertrand", "Koné", "Vidal", "Lefèvre", "Arnaud", "Barbier", "Colin",
        "Marchand", "Dumas", "Benoît", "Rey", "Giraud"]

# Per organisation: (how many, [(skill, weight)], travel share, near (lat, lon), commune pool).
STAFF = {
    "HI": (18, [("physiotherapist-rehab", 3), ("nurse", 6), ("logistician", 2), ("wash-engineer", 3),
                ("psychologist-mhpss", 1), ("project-coordinator", 1), ("physician-gp", 2)], 1.0),
    "CRF-RHONE": (16, [("nurse", 6), ("first-aider", 3), ("physician-gp", 2), ("emergency-physician", 1),
                       ("driver", 1), ("psychologist-mhpss", 1), ("hygiene-promoter", 2)], 0.7),
    "HCL": (10, [("physician-gp", 2), ("physician-specialist", 1), ("emergency-physician", 1),
                 ("nurse", 3), ("paediatrician", 1), ("pharmacist", 1), ("midwife", 1)], 0.6),
    "PSF": (5, [("pharmacist", 2), ("pharmacy-logistician", 2), ("logistician", 1)], 0.9),
    "BIOFORCE": (10, [("logistician", 3), ("wash-engineer", 4), ("project-coordinator", 1),
                     ("admin-hr-finance", 1), ("hygiene-promoter", 1)], 1.0),
    "FORUM-REFUGIES": (5, [("interpreter", 2), ("cultural-mediator", 2), ("psychologist-mhpss", 1)], 0.3),
    "FONDATION-MERIEUX": (4, [("lab-technician", 2), ("epidemiologist", 1),
                              ("biomedical-technician", 1)], 0.8),
    "SDMIS": (6, [("first-aider", 3), ("emergency-physician", 1), ("nurse", 1), ("driver", 1)], 0.2),
}
SECOND_SKILL = {"nurse": "first-aider", "physician-gp": "emergency-physician", "logistician": "driver",
                "wash-engineer": "hygiene-promoter", "pharmacist": "pharmacy-logistician",
                "physiotherapist-rehab": "nurse", "first-aider": "driver",
                "psychologist-mhpss": "cultural-mediator", "interpreter": "cultural-mediator"}
HEALTH = {"nurse", "physician-gp", "physician-specialist", "emergency-physician", "paediatrician",
          "pharmacist", "midwife", "physiotherapist-rehab", "psychologist-mhpss"}
COMMUNES = [("Lyon 1er", 45.7700, 4.8300), ("Lyon 3e", 45.7590, 4.8600), ("Lyon 4e", 45.7790, 4.8270),
            ("Lyon 5e", 45.7560, 4.8020), ("Lyon 6e", 45.7710, 4.8520), ("Lyon 7e", 45.7450, 4.8430),
            ("Lyon 8e", 45.7350, 4.8700), ("Lyon 9e", 45.7740, 4.8050), ("Villeurbanne", 45.7719, 4.8902),
            ("Vénissieux", 45.6975, 4.8867), ("Vaulx-en-Velin", 45.7787, 4.9216),
            ("Bron", 45.7386, 4.9131), ("Caluire-et-Cuire", 45.7953, 4.8466),
            ("Oullins", 45.7144, 4.8072), ("Écully", 45.7747, 4.7764), ("Saint-Priest", 45.6960, 4.9440),
            ("Rillieux-la-Pape", 45.8206, 4.8986), ("Décines-Charpieu", 45.7690, 4.9590)]

used_names = set()


def person_name():
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used_names:
            used_names.add(name)
            return name


def ascii_slug(text):
    table = str.maketrans("àâäéèêëîïôöùûüçÉÈÀÏ", "aaaeeeeiioouuucEEAI")
    return text.translate(table).lower().replace(" ", ".").replace("'", "")


def responders():
    rows = []
    for org, (count, skills, travel_share) in STAFF.items():
        pool = [s for s, w in skills for _ in range(w)]
        for i in range(1, count + 1):
            name = person_name()
            main = pool[(i - 1) % len(pool)]
            levels = [f"{main}:{rng.choice([2, 3, 3, 4, 4, 5])}"]
            if main in SECOND_SKILL and rng.random() < 0.5:
                levels.append(f"{SECOND_SKILL[main]}:{rng.choice([1, 2, 3])}")
            langs = ["fr"]
            if rng.random() < 0.8:
                langs.append("en")
            for extra, share in (("es", 0.15), ("ar", 0.15), ("sw", 0.1), ("pt", 0.1), ("ln", 0.08)):
                if rng.random() < share:
                    langs.append(extra)
            travels = rng.random() < travel_share
            certs = []
            if main in HEALTH:
                certs.append("health-professional-registration-fr")
            if travels:
                certs.append(f"yellow-fever-vaccination:{rng.randint(2030, 2036)}-0{rng.randint(1, 9)}-01")
                if rng.random() < 0.85:
                    certs.append(f"cholera-vaccination:{rng.choice([2027, 2028])}-{rng.randint(10, 12)}-01")
                if rng.random() < 0.5:
                    certs.append("who-emt-training")
                if rng.random() < 0.3:
                    certs.append("security-training-hest")
            if org == "BIOFORCE" or (main in ("logistician", "wash-engineer") and rng.random() < 0.6):
                certs.append("bioforce-diploma")
            if main in ("first-aider", "driver") or rng.random() < 0.3:
                certs.append("driving-licence-b")
            if org in ("CRF-RHONE", "SDMIS") and main in ("first-aider", "nurse"):
                certs.append("first-aid-pse2")
            passport_until, passport_country = "", ""
            if travels:
                passport_until = f"{rng.randint(2027, 2034)}-{rng.randint(1, 12):02d}-15"
                passport_country = "FR"
            elif rng.random() < 0.3:
                passport_until, passport_country = "2025-06-30", "FR"  # lapsed: not deployable abroad
            commune, lat, lon = rng.choice(COMMUNES)
            lat += rng.uniform(-0.012, 0.012)
            lon += rng.uniform(-0.015, 0.015)
            max_days = rng.choice([21, 28, 28, 42]) if travels else rng.choice([5, 7, 14])
            email = f"{ascii_slug(name)}@example.org"
            contacts = [f"email:{email}"]
            if rng.random() < 0.6:
                contacts.append(f"sms:+3360{rng.randint(1000000, 9999999)}")
            rows.append({
                "organisation": org, "external_ref": f"{org}-{i:04d}", "name": name,
                "skills": ";".join(levels), "languages": ";".join(langs),
                "certifications": ";".join(dict.fromkeys(certs)),
                "passport_until": passport_until, "passport_country": passport_country,
                "lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "commune": commune,
                "max_days": str(max_days), "contacts": ";".join(contacts)})
    return rows


WAREHOUSES = [
    ("HI", "HI-WH-BIOPORT", "HI - stock plateforme Bioport", "Vaulx-en-Velin", 45.7787, 4.9216),
    ("CRF-RHONE", "CRF-WH-STPRIEST", "Croix-Rouge - entrepôt départemental", "Saint-Priest", 45.6960, 4.9440),
    ("PSF", "PSF-WH-LYON", "PSF - stock pharmaceutique", "Lyon 7e", 45.7380, 4.8470),
    ("BIOPORT", "BIOPORT-WH-LYS", "Bioport - base Lyon-Saint-Exupéry", "Colombier-Saugnieu", 45.7256, 5.0811),
    ("HCL", "HCL-WH-PHARMA", "HCL - pharmacie à usage intérieur", "Saint-Genis-Laval", 45.6960, 4.7930),
]
STOCK = [
    ("HI", "HI-WH-BIOPORT", "HI-CK-041", "who-cholera-kit-periphery", "CK-2026-041", 6, "2028-03-31"),
    ("HI", "HI-WH-BIOPORT", "HI-DD-310", "iddk-module", "DD-2025-310", 10, "2027-09-30"),
    ("HI", "HI-WH-BIOPORT", "HI-IEHK-07", "iehk-2017-basic-unit", "IEHK-B-2025-07", 4, "2027-12-31"),
    ("CRF-RHONE", "CRF-WH-STPRIEST", "CRF-ORS-118", "ors-sachet", "ORS-2026-118", 1500, "2028-06-30"),
    ("CRF-RHONE", "CRF-WH-STPRIEST", "CRF-ORS-090", "ors-sachet", "ORS-2025-090", 800, "2027-02-28"),
    ("CRF-RHONE", "CRF-WH-STPRIEST", "CRF-FHK-02", "family-hygiene-kit", "FHK-2026-02", 300, ""),
    ("CRF-RHONE", "CRF-WH-STPRIEST", "CRF-WPT-01", "water-purification-tablets", "WPT-2026-01", 20000,
     "2029-01-31"),
    ("PSF", "PSF-WH-LYON", "PSF-RL-022", "ringer-lactate-1l", "RL-2026-022", 400, "2027-11-30"),
    ("PSF", "PSF-WH-LYON", "PSF-ORS-140", "ors-sachet", "ORS-2026-140", 1000, "2028-09-30"),
    ("PSF", "PSF-WH-LYON", "PSF-DD-015", "iddk-module", "DD-2026-015", 4, "2028-01-31"),
    ("BIOPORT", "BIOPORT-WH-LYS", "BIO-IEHK-C01", "iehk-2017-complete", "IEHK-C-2026-01", 2, "2028-05-31"),
    ("BIOPORT", "BIOPORT-WH-LYS", "BIO-CKC-03", "who-cholera-kit-central", "CKC-2026-03", 2, "2028-04-30"),
    ("BIOPORT", "BIOPORT-WH-LYS", "BIO-WB-11", "water-bladder-10m3", "WB-2024-11", 3, ""),
    ("BIOPORT", "BIOPORT-WH-LYS", "BIO-HTH-05", "chlorine-hth-70", "HTH-2026-05", 50, "2028-12-31"),
    ("HCL", "HCL-WH-PHARMA", "HCL-RL-031", "ringer-lactate-1l", "RL-2026-031", 300, "2027-10-31"),
]


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main():
    write("organisations.csv",
          ["external_ref", "name", "kind", "domains", "commune", "lat", "lon", "website", "description"],
          [(r, n, k, d, c, f"{la:.4f}", f"{lo:.4f}", w, desc)
           for r, n, k, d, c, la, lo, w, desc in ORGANISATIONS])
    people = responders()
    header = ["organisation", "external_ref", "name", "skills", "languages", "certifications",
              "passport_until", "passport_country", "lat", "lon", "commune", "max_days", "contacts"]
    write("responders.csv", header, [[p[h] for h in header] for p in people])
    write("warehouses.csv", ["organisation", "external_ref", "name", "commune", "lat", "lon"],
          [(o, r, n, c, f"{la:.4f}", f"{lo:.4f}") for o, r, n, c, la, lo in WAREHOUSES])
    write("stock.csv", ["organisation", "warehouse", "external_ref", "item", "lot", "quantity", "expires"],
          STOCK)
    # Teams: whole units, held all or nothing. Their members are people of the same organisation
    # who travel; the cholera team also takes one cholera kit.
    def travellers(org, skill_prefixes, n):
        out = [p for p in people if p["organisation"] == org and p["passport_until"] > "2027"
               and p["skills"].split(":")[0] in skill_prefixes]
        return [p["external_ref"] for p in out[:n]]
    hi_team = travellers("HI", ("physiotherapist-rehab", "psychologist-mhpss", "project-coordinator"), 3)
    hi_team += travellers("HI", ("nurse",), 1)
    crf_team = travellers("CRF-RHONE", ("hygiene-promoter", "first-aider", "driver"), 3)
    write("teams.csv", ["organisation", "external_ref", "name", "type", "members", "kit", "description"],
          [("HI", "HI-ERU-CHOLERA", "ERU choléra HI Lyon", "ifrc-eru-cholera-case-management",
            ";".join(hi_team), "HI-CK-041=1", "Prise en charge des cas de choléra, autonome 4 semaines."),
           ("CRF-RHONE", "CRF-ERU-WASH", "Unité EHA M15 Croix-Rouge Rhône", "ifrc-eru-wash-m15",
            ";".join(crf_team), "CRF-WPT-01=5000", "Traitement de l'eau pour 15 000 personnes.")])


if __name__ == "__main__":
    main()
