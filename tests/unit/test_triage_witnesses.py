"""Incidents a witness tells (witnesses.py): each construction reports an incident made of
its parts, and each part alone, or the look-alike, does not."""

from __future__ import annotations

import pytest

from palabre.inbox.triage import triage


@pytest.mark.parametrize(
    "text",
    [
        "Un inconnu suit les petites du club de danse depuis l'arrêt de bus",
        "a man keeps filming the girls at the edge of the pool",
        "un homme prend des photos des enfants en maillot depuis la buvette",
        "mon petit-fils a mangé un gâteau et ses lèvres gonflent, que faire",
        "my boy's face is swelling up after the sesame bun from your stall",
        "il fait 35 degrés dans la salle et une dame âgée est dans les vapes",
        "an elderly man in the queue has gone woozy and sat down",
        "ma fille vient de se couper le pied sur un éclat de verre près du bac à sable",
        "j'ai reçu un message privé de votre page qui demande mon mot de passe, piratée ?",
        "got a DM from your official account asking for my card number, hacked?",
    ],
)
def test_what_a_witness_tells_is_an_incident_and_urgent(text: str) -> None:
    t = triage(text)
    assert (t.category, t.urgency) == ("incident", "urgent"), t


@pytest.mark.parametrize(
    "text",
    [
        "Le nouvel entraîneur suit les enfants de près, ils progressent vite, merci",
        "Ma fille est allergique aux fruits à coque : le menu du centre en contient ?",
        "Le film de samedi parle d'un incendie dans une tour, c'est pour quel âge ?",
        "Votre compte sera suspendu. Confirmez votre mot de passe : https://verif-compte.biz",
        "How do I change the password of my account on your booking site?",
    ],
)
def test_the_look_alikes_are_no_incident(text: str) -> None:
    # For the rules: the learned model reads the allergy question as an incident (71 %),
    # a false alarm it may raise (known limits in docs/triage.md).
    assert triage(text, learned=False).category != "incident"


def test_quebec_days_make_a_question_about_tonight_urgent() -> None:
    t = triage("Allo, la piscine est-tu ouverte à soir?")
    assert (t.category, t.urgency) == ("question", "urgent")
