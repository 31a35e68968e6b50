"""Every lexicon the rules look for, indexed once in one matcher, and the pairs of
lexicons that report an incident when written close together."""

from __future__ import annotations

from palabre.inbox.triage import alarms as ax
from palabre.inbox.triage import cues as cx
from palabre.inbox.triage import dangers as dx
from palabre.inbox.triage import fields as fx
from palabre.inbox.triage import hazards as hx
from palabre.inbox.triage import irony as ix
from palabre.inbox.triage import lexicons as lx
from palabre.inbox.triage import offers as ox
from palabre.inbox.triage import social as sx
from palabre.inbox.triage import witnesses as wx
from palabre.inbox.triage.matcher import Matcher

MATCHER = Matcher(
    {
        "positive": lx.POSITIVE | fx.POSITIVE | ix.POSITIVE,
        "negative": lx.NEGATIVE | fx.NEGATIVE | ix.RHETORICAL,
        "situation": (lx.SITUATION | fx.SITUATION | ix.SITUATION | dx.PAST_STATE | dx.FAILED_STATE),
        "again": lx.AGAIN,
        "sarcasm": lx.SARCASM | ix.SARCASM,
        "incident": lx.INCIDENT | fx.INCIDENT | dx.INCIDENT | ax.INCIDENT | wx.INCIDENT,
        "not_incident": lx.NOT_INCIDENT
        | fx.NOT_INCIDENT
        | dx.NOT_INCIDENT
        | hx.NOT_INCIDENT
        | wx.NOT_INCIDENT,
        "question": lx.QUESTION | fx.QUESTION,
        "time": cx.TIME | wx.TIME,
        "suggestion": cx.SUGGESTION | fx.SUGGESTION | dx.SUGGESTION,
        "spam": cx.SPAM | fx.SPAM | dx.SPAM | ox.SPAM,
        "refund": cx.REFUND,
        "legal": cx.LEGAL | fx.LEGAL,
        "press": cx.PRESS,
        "personal_data": cx.DATA,
        "child": cx.CHILD,
        "person": fx.PERSON | ax.PERSON,
        "lost": cx.LOST,
        "unwell": fx.UNWELL | ax.UNWELL | wx.UNWELL,
        "water": cx.WATER,
        "flow": cx.FLOW,
        "payment": cx.PAYMENT,
        "multiple": cx.MULTIPLE,
        "nothing_received": fx.NOTHING_RECEIVED,
        "online": fx.ONLINE | dx.ONLINE,
        "fails": fx.FAILS | dx.FAILS | hx.SPINNING,
        "other_person": cx.OTHER_PERSON | dx.OTHER_PERSON,
        "personal_info": cx.PERSONAL_INFO | dx.PERSONAL_INFO | hx.DATA,
        "thing": dx.THING | dx.STRUCTURES | hx.ACCESS,
        "broken": dx.BROKEN | dx.GIVING_WAY | hx.STUCK_STATE,
        "hurt": dx.HURT | ax.HURT | wx.HURT,
        "pronoun": dx.PRONOUN,
        "aggression": dx.AGGRESSION | ax.AGGRESSION,
        "sense": dx.SENSE,
        "odd": dx.ODD,
        "everyone": dx.EVERYONE,
        "taken": dx.TAKEN,
        "too_much": dx.TOO_MUCH,
        "past": dx.PAST | dx.PAST_STATE,
        "imperfect": dx.IMPERFECT,
        "was": dx.WAS,
        "forgotten": dx.FORGOTTEN,
        "now": dx.NOW,
        # session 5: constructions (alarms.py, offers.py, irony.py, social.py)
        "luggage": ax.LUGGAGE,
        "unattended": ax.UNATTENDED,
        "missing": ax.MISSING,
        "member": ax.MEMBER,
        "looks": ax.LOOKS,
        "is_normal": ax.IS_NORMAL,
        "alarming": ax.ALARMING,
        "near_miss": ax.NEAR_MISS,
        "harm": ax.HARM,
        "idea_to": ix.IDEA_TO,
        "undo": ix.UNDO,
        "animal": ax.ANIMAL | hx.KEPT_ANIMAL,
        "loose": ax.LOOSE | hx.OUT,
        "guard": ax.GUARD,
        "absent": ax.ABSENT,
        "changed": ix.CHANGED,
        "seller": ox.SELLER,
        "offer": ox.OFFER,
        "contact": ox.CONTACT,
        "your_thing": ox.YOUR_THING,
        "threat": ox.THREAT,
        "act": ox.ACT,
        "closer": ix.CLOSER,
        "expected": ix.EXPECTED,
        "overturned": ix.OVERTURNED,
        "helped": ix.HELPED,
        "friends": sx.FRIENDS,
        "wishes": sx.WISHES,
        "label": sx.LABEL,
        # session 5, round 2: hazards.py
        "vulnerable": hx.VULNERABLE | wx.VULNERABLE,
        "whereabouts": hx.WHEREABOUTS,
        "blocked": hx.BLOCKED,
        "wild": hx.WILD,
        "gate": hx.GATE,
        "left_open": hx.LEFT_OPEN,
        "sent": hx.SENT,
        "many": hx.MANY,
        "images": hx.IMAGES,
        "private_place": hx.PRIVATE_PLACE | wx.UNDRESSED,
        "minor": hx.MINOR,
        "peril": hx.PERIL,
        # session 5, round 3: witnesses.py
        "stranger": wx.STRANGER,
        "pursuit": wx.PURSUIT,
        "body": wx.BODY,
        "swelling": wx.SWELLING,
        "your_channel": wx.YOUR_CHANNEL,
        "received": wx.RECEIVED,
        "secret": wx.SECRET,
        "work": wx.WORK,
        "tells": wx.TELLS,
    }
)
# (first, second, how many words apart at most): together, an incident.
INCIDENT_PAIRS = (
    ("child", "lost", 4),
    ("water", "flow", 8),
    ("payment", "multiple", 5),
    ("other_person", "personal_info", 8),
    ("child", "unwell", 6),  # "mon fils ne répond plus", "ma fille est toute pâle"
    ("person", "unwell", 6),  # "un homme allongé par terre", "a lady on the floor"
    ("payment", "nothing_received", 12),  # "payé … rien reçu", "paid … no ticket"
    ("online", "fails", 6),  # "le site plante", "checkout page … error"
    ("thing", "broken", 7),  # "la grille du parking reste fermée", "the lift has stopped"
    ("child", "hurt", 8),  # "mon fils … a mal au ventre", "a kid crying … no parent"
    ("person", "hurt", 8),  # "ma copine s'est tordu la cheville", "my mum … with her on it"
    ("pronoun", "hurt", 3),  # "… il a mal au ventre"
    ("child", "aggression", 6),  # "un groupe de jeunes s'en prend à un gamin"
    ("person", "aggression", 6),  # "un groupe d'hommes siffle des collégiennes"
    ("sense", "odd", 4),  # "une odeur de plastique chaud", "ça sent bizarre"
    ("everyone", "personal_info", 8),  # "les adresses de tous les abonnés en copie"
    ("taken", "too_much", 10),  # "facturé 2 abonnements … un seul", "charged … instead of one"
    *ax.PAIRS,
    *hx.PAIRS,
    *wx.PAIRS,
)
