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
    # more French
    "meilleur*": 1, "bonheur": 1.5, "coup de cœur": 1.5, "adorable*": 1.5,
    "rien à redire": 2, "infiniment": 0.5, "épatant*": 1.5, "extra": 1, "bluffant*": 1.5,
    "émerveillé*": 1.5, "enchanté*": 1, "conquis*": 1.5, "régal": 1.5, "pépite": 1.5,
    "chapeau": 1.5, "gentil*": 1, "accueillant*": 1, "aimable*": 1, "serviable*": 1,
    "réussi*": 1, "inoubliable*": 1.5, "bien joué": 1.5, "j'ai hâte": 1.5, "hâte": 1,
    "aimé": 1, "apprécié*": 1, "belle expérience": 1.5, "magique*": 1.5, "splendide*": 1.5,
    "fantastique*": 1.5, "instructi*": 1, "émouvant*": 1, "à voir absolument": 2,
    # more English
    "gem": 1.5, "incredible": 1.5, "cheers": 1, "better": 0.5, "couldn't have asked for": 2,
    "highlight": 1, "favourite": 1.5, "favorite": 1.5, "outstanding": 1.5,
    "fabulous": 1.5, "terrific": 1.5, "memorable": 1.5, "pleasure": 1, "glad": 1,
    "grateful": 1.5, "appreciate*": 1, "friendly": 1, "welcoming": 1, "informative": 1,
    "inspiring": 1.5, "magical": 1.5, "well organised": 1.5, "well organized": 1.5,
    "must see": 1.5, "blown away": 1.5, "enjoy": 1, "loving": 1, "wow": 0.5,
    "top notch": 1.5, "spot on": 1.5, "marvellous": 1.5, "marvelous": 1.5,
    "🙌": 1.5, "🥳": 1.5, "😻": 1.5, "💗": 1.5, "💜": 1.5, "💚": 1.5, "🧡": 1.5, "🤗": 1,
    "👌": 1, "💐": 1, "🫶": 1.5, "😄": 1, "☺": 1,
    # by semantic field: wonder, warmth, recommendation (French)
    "merveille*": 1.5, "comme à la maison": 1.5, "grandiose*": 1.5, "passionné*": 1.5,
    "chef-d'œuvre": 1.5, "sensationnel*": 1.5, "trop cool": 1.5, "incontournable*": 1.5,
    "remerci*": 1, "reconnaissant*": 1.5, "nickel": 1.5, "impeccable*": 1.5,
    "aux petits soins": 2, "allez-y": 1, "foncez": 1.5, "génialissime": 2, "top du top": 2,
    "un délice": 1.5, "délicieu*": 1.5, "fier de": 1, "fière de": 1, "bien accueilli*": 1.5,
    # (English)
    "treat": 1, "slick": 1, "smooth": 1, "seamless": 1.5, "impeccable": 1.5,
    "spotless": 1.5, "faultless": 1.5, "flawless": 1.5, "one of the best": 1.5,
    "bliss": 1.5, "joy": 1, "greatest": 1.5, "finest": 1.5, "epic": 1, "legend*": 1,
    "thrilled": 1.5, "delighted": 1.5, "charming": 1.5, "breathtaking": 1.5,
    "fascinating": 1.5, "well worth": 1.5, "a must": 1.5, "5 stars": 1.5, "five stars": 1.5,
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
    # more French
    "outré*": 1.5, "choqué*": 1.5, "choquant*": 1.5, "absurde*": 1.5, "illisible*": 1.5,
    "pas sérieux": 1.5, "toujours rien": 1.5, "frustr*": 1.5, "agaçant*": 1.5,
    "agacé*": 1.5, "déplorable*": 2, "médiocre*": 1.5, "minable*": 1.5,
    "n'importe comment": 1.5, "foutage de gueule": 2, "se moque*": 1.5,
    "incompréhensible*": 1.5, "inexcusable*": 2, "irrespectueu*": 1.5, "méprisant*": 1.5,
    "mépris": 1.5, "bâclé*": 1.5, "vétuste*": 1, "délabré*": 1.5, "crasseu*": 1.5,
    "abusé": 1.5, "abusif*": 1.5, "pénible*": 1.5, "galère": 1.5, "perte de temps": 2,
    "déplaisant*": 1.5, "navrant*": 1.5, "mal organisé*": 1.5, "désorganis*": 1.5,
    "manque de": 1, "sans explication": 1.5, "mal vécu": 1.5, "plus personne": 1.5,
    "inadmissible*": 2, "indigne*": 1.5, "ridicule*": 1.5, "pitoyable*": 1.5,
    "mécontent*": 1.5, "insatisf*": 1.5, "aucun respect": 2, "pas acceptable": 2,
    # more English
    "shocking": 1.5, "shocked": 1.5, "frustrat*": 1.5, "confusing": 1.5, "confused": 1,
    "too expensive": 1.5, "pricey": 1, "rip off": 2, "appalling": 2, "dreadful": 1.5,
    "abysmal": 2, "pathetic": 1.5, "unhelpful": 1.5, "unfriendly": 1.5,
    "incompetent": 1.5, "unprofessional": 1.5, "disrespectful": 1.5, "sloppy": 1.5,
    "outrageous": 1.5, "outraged": 1.5, "upset": 1.5, "unhappy": 1.5, "not happy": 1.5,
    "let down": 1.5, "zero effort": 2, "no effort": 1.5, "heard nothing": 1.5,
    "no response": 1.5, "no reply": 1.5, "ignored": 1.5, "crowded": 1, "overcrowded": 1.5,
    "smelly": 1.5, "stinks": 1.5, "chaotic": 1.5, "chaos": 1.5, "nightmare": 1.5,
    "sucks": 1.5, "meh": 1, "mediocre": 1.5, "underwhelming": 1.5, "subpar": 1.5,
    "not acceptable": 2, "not good enough": 2, "embarrassing": 1.5,
    "😩": 1, "😫": 1, "😑": 1, "🤦": 1.5, "🤮": 2, "😖": 1,
    # by semantic field: unfairness, bad service, disappointment (French)
    "limite": 1, "abuser": 1.5, "abus": 1.5, "délire": 1, "usine à gaz": 1.5,
    "pas adapté*": 1.5, "inadapté*": 1.5, "personne ne": 1, "trop vite": 0.5,
    "on entend rien": 1.5, "on entendait rien": 1.5, "rien compris": 1, "gâché*": 1.5,
    "gâcher": 1.5, "fâché*": 1.5, "vexé*": 1.5, "blessant*": 1.5, "humili*": 2,
    "discrimin*": 1.5, "injuste*": 1.5, "injustice": 1.5, "à éviter": 2, "fuyez": 2,
    "aucun intérêt": 1.5, "sans intérêt": 1.5, "escroquerie": 2, "faire payer": 1,
    "pas pu": 1, "pas réussi": 1, "aucune excuse": 1.5, "sans excuse*": 1.5,
    "je déconseille": 2, "déconseille": 2, "décevante*": 1.5, "moche*": 1.5, "sale temps": 0,
    "mal indiqué*": 1.5, "mal fichu*": 1.5, "mal foutu*": 1.5, "n'a aucun sens": 1.5,
    # (English)
    "no apology": 1.5, "shame about": 1.5, "zero sense": 1.5, "no sense": 1.5,
    "badly": 1.5, "gave up": 1.5, "rubbish": 1.5, "horrendous": 2, "atrocious": 2,
    "inadequate": 1.5, "unreasonable": 1.5, "unfair": 1.5, "annoying": 1.5,
    "irritating": 1.5, "disappointment": 1.5, "complain*": 1, "not ok": 1.5,
    "not okay": 1.5, "unable to": 1, "couldn't get": 1, "avoid": 1.5, "stay away": 2,
    "poorly": 1.5, "lack of": 1, "no one": 0.5, "nobody": 0.5, "never again": 2,
    "hopeless": 1.5, "shambles": 2, "joke of": 1.5, "shoddy": 1.5, "tacky": 1,
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
    "wait*": 0.5, "hs": 1, "hors service": 1, "out of order": 1, "refusé*": 1,
    "bouchon*": 1, "embouteillage*": 1, "semaines": 0.5, "weeks": 0.5, "mois": 0.5,
    "shut": 1, "closing": 0.5, "écourté*": 1, "reporté*": 0.5, "postponed": 0.5,
    "sold out": 0.5, "late": 0.5, "plus de bus": 1, "no bus*": 1, "spins": 0.5,
    "down": 0.5, "broken": 0.5, "queuing": 1, "queueing": 1, "file d'attente": 1,
}  # fmt: skip

# Repetition marks a recurring annoyance and turns praise words around.
AGAIN: Lexicon = {
    "encore": 1, "again": 1, "another": 1, "toujours": 0.5, "une fois de plus": 1,
    "every time": 1, "chaque fois": 1, "once again": 1, "de nouveau": 1, "still": 0.5,
    "always": 0.5, "every": 0.5, "tous les": 0.5,
}  # fmt: skip

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
    "perdu notre": 1.5, "perdu mon": 1, "perdu ma": 1, "enfant perdu": 2, "disparu*": 1,
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
    # more French
    "ne bouge plus": 2, "inconscient*": 2, "sent le brûlé": 2, "odeur de brûlé": 2,
    "lancent des pierres": 2, "jettent des pierres": 2, "vandal*": 2, "dégradation*": 1.5,
    "bagarre": 2, "se battent": 2, "rixe": 2, "volé*": 1.5, "exhibitionni*": 1.5,
    "attouchement*": 2, "couteau": 2, "arme": 1.5, "bombe": 2, "colis suspect": 2,
    "sac abandonné": 2, "coupure de courant": 2, "plus d'électricité": 2,
    "ne fonctionne plus": 1.5, "ne fonctionne pas": 1, "plus rien ne marche": 1.5,
    "plus rien ne charge": 1.5, "ne charge plus": 1.5, "cherche ses parents": 2,
    "perdu ses parents": 2, "hors service": 1, "pierres": 1, "câble électrique": 1.5,
    "fils électriques": 1.5, "dénudé*": 1.5, "effondré*": 2, "écroulé*": 2,
    # more English
    "wandered off": 1.5, "throwing stones": 2, "throwing rocks": 2, "fight": 1.5,
    "fighting": 1.5, "stolen": 1.5, "theft": 1.5, "unsafe": 1.5, "hazard*": 1.5,
    "exposed wire*": 2, "live wire*": 2, "filming": 1, "following": 0.5, "indecent": 2,
    "knife": 2, "weapon": 2, "bomb*": 2, "suspicious package": 2, "unattended bag": 2,
    "no electricity": 1.5, "overcharged": 1.5, "billed": 1, "payment failed": 1.5,
    "throwing an error": 1.5, "keeps failing": 1.5, "not loading": 1.5, "won't load": 1.5,
    "not working": 1.5, "out of order": 1.5, "can't find our": 1.5, "can't find my": 1,
    "lost our": 1.5, "collapse*": 2, "seizure": 2, "choking": 2, "allergic reaction": 2,
    # by semantic field: falls and health (French)
    "glissé*": 1.5, "trébuch*": 1.5, "cogné*": 1.5, "s'est fait mal": 2, "fait mal": 1,
    "entorse": 2, "fractur*": 2, "sang": 1.5, "ne respire": 2, "respire plus": 2,
    "crise cardiaque": 2, "convuls*": 2, "épilep*": 2, "inanimé*": 2, "à terre": 1.5,
    "au sol": 1, "premiers secours": 2, "défibrillateur": 2, "se sent mal": 2,
    "a mal": 1, "mal au": 0.5,
    # fire, structure, electricity
    "brûle": 2, "flammes": 2, "en feu": 2, "explosion": 2, "explos*": 2,
    "chute de pierres": 2, "fissure*": 1, "instable*": 1.5, "verre brisé": 2, "brisé*": 1.5,
    "pendent": 1, "s'effondre": 2,
    # security and animals
    "frappé*": 2, "pelot*": 2, "insulte*": 1, "ivre*": 1, "errant": 1,
    "se fait suivre": 2, "suit des": 1, "appelez le": 1.5, "appelez les": 1.5,
    "venez vite": 2, "aidez-moi": 1.5, "aidez moi": 1.5, "sos": 2,
    # online: pages, payments
    "affiche une erreur": 1.5, "inaccessible*": 1.5, "indisponible*": 1, "ne marche pas": 1,
    "impossible de": 1,
    # (English) falls and health
    "slipped": 1.5, "tripped": 1.5, "hit her head": 2, "hit his head": 2, "hit my head": 2,
    "banged": 1, "twisted": 1.5, "sprained": 2, "broke her": 1.5, "broke his": 1.5,
    "blood": 1.5, "not breathing": 2, "heart attack": 2, "passed out": 2,
    "on the floor": 1, "can't get up": 2, "injury": 2, "paramedic*": 2, "first aid": 2,
    "defibrillator": 2, "feels unwell": 2, "unwell": 1,
    # fire, structure
    "flames": 2, "burning": 1.5, "on fire": 2, "shattered": 2,
    "falling": 1, "unstable": 1.5, "cracked": 1, "smell of gas": 2,
    # security
    "grabbing": 1.5, "groping": 2, "punched": 2, "stalking": 2, "drunk": 1, "stray": 1,
    "help me": 1.5, "help us": 1.5, "please come": 1.5, "staff please": 1.5, "call 999": 2,
    "call 911": 2, "call 112": 2, "security please": 2,
    # online
    "been down": 2, "went down": 1.5, "site down": 2, "unavailable": 1, "doesn't work": 1,
    "won't let me": 1.5, "can't pay": 1.5, "can't buy": 1.5, "cannot book": 1.5,
}  # fmt: skip

# Words that look like incidents and are not ("feu d'artifice" is fireworks).
NOT_INCIDENT: Lexicon = {
    "feu d'artifice": 1, "feux d'artifice": 1, "fire pit": 1, "fireworks": 1,
    "tombe à pic": 1, "tombé amoureu*": 1, "help desk": 1, "lost in": 1,
    "prix cassés": 1, "prix cassé": 1, "fight for": 1, "following you": 1,
    "following your": 1, "bombe de": 1,
    "mal au pied": 0, "sale temps": 1, "down to": 1, "down the road": 1,
    "calm down": 1, "slow down": 1, "help me choose": 1, "help me find": 1,
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
    # more French
    "je cherche à savoir": 2, "vous savez si": 2, "tu sais si": 2, "on sait si": 2,
    "une idée": 1.5, "quelqu'un peut": 1.5, "qui contacter": 2, "à qui": 1.5,
    "nous aimerions": 1.5, "j'aimerais": 1, "je voudrais": 1, "serait-il possible": 2,
    "c'est possible": 1.5, "y'a moyen": 2, "y a moyen": 2, "moyen de": 1,
    "je n'ai pas compris": 1.5, "je ne sais pas si": 2, "merci de me dire": 2,
    "merci de m'indiquer": 2, "besoin d'une info": 2, "besoin de savoir": 2,
    # more English
    "curious whether": 2, "curious if": 2, "not sure if": 2, "not sure whether": 2,
    "can someone": 2, "could someone": 2, "who should": 2, "who do i": 2, "who can": 1.5,
    "what's the": 2, "let me know": 1.5, "any info": 1.5, "any news": 1.5,
    "any chance": 2, "is it possible": 2, "do you guys": 2, "do you have": 2,
    "need to know": 1.5, "looking for info*": 2, "can anyone": 2, "does it": 1,
    # (French) asking politely, or for a place, a day, a choice
    "vous demander": 1.5, "demander si": 1.5, "savoir si": 1.5, "c'est où": 2,
    "c'est quand": 2, "c'est combien": 2, "c'est laquelle": 2, "laquelle": 1.5,
    "lequel": 1.5, "lesquels": 1.5, "quel jour": 2, "vous auriez": 1.5, "ou seulement": 1,
    "connaître les": 1, "des précisions": 1.5, "une info": 1.5,
    # (English)
    "quick one": 1.5, "just checking": 2, "checking whether": 2, "checking if": 2,
    "anyone been": 1.5, "is it worth": 2, "do i need": 2, "should we": 1.5,
    "how early": 2, "how late": 2, "where do": 2, "where is": 2, "are we allowed": 2,
    "can i": 1.5, "can we": 1.5, "any way to": 2, "is anyone": 1.5,
}  # fmt: skip
# A question that starts with the verb (English inversion, French "vous êtes … ?").
QUESTION_OPENERS = words(
    "is are do does did can could would will should may was were have has "
    "what when where why how which who whom whose "
    "quand comment combien pourquoi quel quelle quels quelles ou qui"
)
