"""The words and phrases triage looks for, French and English, with their weights.

Written as people type them (accents, apostrophes); they are normalised like the
messages when compiled. A trailing ``*`` matches any ending ("déçu*": déçu, déçue,
déçus). Weights: 1 is a clear cue, 0.5 a hint, 2 a cue that decides on its own.
These are general vocabularies of what people write to a museum, a town or a company,
not sentences of the evaluation set.
"""

from __future__ import annotations

Lexicon = dict[str, float]


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


POSITIVE: Lexicon = {
    # French
    "merci": 1, "mercii": 1, "bravo": 1.5, "super": 1, "superbe*": 1.5, "génial*": 1.5,
    "adoré*": 1.5, "adore": 1.5, "magnifique*": 1.5, "top": 1, "sympa*": 1,
    "chaleureu*": 1, "belle*": 1, "beau": 1, "passionnant*": 1.5, "félicitations": 1.5,
    "excellent*": 1.5, "parfait*": 1.5, "sublime*": 1.5, "plaisir": 1, "recommande": 1.5,
    "découverte": 0.5, "merveilleu*": 1.5, "formidable*": 1.5, "incroyable*": 1,
    "trop bien": 1.5, "au top": 1.5, "content*": 1, "ravi*": 1.5, "bien": 0.5,
    "valait le coup": 1.5, "vaut le coup": 1.5, "à refaire": 1, "on reviendra": 1.5,
    "chouette": 1, "bon": 0.5, "bonne": 0.5, "agréable*": 1, "impressionn*": 1,
    # English
    "thanks": 1, "thank": 1, "thx": 1, "great": 1, "amazing": 1.5, "love": 1,
    "loved": 1.5, "lovely": 1.5, "wonderful": 1.5, "beautiful": 1.5, "brilliant": 1.5,
    "awesome": 1.5, "excellent": 1.5, "fantastic": 1.5, "perfect": 1, "nice": 1,
    "good": 0.5, "best": 1, "enjoyed": 1.5, "recommend": 1.5, "well done": 1.5,
    "helpful": 1, "impressed": 1, "worth": 1, "can't wait": 1, "great job": 1.5,
    "gorgeous": 1.5, "superb": 1.5, "kudos": 1.5, "delightful": 1.5, "stunning": 1.5,
    "happy": 0.5, "cool": 1, "fun": 1, "vibe": 0.5,
    # emoji
    "😍": 1.5, "❤": 1.5, "💕": 1.5, "💖": 1.5, "💙": 1.5, "🥰": 1.5, "😊": 1, "👍": 1,
    "🎉": 1, "👏": 1, "🙏": 1, "✨": 0.5, "🤩": 1.5, "😀": 1, "😃": 1, "😁": 1, "♥": 1.5,
    "💯": 1, "🔥": 0.5, "🌟": 1, "⭐": 1,
}  # fmt: skip

NEGATIVE: Lexicon = {
    # French
    "déçu*": 1.5, "decu*": 1.5, "décevant*": 1.5, "deception": 1.5, "déception": 1.5,
    "nul": 1.5, "nulle": 1.5, "honte": 1.5, "honteu*": 1.5, "scandale": 1.5,
    "scandaleu*": 1.5, "inadmissible": 2, "inacceptable": 2, "lamentable": 2,
    "désagréable*": 1.5, "impoli*": 1.5, "agressi*": 1, "sale": 1, "sales": 1,
    "cher": 0.5, "chère": 0.5, "hors de prix": 1.5, "du vol": 1.5, "arnaque": 2,
    "n'importe quoi": 1.5, "ras le bol": 2, "marre": 1.5, "bof": 1, "ennuy*": 1,
    "froid": 0.5, "mal": 1, "mauvais*": 1.5, "horrible*": 1.5, "catastroph*": 1.5,
    "pire": 1.5, "faux": 1, "fausse*": 1, "impossible": 1, "aucune réponse": 1.5,
    "personne ne répond": 1.5, "personne pour": 1, "sans prévenir": 1.5, "pas un": 0.5,
    "jamais plus": 1.5, "plus jamais": 1.5, "pas terrible": 1.5, "pas top": 1.5,
    "trop de monde": 1, "dommage": 1, "regrette": 1, "énerv*": 1.5, "furieu*": 1.5,
    "colère": 1.5, "insupportable*": 1.5, "inutile*": 1, "incompéten*": 1.5,
    "toujours pas": 1, "débordent": 1, "pourri": 1.5, "pourrie": 1.5, "pourris": 1.5,
    "dégoût*": 1.5, "dégueu*": 1.5,
    "mal reçu*": 1.5, "pas de réponse": 1.5, "on étouffe": 1, "trop cher": 1.5,
    "pour rien": 1, "pas normal": 1.5, "attendre autant": 1,
    # English
    "disappointed": 1.5, "disappointing": 1.5, "dissapointed": 1.5, "disapointed": 1.5,
    "terrible": 1.5, "awful": 1.5, "horrible": 1.5, "rude": 1.5, "worst": 1.5,
    "unacceptable": 2, "ridiculous": 1.5, "joke": 1, "disgusting": 1.5, "filthy": 1.5,
    "dirty": 1, "overpriced": 1.5, "expensive": 0.5, "bad": 1, "poor": 1, "shame": 1,
    "disgrace": 1.5, "annoyed": 1.5, "angry": 1.5, "furious": 1.5, "useless": 1.5,
    "waste": 1.5, "never coming back": 2, "no one told": 1.5,
    "nobody answers": 1.5, "nobody told": 1.5, "never picks up": 1.5, "scam": 2,
    "complaint": 1, "fed up": 2, "boring": 1, "mess": 1, "nothing in stock": 1,
    "cold": 0.5, "lost": 0.5, "no signs": 1, "still waiting": 1,
    # emoji
    "😡": 1.5, "🤬": 2, "😠": 1.5, "👎": 1.5, "😤": 1, "😞": 1, "😢": 1, "😭": 1,
    "🙄": 1, "💩": 1.5, "😒": 1,
}  # fmt: skip

# Situations that are bad news whatever words surround them: a positive word beside them
# is sarcasm ("Super, encore fermé un dimanche 👏", "Great, another 2-hour queue").
SITUATION: Lexicon = {
    "fermé*": 1, "ferme": 1, "closed": 1, "porte close": 1.5, "locked": 1,
    "queue": 1, "attente": 1, "attend*": 0.5, "waiting": 1, "wait": 0.5, "annul*": 1,
    "cancel*": 1, "retard*": 1, "delay*": 1, "grève": 0.5, "strike": 0.5, "complet": 0.5,
    "fully booked": 0.5, "supprimé*": 1, "removed": 1, "payante": 0.5, "en travaux": 1,
    "travaux": 0.5, "heure de route": 1, "hour queue": 1, "1h": 0.5, "2h": 0.5,
    "dernière minute": 1, "last minute": 1,
    "une heure": 1, "des heures": 1, "an hour": 1, "hours": 0.5, "for ages": 1,
}  # fmt: skip

# Repetition marks a recurring annoyance and turns praise words around.
AGAIN: Lexicon = {"encore": 1, "again": 1, "another": 1, "toujours": 0.5, "une fois de plus": 1}

# Said to hurt, whatever else the message says. (Praise beside a bad situation is found
# by the rule, not listed: "love it" is sarcasm only next to a queue or a closed door.)
SARCASM: Lexicon = {
    "merci pour rien": 2, "merci du cadeau": 2, "thanks for nothing": 2, "🙃": 1.5,
    "c'est du propre": 2, "bien joué les gars": 1.5, "thanks a bunch": 1.5,
}  # fmt: skip

NEGATORS = words("pas jamais plus rien aucun aucune ni sans not never no nor without hardly")
# What ends a negation's scope.
SCOPE_BREAKS = words(". , ; : ! ? mais but et and car because")
NEGATION_SCOPE = 3

# Someone is hurt, in danger, or something must be fixed now.
INCIDENT: Lexicon = {
    # French
    "tombé*": 1.5, "tombe": 1, "chute": 1.5, "blessé*": 2, "saigne*": 2, "malaise": 2,
    "évanoui*": 2, "secours": 2, "samu": 2, "pompiers": 2, "ambulance": 2,
    "perdu notre": 1.5, "perdu mon": 1, "perdu ma": 1, "enfant perdu": 2, "disparu*": 1.5,
    "incendie": 2, "le feu": 2, "au feu": 2, "fumée": 2, "alarme": 1.5, "gaz": 1.5,
    "fuite": 1.5, "inondé*": 2, "inondation": 2, "ça coule": 1.5, "l'eau monte": 2,
    "dégât des eaux": 2, "en panne": 2, "bloqué*": 1, "coincé*": 1.5, "cassé*": 1.5,
    "plante": 1.5, "bug": 1.5, "bugue": 1.5, "erreur 500": 2, "erreur": 1,
    "débité deux fois": 2, "débité*": 1.5, "prélevé*": 1.5, "prélève": 1.5,
    "deux fois": 0.5, "pris deux fois": 2, "payé deux fois": 2, "harcèle*": 2,
    "harcèlement": 2, "agression": 2, "agressé*": 2,
    "mordu": 2, "menace*": 1.5, "vol à l'arraché": 2, "pickpocket*": 1.5, "éclats": 1,
    "ne se relève pas": 2, "aidez-nous": 1.5, "au secours": 2, "alerte": 1.5,
    "urgence": 1.5, "danger*": 1.5, "accident": 2, "fuité": 2, "piraté*": 2,
    "impossible de se connecter": 1.5, "impossible de payer": 1.5, "impossible de réserver": 1.5,
    "impossible d'acheter": 1.5, "ne marche plus": 1, "est tombé*": 2, "arbre tombé": 2,
    "électrocut*": 2, "coupure": 1.5, "court-circuit": 2, "odeur de gaz": 2,
    # English
    "fell": 1.5, "fallen": 1.5, "hurt": 2, "injured": 2, "bleeding": 2, "collapsed": 2,
    "fainted": 2, "unconscious": 2, "lost child": 2, "missing child": 2, "fire": 1.5,
    "fire alarm": 2, "smoke": 2, "gas smell": 2, "gas leak": 2, "flood*": 2, "leak*": 1.5,
    "water everywhere": 2, "broken": 1.5, "stuck": 1.5, "is down": 2, "website down": 2,
    "crash*": 1.5, "error": 1, "charged twice": 2, "double charged": 2, "charged": 1,
    "took my money": 2, "harass*": 2, "assault*": 2, "attacked": 2, "threaten*": 1.5,
    "data leak": 2, "data breach": 2, "hacked": 2, "call an ambulance": 2, "help": 1,
    "send help": 2, "emergency": 2, "dangerous": 1.5, "bitten": 2,
    "power cut": 1.5, "outage": 2, "can't book": 1, "can't log in": 1.5,
}  # fmt: skip

# Words that look like incidents and are not ("feu d'artifice" is fireworks).
NOT_INCIDENT: Lexicon = {
    "feu d'artifice": 1, "feux d'artifice": 1, "fire pit": 1, "fireworks": 1,
    "tombe à pic": 1, "tombé amoureu*": 1, "help desk": 1, "lost in": 1,
}  # fmt: skip

QUESTION: Lexicon = {
    # French: asking without a question mark
    "est-ce que": 1.5, "est ce que": 1.5, "est-ce qu": 1.5, "est ce qu": 1.5, "ou pas": 2,
    "or not": 1.5, "horaires": 0.5, "tarif*": 0.5, "prix": 0.5, "opening hours": 0.5,
    "je voudrais savoir": 2, "j'aimerais savoir": 2,
    "je souhaiterais savoir": 2, "je souhaiterais connaître": 2, "je me demandais": 2,
    "savez-vous": 2, "savez vous": 2, "sauriez-vous": 2, "quelqu'un sait": 2,
    "qui sait": 1.5, "je cherche": 1, "dites-moi": 1.5, "dites moi": 1.5, "pouvez-vous": 1.5,
    "pourriez-vous": 1.5, "auriez-vous": 1.5, "y a-t-il": 2, "y a t il": 2,
    "peut-on": 1.5, "est-il possible": 1.5, "est il possible": 1.5, "combien": 1.5,
    "à quelle heure": 2, "jusqu'à quand": 2, "comment": 1, "pourquoi": 1, "quel": 1,
    "quelle": 1, "quels": 1, "quelles": 1, "où": 1, "quand": 1, "c koi": 1.5, "c quoi": 1.5,
    "c'est quoi": 1.5, "on peut": 0.5, "il y a": 0.5, "une question": 2, "renseignement*": 1.5,
    "info*": 0.5, "svp": 0.5, "s'il vous plaît": 0.5,
    # English
    "wondering": 2, "i wonder": 2, "any idea": 2, "does anyone know": 2, "anyone know": 2,
    "do you know": 2, "i'd like to know": 2, "i would like to know": 2, "can you tell me": 2,
    "could you tell me": 2, "is there": 1, "are there": 1, "how much": 2, "how long": 2,
    "how do": 2, "how can": 2, "what time": 2, "where can": 2, "when does": 2, "when is": 2,
    "what are": 1.5, "what is": 1.5, "quick question": 2, "please advise": 1.5,
}  # fmt: skip
# A question that starts with the verb (English inversion, French "vous êtes … ?").
QUESTION_OPENERS = words(
    "is are do does did can could would will should may was were have has "
    "what when where why how which who whom whose "
    "quand comment combien pourquoi quel quelle quels quelles ou qui"
)

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
}  # fmt: skip

# What makes a message important (reason codes in reasons.py).
REFUND: Lexicon = {
    "rembours*": 1, "refund*": 1, "money back": 1, "débité*": 1, "prélevé*": 1,
    "prélève": 1, "charged": 1, "took my money": 1, "payé deux fois": 1,
}  # fmt: skip
LEGAL: Lexicon = {
    "porter plainte": 1, "plainte": 1, "avocat": 1, "lawyer": 1, "solicitor": 1,
    "tribunal": 1, "justice": 1, "médiateur": 1, "sue": 1, "legal action": 1,
    "écrire au maire": 1, "défenseur des droits": 1, "trading standards": 1,
    "ombudsman": 1, "discrimin*": 1, "racis*": 1,
}  # fmt: skip
PRESS: Lexicon = {
    "journaliste": 1, "journalist": 1, "reporter": 1, "presse": 1, "press office": 1,
    "press enquiries": 1, "rédaction": 1, "newsroom": 1, "interview*": 1,
}  # fmt: skip
DATA: Lexicon = {
    "données personnelles": 1, "mes données": 1, "données": 1, "rgpd": 1, "gdpr": 1,
    "personal data": 1, "data leak": 1, "data breach": 1, "fuite de données": 1,
    "someone else's": 1,
}  # fmt: skip
