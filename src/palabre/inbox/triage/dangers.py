"""Incidents told without an incident word: a thing or a person and its bad state in the
same sentence ("la grille du parking … reste fermée", "the platform lift has stopped",
"ma copine … arrive plus à marcher"), a smell that should not be there, money taken more
than once or for nothing; and whether the trouble is happening now or is told as past.

Written field by field — equipment and structures, their states, bodies, aggressions,
smells, money, time — not from the messages seen. Same conventions as ``lexicons.py``;
the pairs are read in ``evidence.py``.
"""

from __future__ import annotations

from palabre.inbox.triage.lexicons import Lexicon

# Equipment, structures and services people rely on in a building, a park or online.
THING: Lexicon = {
    # French
    "ascenseur": 1, "monte-charge": 1, "escalator": 1, "escalier mécanique": 1,
    "plateforme": 1, "porte": 1, "portes": 1, "portail": 1, "grille": 1, "barrière": 1,
    "tourniquet": 1, "portique": 1, "distributeur": 1, "machine": 1, "terminal": 1,
    "lecteur": 1, "borne": 1, "caisse": 1, "tpe": 1, "chauffage": 1, "radiateur*": 1,
    "chaudière": 1, "clim": 1, "climatisation": 1, "ventilation": 1, "toilettes": 1,
    "douche*": 1, "lumière*": 1, "éclairage": 1, "lampadaire*": 1, "courant": 1,
    "électricité": 1, "prise": 1, "câble*": 1, "fils": 1, "branche": 1, "arbre": 1,
    "rambarde": 1, "main courante": 1, "garde-corps": 1, "balustrade": 1,
    "vitre": 1, "verrière": 1, "plafond": 1, "faux plafond": 1, "toit": 1, "toiture": 1,
    "mur": 1, "plancher": 1, "passerelle": 1, "ponton": 1, "statue": 1,
    "panneau": 1, "échafaudage": 1, "poteau": 1, "jeux": 1, "toboggan": 1, "balançoire": 1,
    "site": 1, "appli*": 1, "billetterie": 1, "paiement": 1, "lien": 1, "qr code*": 1,
    "badge": 1, "carte": 1, "compte": 1, "serveur": 1,
    # English
    "lift": 1, "elevator": 1, "platform lift": 1, "door": 1, "doors": 1, "gate": 1,
    "gates": 1, "barrier": 1, "turnstile": 1, "card reader": 1, "reader": 1,
    "heating": 1, "heater": 1, "radiator": 1, "boiler": 1,
    "air con": 1, "toilet": 1, "toilets": 1, "shower*": 1, "lights": 1, "lighting": 1,
    "socket": 1, "cable*": 1, "wire*": 1, "branch": 1, "tree": 1, "railing*": 1,
    "handrail": 1, "banister": 1, "balcony": 1, "glass": 1, "panel": 1, "window": 1,
    "ceiling": 1, "roof": 1, "wall": 1, "floorboard*": 1, "walkway": 1, "bridge": 1,
    "sign": 1, "scaffolding": 1, "pole": 1, "slide": 1, "swing": 1,
    "website": 1, "app": 1, "checkout": 1, "payment": 1, "link": 1,
    "scanner*": 1, "card": 1, "account": 1, "server": 1,
}  # fmt: skip

# The state of such a thing that someone must deal with now.
BROKEN: Lexicon = {
    # French
    "ne s'ouvre plus": 1, "ne s'ouvre pas": 1, "s'ouvre plus": 1, "reste fermé*": 1,
    "reste bloqué*": 1, "ne marche plus": 1, "ne marche pas": 1, "marche plus": 1,
    "ne fonctionne plus": 1, "ne fonctionne pas": 1, "fonctionne plus": 1, "en panne": 1,
    "bloqué*": 1, "coincé*": 1, "cassé*": 1, "arrêté*": 1, "s'est arrêté*": 1,
    "pend": 1, "pendent": 1, "pendouille*": 1, "craque": 1, "craquent": 1, "boug*": 1,
    "branlant*": 1, "détaché*": 1, "décroché*": 1, "descellé*": 1, "penche": 1,
    "brûlant*": 1, "surchauffe": 1, "fume": 1, "fumée": 1, "clignote*": 1,
    "grésille": 1, "fuit": 1, "coule": 1, "goutte": 1, "sort du": 1,
    "éclaté*": 1, "fissuré*": 1, "fêlé*": 1, "brisé*": 1, "tombé*": 1, "plié*": 1,
    "a gardé": 1, "garde ma": 1, "avalé*": 1, "refus*": 1, "échoué*": 1, "erreur*": 1,
    "plante": 1, "bug*": 1, "inaccessible*": 1, "indisponible*": 1, "hors service": 1,
    "désactivé*": 1, "piraté*": 1,
    # English
    "won't open": 1, "won't close": 1, "stays shut": 1, "stopped": 1, "has stopped": 1,
    "stuck": 1, "jammed": 1, "broken": 1, "broke": 1, "not working": 1, "isn't working": 1,
    "aren't working": 1, "not scanning": 1, "aren't scanning": 1, "isn't scanning": 1,
    "won't scan": 1, "failed": 1, "failing": 1, "fails": 1, "error": 1, "crashed": 1,
    "down": 1, "unavailable": 1, "out of order": 1, "hanging": 1, "dangling": 1,
    "loose": 1, "came away": 1, "come away": 1, "come off": 1, "came off": 1, "wobbl*": 1,
    "leaning": 1, "cracked": 1, "cracking": 1, "shattered": 1, "smashed": 1, "snapped": 1,
    "collapsed": 1, "red hot": 1, "overheating": 1, "smoking": 1, "sparking": 1,
    "flickering": 1, "grinding": 1, "jolted": 1, "shaking": 1, "leaking": 1,
    "dripping": 1, "swallowed": 1, "kept my": 1, "declined": 1, "hacked": 1,
    "someone got into": 1, "got into my": 1,
}  # fmt: skip

# He or she, right before a body in trouble ("il a mal au ventre").
PRONOUN: Lexicon = {"il": 1, "elle": 1, "he": 1, "she": 1, "he's": 1, "she's": 1}

# A body in trouble: with a person or a child close by, an incident.
HURT: Lexicon = {
    "mal au ventre": 1, "mal à la poitrine": 1, "tordu": 1, "tordu la": 1, "foulé": 1,
    "arrive plus à marcher": 1, "peut plus marcher": 1,
    "tout seul": 1, "toute seule": 1, "sans ses parents": 1, "sans parents": 1, "tousse*": 1,
    "halète": 1, "ouvert la": 1,
    "échappé": 1, "ne la vois plus": 1, "ne le vois plus": 1, "partie avec": 1,
    "parti avec": 1, "faint": 1, "feels faint": 1,
    "can't stand": 1, "can't walk": 1, "cannot walk": 1, "twisted": 1,
    "no parent": 1, "no parents": 1, "coughing": 1, "wheezing": 1, "climbed over": 1,
    "climbing": 1, "escalad*": 1, "grimpe*": 1, "wandering": 1, "gone wandering": 1,
    "with her on it": 1,
    "with him on it": 1, "stuck": 1, "still inside": 1,
}  # fmt: skip

# Someone harming or frightening others: with a person or a child close by, an incident.
AGGRESSION: Lexicon = {
    "s'en prend*": 1, "s'en prennent": 1, "bouscul*": 1, "insult*": 1, "frapp*": 1,
    "siffle*": 1, "filme*": 1, "hurle*": 1, "menace*": 1, "harcèle*": 1, "racket*": 1,
    "tripote*": 1,
    "filming": 1, "following my": 1, "following our": 1, "following us": 1, "pushing": 1,
    "shoving": 1, "hitting": 1,
    "screaming at": 1, "shouting at": 1, "threatening": 1, "harassing": 1, "touching": 1,
    "picking on": 1, "bullying": 1,
}  # fmt: skip

# A smell, a sound or a sight that should not be there…
SENSE: Lexicon = {
    "odeur*": 1, "ça sent": 1, "sent le": 1, "sent la": 1, "smell*": 1, "stench": 1,
    "fumes": 1,
}  # fmt: skip
# … of this kind.
ODD: Lexicon = {
    "bizarre": 1, "chimique": 1, "chaud": 1, "brûlé": 1, "brulé": 1, "plastique": 1,
    "gaz": 1, "essence": 1, "fumée": 1, "électrique": 1, "cramé": 1, "toussent": 1,
    "strange": 1, "weird": 1, "chemical": 1, "hot": 1, "burning": 1, "burnt": 1,
    "plastic": 1, "gas": 1, "petrol": 1, "smoke": 1, "electrical": 1, "coughing": 1,
    "explosion": 1,
}  # fmt: skip

# Someone else's data, or everyone's: with personal details close by, a data leak.
EVERYONE: Lexicon = {
    "tous les adhérents": 1, "tous les abonnés": 1, "tous les membres": 1,
    "tous les participants": 1, "tous les inscrits": 1, "en copie visible": 1,
    "en copie": 1, "all members": 1, "all the members": 1, "everyone's": 1,
    "all subscribers": 1, "other users": 1, "in cc": 1, "cc'd": 1, "someone else's": 1,
    "d'un autre": 1, "d'une autre": 1,
}  # fmt: skip

# Money taken more than it should be…
TAKEN: Lexicon = {
    "facturé*": 1, "charged": 1, "charged me": 1, "billed": 1, "débité*": 1, "prélevé*": 1,
    "took": 1, "taken": 1, "pris": 1, "paiements": 1, "payments": 1, "argent": 1,
    "money": 1, "payé": 1, "paid": 1, "a gardé": 1, "kept": 1, "debited": 1,
}  # fmt: skip
# … for more than was bought, or for nothing.
TOO_MUCH: Lexicon = {
    "au lieu d'un": 1, "au lieu d'une": 1, "instead of one": 1, "un seul": 1, "une seule": 1,
    "only one": 1, "just one": 1,
    "apparaissent": 1, "show up on": 1, "sans me donner": 1, "without giving": 1,
    "transaction failed": 1, "payment failed": 1, "échoué": 1, "rien reçu": 1,
    "pay again": 1, "payer à nouveau": 1, "repayer": 1,
    "2 abonnements": 1, "deux abonnements": 1, "three passes": 1, "two passes": 1,
}  # fmt: skip

# Told as past: the trouble is a grievance, no longer something to act on now
# ("l'ascenseur était en panne la semaine dernière" is a complaint).
PAST: Lexicon = {
    "hier": 1, "avant-hier": 1, "la semaine dernière": 1, "le mois dernier": 1,
    "l'an dernier": 1, "l'année dernière": 1, "l'autre jour": 1, "l'été dernier": 1,
    "samedi dernier": 1, "dimanche dernier": 1, "le week-end dernier": 1,
    "lors de notre visite": 1, "lors de ma visite": 1, "quand on est venu*": 1,
    "quand nous sommes venus": 1, "il y a deux semaines": 1, "il y a un mois": 1,
    "il y a quelques jours": 1, "yesterday": 1, "last week": 1, "last month": 1,
    "last year": 1, "last time": 1, "last weekend": 1, "last saturday": 1,
    "last sunday": 1, "the other day": 1, "when we visited": 1, "when we came": 1,
    "when i visited": 1, "during our visit": 1, "a few days ago": 1, "weeks ago": 1,
    "it took": 1, "ça a pris": 1,
}  # fmt: skip
# The French imperfect of a state: "l'ascenseur était en panne", "ne marchait pas".
IMPERFECT: Lexicon = {
    "était": 1, "étaient": 1, "marchait": 1, "marchaient": 1, "fonctionnait": 1,
    "fonctionnaient": 1, "wasn't": 1, "weren't": 1,
}  # fmt: skip
