"""The demo edition's partners: fictional organisations with logos drawn here.

No real company or institution is named and no real logo is shipped: each logo
is a coloured mark with initials and the name, drawn with Pillow at load time
and sent through the same upload pipeline as an organiser's file. Addresses use
the reserved ``.example`` domain. The demo speakers keep their initials: there
is no honest way to give fictional people faces.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from congress.edition.models import Event
from congress.partners.models import PartnerLevel
from congress.partners.services import PartnerData, create_partner, set_partner_logo

DEMO_NOTE_FR = " (Partenaire fictif de l'édition de démonstration.)"
DEMO_NOTE_EN = " (A fictional partner of the demo edition.)"

# name, level, colour of the mark, initials, wordmark (ASCII: Pillow's built-in font has
# no accents), site, French text, English text
PARTNERS = (
    (
        "Hexacare Systèmes",
        PartnerLevel.PLATINUM,
        (11, 83, 114),
        "HX",
        "Hexacare",
        "https://hexacare.example",
        "Supervision de sécurité et réponse à incident pour les établissements de santé.",
        "Security monitoring and incident response for healthcare providers.",
    ),
    (
        "Numéria Santé",
        PartnerLevel.GOLD,
        (30, 107, 67),
        "NS",
        "Numeria",
        "https://numeria-sante.example",
        "Hébergement de données de santé et sauvegardes hors ligne.",
        "Health data hosting and offline backups.",
    ),
    (
        "Bastion Hospitalier",
        PartnerLevel.GOLD,
        (122, 62, 157),
        "BH",
        "Bastion",
        "https://bastion-hospitalier.example",
        "Gestion des accès à privilèges et cloisonnement des réseaux biomédicaux.",
        "Privileged access management and segmentation of biomedical networks.",
    ),
    (
        "Cryptomed Conseil",
        PartnerLevel.SILVER,
        (160, 54, 11),
        "CM",
        "Cryptomed",
        "https://cryptomed.example",
        "Audit, conformité et exercices de crise cyber.",
        "Audits, compliance and cyber crisis exercises.",
    ),
    (
        "Groupement régional e-santé Maine-Loire",
        PartnerLevel.INSTITUTIONAL,
        (61, 79, 159),
        "GR",
        "GRES Maine-Loire",
        "https://esante-maine-loire.example",
        "Accompagne les établissements de la région dans leur sécurité numérique.",
        "Supports the region's healthcare providers with their digital security.",
    ),
    (
        "La Gazette du SIH",
        PartnerLevel.MEDIA,
        (74, 86, 99),
        "GZ",
        "Gazette SIH",
        "https://gazette-sih.example",
        "Le mensuel des systèmes d'information hospitaliers.",
        "The monthly magazine of hospital information systems.",
    ),
)


@lru_cache(maxsize=len(PARTNERS))
def draw_logo(name: str, initials: str, colour: tuple[int, int, int]) -> bytes:
    """A PNG with a transparent background: a rounded mark with initials, then the name."""
    image = Image.new("RGBA", (560, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 16, 136, 144), radius=28, fill=(*colour, 255))
    mark = ImageFont.load_default(size=56)  # Aileron, built into Pillow: no font file read
    draw.text((72, 80), initials, font=mark, fill=(255, 255, 255, 255), anchor="mm")
    words = name.split()
    half = (len(words) + 1) // 2
    lines = [" ".join(words[:half]), " ".join(words[half:])] if len(name) > 12 else [name]
    text = ImageFont.load_default(size=34 if len(lines) == 1 else 30)
    top = 80 - 20 * (len(lines) - 1)
    for index, line in enumerate(lines):
        draw.text((156, top + 40 * index), line, font=text, fill=(23, 33, 43, 255), anchor="lm")
    out = BytesIO()
    image.crop(image.getbbox()).save(out, format="PNG")
    return out.getvalue()


def load_partners(event: Event) -> int:
    """Add the demo partners, published, with their logos; flushed, not committed."""
    for position, spec in enumerate(PARTNERS):
        name, level, colour, initials, wordmark, url, text_fr, text_en = spec
        partner = create_partner(
            event,
            PartnerData(
                name=name,
                level=level,
                url=url,
                description=text_fr + DEMO_NOTE_FR,
                description_en=text_en + DEMO_NOTE_EN,
                position=position,
                published=True,
            ),
            commit=False,
        )
        set_partner_logo(partner, draw_logo(wordmark, initials, colour), commit=False)
    return len(PARTNERS)
