"""Spam without spam words (session 5): a business offering its services or a
"partnership", an offer with a link, and phishing dressed as an official notice (your
account, parcel or subscription + a threat + something to do). Each field alone is
harmless ("c'est gratuit pour les enfants ?", "votre page est super"); together they
sell or phish. Read in ``evidence.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence

# A business introducing itself, or asking for a "collab".
SELLER: Lexicon = {
    "notre agence": 1, "notre marque": 1, "notre entreprise": 1, "notre société": 1,
    "notre boutique": 1, "notre équipe d'experts": 1, "our agency": 1, "our brand": 1,
    "our company": 1, "our shop": 1, "our store": 1, "our team of experts": 1,
    "we're a": 1, "we are a": 1, "brand": 1, "ambassad*": 1, "collab": 1, "collabs": 1,
    "collaborer": 1, "collaboration": 1, "partenariat*": 1, "partenaire*": 1,
    "partnership": 1, "we offer": 1, "we help": 1, "we provide": 1,
    "nous proposons": 1, "nous accompagnons": 1, "accompagne les": 1, "nos services": 1,
    "our services": 1, "seo": 1, "je représente": 1, "i represent": 1, "une société de": 1,
    "notre plaquette": 1, "our brochure": 1, "notre catalogue": 1, "our catalogue": 1,
    "sponsoris*": 1, "sponsored": 1,
}  # fmt: skip
# Something offered: free, cheaper, priced by the month, a quote.
OFFER: Lexicon = {
    "gratuit*": 1, "free": 1, "offert*": 1, "offerte*": 1, "à partir de": 1,
    "starting at": 1, "from only": 1, "tarifs": 1, "prices": 1, "packs": 1, "packages": 1,
    "plans": 1, "devis": 1, "quote": 1, "réduction": 1, "discount": 1, "promo": 1,
    "illimité*": 1, "unlimited": 1, "affordable": 1, "par mois": 1,
    "per month": 1, "monthly": 1, "méthode*": 1, "sans risque": 1, "risk-free": 1,
    "générateur": 1, "generator": 1, "kit": 1, "box": 1, "aujourd'hui seulement": 1,
    "seulement aujourd'hui": 1, "today only": 1, "vu à la télé": 1, "as seen on tv": 1,
}  # fmt: skip
# Where to answer: privately, or on another site.
CONTACT: Lexicon = {
    "dm": 1, "dms": 1, "dm us": 1, "en privé": 1, "en mp": 1, "écrivez-nous": 1,
    "écrivez nous": 1, "contactez-nous": 1, "contactez nous": 1, "envoyez-nous": 1,
    "contact us": 1, "message us": 1, "inbox us": 1, "reply to this": 1,
    "répondez à ce message": 1, "ici :": 1, "here :": 1, "→": 1, "sur notre site": 1,
    "on our website": 1,
}  # fmt: skip
# Phishing: your account, page, parcel or subscription…
YOUR_THING: Lexicon = {
    "votre compte": 1, "compte de votre": 1, "votre page": 1, "votre abonnement": 1,
    "votre colis": 1, "votre livraison": 1, "votre mot de passe": 1, "votre profil": 1,
    "votre organisation": 1, "your account": 1, "your page": 1, "your subscription": 1,
    "your parcel": 1, "your package": 1, "your delivery": 1, "your password": 1,
    "your profile": 1, "your organisation": 1, "your organization": 1, "your domain": 1,
    "votre domaine": 1, "votre nom de domaine": 1,
}  # fmt: skip
# … is threatened…
THREAT: Lexicon = {
    "expire*": 1, "suspendu*": 1, "suspension": 1, "fermeture": 1, "désactiv*": 1,
    "restricted": 1, "restreint*": 1, "supprimé*": 1, "deleted": 1, "removed": 1,
    "n'a pas pu être livré": 1, "could not be delivered": 1, "couldn't be delivered": 1,
    "activité inhabituelle": 1, "unusual activity": 1, "copyright": 1, "droits d'auteur": 1,
    "dernier rappel": 1, "final notice": 1, "last reminder": 1, "within 24 hours": 1,
    "sous 24h": 1, "sous 24 heures": 1, "obligatoire": 1, "mandatory": 1,
    "seront bloqué*": 1, "sera bloqué*": 1, "will be blocked": 1, "will be locked": 1,
}  # fmt: skip
# … unless you do something somewhere.
ACT: Lexicon = {
    "mettez à jour": 1, "mettre à jour": 1, "mettant à jour": 1, "mise à jour": 1, "update your": 1,
    "connectez-vous": 1, "log in": 1, "verify": 1, "vérifiez": 1, "réglez": 1, "pay the": 1,
    "payez": 1, "renouvelez": 1, "renew": 1, "confirm": 1, "confirmez": 1,
    "via le lien": 1, "lien suivant": 1, "following link": 1, "ici :": 1, "here :": 1,
}  # fmt: skip
# Asked for, they are phishing on their own; merged with the spam lexicon.
SPAM: Lexicon = {
    "vos coordonnées bancaires": 2, "votre rib": 2, "votre carte bancaire": 1.5,
    "your bank details": 2, "your card details": 1.5, "vos identifiants": 2,
    "your login details": 2,
    "photos privées": 1.5, "private photos": 1.5, "private pics": 1.5,
    "regarde mon profil": 2, "look at my profile": 2, "check my profile": 2,
    "confirmez votre identité": 1.5, "vérifiez votre identité": 1.5,
    "confirm your identity": 1.5, "verify your identity": 1.5,
    "héritage": 1, "inheritance": 1, "vous a légué": 2, "left you": 1, "millions": 0.5,
}  # fmt: skip

# A discount or a percentage: "-80%", "50% off", "100% fonctionnel".
PERCENT = re.compile(r"\d\s?%")


def offers(ev: Evidence, money: bool) -> None:
    """The fields together: a seller with an offer or a way to reach them; an offer
    with a link (more so with an arrow or a second offer); your thing threatened, with
    something to do or a link."""
    link = bool(ev.links)
    offered = ev.matches("offer")
    percent = PERCENT.search(ev.text)
    offer = bool(offered) or money or bool(percent)
    contact = bool(ev.matches("contact"))
    for m in ev.matches("seller"):
        if offer or contact:
            ev.spam.add(2, ev.quote(m.start, m.end))
            break
    if offer and link:
        ev.spam.add(1, ev.quote(offered[0].start, offered[0].end) if offered else ev.links[0])
        if contact or len(offered) + bool(percent) + money >= 2:
            ev.spam.score += 0.5
    threatened = ev.matches("your_thing")
    if threatened and ev.matches("threat"):
        ev.spam.add(1.5, ev.quote(threatened[0].start, threatened[0].end))
        if ev.matches("act") or link:
            ev.spam.add(1, ev.quote(ev.matches("threat")[0].start, ev.matches("threat")[0].end))
