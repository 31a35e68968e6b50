"""More of what triage looks for: when a message is about (urgency), what makes it
important, spam and suggestions, and pairs of words that report an incident together.
Same conventions as ``lexicons.py``.
"""

from __future__ import annotations

from palabre.inbox.triage.lexicons import Lexicon

# When: makes a question or a complaint urgent.
TIME: dict[str, str] = {
    "aujourd'hui": "today", "ce jour": "today", "today": "today", "ce midi": "today",
    "cet après-midi": "today", "cet aprem": "today", "this afternoon": "today",
    "ce soir": "tonight", "cette nuit": "tonight", "tonight": "tonight",
    "this evening": "tonight", "tonight's": "tonight",
    "maintenant": "now", "en ce moment": "now", "tout de suite": "now", "right now": "now",
    "immédiatement": "now", "là maintenant": "now", "asap": "now", "now": "now",
    "at the moment": "now", "vite": "now", "urgent": "now", "urgence": "now",
    "demain": "tomorrow", "tomorrow": "tomorrow", "tomorrow's": "tomorrow",
    "on est devant": "now", "we're outside": "now", "we are outside": "now",
    "running late": "now", "tout à l'heure": "today", "later today": "today",
    "à l'instant": "now", "just now": "now", "en ce moment même": "now",
    "ce matin": "today", "this morning": "today", "cette aprèm": "today",
    "auj": "today", "ajd": "today", "2day": "today",
    "mtn": "now", "tt de suite": "now", "actuellement": "now", "currently": "now",
    "on est toujours": "now", "nous sommes toujours": "now", "we're still": "now",
    "we are still": "now", "still inside": "now", "still stuck": "now",
    "toujours bloqué*": "now", "toujours coincé*": "now", "encore dedans": "now",
    "toujours dedans": "now", "2nite": "tonight", "2moro": "tomorrow", "dem1": "tomorrow",
    # "vite" says now, not "trop vite" (too fast)
    "trop vite": "not_time", "tellement vite": "not_time", "très vite": "not_time",
    "plus vite": "not_time", "vite fait": "not_time",
    "on est toujours aussi": "not_time", "toujours aussi": "not_time",
    "we're stood outside": "now", "we're standing outside": "now", "standing outside": "now",
    "on attend dehors": "now", "on poireaute dehors": "now",
    # a consequence told after a past trouble, not a trouble now ("le site a planté hier,
    # et maintenant c'est complet")
    "et maintenant": "not_time", "and now": "not_time", "du coup maintenant": "not_time",
    # what just happened to the writer
    "je viens de me": "now", "on vient de se": "now", "je viens d'être": "now",
    "on vient d'être": "now", "nous venons d'être": "now", "on vient de nous": "now",
    "i've just been": "now", "we've just been": "now", "just been told": "now",
    # session 6, from train25 (the day said as people say it)
    "this arvo": "today", "arvo": "today", "tonite": "tonight", "tonite's": "tonight",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tantôt": "today", "d'ici ce soir": "tonight",
    "d'ici midi": "today", "on atterrit": "today", "we land at": "today",
    "on est sur la route": "now", "on est en route": "now", "we're on the road": "now",
    "on the motorway": "now", "on the highway": "now", "je suis sur place à": "now",
    "on est sur place": "now", "nous sommes sur place": "now", "i'm at the": "now",
    "we're at the": "now", "standing at the": "now", "still waiting at": "now",
    "still waiting in the": "now",
    "queue since": "now", "waiting since": "now", "vient de nous": "now",
    "vient de me": "now", "je suis dans le hall": "now", "je suis dans le lobby": "now",
}  # fmt: skip

SUGGESTION: Lexicon = {
    "ce serait bien": 2, "ce serait génial": 2, "ce serait top": 2, "ce serait chouette": 2,
    "ça serait": 2, "ca serait": 2, "ce serait": 1.5, "vous devriez": 2, "il faudrait": 2,
    "pourquoi ne pas": 2, "pourquoi pas": 2, "suggestion": 2, "je suggère": 2,
    "idée :": 2, "je propose": 2, "vous pourriez": 1.5, "pensez à": 2, "et si vous": 2,
    "ce qui manque": 2, "il manque": 1.5, "ajoutez": 1.5, "proposez": 1,
    "you should": 2, "it would be nice": 2, "it would be great": 2, "would be nice": 2,
    "would be great": 2, "why not": 2, "have you considered": 2, "would love to see": 2,
    "maybe add": 2, "idea :": 2, "please consider": 2, "could you add": 2, "i suggest": 2,
    "how about": 1.5, "you could": 1.5, "it'd be great": 2, "please add": 2,
    # more French
    "ça vaudrait le coup": 2, "vaudrait le coup": 2, "j'aimerais bien qu": 2,
    "j'aimerais qu": 2, "qu'il y ait": 1.5, "il serait bien": 2, "il serait utile": 2,
    "ce serait utile": 2, "ce serait pratique": 2, "ce serait sympa": 2,
    "ce serait cool": 2, "installez": 1.5, "je rêve d": 1.5,
    "je rêve de": 1.5, "un plus": 1, "n'hésitez pas à": 1, "ramenez": 1.5,
    # more English
    "you guys should": 2, "someone should": 2, "they should": 1.5, "should": 1,
    "would be amazing": 2, "would be cool": 2, "would be awesome": 2,
    "would be lovely": 2, "would be helpful": 2, "would be good": 2, "it'd be": 1.5,
    "have you thought about": 2, "have you thought of": 2, "one idea": 2,
    "an idea": 1.5, "could use": 1.5, "needs more": 1.5, "need more": 1.5,
    "i wish": 1.5, "wish you": 2, "feature request": 2, "what about": 1.5,
    "love to see": 2, "bring back": 2,
    "proposition :": 2, "serait top": 2, "serait génial": 2, "serait bien": 2,
    "serait utile": 2, "faudrait": 1.5, "please think about": 2, "would help": 2,
    "it'd help": 2, "it would help": 2, "would make": 1, "aiderait": 2,
}  # fmt: skip

SPAM: Lexicon = {
    "crypto*": 1.5, "bitcoin*": 1.5, "btc": 1.5, "eth": 1.5, "nft*": 1.5, "token": 1,
    "presale": 2, "forex": 2, "casino": 2, "free spins": 2, "giveaway": 1.5,
    "followers": 1, "abonnés": 0.5, "likes": 0.5, "engagement": 1,
    "gagnez": 1.5, "earn": 1.5, "devenez riche": 2, "get rich": 2, "rendement": 1.5,
    "guaranteed": 1.5, "garanti*": 1, "investissez": 1.5, "invest": 1.5,
    "dm me": 1.5, "contactez moi": 1, "contactez-moi": 1, "link in bio": 2, "voir bio": 2,
    "check my": 1.5, "check out my": 1.5, "my profile": 1, "hot singles": 3,
    "get verified": 2, "sera suspendu": 2, "will be suspended": 2, "vérifiez vos infos": 2,
    "verify your account": 2, "cheap": 1, "pas cher": 1, "prix imbattables": 2,
    "promo": 1, "achetez": 1, "buy": 0.5, "boost*": 1.5, "free iphone": 3,
    "click": 1, "cliquez": 1, "luxe": 0.5, "luxury": 0.5, "formation offerte": 1.5,
    "10x": 1.5, "to the moon": 2, "🚀": 1, "$": 0.5, "💰": 1, "🤑": 1.5, "💸": 1,
    "influenceu*": 1.5, "influencer*": 1.5, "lien en bio": 2, "je vends": 1.5,
    "vends": 1, "prix cassés": 1.5, "écrivez-moi": 1, "écrivez moi": 1,
    "vous avez gagné": 2, "you have won": 2, "you've won": 2, "réclamez": 1.5,
    "claim": 1.5, "airdrop": 2, "wallet": 1.5, "from home": 1, "par jour": 1,
    "per day": 1, "no experience": 1.5, "méthode secrète": 2, "passive income": 2,
    "revenu passif": 2, "make money": 2, "gagner de l'argent": 2, "argent facile": 2,
    "easy money": 2, "onlyfans": 2, "sexy": 1.5, "code promo": 1.5, "promo code": 1.5,
    "offre limitée": 1.5, "limited offer": 1.5, "grow your account": 2, "organically": 1,
    "dm for": 1.5, "whatsapp": 1.5, "telegram": 1.5, "iphone": 1, "👉": 0.5,
    "travaillez depuis chez vous": 2, "depuis chez vous": 1, "work from home": 2,
    "par mois": 1, "en mp": 1, "en dm": 1, "voir mon profil": 2, "mon profil": 1.5,
    "photos exclusives": 2, "exclusive content": 2, "contenu exclusif": 2,
    "dernière chance": 1.5, "last chance": 1.5, "soldes": 0.5, "investment": 1.5,
    "profits": 1.5, "daily profits": 2, "hey dear": 1.5, "we sell": 1.5, "more reach": 1.5,
    "flagged": 1.5, "violation": 1.5, "appeal here": 2, "account has been": 1.5,
    "suspended": 1.5, "check our page": 1.5, "real followers": 2,
}  # fmt: skip

# What makes a message important (reason codes in reasons.py).
REFUND: Lexicon = {
    "rembours*": 1, "refund*": 1, "money back": 1, "débité*": 1, "prélevé*": 1,
    "prélève": 1, "charged": 1, "took my money": 1, "payé deux fois": 1,
    "reverse the charge": 1, "chargeback": 1,
}  # fmt: skip
LEGAL: Lexicon = {
    "porter plainte": 1, "plainte": 1, "avocat": 1, "lawyer": 1, "solicitor": 1,
    "tribunal": 1, "justice": 1, "médiateur": 1, "sue": 1, "legal action": 1,
    "écrire au maire": 1, "défenseur des droits": 1, "trading standards": 1,
    "ombudsman": 1, "discrimin*": 1, "racis*": 1,
    "alerter la presse": 1, "alert the press": 1, "go to the press": 1,
    "prévenir les médias": 1, "contacter les médias": 1,
    "taking this further": 1, "take this further": 1, "saisir la justice": 1,
}  # fmt: skip
PRESS: Lexicon = {
    "journaliste": 1, "journalist": 1, "reporter": 1, "la presse": 1, "de presse": 1,
    "in the press": 1, "press office": 1,
    "press enquiries": 1, "rédaction": 1, "newsroom": 1, "interview*": 1,
    "reportage": 1, "tournage": 1, "magazine": 1, "documentaire": 1,
    "documentary": 1, "pour un article": 1, "for an article": 1, "for a story": 1,
}  # fmt: skip
DATA: Lexicon = {
    "données personnelles": 1, "mes données": 1, "données": 1, "rgpd": 1, "gdpr": 1,
    "personal data": 1, "data leak": 1, "data breach": 1, "fuite de données": 1,
    "someone else's": 1,
}  # fmt: skip

# Pairs of words that together report an incident when written close to each other
# ("perdu notre fille", "water pouring through the ceiling", "débité deux fois", "la
# facture d'un autre client avec son adresse"); apart, each is harmless.
CHILD: Lexicon = {
    "enfant*": 1, "fils": 1, "fille": 1, "fillette": 1, "garçon*": 1, "bébé": 1,
    "gamin*": 1, "petit": 1, "petite": 1, "child": 1, "children": 1, "kid": 1, "kids": 1,
    "son": 1, "daughter": 1, "boy": 1, "girl": 1, "toddler": 1, "baby": 1, "grand-mère": 1,
    "grand-père": 1, "mère": 1, "père": 1, "mum": 1, "mom": 1, "dad": 1,
}  # fmt: skip
LOST: Lexicon = {
    "perdu*": 1, "disparu*": 1, "introuvable*": 1, "égaré*": 1, "lost": 1, "missing": 1,
    "wandered": 1, "can't find": 1, "cannot find": 1, "ne retrouve": 1, "retrouve plus": 1,
    "séparé*": 1, "separated": 1, "ne trouve plus": 1, "plus trouver": 1, "lost sight": 1,
}  # fmt: skip
WATER: Lexicon = {
    "eau": 1, "rivière": 1, "fleuve": 1, "plafond": 1, "canalisation*": 1, "water": 1,
    "river": 1, "ceiling": 1, "pipe": 1, "toilettes": 1, "toilets": 1,
    "égout*": 1, "sewer*": 1, "sewage": 1, "drain": 1, "drains": 1, "bouche d'égout": 1,
    "évier": 1, "lavabo": 1, "douche": 1, "sink": 1, "shower": 1,
}  # fmt: skip
FLOW: Lexicon = {
    "déborde*": 1, "coule": 1, "coulent": 1, "monte": 1, "fuit": 1, "goutte*": 1,
    "pouring": 1, "leaking": 1, "dripping": 1, "coming through": 1, "rising": 1,
    "overflowing": 1, "burst": 1, "inonde*": 1,
    "rentre": 1, "entre dans": 1, "flooding": 1, "remonte*": 1, "bubbling": 1,
    "backing up": 1, "gushing": 1, "spilling": 1, "jaillit": 1, "refoule*": 1,
}  # fmt: skip
PAYMENT: Lexicon = {
    "débité*": 1, "prélevé*": 1, "facturé*": 1, "payé": 1, "pris": 1, "charged": 1,
    "billed": 1, "paid": 1, "taken": 1, "payment": 1, "paiement": 1,
}  # fmt: skip
MULTIPLE: Lexicon = {
    "deux fois": 1, "2 fois": 1, "trois fois": 1, "3 fois": 1, "en double": 1, "twice": 1,
    "three times": 1, "double": 1, "x2": 1, "multiple times": 1,
}  # fmt: skip
OTHER_PERSON: Lexicon = {
    "autre client": 1, "autres clients": 1, "autre personne": 1, "autres personnes": 1,
    "another customer": 1, "other customers": 1, "someone else's": 1, "other people's": 1,
    "another visitor": 1, "another person's": 1, "inconnu*": 1, "stranger's": 1, "autre famille": 1,
    "autres familles": 1, "other members": 1, "other members'": 1, "other families": 1,
}  # fmt: skip
PERSONAL_INFO: Lexicon = {
    "adresse": 1, "téléphone": 1, "numéro": 1, "mail": 1, "email": 1, "données": 1,
    "address": 1, "phone": 1, "details": 1, "nom": 1, "name": 1, "carte bancaire": 1,
    "card": 1, "booking": 1, "réservation": 1, "facture": 1, "invoice": 1,
    "coordonnées": 1, "addresses": 1, "adresses": 1,
}  # fmt: skip
