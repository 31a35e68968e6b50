"""Incidents of kinds the first fields never met (session 5, round 2, hazards.py), recognised by
the rules alone from what they are made of — and the same words with nothing to act on
stay what they are."""

from __future__ import annotations

import pytest

from palabre.inbox.triage import triage


def words_of(text: str) -> list[str]:
    result = triage(text, learned=False)
    return [w for r in result.reasons if r.code == "incident" for w in r.words]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a vulnerable person nobody can find
        (
            "Mon oncle est en fauteuil, il s'est éloigné du groupe au marché et il est introuvable",
            "introuvable",
        ),
        (
            "Our gran has memory loss and nobody knows where she went after lunch",
            "nobody knows where",
        ),
        # an access device keeping people out or in
        (
            "La badgeuse de la cantine bugue, les élèves ne peuvent pas entrer, service à midi",
            "ne peuvent pas entrer",
        ),
        (
            "The car park barrier is stuck down and we're locked in, twenty cars queuing",
            "locked in",
        ),
        # a machine running wild
        (
            "L'escalier mécanique de la gare repart à l'envers par à-coups, les gens s'accrochent",
            "par à-coups",
        ),
        ("The ferris wheel is going way too fast and the operator has vanished", "way too fast"),
        # an animal out of where it is kept
        (
            "Les poneys du club sont sortis de leur enclos, ils broutent au milieu des visiteurs",
            "poneys",
        ),
        ("I think one of the penguins got out, it's waddling in the car park", "penguins"),
        # a gate left open with children or animals about
        (
            "Le portillon de l'aire de jeux est resté ouvert, des petits jouent près de la route",
            "portillon",
        ),
        ("The paddock gate is wide open and the goats are heading to the road", "gate"),
        # many people's data sent or shown by a system
        (
            "Votre site a envoyé les numéros de téléphone de tous les inscrits à tout le monde",
            "a envoyé",
        ),
        ("Your app is showing another member's medical details on my screen", "showing"),
        # pictures of minors taken in a private place
        ("Un homme prend des photos des ados dans les vestiaires du gymnase", "photos"),
        # an age that says a small child or an old person, and lost
        ("On ne trouve plus Jade près des manèges, 5 ans, robe bleue", "5 ans"),
        ("Lost our mum near the bandstand, she's 91 and a bit confused", "91"),
        # a vulnerable person in a bad state
        ("Une vieille dame est tombée dans l'escalier de la médiathèque", "vieille dame"),
        # a machine that keeps a card, a payment that spins
        ("The car park pay machine swallowed my card and won't give it back", "swallowed"),
        # someone where nobody should stand, a group gone without one of its own
        ("Un enfant marche sur le rebord du pont au-dessus de la Loire", "sur le rebord"),
        ("The minibus left the swimming pool without one of our pupils", "without"),
    ],
)
def test_a_new_kind_of_incident_is_recognised_by_the_rules(text: str, word: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency, result.important) == ("incident", "urgent", True)
    assert word in words_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ma grand-mère a adoré la visite guidée, merci pour le fauteuil prêté",
        "Where can I find the wheelchair-friendly entrance?",
        "Le tapis roulant de la piscine est génial pour les poussettes",
        "On a vu les loups ce matin, magnifiques !",
        "Pouvez-vous m'envoyer la liste des documents pour l'inscription ?",
        "Superbes photos des enfants au spectacle de fin d'année",
        "Le portail de la mairie est ouvert le samedi matin ?",
        "Ma fille de 4 ans a adoré le spectacle de marionnettes",
        "Le bus est parti sans prévenir, on l'a raté de peu",
        "Is the 'Fire and Ice' exhibition suitable for a 5 year old?",
        "Le film « Incendie » passe encore ce soir ?",
        "Super exercice d'évacuation ce matin à l'école, les enfants étaient calmes",
        "Impossible d'avoir quelqu'un à l'accueil, ça sonne dans le vide depuis ce matin",
    ],
)
def test_the_same_fields_with_nothing_to_act_on_are_no_incident(text: str) -> None:
    assert triage(text, learned=False).category != "incident"


@pytest.mark.parametrize(
    "text",
    [
        "Après le film « Le Feu », de la fumée sort de la cabine de projection",
        "Un homme dit qu'il va revenir « régler ses comptes » avec le gardien",
    ],
)
def test_a_danger_outside_a_title_or_in_reported_words_is_still_an_incident(text: str) -> None:
    assert triage(text, learned=False).category == "incident"


def test_a_gate_left_open_last_week_is_a_complaint() -> None:
    result = triage(
        "Le portail de la crèche est resté grand ouvert sur la rue la semaine dernière, "
        "avec les petits dans la cour",
        learned=False,
    )
    assert (result.category, result.urgency) == ("complaint", "normal")
