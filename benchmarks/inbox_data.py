"""Millions of inbox messages for the benchmarks, written in bulk (Core inserts of 20,000
rows, not through the services), chunk by chunk so that memory stays flat.

Realistic enough to measure: French (about 60 %) and English messages built from
sentences a museum or a tourist office receives, with names, order numbers and dates that
vary; conversations of 1 to 8 messages (a third have one), spread over 180 days, older
ones mostly closed; message ids in arrival order, as ingestion gives them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from palabre.inbox.conversation_models import priority_of

OPENINGS_FR = ["Bonjour,", "Bonsoir,", "Salut !", "Madame, Monsieur,", "Hello,", "", "", ""]
OPENINGS_EN = ["Hi,", "Hello,", "Good morning,", "Hey!", "", "", ""]
BODIES_FR = [
    "le musée est-il ouvert {day} ?",
    "quels sont les horaires de l'exposition {expo} ?",
    "je voudrais réserver une visite guidée pour {n} personnes {day}.",
    "très déçu : fermé sans prévenir {day}, je demande un remboursement.",
    "merci pour la belle exposition {expo}, bravo à toute l'équipe !",
    "l'ascenseur est en panne depuis {day}, impossible de monter en fauteuil.",
    "URGENT : une fuite d'eau dans la salle {n}, personne à l'accueil.",
    "est-ce que le parking est gratuit pour les visiteurs ?",
    "le tarif réduit s'applique-t-il aux étudiants et aux enfants ?",
    "ma commande n°{order} n'est jamais arrivée, pouvez-vous vérifier ?",
    "super atelier pour les enfants {day}, ils ont adoré.",
    "vous pourriez ajouter des nocturnes pendant les vacances ?",
    "les toilettes du rez-de-chaussée sont fermées, c'est normal ?",
    "la boutique accepte-t-elle les cartes cadeaux ?",
    "pas terrible l'accueil {day}… on nous a refoulés à l'entrée.",
    "magnifique, merci {name} pour la visite passionnante !",
    "le billet acheté en ligne n'apparaît pas, numéro {order}.",
    "est-ce accessible aux poussettes ? on vient avec {name}.",
    "le café du musée est-il ouvert le soir ?",
    "quand commence l'exposition {expo} ? j'ai hâte.",
]
BODIES_EN = [
    "is the museum open on {dayen}?",
    "what time does the {expo} exhibition close?",
    "we'd like to book a guided tour for {n} people on {dayen}.",
    "really disappointed, closed without notice, I want a refund.",
    "thanks for the wonderful {expo} exhibition, well done!",
    "the lift has been broken since {dayen}, no wheelchair access.",
    "URGENT: water leak in room {n}, nobody at the front desk.",
    "is parking free for visitors?",
    "do students get the reduced price?",
    "my order #{order} never arrived, can you check?",
    "great workshop for kids on {dayen}, thank you {name}!",
    "any late openings during the holidays?",
    "is the museum café open in the evening?",
]
CLOSINGS = ["Merci !", "Merci d'avance.", "Cordialement.", "Thanks!", "🙏", "😡", "👏👏", "", ""]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "demain"]
DAYS_EN = ["Monday", "Tuesday", "Saturday", "Sunday", "tomorrow"]
EXPOS = ["Impressionnistes", "Égypte", "Vikings", "Picasso", "photographie", "Rodin", "Lumières"]
NAMES = [
    "Camille",
    "Léa",
    "Chloé",
    "Hugo",
    "Lucas",
    "Noémie",
    "Zoé",
    "Amir",
    "Inès",
    "Yanis",
    "Margaux",
    "Théo",
    "Sarah",
    "John",
    "Emily",
    "Oliver",
    "Grace",
]


def message_text(rng: random.Random) -> str:
    fr = rng.random() < 0.6
    opening = rng.choice(OPENINGS_FR if fr else OPENINGS_EN)
    parts = [opening] if opening else []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        body = rng.choice(BODIES_FR if fr else BODIES_EN)
        parts.append(
            body.format(
                day=rng.choice(DAYS_FR),
                dayen=rng.choice(DAYS_EN),
                expo=rng.choice(EXPOS),
                n=rng.randint(2, 40),
                order=rng.randint(10_000, 999_999),
                name=rng.choice(NAMES),
            )
        )
    closing = rng.choice(CLOSINGS)
    if closing:
        parts.append(closing)
    return " ".join(parts)


def _status(rng: random.Random, age: timedelta) -> str:
    if age < timedelta(days=3):
        return rng.choices(("new", "open", "waiting", "closed"), (30, 30, 20, 20))[0]
    return rng.choices(("new", "open", "waiting", "closed"), (3, 5, 12, 80))[0]


def chunks(
    n: int,
    *,
    workspace_id: int,
    channel_ids: list[int],
    user_ids: list[int],
    now: datetime,
    days: int = 180,
    chunk: int = 20_000,
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(conversation rows, message rows), about ``chunk`` messages at a time, ``n`` in all,
    oldest first."""
    rng = random.Random(2)
    start = now - timedelta(days=days)
    step = timedelta(days=days) / max(n // 3, 1)
    convs: list[dict[str, Any]] = []
    msgs: list[dict[str, Any]] = []
    cid = mid = 0
    while mid < n:
        cid += 1
        size = min(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 8)), n - mid)
        first = start + step * cid
        handle = f"{rng.choice(NAMES).lower()}{rng.randint(1, 30000)}@mastodon.example"
        times = sorted(first + timedelta(minutes=rng.randint(0, 600)) for _ in range(size))
        last = min(times[-1], now)
        urgency = rng.choices(("urgent", "normal", "low"), (5, 80, 15))[0]
        important = rng.random() < 0.1
        status = _status(rng, now - last)
        channel = rng.choice(channel_ids)
        text = ""
        for at in times:
            mid += 1
            text = message_text(rng)
            msgs.append(
                {
                    "id": mid,
                    "workspace_id": workspace_id,
                    "conversation_id": cid,
                    "channel_id": channel,
                    "direction": "in",
                    "state": "received",
                    "kind": "mention",
                    "author_handle": handle,
                    "author_name": handle.split("@")[0].rstrip("0123456789").title(),
                    "text": text,
                    "remote_id": f"m-{mid}",
                    "created_at": min(at, now),
                    "category": "question",
                    "urgency": urgency,
                    "important": important,
                    "triage_corrected": False,
                }
            )
        convs.append(
            {
                "id": cid,
                "workspace_id": workspace_id,
                "channel_id": channel,
                "root_id": f"root-{cid}",
                "direct": False,
                "contact_handle": handle,
                "snippet": text[:300],
                "status": status,
                "to_handle": status in ("new", "open"),
                "assignee_id": rng.choice([None, None, *user_ids]),
                "first_message_at": min(times[0], now),
                "last_message_at": last,
                "last_inbound_at": last,
                "category": "question",
                "urgency": urgency,
                "important": important,
                "priority": priority_of(urgency, important),
                "unread": 0,
                "message_count": size,
                "version": 1,
                "created_at": min(times[0], now),
            }
        )
        if len(msgs) >= chunk:
            yield convs, msgs
            convs, msgs = [], []
    if msgs:
        yield convs, msgs
