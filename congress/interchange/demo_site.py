"""Texts of the demo edition's home and practical pages (Le Mans, 2014).

Facts about the venue are public ones (the Palais des congrès et de la culture,
opened in 1982 rue d'Arcole, facing the port and the Île aux Planches on the
Sarthe, with an underground car park); everything an attendee would act on
(contacts, network name, hotel arrangements) is deliberately generic: the phone
number is in the 01 99 00 range reserved for fiction, addresses end in
``.example``. The coordinates are approximate, enough for a map link.
"""

from __future__ import annotations

from typing import Final

from congress.edition.models import Event
from congress.site import services

POSITION: Final = services.Position(latitude=48.0062, longitude=0.1918)

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "home": (
        "Les établissements de santé dépendent de leurs systèmes d'information pour soigner. "
        "Depuis sa création, le congrès réunit celles et ceux qui les protègent autour de "
        "quatre exigences :\n\n"
        "- **Disponibilité :** les soins ne s'arrêtent pas quand le réseau tombe ; plans de "
        "continuité, sauvegardes hors ligne, modes dégradés.\n"
        "- **Intégrité :** une prescription ou un résultat modifié est un risque pour le "
        "patient ; signatures, contrôles, chaîne de confiance.\n"
        "- **Confidentialité :** le secret médical s'étend au dossier numérique ; habilitations, "
        "chiffrement, hébergement de données de santé.\n"
        "- **Traçabilité :** savoir qui a consulté quoi, et pouvoir le prouver ; journaux, "
        "audits, réponse aux incidents.\n\n"
        "Trois jours pour partager des retours d'expérience concrets, entre pairs, y compris "
        "des analyses d'attaques réelles présentées à diffusion restreinte.",
        "Healthcare institutions depend on their information systems to treat patients. "
        "Since its beginnings the congress has brought together the people who protect them "
        "around four requirements:\n\n"
        "- **Availability:** care does not stop when the network goes down; continuity plans, "
        "offline backups, degraded modes.\n"
        "- **Integrity:** an altered prescription or test result puts a patient at risk; "
        "signatures, checks, chain of trust.\n"
        "- **Confidentiality:** medical secrecy extends to the digital record; access rights, "
        "encryption, certified hosting of health data.\n"
        "- **Traceability:** knowing who looked at what, and being able to prove it; logs, "
        "audits, incident response.\n\n"
        "Three days of concrete experience shared among peers, including analyses of real "
        "attacks presented under restricted disclosure.",
    ),
    "venue": (
        "Le congrès se tient au **Palais des congrès et de la culture du Mans**, dans le "
        "quartier Gare Nord, face au port et au parc de l'Île aux Planches, au bord de la "
        "Sarthe. L'accueil et le retrait des badges se font dans le hall d'entrée, rue "
        "d'Arcole, à partir de 8 h 00 chaque jour.",
        "The congress takes place at the **Palais des congrès et de la culture** in Le Mans, "
        "in the Gare Nord district, facing the port and the Île aux Planches park on the "
        "Sarthe river. Badges are handed out in the entrance hall, rue d'Arcole, from 8:00 "
        "every day.",
    ),
    "getting_there": (
        "### En train\n\n"
        "La gare du Mans est desservie par le TGV depuis Paris-Montparnasse (environ une "
        "heure), ainsi que depuis Rennes, Nantes, Lille et Lyon.\n\n"
        "### En tram\n\n"
        "Le tram relie la gare au centre-ville ; le palais des congrès est ensuite à quelques "
        "minutes à pied. Consultez le plan du réseau de transports de la métropole pour "
        "l'arrêt le plus proche.\n\n"
        "### En voiture\n\n"
        "Le Mans est desservi par les autoroutes A11 (Paris – Nantes), A28 et A81. Suivez la "
        "direction « Centre-ville » puis « Palais des congrès ».\n\n"
        "### Stationnement\n\n"
        "Le palais des congrès dispose d'un parking souterrain payant ; les parkings publics "
        "des Halles et de la Médiathèque sont à proximité.",
        "### By train\n\n"
        "Le Mans station has TGV services from Paris-Montparnasse (about one hour), and from "
        "Rennes, Nantes, Lille and Lyon.\n\n"
        "### By tram\n\n"
        "The tram runs from the station to the city centre; the venue is then a few minutes' "
        "walk away. See the city's transport map for the nearest stop.\n\n"
        "### By car\n\n"
        "Le Mans lies on the A11 (Paris – Nantes), A28 and A81 motorways. Follow "
        '"Centre-ville" then "Palais des congrès".\n\n'
        "### Parking\n\n"
        "The venue has a paying underground car park; the public Halles and Médiathèque car "
        "parks are nearby.",
    ),
    "accessibility": (
        "- Entrée de plain-pied et ascenseurs vers toutes les salles du congrès.\n"
        "- Places réservées aux personnes à mobilité réduite dans chaque salle et au "
        "parking souterrain.\n"
        "- Boucle à induction magnétique dans le grand amphithéâtre ; signalez-nous un besoin "
        "pour les autres salles.\n"
        "- Indiquez vos besoins (accompagnement, interprétation, régime) dans le formulaire "
        "d'inscription : l'équipe d'accueil en est informée.",
        "- Step-free entrance and lifts to every room of the congress.\n"
        "- Reserved places for people with reduced mobility in each room and in the "
        "underground car park.\n"
        "- Induction loop in the main auditorium; tell us if you need one in another room.\n"
        "- Tell us your needs (assistance, interpreting, diet) in the registration form: the "
        "welcome team is told.",
    ),
    "accommodation": (
        "Le centre-ville compte de nombreux hôtels à distance de marche ou à quelques arrêts "
        "de tram. Réservez tôt : le congrès a lieu en semaine et d'autres manifestations "
        "peuvent se tenir en ville aux mêmes dates. L'office de tourisme du Mans peut vous "
        "orienter.",
        "The city centre has many hotels within walking distance or a few tram stops away. "
        "Book early: the congress is held on weekdays and other events may take place in "
        "town on the same dates. Le Mans tourist office can help.",
    ),
    "meals": (
        "Les déjeuners des trois journées, les pauses et le cocktail du mardi soir sont "
        "compris dans l'inscription. Les régimes particuliers indiqués lors de l'inscription "
        "sont pris en compte.",
        "Lunch on all three days, the breaks and Tuesday evening's reception are included "
        "in the registration. Dietary needs given when registering are catered for.",
    ),
    "wifi": (
        "Un réseau Wi-Fi invité est disponible dans tout le palais ; son nom et son mot de "
        "passe sont imprimés au dos du badge. Comme partout, préférez un VPN pour vos accès "
        "professionnels.",
        "A guest Wi-Fi network covers the whole venue; its name and password are printed on "
        "the back of your badge. As anywhere, use a VPN for work access.",
    ),
    "contact": (
        "L'équipe d'accueil se tient au comptoir du hall pendant toute la durée du congrès.\n\n"
        "- Téléphone pendant le congrès : 01 99 00 14 14 (numéro de démonstration)\n"
        "- Courriel : [accueil@apssis.example](mailto:accueil@apssis.example)",
        "The welcome team is at the desk in the entrance hall throughout the congress.\n\n"
        "- Phone during the congress: +33 1 99 00 14 14 (demonstration number)\n"
        "- E-mail: [accueil@apssis.example](mailto:accueil@apssis.example)",
    ),
    "what_to_bring": (
        "- Le **QR code** de votre inscription (sur votre téléphone ou imprimé depuis votre "
        "lien personnel) : il est scanné à l'accueil pour remettre votre **badge**.\n"
        "- Une pièce d'identité : certaines analyses d'attaques sont réservées aux "
        "personnes identifiées.\n"
        "- Le badge, porté visiblement pendant tout le congrès.",
        "- The **QR code** of your registration (on your phone, or printed from your private "
        "link): it is scanned at the desk to hand you your **badge**.\n"
        "- An identity document: some attack analyses are open only to identified "
        "attendees.\n"
        "- Your badge, worn visibly throughout the congress.",
    ),
}


def _french(text: str) -> str:
    """French spacing: a narrow no-break space before ``:``, ``;`` and inside « »."""
    for mark in (" :", " ;", " !", " ?"):
        text = text.replace(mark, "\u202f" + mark[1])
    return text.replace("« ", "«\u202f").replace(" »", "\u202f»")


def load_site_texts(event: Event) -> None:
    """Write every section and the venue's position, inside the loader's transaction."""
    for key, (body, body_en) in TEXTS.items():
        services.save_section(
            event,
            key,
            body=_french(body),
            body_en=body_en,
            position=POSITION if key == "venue" else None,
            commit=False,
        )
