"""Incidents told without an incident word: a thing or a person and its bad state in the
same sentence ("la grille du parking … reste fermée", "the platform lift has stopped",
"ma copine … arrive plus à marcher"), a smell that should not be there, money taken more
than once or for nothing; and whether the trouble is happening now or is told as past.

Written field by field — equipment and structures, their states, bodies, aggressions,
smells, money, time — not from the messages seen. Same conventions as ``lexicons.py``;
the pairs are read in ``evidence.py``.
"""

from __future__ import annotations

import re

from palabre.inbox.triage.lexicons import Lexicon

# Equipment, structures and services people rely on in a building, a park or online.
THING: Lexicon = {
    # French
    "ascenseur": 1, "monte-charge": 1, "manège": 1, "grande roue": 1, "attraction": 1,
    "tyrolienne": 1, "télésiège": 1, "téléphérique": 1, "ferris wheel": 1, "ride": 1,
    "roller coaster": 1, "zip wire": 1, "zipline": 1, "chairlift": 1, "cable car": 1,
    "escalator": 1, "escalier mécanique": 1,
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
    "désactivé*": 1, "piraté*": 1, "bouché*": 1, "en rade": 1, "s'ouvre pas": 1,
    "se rouvre plus": 1, "se rouvre pas": 1, "s'est emballé*": 1, "emballé*": 1,
    "out of control": 1, "runaway": 1,
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
    "crying alone": 1, "pleure tout seul": 1, "pleure toute seule": 1, "mal au ventre": 1,
    "mal à la poitrine": 1, "tordu": 1, "tordu la": 1, "foulé": 1,
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
    "shouting": 1, "screaming at": 1, "shouting at": 1, "threatening": 1, "harassing": 1,
    "touching": 1,
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
    "pourri": 1, "œuf pourri": 1, "rotten egg*": 1, "soufre": 1, "sulphur": 1, "égout": 1,
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
    "d'un autre": 1, "d'une autre": 1, "lecteur d'avant": 1, "client d'avant": 1,
    "personne d'avant": 1, "usager d'avant": 1, "previous customer": 1, "previous user": 1,
    "person before me": 1, "affiche en grand": 1,
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
    "rien n'est sorti": 1, "rien n'est tombé": 1, "nothing came out": 1, "pay again": 1,
    "or my money": 1, "ni mon argent": 1, "was full": 1, "était complet*": 1,
    "payer à nouveau": 1, "repayer": 1,
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
    "l'hiver dernier": 1, "l'automne dernier": 1, "le printemps dernier": 1,
    "last winter": 1, "last summer": 1, "last autumn": 1, "last spring": 1,
    "it took": 1, "ça a pris": 1, "c'était": 1, "ça a été": 1, "when i came": 1,
    "when i was there": 1, "when we were there": 1, "quand j'y suis allé*": 1,
}  # fmt: skip
# Something forgotten somewhere is still to be found, however long ago it was left ("j'ai
# oublié mon écharpe au vestiaire hier"); "perdu" is left out ("perdu mon après-midi").
FORGOTTEN: Lexicon = {
    "oublié mon": 1, "oublié ma": 1, "oublié mes": 1, "oublié notre": 1, "laissé mon": 1,
    "laissé ma": 1, "laissé mes": 1, "left my": 1, "left our": 1, "forgot my": 1,
    "forgotten my": 1, "dropped my": 1, "objets trouvés": 1, "lost property": 1,
}  # fmt: skip
# The French imperfect of a state: "l'ascenseur était en panne", "ne marchait pas".
IMPERFECT: Lexicon = {
    "était": 1, "étaient": 1, "marchait": 1, "marchaient": 1, "fonctionnait": 1,
    "fonctionnaient": 1, "wasn't": 1, "weren't": 1, "il y avait": 1, "y avait": 1,
    "avait": 1, "avaient": 1, "there was": 1, "there were": 1,
}  # fmt: skip
# A breakdown told in the imperfect (session 5): past, and a bad situation for a
# complaint ("le chauffage marchait pas, on a joué en manteau").
PAST_STATE: Lexicon = {
    "marchait pas": 1, "marchait plus": 1, "marchaient pas": 1, "fonctionnait pas": 1,
    "fonctionnait plus": 1, "fonctionnaient pas": 1, "était en panne": 1,
    "étaient en panne": 1, "avait planté": 1, "was out of order": 1,
}  # fmt: skip
# The English simple past of a breakdown: a bad situation, not yet a story told as past
# ("the heating didn't work at all, lovely"; "the machine didn't work and kept my card").
FAILED_STATE: Lexicon = {
    "didn't work": 1, "did not work": 1, "wasn't working": 1, "weren't working": 1,
}  # fmt: skip
# Idioms and words of another language that look like troubles (with lexicons.py's).
NOT_INCIDENT: Lexicon = {
    "on s'est cassé le nez": 1, "on s'est cassés le nez": 1, "cassé le nez devant": 1,
    "we sang": 1, "i sang": 1, "they sang": 1, "sang along": 1, "sang in": 1,
    "broken promise*": 1, "promesse* non tenue*": 1, "perdu dans les livres": 1,
    "perdu dans ses livres": 1, "perdue dans ses livres": 1, "perdu dans sa lecture": 1,
    "perdue dans sa lecture": 1, "perdu dans ses pensées": 1, "lost in a book": 1,
    "lost in thought": 1, "can't walk far": 1,
    "can't walk long": 1, "marcher longtemps": 1, "can't walk very far": 1,
}  # fmt: skip
# The English past of a state ("the machine was out of order", "the toilets were
# flooded"): only before a state, since "I was charged twice" or "my bag was stolen" are
# still to act on.
WAS: Lexicon = {"was": 1, "were": 1, "had been": 1}

# More of the fields of cues.py and fields.py, merged with them in evidence.py.
ONLINE: Lexicon = {
    "portail": 1, "portal": 1, "plateforme": 1, "platform": 1, "espace": 1, "espace client": 1,
    "compte": 1, "account": 1, "serveur": 1, "server": 1, "inscriptions": 1, "log in": 1,
    "login": 1, "connexion": 1, "se connecter": 1,
}  # fmt: skip
FAILS: Lexicon = {
    "500": 1, "502": 1, "503": 1, "504": 1, "404": 1, "arrive pas": 1, "n'arrive pas": 1,
    "arrive plus": 1, "can't": 1, "cannot": 1, "unable": 1, "won't let": 1,
}  # fmt: skip
OTHER_PERSON: Lexicon = {
    "another resident's": 1, "another user's": 1, "another member's": 1,
    "another patient's": 1, "another family's": 1, "another customer's": 1,
    "un autre usager": 1, "un autre habitant": 1, "un autre adhérent": 1, "d'un inconnu": 1,
    "other residents'": 1, "other users'": 1,
}  # fmt: skip
PERSONAL_INFO: Lexicon = {
    "avis d'imposition": 1, "impôts": 1, "tax": 1, "notice": 1, "document*": 1, "dossier": 1,
    "records": 1, "bill": 1, "statement": 1, "relevé": 1, "bulletin*": 1, "papiers": 1,
    "papers": 1, "photos": 1, "ordonnance": 1, "prescription": 1, "payslip": 1,
}  # fmt: skip
# A structure giving way (merged with BROKEN), and what gives way (merged with THING).
GIVING_WAY: Lexicon = {
    "cède": 1, "a cédé": 1, "cédé": 1, "lâche": 1, "a lâché": 1, "s'envole*": 1,
    "se soulève": 1, "se soulèvent": 1, "s'arrache": 1, "giving way": 1, "gave way": 1,
    "coming out": 1, "coming loose": 1, "coming down": 1, "lifting": 1, "blowing away": 1,
    "blown over": 1, "flooded": 1, "inondé*": 1, "sonne en continu": 1, "beeping": 1,
    "éteint": 1, "éteints": 1, "déborde*": 1, "overflowing": 1,
}  # fmt: skip
STRUCTURES: Lexicon = {
    "tente": 1, "chapiteau": 1, "barnum": 1, "structure": 1, "scène": 1, "gradins": 1,
    "stand": 1, "plancher": 1, "tent": 1, "marquee": 1, "gazebo": 1, "stage": 1,
    "bleachers": 1, "stands": 1, "pegs": 1, "piquets": 1, "feu tricolore": 1, "feux": 1,
    "traffic lights": 1, "robinet": 1, "tap": 1, "lavabo": 1, "sink": 1, "portique": 1,
    "verrou": 1, "lock": 1, "serrure": 1, "alarme": 1, "alarm": 1, "hand dryer": 1,
    "sèche-mains": 1,
}  # fmt: skip

# Happening now: a short wait still going on, a place the person is at, what is about to
# go wrong ("depuis 20 minutes", "we're in the car park", "mes enfants vont être en retard").
NOW: Lexicon = {
    "toujours pas là": 1, "n'est toujours pas": 1, "still not here": 1, "still hasn't": 1,
    "still isn't": 1, "still not": 1, "we're here": 1, "we are here": 1, "on est sur place": 1,
    "nous sommes sur place": 1, "we're in the car park": 1, "we're at the": 1,
    "on est à l'entrée": 1, "on est sur le parking": 1, "vont être en retard": 1,
    "va être en retard": 1, "on va rater": 1, "going to be late": 1, "gonna be late": 1,
    "going to miss": 1, "about to miss": 1, "been waiting": 1, "have been waiting": 1,
}  # fmt: skip
SPAM: Lexicon = {
    "tiré au sort": 1.5, "bon d'achat": 1, "confirmez ici": 2, "cliquez ici": 1.5,
    "vous avez été sélectionné*": 2, "vérifiez vos informations": 2, "va être désactivé": 1.5,
    "sera désactivé": 1.5, "will be disabled": 1.5, "will be deactivated": 1.5, "confirm here": 2,
    "claim here": 2, "click here": 1.5,
    "you have been selected": 2, "gagnant*": 1, "winner": 1,
}  # fmt: skip
SUGGESTION: Lexicon = {
    "rendrait service": 2, "ça rendrait": 1.5, "mettez": 1.5, "prévoyez": 1.5,
    "please put": 2, "could you put": 2, "pourriez-vous mettre": 2, "vous pourriez mettre": 2,
    "please install": 2, "please provide": 2, "please make": 1.5,
}  # fmt: skip
# Dangers in a public place, merged with the incident lexicons.
INCIDENT: Lexicon = {
    "sous l'eau": 1.5, "under water": 1.5, "underwater": 1.5, "seringue*": 2, "syringe*": 2,
    "needles": 1.5, "aiguilles": 1, "throwing chairs": 2, "jette des chaises": 2,
    "lance des chaises": 2, "haineu*": 1, "hateful": 1, "spray-painted": 1, "tagué*": 1,
    "rodéo*": 1.5, "rodeo*": 1.5, "haven't come back": 1.5, "hasn't come back": 1.5,
    "not come back": 1.5, "pas revenu*": 1.5, "pas réapparu*": 1.5, "gravats": 1.5, "debris": 1.5,
    "fallen tree": 2, "arbre en travers": 2,
}  # fmt: skip

# Soon: "dans 20 minutes", "in half an hour".
SOON = re.compile(
    r"\b(?:dans|in)\s+(?:\d+|une|deux|trois|quelques|a few|an?|half an)\s*"
    r"(?:min\w*|heures?|hours?|h)\b"
    r"|\b(?:là|la)\s*\?"  # "vous êtes encore ouverts là ?"
    # a short wait still going on, or something that just happened
    r"|\bdepuis\s+(?:\d+|une?|deux|trois|quelques|dix|vingt)\s*(?:min\w*|heures?|h|"
    r"demi-heure|quart d'heure)\b"
    r"|\bil y a\s+(?:\d+|une|deux|cinq|dix|quelques)\s*min\w*"
    r"|\b(?:on est|nous sommes)\s+(?:\d+|une dizaine|une vingtaine|plusieurs|nombreux)\s+à "
    r"(?:attendre|patienter)\b"
    r"|\b(?:ça|ca|cela) fait\s+(?:\d+|une|deux|trois|dix|vingt)\s*(?:demi-heure|min\w*|"
    r"heures?|h)\s+qu"
    r"|\b(?:\d+|a few|five|ten)\s*min\w*\s+ago\b",
    re.IGNORECASE,
)

# A breakdown that comes back, told with a grievance (evidence.py): "la borne refuse ma
# carte à chaque fois, c'est pénible" is a complaint; "an error every time" alone is not.
RECURRING = re.compile(
    r"\b(?:à chaque fois|a chaque fois|chaque fois|every time|each time|tout le temps|"
    r"systématiquement|all the time|déjà signalé|already reported|"
    r"(?:\d+|deux|trois|quatre|plusieurs|dix) fois que|"
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|(?:deuxième|troisième|énième) fois)\b",
    re.IGNORECASE,
)

# A breakdown that has lasted weeks is a grievance, not an emergency ("trois mois que le
# lampadaire est éteint", "broken for weeks"); not so for a person in trouble.
CHRONIC = re.compile(
    r"\b(?:depuis|ça fait|ca fait|cela fait|for|over)\s+(?:\d+|deux|trois|quatre|cinq|six|"
    r"plusieurs|des|several|many|two|three|four|five|six)\s+(?:semaines|mois|ans|weeks|"
    r"months|years)\b"
    r"|\b(?:\d+|deux|trois|quatre|cinq|six|plusieurs)\s+(?:semaines|mois|ans)\s+qu"
    r"|\b(?:all|tout l')\s*(?:winter|summer|year|hiver|été|année)\b"
    r"|\b(?:\d+|two|three|four|five|six|deux|trois|quatre|cinq|six)\s+(?:weeks|months|"
    r"semaines|mois)\s+(?:after|later|après|plus tard)\b"
    r"|\b(?:\d+|two|three|four|five|six|deux|trois|quatre|cinq|six)\s+(?:weeks|months|"
    r"semaines|mois)\s+(?:sans|without)\b"
    r"|\b(?:that's|that is|it's been|ça fait|cela fait)\s+(?:\d+|two|three|four|five|six|"
    r"deux|trois|quatre|cinq|six)\s+(?:weeks|months|semaines|mois)\b",
    re.IGNORECASE,
)
