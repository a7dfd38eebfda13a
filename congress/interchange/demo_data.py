"""The demo edition: APSSIS 2014, Le Mans, 1-3 April 2014, as plain data.

Every person and organisation below is invented; any resemblance to real people
is coincidental. Times are local wall-clock times (``EVENT["timezone"]``) and
``day`` counts from 1 (``EVENT["first_day"]``). Rooms, tracks and speakers are
referenced by slug; a talk's ``speakers`` lists ``(speaker_slug, role)`` pairs in
display order. The consistency rules are checked by
``tests/unit/interchange/test_demo_data.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Final, Literal, TypedDict
from zoneinfo import ZoneInfo

Kind = Literal["keynote", "talk", "round_table", "workshop", "attack_analysis", "break", "social"]
Status = Literal["confirmed", "draft", "cancelled"]
DisclosureLabel = Literal["none", "tlp_clear", "tlp_green", "tlp_amber", "tlp_red", "chatham_house"]
Role = Literal["speaker", "moderator", "panelist"]


class EventData(TypedDict):
    slug: str
    name: str
    acronym: str
    venue: str
    address: str
    city: str
    timezone: str
    first_day: date
    last_day: date
    description: str
    description_en: str
    vat_rate: Decimal
    vat_exemption: str


class RoomData(TypedDict):
    slug: str
    name: str
    capacity: int


class TrackData(TypedDict):
    slug: str
    name: str
    colour: str
    description: str


class SpeakerData(TypedDict):
    slug: str
    name: str
    affiliation: str
    position_title: str
    bio: str


class TalkData(TypedDict):
    slug: str
    title: str
    abstract: str
    kind: Kind
    status: Status
    disclosure: DisclosureLabel
    language: str
    day: int
    start: str
    end: str
    room: str | None
    track: str | None
    seat_limit: int | None
    speakers: list[tuple[str, Role]]


EVENT: Final[EventData] = {
    "slug": "apssis-2014",
    "name": "Congrès National de la Sécurité des Systèmes d'Information de Santé",
    "acronym": "APSSIS 2014",
    "venue": "Palais des congrès et de la culture",
    "address": "Rue d'Arcole",
    "city": "Le Mans",
    "timezone": "Europe/Paris",
    "first_day": date(2014, 4, 1),
    "last_day": date(2014, 4, 3),
    "description": (
        "Le **Congrès national de la sécurité des systèmes d'information de santé** réunit "
        "chaque année RSSI, DSI, directeurs d'établissement, médecins, juristes et industriels "
        "autour des risques propres au monde de la santé. L'édition 2014 se tient au Mans du "
        "1er au 3 avril : trois jours de conférences, de tables rondes, d'ateliers pratiques "
        "et d'analyses d'attaques réelles, dont certaines à diffusion restreinte."
    ),
    "description_en": (
        "The **French national congress on health information systems security** brings "
        "together hospital CISOs, CIOs, directors, physicians, lawyers and vendors every year "
        "to discuss the risks specific to healthcare. The 2014 edition takes place in Le Mans "
        "from 1 to 3 April: three days of talks, round tables, hands-on workshops and analyses "
        "of real attacks, some of them under restricted disclosure."
    ),
    # The French standard rate; an association under the franchise would give 0 and
    # the mention "TVA non applicable, art. 293 B du CGI" instead.
    "vat_rate": Decimal("20.00"),
    "vat_exemption": "",
}


class OrganiserData(TypedDict):
    legal_name: str
    legal_form: str
    street: str
    postcode: str
    city: str
    siret: str
    vat_number: str
    email: str
    phone: str
    iban: str
    bic: str
    bank_name: str
    training_declaration: str
    signatory: str
    late_payment_rate: Decimal
    payment_days: int
    quote_validity_days: int


# The seller on the demo edition's quotes and invoices. Every number here is made up for
# the demo (valid check digits, no real entity): SIRET, VAT number, IBAN (the textbook
# French example), training declaration.
ORGANISER: Final[OrganiserData] = {
    "legal_name": "APSSIS (édition de démonstration)",
    "legal_form": "Association loi 1901",
    "street": "12 rue de l'Exemple",
    "postcode": "72000",
    "city": "Le Mans",
    "siret": "81234567600017",
    "vat_number": "FR19812345676",
    "email": "congres@apssis.example",
    "phone": "+33 2 43 00 00 00",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "bank_name": "Banque de démonstration",
    "training_declaration": "52 72 00000 72",
    "signatory": "Le président de l'association",
    "late_payment_rate": Decimal("10.00"),
    "payment_days": 30,
    "quote_validity_days": 30,
}

ROOMS: Final[list[RoomData]] = [
    {"slug": "grand-amphi", "name": "Grand amphithéâtre", "capacity": 400},
    {"slug": "salle-plantagenet", "name": "Salle Plantagenêt", "capacity": 120},
    {"slug": "atelier-jacobins", "name": "Salle d'atelier des Jacobins", "capacity": 40},
]

TRACKS: Final[list[TrackData]] = [
    {
        "slug": "gouvernance-conformite",
        "name": "Gouvernance et conformité",
        "colour": "#1d4ed8",
        "description": (
            "Pilotage de la sécurité, PGSSI-S, responsabilités des directions, "
            "continuité d'activité et cadre juridique."
        ),
    },
    {
        "slug": "menaces-attaques",
        "name": "Menaces et analyse d'attaques",
        "colour": "#b91c1c",
        "description": (
            "État de la menace, retours d'expérience sur des incidents réels et "
            "réponse aux attaques ; certaines séances sont à diffusion restreinte."
        ),
    },
    {
        "slug": "technique-architecture",
        "name": "Technique et architecture",
        "colour": "#047857",
        "description": (
            "Réseaux, postes, dispositifs médicaux, imagerie, cloud et supervision : "
            "les choix techniques qui tiennent dans un hôpital."
        ),
    },
    {
        "slug": "donnees-vie-privee",
        "name": "Données de santé et vie privée",
        "colour": "#6d28d9",
        "description": (
            "Hébergement, identitovigilance, habilitations, pseudonymisation et "
            "obligations Informatique et Libertés."
        ),
    },
]

SPEAKERS: Final[list[SpeakerData]] = [
    {
        "slug": "helene-marchal",
        "name": "Hélène Marchal",
        "affiliation": "Centre hospitalier du Val de Sarthe",
        "position_title": "RSSI, présidente du comité de programme",
        "bio": (
            "Ingénieure de formation, Hélène Marchal pilote la sécurité des systèmes "
            "d'information de son établissement depuis 2007. Elle préside le comité de "
            "programme de l'édition 2014."
        ),
    },
    {
        "slug": "bertrand-lecoq",
        "name": "Bertrand Lecoq",
        "affiliation": "CHU Atlantique",
        "position_title": "Directeur des systèmes d'information",
        "bio": (
            "Bertrand Lecoq dirige depuis dix ans les systèmes d'information d'un CHU de "
            "plus de 8 000 agents. Il a conduit le déploiement du dossier patient "
            "informatisé sur l'ensemble des sites."
        ),
    },
    {
        "slug": "sylvie-ferrand",
        "name": "Sylvie Ferrand",
        "affiliation": "Centre national de veille numérique (CNVN)",
        "position_title": "Cheffe de la division santé et protection sociale",
        "bio": (
            "Sylvie Ferrand coordonne l'accompagnement des acteurs de santé au sein du CNVN. "
            "Elle a auparavant dirigé une équipe d'audit de sécurité dans un ministère."
        ),
    },
    {
        "slug": "thomas-guerin",
        "name": "Thomas Guérin",
        "affiliation": "Centre national de veille numérique (CNVN)",
        "position_title": "Analyste en réponse à incident",
        "bio": (
            "Thomas Guérin intervient sur les incidents touchant les administrations et les "
            "établissements de santé. Il est spécialiste de l'analyse de journaux et de "
            "l'investigation sur les serveurs web."
        ),
    },
    {
        "slug": "nadia-benali",
        "name": "Nadia Benali",
        "affiliation": "CHU Atlantique",
        "position_title": "Responsable de la sécurité des systèmes d'information",
        "bio": (
            "Nadia Benali est RSSI du CHU Atlantique depuis 2011. Elle a mis en place la "
            "cellule de détection des courriels malveillants de l'établissement."
        ),
    },
    {
        "slug": "pierre-yves-caradec",
        "name": "Pierre-Yves Caradec",
        "affiliation": "Centre hospitalier de Cornouaille-Sud",
        "position_title": "Responsable de la sécurité des systèmes d'information",
        "bio": (
            "Ancien administrateur réseau, Pierre-Yves Caradec est devenu RSSI de son "
            "établissement en 2009. Il anime un groupe d'échange régional entre RSSI "
            "hospitaliers."
        ),
    },
    {
        "slug": "claire-delaunay",
        "name": "Claire Delaunay",
        "affiliation": "Groupe hospitalier Loire-Océan",
        "position_title": "Correspondante informatique et libertés (CIL)",
        "bio": (
            "Juriste de formation, Claire Delaunay est correspondante informatique et "
            "libertés d'un groupe hospitalier de cinq sites. Elle tient le registre des "
            "traitements et instruit les demandes d'accès des patients."
        ),
    },
    {
        "slug": "marc-antoine-roussel",
        "name": "Marc-Antoine Roussel",
        "affiliation": "Cabinet Roussel Avocats",
        "position_title": "Avocat associé, droit de la santé et du numérique",
        "bio": (
            "Marc-Antoine Roussel conseille des établissements de santé et des éditeurs de "
            "logiciels médicaux sur la protection des données personnelles et la "
            "responsabilité en cas d'incident."
        ),
    },
    {
        "slug": "isabelle-kerjean",
        "name": "Dr Isabelle Kerjean",
        "affiliation": "CHU Atlantique",
        "position_title": "Médecin anesthésiste-réanimatrice, référente dispositifs médicaux",
        "bio": (
            "Isabelle Kerjean exerce au bloc opératoire et en réanimation. Elle représente "
            "les utilisateurs médicaux dans les projets de dispositifs connectés de son "
            "établissement."
        ),
    },
    {
        "slug": "olivier-maillard",
        "name": "Olivier Maillard",
        "affiliation": "Hexaléon Sécurité",
        "position_title": "Directeur technique",
        "bio": (
            "Olivier Maillard a fondé Hexaléon Sécurité, cabinet d'audit spécialisé dans le "
            "secteur sanitaire et médico-social. Il a réalisé plus de soixante tests "
            "d'intrusion en établissement de santé."
        ),
    },
    {
        "slug": "julien-perrot",
        "name": "Julien Perrot",
        "affiliation": "Cloudéa Santé",
        "position_title": "Responsable conformité hébergement de données de santé",
        "bio": (
            "Julien Perrot a conduit le dossier d'agrément d'hébergeur de données de santé "
            "de Cloudéa Santé. Il suit les évolutions réglementaires du secteur."
        ),
    },
    {
        "slug": "anne-sophie-vidal",
        "name": "Anne-Sophie Vidal",
        "affiliation": "Agence régionale de santé Val-de-Loire",
        "position_title": "Chargée de mission sécurité des systèmes d'information",
        "bio": (
            "Anne-Sophie Vidal accompagne les établissements de sa région dans "
            "l'appropriation de la PGSSI-S et l'organisation des exercices de crise."
        ),
    },
    {
        "slug": "francois-texier",
        "name": "François Texier",
        "affiliation": "Institut de recherche en informatique de l'Ouest (IRIO)",
        "position_title": "Maître de conférences, sécurité des réseaux",
        "bio": (
            "François Texier enseigne la sécurité des réseaux et dirige des travaux sur "
            "l'exposition des équipements médicaux sur Internet."
        ),
    },
    {
        "slug": "laurence-gautier",
        "name": "Laurence Gautier",
        "affiliation": "Centre hospitalier de Bocage-Normand",
        "position_title": "Directrice générale",
        "bio": (
            "Laurence Gautier dirige un centre hospitalier de 1 200 lits. Elle a fait de la "
            "sécurité du système d'information un sujet inscrit à chaque directoire."
        ),
    },
    {
        "slug": "karim-haddad",
        "name": "Karim Haddad",
        "affiliation": "Centre hospitalier du Val de Sarthe",
        "position_title": "Ingénieur biomédical",
        "bio": (
            "Karim Haddad gère un parc de plus de 4 000 dispositifs médicaux, dont une part "
            "croissante est raccordée au réseau de l'établissement."
        ),
    },
    {
        "slug": "emilie-renaud",
        "name": "Émilie Renaud",
        "affiliation": "Groupe hospitalier Loire-Océan",
        "position_title": "Cadre de santé, responsable de la cellule d'identitovigilance",
        "bio": (
            "Infirmière puis cadre de santé, Émilie Renaud anime la cellule "
            "d'identitovigilance de son groupe hospitalier depuis sa création."
        ),
    },
    {
        "slug": "vincent-le-goff",
        "name": "Vincent Le Goff",
        "affiliation": "Communauté hospitalière de territoire Armor-Rance",
        "position_title": "Responsable du centre de supervision de sécurité mutualisé",
        "bio": (
            "Vincent Le Goff a monté le centre de supervision de sécurité partagé par les "
            "six établissements de sa communauté hospitalière de territoire."
        ),
    },
    {
        "slug": "mathilde-brunet",
        "name": "Mathilde Brunet",
        "affiliation": "MédImago Systèmes",
        "position_title": "Architecte solutions imagerie",
        "bio": (
            "Mathilde Brunet conçoit les architectures de PACS déployées chez les clients "
            "hospitaliers de MédImago Systèmes, ainsi que leurs accès de maintenance."
        ),
    },
    {
        "slug": "paul-achard",
        "name": "Dr Paul Achard",
        "affiliation": "Centre hospitalier de Vallon-sur-Loir",
        "position_title": "Radiologue, chef du service d'imagerie médicale",
        "bio": (
            "Paul Achard dirige un service d'imagerie qui réalise 90 000 examens par an. Il "
            "s'intéresse à la sécurité de la téléradiologie."
        ),
    },
    {
        "slug": "sophie-lambert",
        "name": "Sophie Lambert",
        "affiliation": "Hexaléon Sécurité",
        "position_title": "Consultante en sensibilisation et ingénierie sociale",
        "bio": (
            "Sophie Lambert conçoit des campagnes de sensibilisation et d'hameçonnage simulé "
            "pour des établissements de santé et des collectivités."
        ),
    },
    {
        "slug": "eric-fontaine",
        "name": "Éric Fontaine",
        "affiliation": "CHU Atlantique",
        "position_title": "Responsable de la production et de la continuité d'activité",
        "bio": (
            "Éric Fontaine a conduit la construction du second centre de données du CHU et "
            "organise chaque année un test de bascule complet."
        ),
    },
    {
        "slug": "jean-baptiste-morel",
        "name": "Jean-Baptiste Morel",
        "affiliation": "Clinique mutualiste des Trois-Rivières",
        "position_title": "Directeur des systèmes d'information",
        "bio": (
            "Jean-Baptiste Morel est seul responsable informatique d'une clinique de "
            "150 lits, avec une équipe de trois techniciens."
        ),
    },
    {
        "slug": "agnes-poirier",
        "name": "Agnès Poirier",
        "affiliation": "Fédération des établissements de santé privés de l'Ouest",
        "position_title": "Déléguée régionale",
        "bio": (
            "Agnès Poirier représente une soixantaine de cliniques et d'établissements "
            "privés auprès des autorités de santé régionales."
        ),
    },
    {
        "slug": "nicolas-dupre",
        "name": "Nicolas Dupré",
        "affiliation": "Centre hospitalier de Cornouaille-Sud",
        "position_title": "Administrateur systèmes et réseaux",
        "bio": (
            "Nicolas Dupré administre les serveurs et le parc de postes de travail de son "
            "établissement. Il a été en première ligne lors de l'incident de l'automne 2013."
        ),
    },
    {
        "slug": "catherine-moulin",
        "name": "Catherine Moulin",
        "affiliation": "Institut de recherche en informatique de l'Ouest (IRIO)",
        "position_title": "Chargée de recherche, cryptographie appliquée",
        "bio": (
            "Catherine Moulin travaille sur la pseudonymisation et le chaînage de données "
            "médicales pour la recherche clinique."
        ),
    },
    {
        "slug": "david-hamon",
        "name": "David Hamon",
        "affiliation": "Centre national de veille numérique (CNVN)",
        "position_title": "Expert en sécurité des systèmes embarqués",
        "bio": (
            "David Hamon étudie la sécurité des systèmes industriels et des équipements "
            "embarqués, dont les dispositifs médicaux."
        ),
    },
    {
        "slug": "martine-leroux",
        "name": "Dr Martine Leroux",
        "affiliation": "Groupe hospitalier Loire-Océan",
        "position_title": "Médecin responsable du département d'information médicale",
        "bio": (
            "Martine Leroux dirige le département d'information médicale de son groupe. "
            "Elle veille à la qualité et à la confidentialité des données de codage."
        ),
    },
    {
        "slug": "stephane-guillot",
        "name": "Stéphane Guillot",
        "affiliation": "Biotek Dispositifs Médicaux",
        "position_title": "Responsable sécurité produit",
        "bio": (
            "Stéphane Guillot est chargé de la sécurité des pompes et moniteurs connectés "
            "fabriqués par Biotek. Il a mis en place la politique de correctifs du "
            "fabricant."
        ),
    },
    {
        "slug": "pauline-chevalier",
        "name": "Pauline Chevalier",
        "affiliation": "Cloudéa Santé",
        "position_title": "Architecte cloud",
        "bio": (
            "Pauline Chevalier conçoit les offres d'infrastructure hébergée de Cloudéa Santé "
            "pour les établissements et les groupements de coopération sanitaire."
        ),
    },
    {
        "slug": "yannick-le-bihan",
        "name": "Yannick Le Bihan",
        "affiliation": "Centre hospitalier du Val de Sarthe",
        "position_title": "Responsable des infrastructures réseau",
        "bio": (
            "Yannick Le Bihan a piloté la refonte du réseau de son établissement, "
            "aujourd'hui découpé en une trentaine de zones."
        ),
    },
    {
        "slug": "elodie-masson",
        "name": "Élodie Masson",
        "affiliation": "Cabinet Roussel Avocats",
        "position_title": "Avocate, droit de la santé numérique",
        "bio": (
            "Élodie Masson accompagne les établissements dans la rédaction de leurs contrats "
            "d'hébergement et d'infogérance."
        ),
    },
    {
        "slug": "henrik-vos",
        "name": "Henrik Vos",
        "affiliation": "Noordzee Medisch Centrum",
        "position_title": "Chief Information Security Officer",
        "bio": (
            "Henrik Vos dirige la sécurité d'un groupe hospitalier néerlandais et participe "
            "au réseau d'échange d'informations sur les incidents entre hôpitaux de son pays."
        ),
    },
    {
        "slug": "fiona-mcallister",
        "name": "Fiona McAllister",
        "affiliation": "Northgate University Hospitals",
        "position_title": "Head of Cyber Security",
        "bio": (
            "Fiona McAllister dirige l'équipe de cybersécurité d'un groupe hospitalier "
            "universitaire britannique et anime un réseau régional de partage d'alertes."
        ),
    },
    {
        "slug": "romain-barbier",
        "name": "Romain Barbier",
        "affiliation": "Centre hospitalier de Bocage-Normand",
        "position_title": "Ingénieur sécurité",
        "bio": (
            "Romain Barbier organise les campagnes d'hameçonnage simulé et la sensibilisation "
            "des agents de son établissement."
        ),
    },
    {
        "slug": "gilles-aubert",
        "name": "Gilles Aubert",
        "affiliation": "Agence régionale de santé Val-de-Loire",
        "position_title": "Responsable des services numériques régionaux",
        "bio": (
            "Gilles Aubert est responsable du portail régional de télésanté et de la "
            "messagerie sécurisée proposée aux professionnels de la région."
        ),
    },
    {
        "slug": "celine-rousseau",
        "name": "Céline Rousseau",
        "affiliation": "Centre hospitalier de Vallon-sur-Loir",
        "position_title": "RSSI à temps partagé",
        "bio": (
            "Céline Rousseau exerce la fonction de RSSI pour trois établissements voisins. "
            "Elle a rédigé la politique de sécurité commune à ces établissements."
        ),
    },
    {
        "slug": "arnaud-pichon",
        "name": "Arnaud Pichon",
        "affiliation": "Sentinelle Ouest",
        "position_title": "Analyste en investigation numérique",
        "bio": (
            "Arnaud Pichon mène des investigations après incident pour des entreprises et des "
            "établissements publics. Il enseigne l'analyse de mémoire vive."
        ),
    },
    {
        "slug": "marie-noelle-bertin",
        "name": "Marie-Noëlle Bertin",
        "affiliation": "CHU Atlantique",
        "position_title": "Coordinatrice générale des soins",
        "bio": (
            "Marie-Noëlle Bertin coordonne l'encadrement soignant du CHU. Elle a piloté "
            "l'écriture des procédures dégradées des services de soins."
        ),
    },
    {
        "slug": "laurent-vasseur",
        "name": "Laurent Vasseur",
        "affiliation": "Hospitalia Numérique",
        "position_title": "Journaliste, rédacteur en chef",
        "bio": (
            "Laurent Vasseur couvre les systèmes d'information hospitaliers depuis quinze ans "
            "et anime régulièrement des débats professionnels."
        ),
    },
    {
        "slug": "beatrice-carre",
        "name": "Béatrice Carré",
        "affiliation": "Centre hospitalier du Val de Sarthe",
        "position_title": "Directrice des systèmes d'information",
        "bio": (
            "Béatrice Carré dirige une équipe de quarante personnes. Elle a conduit la "
            "gestion de crise lors de la défiguration du site de l'établissement."
        ),
    },
    {
        "slug": "hugo-lemaire",
        "name": "Hugo Lemaire",
        "affiliation": "Institut de recherche en informatique de l'Ouest (IRIO)",
        "position_title": "Doctorant, sécurité des protocoles médicaux",
        "bio": (
            "Hugo Lemaire prépare une thèse sur la sécurité des protocoles DICOM et HL7. Il "
            "a mené une campagne de mesure de l'exposition des serveurs d'imagerie."
        ),
    },
]

TALKS: Final[list[TalkData]] = [
    # ------------------------------------------------------------------ Day 1, Tuesday 1 April
    {
        "slug": "accueil-jour-1",
        "title": "Accueil des participants et retrait des badges",
        "abstract": "Café d'accueil dans le hall principal. Pensez à vous munir de votre "
        "confirmation d'inscription.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "08:00",
        "end": "08:45",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "ouverture-du-congres",
        "title": "Ouverture du congrès",
        "abstract": (
            "Mot d'accueil du comité de programme et présentation des trois journées : "
            "parcours thématiques, ateliers sur inscription et règles de diffusion des "
            "séances signalées **TLP** ou **Chatham House**."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "08:45",
        "end": "09:15",
        "room": "grand-amphi",
        "track": None,
        "seat_limit": None,
        "speakers": [("helene-marchal", "speaker"), ("bertrand-lecoq", "speaker")],
    },
    {
        "slug": "securite-si-affaire-de-direction-generale",
        "title": "La sécurité du système d'information, une affaire de direction générale",
        "abstract": (
            "Quand le système d'information s'arrête, c'est l'hôpital qui s'arrête. "
            "Laurence Gautier explique comment elle a fait entrer la sécurité au directoire : "
            "un tableau de bord trimestriel, un budget identifié et un RSSI rattaché à la "
            "direction générale. Elle revient aussi sur les arbitrages difficiles entre "
            "investissements médicaux et protection du système d'information."
        ),
        "kind": "keynote",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "09:15",
        "end": "10:15",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("laurence-gautier", "speaker")],
    },
    {
        "slug": "pause-cafe-matin-jour-1",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "10:15",
        "end": "10:45",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "pgssi-s-de-la-doctrine-au-plan-d-action",
        "title": "PGSSI-S : de la doctrine nationale au plan d'action d'un établissement",
        "abstract": (
            "La politique générale de sécurité des systèmes d'information de santé fixe un "
            "cadre commun, mais comment la traduire dans un établissement de taille moyenne ? "
            "Les intervenantes présentent une démarche en trois temps :\n\n"
            "- un autodiagnostic appuyé sur les référentiels de la PGSSI-S ;\n"
            "- une priorisation partagée avec la direction et la commission médicale ;\n"
            "- un plan pluriannuel suivi par l'agence régionale de santé."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "10:45",
        "end": "11:30",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("anne-sophie-vidal", "speaker"), ("celine-rousseau", "speaker")],
    },
    {
        "slug": "attaque-sous-domaines-ministere-sante-janvier-2014",
        "title": (
            "Retour sur l'attaque de janvier 2014 contre les sous-domaines du ministère de la Santé"
        ),
        "abstract": (
            "En janvier 2014, plus d'une quarantaine de sous-domaines du site du ministère "
            "chargé de la Santé sont devenus inaccessibles. Cette séance reconstitue la "
            "chronologie de l'incident à partir des informations publiques et des observations "
            "partagées entre équipes de réponse, puis examine les hypothèses techniques "
            "envisagées, **déni de service** ou **défiguration**, sans se prononcer sur "
            "l'identité ni sur les motivations des auteurs. Elle en tire des enseignements "
            "pour les établissements de santé :\n\n"
            "- tenir l'inventaire de ses sous-domaines et de leurs hébergeurs ;\n"
            "- mesurer la dépendance à un hébergement mutualisé ;\n"
            "- superviser ses sites depuis l'extérieur ;\n"
            "- préparer la communication de crise.\n\n"
            "*Diffusion restreinte (TLP:AMBER) : supports remis aux seuls participants.*"
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_amber",
        "language": "fr",
        "day": 1,
        "start": "10:45",
        "end": "11:30",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("thomas-guerin", "speaker"), ("sylvie-ferrand", "speaker")],
    },
    {
        "slug": "atelier-cartographier-les-flux-du-sih",
        "title": "Atelier : cartographier les flux de son système d'information hospitalier",
        "abstract": (
            "Impossible de protéger ce que l'on ne connaît pas. À partir du cas d'un "
            "établissement fictif de 600 lits, les participants construisent en petits groupes "
            "la cartographie des flux entre applications, dispositifs médicaux et partenaires "
            "extérieurs, puis identifient les flux les plus critiques. Apporter un ordinateur "
            "portable."
        ),
        "kind": "workshop",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "10:45",
        "end": "12:15",
        "room": "atelier-jacobins",
        "track": "technique-architecture",
        "seat_limit": 35,
        "speakers": [("olivier-maillard", "speaker")],
    },
    {
        "slug": "hebergement-donnees-de-sante-agrement",
        "title": "Hébergement de données de santé : ce que l'agrément garantit, et ce qu'il "
        "ne garantit pas",
        "abstract": (
            "Confier des données de santé à un tiers impose de recourir à un hébergeur agréé. "
            "Un hébergeur et une avocate décryptent la procédure d'agrément, le contenu "
            "attendu du contrat et les points de vigilance pour l'établissement : "
            "réversibilité, localisation des données, sous-traitance et conditions d'accès "
            "des équipes d'exploitation."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "11:30",
        "end": "12:15",
        "room": "grand-amphi",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("julien-perrot", "speaker"), ("elodie-masson", "speaker")],
    },
    {
        "slug": "cryptolocker-partages-reseau-urgences",
        "title": "Rançongiciel aux urgences : anatomie du chiffrement des partages réseau",
        "abstract": (
            "À l'automne 2013, un rançongiciel de la famille CryptoLocker a chiffré plusieurs "
            "partages réseau utilisés par le service des urgences d'un centre hospitalier. "
            "Les intervenants détaillent l'infection initiale par une pièce jointe piégée, "
            "la propagation permise par des droits trop larges et la restauration depuis les "
            "sauvegardes. Ils expliquent pourquoi l'établissement a refusé de payer et ce "
            "qui a été changé depuis."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_amber",
        "language": "fr",
        "day": 1,
        "start": "11:30",
        "end": "12:15",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("pierre-yves-caradec", "speaker"), ("nicolas-dupre", "speaker")],
    },
    {
        "slug": "dejeuner-jour-1",
        "title": "Déjeuner",
        "abstract": "Déjeuner servi dans le hall d'exposition.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "12:15",
        "end": "13:45",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "identitovigilance-premiere-donnee-de-securite",
        "title": "Identitovigilance : l'identité du patient, première donnée de sécurité",
        "abstract": (
            "Une erreur d'identité peut conduire à une erreur de soin. Une cadre de santé et "
            "une médecin DIM montrent comment les doublons, les collisions et les usurpations "
            "d'identité se propagent d'une application à l'autre, et présentent les "
            "indicateurs suivis par leur cellule d'identitovigilance. La sécurité du système "
            "d'information commence par la **qualité de l'identifiant patient**."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "13:45",
        "end": "14:30",
        "room": "grand-amphi",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("emilie-renaud", "speaker"), ("martine-leroux", "speaker")],
    },
    {
        "slug": "segmenter-le-reseau-hospitalier",
        "title": "Segmenter le réseau hospitalier sans arrêter les soins",
        "abstract": (
            "Un réseau à plat permet à un poste infecté d'atteindre tous les serveurs. Ce "
            "retour d'expérience présente la refonte progressive d'un réseau hospitalier en "
            "zones : inventaire préalable, regroupement des dispositifs biomédicaux, bascules "
            "de nuit et gestion des exceptions demandées par les éditeurs."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "13:45",
        "end": "14:30",
        "room": "salle-plantagenet",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("yannick-le-bihan", "speaker")],
    },
    {
        "slug": "atelier-exercice-hameconnage-ethique",
        "title": "Atelier : préparer un exercice d'hameçonnage éthique",
        "abstract": (
            "Comment mesurer la vigilance des agents sans les piéger ni les humilier ? "
            "Les participants rédigent un scénario, définissent les indicateurs à suivre et "
            "préparent la communication aux équipes, en tenant compte de l'avis des "
            "représentants du personnel et du correspondant informatique et libertés."
        ),
        "kind": "workshop",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "13:45",
        "end": "15:15",
        "room": "atelier-jacobins",
        "track": "menaces-attaques",
        "seat_limit": 30,
        "speakers": [("sophie-lambert", "speaker")],
    },
    {
        "slug": "cil-hospitalier-loi-informatique-et-libertes",
        "title": "Loi Informatique et Libertés : le correspondant informatique et libertés "
        "à l'hôpital, mode d'emploi",
        "abstract": (
            "Déclarations, autorisations, information des patients, droit d'accès : la loi "
            "Informatique et Libertés impose aux établissements des obligations précises. "
            "Une CIL et un avocat présentent les missions du correspondant, la tenue du "
            "registre et les contrôles possibles de la CNIL, avec des exemples tirés de la "
            "pratique hospitalière."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "14:30",
        "end": "15:15",
        "room": "grand-amphi",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("claire-delaunay", "speaker"), ("marc-antoine-roussel", "speaker")],
    },
    {
        "slug": "fraude-au-president-etablissement-de-sante",
        "title": "Fraude au président : un virement évité de justesse dans un hôpital",
        "abstract": (
            "Un faux directeur, un faux avocat et une urgence confidentielle : le scénario "
            "classique de la fraude au président a visé la direction des finances d'un "
            "centre hospitalier. Cette analyse retrace les échanges, les signaux qui ont "
            "alerté la comptable et les procédures de double validation mises en place "
            "depuis."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_green",
        "language": "fr",
        "day": 1,
        "start": "14:30",
        "end": "15:15",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("romain-barbier", "speaker")],
    },
    {
        "slug": "pause-cafe-apres-midi-jour-1",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "15:15",
        "end": "15:45",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "dispositifs-medicaux-connectes-correctifs",
        "title": "Dispositifs médicaux connectés : qui est responsable des correctifs ?",
        "abstract": (
            "Le fabricant refuse toute modification non validée, le service biomédical "
            "n'a pas la main sur le système d'exploitation et la DSI ne connaît pas "
            "l'équipement. Un ingénieur biomédical et un fabricant confrontent leurs points "
            "de vue et proposent un partage clair des responsabilités, du marché public à la "
            "fin de vie du dispositif."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "15:45",
        "end": "16:30",
        "room": "grand-amphi",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("karim-haddad", "speaker"), ("stephane-guillot", "speaker")],
    },
    {
        "slug": "defiguration-site-internet-centre-hospitalier",
        "title": "Défiguration du site internet d'un centre hospitalier : 48 heures de crise",
        "abstract": (
            "Un vendredi soir, la page d'accueil du site public de l'établissement est "
            "remplacée par un message revendicatif. La DSI raconte la découverte par un "
            "journaliste local, l'analyse du gestionnaire de contenu vulnérable, la remise "
            "en ligne et la communication avec la presse. Un cas simple, mais riche "
            "d'enseignements."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_clear",
        "language": "fr",
        "day": 1,
        "start": "15:45",
        "end": "16:30",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("beatrice-carre", "speaker")],
    },
    {
        "slug": "pra-pca-tenir-72-heures-en-mode-degrade",
        "title": "PRA et PCA : tenir 72 heures en mode dégradé",
        "abstract": (
            "Un plan de reprise informatique ne suffit pas si les services de soins ne "
            "savent pas travailler sans ordinateur. Le responsable de la production et la "
            "coordinatrice des soins d'un CHU présentent leur démarche commune :\n\n"
            "- classement des applications par durée d'interruption tolérable ;\n"
            "- procédures papier testées dans les unités ;\n"
            "- exercice annuel de bascule du centre de données."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "16:30",
        "end": "17:15",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("eric-fontaine", "speaker"), ("marie-noelle-bertin", "speaker")],
    },
    {
        "slug": "journaliser-pour-enqueter",
        "title": "Journaliser pour enquêter : quelles traces conserver dans un SIH ?",
        "abstract": (
            "Lors d'une investigation, la première question est toujours la même : "
            "que disent les journaux ? Trop souvent, ils n'existent pas ou ont été écrasés. "
            "Cette présentation propose un socle minimal de journalisation pour un "
            "établissement de santé, sa durée de conservation et son articulation avec la "
            "traçabilité des accès au dossier patient."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "16:30",
        "end": "17:15",
        "room": "salle-plantagenet",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("arnaud-pichon", "speaker")],
    },
    {
        "slug": "table-ronde-rssi-hospitalier-temps-partage",
        "title": "Table ronde : le RSSI hospitalier, un métier à temps partagé ?",
        "abstract": (
            "Beaucoup d'établissements n'ont pas les moyens d'un RSSI à temps plein. "
            "Faut-il mutualiser la fonction entre établissements, la confier à la DSI ou "
            "l'externaliser ? RSSI, directrice générale et responsables de terrain débattent "
            "du positionnement, de l'indépendance et des moyens de la fonction."
        ),
        "kind": "round_table",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "17:15",
        "end": "18:15",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [
            ("laurent-vasseur", "moderator"),
            ("celine-rousseau", "panelist"),
            ("nadia-benali", "panelist"),
            ("pierre-yves-caradec", "panelist"),
            ("laurence-gautier", "panelist"),
        ],
    },
    {
        "slug": "securiser-acces-telemaintenance-fournisseurs",
        "title": "Sécuriser les accès de télémaintenance des fournisseurs",
        "abstract": (
            "Modems oubliés, comptes partagés, logiciels de prise en main installés à la "
            "demande : la télémaintenance est l'une des portes d'entrée les plus exposées "
            "des établissements. Une architecte d'un éditeur d'imagerie présente une "
            "passerelle d'accès unique, journalisée et ouverte à la demande par "
            "l'établissement."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "17:15",
        "end": "18:00",
        "room": "salle-plantagenet",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("mathilde-brunet", "speaker")],
    },
    {
        "slug": "synthese-premiere-journee",
        "title": "Synthèse de la première journée",
        "abstract": "Les enseignements de la journée en quelques minutes, et le programme "
        "du lendemain.",
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "18:15",
        "end": "18:30",
        "room": "grand-amphi",
        "track": None,
        "seat_limit": None,
        "speakers": [("helene-marchal", "speaker")],
    },
    {
        "slug": "cocktail-et-diner-de-gala",
        "title": "Cocktail et dîner de gala",
        "abstract": (
            "Cocktail puis dîner de gala dans la Cité Plantagenêt, le vieux Mans. Navettes "
            "au départ du palais des congrès à partir de 19 h 00. **Sur inscription.**"
        ),
        "kind": "social",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 1,
        "start": "19:30",
        "end": "23:00",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    # ---------------------------------------------------------------- Day 2, Wednesday 2 April
    {
        "slug": "accueil-jour-2",
        "title": "Accueil café",
        "abstract": "Café d'accueil dans le hall principal.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "08:30",
        "end": "09:00",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "sharing-incidents-between-hospitals-dutch-experience",
        "title": "Trust before technology: sharing security incidents between Dutch hospitals",
        "abstract": (
            "Hospitals rarely talk about the attacks they suffer, yet they face the same "
            "threats. Henrik Vos describes how a group of Dutch hospitals built a trusted "
            "network to share indicators and lessons learned, which rules made it work and "
            "what it changed in their daily security operations. *Keynote in English; "
            "simultaneous interpretation into French is provided.*"
        ),
        "kind": "keynote",
        "status": "confirmed",
        "disclosure": "none",
        "language": "en",
        "day": 2,
        "start": "09:00",
        "end": "10:00",
        "room": "grand-amphi",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("henrik-vos", "speaker")],
    },
    {
        "slug": "etat-de-la-menace-secteur-sante",
        "title": "État de la menace informatique contre le secteur de la santé",
        "abstract": (
            "Quelles attaques visent réellement les établissements de santé ? À partir des "
            "incidents traités en 2013, le Centre national de veille numérique dresse un "
            "panorama : logiciels malveillants opportunistes, rançongiciels, hameçonnage, "
            "défigurations et dénis de service. La présentation se conclut par les mesures "
            "prioritaires recommandées aux établissements."
        ),
        "kind": "keynote",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "10:00",
        "end": "10:45",
        "room": "grand-amphi",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("sylvie-ferrand", "speaker")],
    },
    {
        "slug": "pause-cafe-matin-jour-2",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "10:45",
        "end": "11:15",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "pacs-dicom-exposes-sur-internet",
        "title": "PACS et serveurs DICOM exposés sur Internet : mesurer pour convaincre",
        "abstract": (
            "Combien de serveurs d'imagerie médicale répondent librement depuis Internet ? "
            "Une campagne de mesure menée avec un protocole respectueux montre que la réponse "
            "n'est pas nulle. Les intervenants présentent la méthode, les résultats agrégés "
            "et anonymisés, la démarche de signalement aux établissements concernés et les "
            "configurations à vérifier en priorité."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "11:15",
        "end": "12:00",
        "room": "grand-amphi",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("hugo-lemaire", "speaker"), ("francois-texier", "speaker")],
    },
    {
        "slug": "intrusion-persistante-reseau-imagerie",
        "title": "Intrusion persistante dans un réseau d'imagerie : récit d'une investigation",
        "abstract": (
            "Des connexions sortantes inexpliquées depuis une station de post-traitement ont "
            "conduit à la découverte d'une intrusion installée depuis plusieurs mois. "
            "L'analyste et le chef de service racontent l'investigation, les arbitrages entre "
            "continuité des examens et confinement, et les mesures prises depuis. "
            "**Séance à huis clos (TLP:RED) : aucune prise de notes, aucun support diffusé.**"
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_red",
        "language": "fr",
        "day": 2,
        "start": "11:15",
        "end": "12:00",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("arnaud-pichon", "speaker"), ("paul-achard", "speaker")],
    },
    {
        "slug": "atelier-premiers-gestes-investigation",
        "title": "Atelier : les premiers gestes de l'investigation après incident",
        "abstract": (
            "Débrancher ou non ? Que copier, et comment ? Sur des machines virtuelles "
            "préparées, les participants collectent mémoire vive, journaux et image disque "
            "d'un poste compromis, en respectant la chaîne de conservation des preuves. "
            "Ordinateur portable avec logiciel de virtualisation indispensable."
        ),
        "kind": "workshop",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "11:15",
        "end": "12:45",
        "room": "atelier-jacobins",
        "track": "menaces-attaques",
        "seat_limit": 24,
        "speakers": [("thomas-guerin", "speaker")],
    },
    {
        "slug": "cloud-etablissements-de-sante-mutualiser",
        "title": "Le cloud pour les établissements de santé : mutualiser sans perdre la maîtrise",
        "abstract": (
            "Messagerie, sauvegarde externalisée, applications administratives : les offres "
            "hébergées se multiplient. Une architecte cloud et le DSI d'une clinique "
            "examinent ce qui peut partir, ce qui doit rester, et les clauses qui permettent "
            "de garder la maîtrise de la sécurité et de la réversibilité."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "12:00",
        "end": "12:45",
        "room": "grand-amphi",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("pauline-chevalier", "speaker"), ("jean-baptiste-morel", "speaker")],
    },
    {
        "slug": "deni-de-service-portail-regional-telesante",
        "title": "Saturation du portail régional de télésanté : anatomie d'un déni de service",
        "abstract": (
            "Pendant une journée, le portail régional utilisé par les professionnels pour "
            "les demandes de télé-expertise est resté pratiquement inaccessible. Ce retour "
            "d'expérience détaille la détection, le dialogue avec l'opérateur réseau, les "
            "mesures de filtrage et la communication vers les utilisateurs. "
            "*Séance sous la règle de Chatham House.*"
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "chatham_house",
        "language": "fr",
        "day": 2,
        "start": "12:00",
        "end": "12:45",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("gilles-aubert", "speaker")],
    },
    {
        "slug": "dejeuner-jour-2",
        "title": "Déjeuner",
        "abstract": "Déjeuner servi dans le hall d'exposition.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "12:45",
        "end": "14:00",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "table-ronde-securite-communautes-hospitalieres-territoire",
        "title": "Table ronde : mutualiser la sécurité au sein des communautés hospitalières "
        "de territoire",
        "abstract": (
            "Les communautés hospitalières de territoire rapprochent des établissements de "
            "tailles et de cultures très différentes. Peut-on y partager un RSSI, un centre "
            "de supervision, des procédures de crise ? Établissements publics et privés, "
            "agence régionale et responsables de terrain confrontent leurs expériences."
        ),
        "kind": "round_table",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "14:00",
        "end": "15:30",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [
            ("laurent-vasseur", "moderator"),
            ("vincent-le-goff", "panelist"),
            ("anne-sophie-vidal", "panelist"),
            ("bertrand-lecoq", "panelist"),
            ("agnes-poirier", "panelist"),
        ],
    },
    {
        "slug": "pseudonymiser-entrepots-donnees-recherche",
        "title": "Pseudonymiser les entrepôts de données de santé pour la recherche",
        "abstract": (
            "Les entrepôts de données cliniques ouvrent de nouvelles perspectives de "
            "recherche, mais le simple retrait du nom ne suffit pas à protéger les patients. "
            "Une chercheuse et une médecin DIM présentent les techniques de pseudonymisation "
            "et de chaînage, les risques de réidentification et les garanties attendues par "
            "la CNIL."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "14:00",
        "end": "14:45",
        "room": "salle-plantagenet",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("catherine-moulin", "speaker"), ("martine-leroux", "speaker")],
    },
    {
        "slug": "ver-reseau-postes-biomedicaux-windows-xp",
        "title": "Un ver de 2008 toujours actif sur des postes biomédicaux",
        "abstract": (
            "Cinq ans après son apparition, un ver réseau bien connu circulait encore entre "
            "des postes de pilotage d'équipements biomédicaux non corrigés. L'ingénieur "
            "biomédical et l'expert en systèmes embarqués expliquent comment il a été "
            "détecté, pourquoi le nettoyage a pris trois mois et ce que cela annonce pour "
            "les postes qui resteront sous Windows XP après la fin de son support."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_green",
        "language": "fr",
        "day": 2,
        "start": "14:45",
        "end": "15:30",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("karim-haddad", "speaker"), ("david-hamon", "speaker")],
    },
    {
        "slug": "atelier-analyse-de-risques-dispositif-medical",
        "title": "Atelier : analyse de risques d'un dispositif médical connecté",
        "abstract": (
            "À partir d'une pompe à perfusion communicante fictive, les participants "
            "conduisent une analyse de risques complète : biens essentiels, scénarios de "
            "menace, impact sur le patient et mesures de réduction. L'atelier réunit un "
            "fabricant et une médecin utilisatrice pour confronter les regards."
        ),
        "kind": "workshop",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "14:00",
        "end": "15:30",
        "room": "atelier-jacobins",
        "track": "technique-architecture",
        "seat_limit": 30,
        "speakers": [("stephane-guillot", "speaker"), ("isabelle-kerjean", "speaker")],
    },
    {
        "slug": "pause-cafe-apres-midi-jour-2",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "15:30",
        "end": "16:00",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "campagne-hameconnage-messageries-chu",
        "title": "Campagne d'hameçonnage contre les messageries de plusieurs CHU",
        "abstract": (
            "En quelques jours, des courriels imitant une page de connexion au webmail ont "
            "visé les agents de plusieurs CHU. Cette analyse présente les indicateurs "
            "relevés, le partage d'informations entre établissements et le centre national, "
            "le nombre de comptes compromis et leur utilisation pour relayer de nouveaux "
            "envois."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_amber",
        "language": "fr",
        "day": 2,
        "start": "16:00",
        "end": "16:45",
        "room": "grand-amphi",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("nadia-benali", "speaker"), ("thomas-guerin", "speaker")],
    },
    {
        "slug": "sensibiliser-agents-hameconnage-simule",
        "title": "Sensibiliser 4 000 agents : bilan de trois campagnes d'hameçonnage simulé",
        "abstract": (
            "Trois campagnes en dix-huit mois, un taux de clic divisé par trois : les chiffres "
            "sont encourageants, mais que mesurent-ils vraiment ? Les intervenants reviennent "
            "sur le choix des scénarios, l'accueil par les équipes soignantes et le lien "
            "avec les signalements réels reçus par le support."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "16:00",
        "end": "16:45",
        "room": "salle-plantagenet",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("romain-barbier", "speaker"), ("sophie-lambert", "speaker")],
    },
    {
        "slug": "fin-support-windows-xp-parc-hospitalier",
        "title": "Fin du support de Windows XP le 8 avril : quel plan pour le parc hospitalier ?",
        "abstract": (
            "À quelques jours de la fin du support de Windows XP, de nombreux postes "
            "hospitaliers et biomédicaux n'ont pas encore migré. Les intervenants proposent "
            "une méthode pragmatique :\n\n"
            "- inventorier et classer les postes restants ;\n"
            "- isoler ceux qui ne peuvent pas migrer ;\n"
            "- négocier un calendrier avec les éditeurs et les fabricants."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "16:45",
        "end": "17:30",
        "room": "grand-amphi",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("nicolas-dupre", "speaker"), ("karim-haddad", "speaker")],
    },
    {
        "slug": "authentification-forte-au-lit-du-patient",
        "title": "Carte CPS et authentification forte au lit du patient",
        "abstract": (
            "L'authentification forte se heurte à la réalité des soins : postes partagés, "
            "gants, urgences. Une médecin et un auditeur présentent les usages observés dans "
            "les services, les contournements les plus fréquents et les solutions qui "
            "concilient sécurité et rapidité d'accès, de la carte CPS à la session itinérante."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "16:45",
        "end": "17:30",
        "room": "salle-plantagenet",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("isabelle-kerjean", "speaker"), ("olivier-maillard", "speaker")],
    },
    {
        "slug": "responsabilite-directeur-incident-securite",
        "title": "Responsabilité du directeur d'établissement en cas d'incident de sécurité",
        "abstract": (
            "Fuite de données, indisponibilité du dossier patient, préjudice pour un patient : "
            "qui répond de quoi ? Cette intervention fait le point sur la responsabilité "
            "administrative, civile et pénale de l'établissement et de ses dirigeants, et sur "
            "les preuves de diligence qu'il est utile de conserver."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "17:30",
        "end": "18:15",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("marc-antoine-roussel", "speaker")],
    },
    {
        "slug": "messagerie-securisee-de-sante-premiers-deploiements",
        "title": "Messagerie sécurisée de santé : retours des premiers déploiements (brouillon)",
        "abstract": (
            "Premiers retours sur le déploiement d'une messagerie sécurisée entre "
            "établissements et professionnels libéraux de la région. Résumé à compléter."
        ),
        "kind": "talk",
        "status": "draft",
        "disclosure": "none",
        "language": "fr",
        "day": 2,
        "start": "17:30",
        "end": "18:15",
        "room": "salle-plantagenet",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("gilles-aubert", "speaker")],
    },
    # ------------------------------------------------------------------ Day 3, Thursday 3 April
    {
        "slug": "accueil-jour-3",
        "title": "Accueil café",
        "abstract": "Café d'accueil dans le hall principal.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "08:30",
        "end": "09:00",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "dix-ans-de-securite-des-si-de-sante",
        "title": "Dix ans de sécurité des SI de santé : ce qui a changé, ce qui reste à faire",
        "abstract": (
            "En dix ans, l'hôpital est devenu entièrement dépendant de son système "
            "d'information. Bertrand Lecoq mesure le chemin parcouru, de la sauvegarde "
            "sur bande au dossier patient disponible partout, et identifie les chantiers "
            "qui attendent les établissements : dispositifs connectés, ouverture vers la "
            "ville et les patients, compétences rares."
        ),
        "kind": "keynote",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "09:00",
        "end": "10:00",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("bertrand-lecoq", "speaker")],
    },
    {
        "slug": "pause-cafe-matin-jour-3",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "10:00",
        "end": "10:30",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "regional-alert-sharing-uk-hospitals",
        "title": "Regional alert sharing between hospitals: lessons from the United Kingdom",
        "abstract": (
            "How do you get twenty hospital trusts to warn each other within the hour? "
            "Fiona McAllister presents the regional alert network she runs: membership "
            "rules, the Traffic Light Protocol in practice, the tools used and the "
            "incidents where early warning made a difference. *Talk in English.*"
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "en",
        "day": 3,
        "start": "10:30",
        "end": "11:15",
        "room": "grand-amphi",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("fiona-mcallister", "speaker")],
    },
    {
        "slug": "compromission-compte-telemaintenance-fournisseur",
        "title": "Compromission d'un compte de télémaintenance d'un fournisseur",
        "abstract": (
            "Un compte générique de télémaintenance, partagé par un prestataire entre "
            "plusieurs clients, a servi de point d'entrée dans le réseau d'un établissement. "
            "L'auditeur et la RSSI retracent le parcours de l'attaquant, les difficultés de "
            "coordination avec le prestataire et les clauses contractuelles ajoutées depuis."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_amber",
        "language": "fr",
        "day": 3,
        "start": "10:30",
        "end": "11:15",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("olivier-maillard", "speaker"), ("celine-rousseau", "speaker")],
    },
    {
        "slug": "atelier-construire-et-tester-son-pca",
        "title": "Atelier : construire et tester son plan de continuité d'activité",
        "abstract": (
            "Les participants déroulent un exercice sur table : panne prolongée du dossier "
            "patient un lundi matin. Rôles attribués, injections toutes les dix minutes, "
            "décisions à prendre en cellule de crise, puis débriefing collectif et modèle de "
            "plan réutilisable dans son établissement."
        ),
        "kind": "workshop",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "10:30",
        "end": "12:00",
        "room": "atelier-jacobins",
        "track": "gouvernance-conformite",
        "seat_limit": 36,
        "speakers": [("eric-fontaine", "speaker"), ("beatrice-carre", "speaker")],
    },
    {
        "slug": "applications-mobiles-objets-connectes-sante",
        "title": "Applications mobiles et objets connectés de santé : que deviennent les données ?",
        "abstract": (
            "Tensiomètres, glucomètres et applications de suivi envoient des mesures vers "
            "des serveurs dont le patient ignore tout. Les intervenants ont analysé le trafic "
            "d'une vingtaine d'applications grand public : chiffrement absent, identifiants "
            "prévisibles, partage avec des tiers. Ils en tirent des critères pour les "
            "établissements qui recommandent ces outils."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "11:15",
        "end": "12:00",
        "room": "grand-amphi",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("francois-texier", "speaker"), ("catherine-moulin", "speaker")],
    },
    {
        "slug": "habilitations-dossier-patient-informatise",
        "title": "Habilitations dans le dossier patient informatisé : du principe à la revue "
        "annuelle",
        "abstract": (
            "Qui peut consulter quel dossier, et pourquoi ? Une CIL et une responsable "
            "d'identitovigilance présentent la matrice d'habilitations de leur groupe, la "
            "gestion des accès d'urgence dits « bris de glace », le traitement des départs "
            "et la revue annuelle menée avec les chefs de service."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "11:15",
        "end": "12:00",
        "room": "salle-plantagenet",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("claire-delaunay", "speaker"), ("emilie-renaud", "speaker")],
    },
    {
        "slug": "dejeuner-jour-3",
        "title": "Déjeuner",
        "abstract": "Déjeuner servi dans le hall d'exposition.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "12:00",
        "end": "13:30",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "table-ronde-dispositifs-medicaux-qui-porte-le-risque",
        "title": "Table ronde : dispositifs médicaux connectés, qui porte le risque ?",
        "abstract": (
            "Fabricants, ingénieurs biomédicaux, médecins et autorités de sécurité "
            "n'ont pas la même lecture du risque. Cette table ronde cherche un terrain "
            "commun : exigences à inscrire dans les marchés, délais raisonnables de "
            "correction, signalement des vulnérabilités et place de la matériovigilance."
        ),
        "kind": "round_table",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "13:30",
        "end": "14:45",
        "room": "grand-amphi",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [
            ("francois-texier", "moderator"),
            ("karim-haddad", "panelist"),
            ("stephane-guillot", "panelist"),
            ("david-hamon", "panelist"),
            ("paul-achard", "panelist"),
        ],
    },
    {
        "slug": "fuite-comptes-rendus-moteur-de-recherche",
        "title": "Des comptes rendus d'examens indexés par un moteur de recherche",
        "abstract": (
            "Un patient découvre son propre compte rendu d'examen en cherchant son nom sur "
            "Internet. L'analyse remonte jusqu'à un répertoire de test laissé accessible sur "
            "un serveur web. Les intervenants détaillent la réponse technique, le "
            "déréférencement, l'information des patients concernés et les suites juridiques."
        ),
        "kind": "attack_analysis",
        "status": "confirmed",
        "disclosure": "tlp_clear",
        "language": "fr",
        "day": 3,
        "start": "13:30",
        "end": "14:15",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("hugo-lemaire", "speaker"), ("elodie-masson", "speaker")],
    },
    {
        "slug": "soc-mutualise-communaute-hospitaliere-territoire",
        "title": "Le centre de supervision mutualisé d'une communauté hospitalière de "
        "territoire : dix-huit mois d'exploitation",
        "abstract": (
            "Six établissements, une équipe de quatre analystes et une collecte centralisée "
            "des journaux : quel bilan après dix-huit mois ? Les intervenants présentent "
            "l'architecture retenue, les règles de détection les plus utiles, le coût "
            "réparti entre établissements et les limites rencontrées."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "14:15",
        "end": "15:00",
        "room": "salle-plantagenet",
        "track": "technique-architecture",
        "seat_limit": None,
        "speakers": [("vincent-le-goff", "speaker"), ("yannick-le-bihan", "speaker")],
    },
    {
        "slug": "atelier-durcir-poste-radiologie-windows-xp",
        "title": "Atelier : durcir un poste de radiologie sous Windows XP",
        "abstract": (
            "Atelier pratique de durcissement d'une console d'imagerie qui ne pourra pas "
            "migrer à court terme : comptes, services, filtrage et supervision. "
            "*Cet atelier est annulé ; les inscrits ont été prévenus.*"
        ),
        "kind": "workshop",
        "status": "cancelled",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "13:30",
        "end": "15:00",
        "room": "atelier-jacobins",
        "track": "technique-architecture",
        "seat_limit": 20,
        "speakers": [("mathilde-brunet", "speaker")],
    },
    {
        "slug": "pause-cafe-apres-midi-jour-3",
        "title": "Pause café",
        "abstract": "Pause café et visite des stands partenaires.",
        "kind": "break",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "15:00",
        "end": "15:30",
        "room": None,
        "track": None,
        "seat_limit": None,
        "speakers": [],
    },
    {
        "slug": "projet-reglement-europeen-donnees-personnelles-sante",
        "title": "Projet de règlement européen sur les données personnelles : ce qui se "
        "prépare pour la santé",
        "abstract": (
            "Le projet de règlement européen sur la protection des données, voté en première "
            "lecture par le Parlement européen en mars 2014, pourrait profondément modifier "
            "les obligations des établissements. Sans préjuger du texte final, cette "
            "intervention présente les pistes en discussion : responsabilisation, "
            "notification des violations de données, délégué à la protection des données et "
            "sanctions renforcées."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "15:30",
        "end": "16:15",
        "room": "grand-amphi",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("marc-antoine-roussel", "speaker")],
    },
    {
        "slug": "securite-clinique-150-lits",
        "title": "La sécurité dans une clinique de 150 lits : faire beaucoup avec peu",
        "abstract": (
            "Une équipe de quatre personnes, pas de RSSI, un budget contraint : la sécurité "
            "reste possible. Le DSI d'une clinique partage ses choix : **sauvegardes "
            "testées**, mots de passe administrateur distincts, mises à jour mensuelles, "
            "appui sur la fédération régionale et sur des audits ponctuels."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "15:30",
        "end": "16:15",
        "room": "salle-plantagenet",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("jean-baptiste-morel", "speaker")],
    },
    {
        "slug": "certification-des-comptes-controles-si",
        "title": "Certification des comptes hospitaliers : ce que les auditeurs regarderont "
        "dans vos SI",
        "abstract": (
            "La certification des comptes des établissements publics de santé entre en "
            "vigueur progressivement. Les commissaires aux comptes examineront les contrôles "
            "généraux informatiques : gestion des accès, des changements et de "
            "l'exploitation. Une DSI dont l'établissement a conduit un audit à blanc présente "
            "les constats les plus fréquents et la manière de s'y préparer."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "16:15",
        "end": "17:00",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("beatrice-carre", "speaker")],
    },
    {
        "slug": "biometrie-hopital-usages-et-limites",
        "title": "Biométrie à l'hôpital : usages et limites (brouillon)",
        "abstract": "Contrôle d'accès, identification des patients : état des lieux à "
        "préciser. Résumé en cours de rédaction.",
        "kind": "talk",
        "status": "draft",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "16:15",
        "end": "17:00",
        "room": "salle-plantagenet",
        "track": "donnees-vie-privee",
        "seat_limit": None,
        "speakers": [("catherine-moulin", "speaker")],
    },
    {
        "slug": "incidents-si-et-gestion-des-risques-lies-aux-soins",
        "title": "Intégrer les incidents du système d'information dans la gestion des risques "
        "liés aux soins",
        "abstract": (
            "Une panne informatique est aussi un événement indésirable pour les soins. "
            "La coordinatrice des soins et la médecin DIM montrent comment les incidents de "
            "sécurité ont été intégrés au circuit de déclaration des événements indésirables, "
            "analysés en revue de morbi-mortalité et suivis par la commission qualité."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "17:00",
        "end": "17:45",
        "room": "grand-amphi",
        "track": "gouvernance-conformite",
        "seat_limit": None,
        "speakers": [("marie-noelle-bertin", "speaker"), ("martine-leroux", "speaker")],
    },
    {
        "slug": "exercice-de-crise-cyber-regional",
        "title": "Exercice de crise cyber régional : scénario et enseignements",
        "abstract": (
            "Douze établissements, l'agence régionale de santé et la préfecture ont joué "
            "pendant une journée une attaque simultanée contre plusieurs hôpitaux. Les "
            "organisateurs présentent le scénario, la conduite de l'exercice et les "
            "principaux enseignements : chaînes d'alerte, décisions de déconnexion, "
            "communication."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "17:00",
        "end": "17:45",
        "room": "salle-plantagenet",
        "track": "menaces-attaques",
        "seat_limit": None,
        "speakers": [("anne-sophie-vidal", "speaker"), ("gilles-aubert", "speaker")],
    },
    {
        "slug": "cloture-du-congres",
        "title": "Clôture du congrès",
        "abstract": (
            "Synthèse des trois journées par le comité de programme et la direction "
            "générale invitée, remerciements et annonce de l'édition 2015."
        ),
        "kind": "talk",
        "status": "confirmed",
        "disclosure": "none",
        "language": "fr",
        "day": 3,
        "start": "17:45",
        "end": "18:30",
        "room": "grand-amphi",
        "track": None,
        "seat_limit": None,
        "speakers": [("helene-marchal", "speaker"), ("laurence-gautier", "speaker")],
    },
]


# Ticket categories: price in euro cents; hidden ones are added by organisers only.
CATEGORIES: list[dict[str, object]] = [
    {
        "slug": "etablissements-de-sante",
        "name": "Établissements de santé (publics et privés)",
        "name_en": "Healthcare institutions (public and private)",
        "price_cents": 28000,
        # Early-bird price through 1 March 2014 (Paris): ends at midnight on the 2nd, 23:00 UTC.
        "early_price_cents": 25000,
        "early_until": datetime(2014, 3, 1, 23, 0, tzinfo=UTC),
        "capacity": 250,
        "public": True,
    },
    {
        "slug": "institutions-agences",
        "name": "Institutions et agences",
        "name_en": "Institutions and agencies",
        "price_cents": 28000,
        "capacity": 60,
        "public": True,
    },
    {
        "slug": "industriels-prestataires",
        "name": "Industriels et prestataires",
        "name_en": "Vendors and service providers",
        "price_cents": 65000,
        "capacity": 80,
        "public": True,
    },
    {
        "slug": "etudiants",
        "name": "Étudiants",
        "name_en": "Students",
        "price_cents": 5000,
        "capacity": 20,
        "public": True,
    },
    {
        "slug": "intervenants",
        "name": "Intervenants",
        "name_en": "Speakers",
        "price_cents": 0,
        "capacity": 60,
        "public": False,
    },
    {
        "slug": "invites-presse",
        "name": "Invités et presse",
        "name_en": "Guests and press",
        "price_cents": 0,
        "capacity": 30,
        "public": False,
    },
]


class CallData(TypedDict):
    opens: datetime
    closes: datetime
    rules: str
    rules_en: str


# The call for papers of the 2014 edition, in Paris time: from 1 October 2013 to the
# evening of 15 January 2014, the committee meeting in February.
CALL_FOR_PAPERS: Final[CallData] = {
    "opens": datetime(2013, 10, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris")),
    "closes": datetime(2014, 1, 15, 23, 59, tzinfo=ZoneInfo("Europe/Paris")),
    "rules": (
        "- Les propositions sont inédites et sans caractère commercial.\n"
        "- Le comité de programme répond à chaque proposition avant le 28 février 2014.\n"
        "- Une analyse d'attaque peut demander le label TLP:AMBER ou TLP:RED\u202f: son résumé "
        "n'est alors lu que par le comité.\n"
        "- Les intervenants retenus sont invités aux trois jours du congrès."
    ),
    "rules_en": (
        "- Proposals are original and free of sales pitches.\n"
        "- The programme committee answers every proposal by 28 February 2014.\n"
        "- An attack analysis may ask for the TLP:AMBER or TLP:RED label: its abstract is "
        "then read by the committee only.\n"
        "- Speakers whose proposal is accepted are invited to all three days."
    ),
}
