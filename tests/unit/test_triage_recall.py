"""Incidents and urgent messages told in words no lexicon lists as a phrase: a thing or a
person and its bad state in the same sentence, a smell, money taken too often; troubles
told as past are complaints; "ce matin", "dans 1h", "là ?" are about today or now."""

from __future__ import annotations

import pytest

from palabre.core.i18n import Translator
from palabre.inbox.triage import judge, triage
from palabre.inbox.triage.linear import POLICY, Policy, from_data
from palabre.inbox.triage.training import fit


def words_of(result, code: str) -> list[str]:
    return [w for r in result.reasons if r.code == code for w in r.words]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a thing and its state
        ("Le portail du cimetière ne s'ouvre plus, le cortège attend devant", "portail"),
        ("The turnstile at the north entrance has jammed with a wheelchair in it", "jammed"),
        ("le radiateur du vestiaire est brûlant, on ne peut pas le toucher", "brûlant"),
        ("Heads up, a tree branch is dangling over the footpath by the pond", "dangling"),
        # a person or a child and a body in trouble
        ("Mon copain s'est tordu le genou sur les pavés, il arrive plus à marcher", "copain"),
        ("A little girl is crying by the carousel, no parents anywhere", "no parents"),
        ("Mon fils a avalé une pile bouton, il a mal au ventre", "mal au ventre"),
        # someone harming others
        ("Deux types bousculent les passants à la sortie du métro", "bousculent"),
        # a smell that should not be there
        ("Il y a une odeur de plastique brûlé dans la salle de projection", "odeur"),
        # everyone's data, money taken too often
        ("Votre newsletter affiche les adresses de tous les abonnés en copie", "adresses"),
        ("You charged me for four tickets instead of one", "charged me"),
        # structures giving way, dangers lying about
        ("Le chapiteau se soulève avec les rafales, il y a du monde dessous", "chapiteau"),
        ("Une seringue traîne à côté du toboggan", "seringue"),
    ],
)
def test_a_thing_or_a_person_with_a_bad_state_is_an_incident(text: str, words: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency, result.important) == ("incident", "urgent", True)
    assert words in words_of(result, "incident")


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("L'ascenseur de la piscine était en panne samedi, on a dû porter la poussette", "était"),
        ("The lift at the library was broken last week, my dad took the stairs", "last week"),
        ("Hier le site de réservation a planté trois fois, pénible", "Hier"),
    ],
)
def test_a_trouble_told_as_past_is_a_complaint_not_an_incident(text: str, when: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")
    assert when in words_of(result, "past")
    assert "incident" not in [r.code for r in result.reasons]


def test_the_same_trouble_now_or_today_again_is_an_incident() -> None:
    now = triage("L'ascenseur de la piscine est en panne, on est coincés au 2e", learned=False)
    assert now.category == "incident"
    again = triage("L'ascenseur était déjà en panne hier et ce matin encore, on est coincés")
    assert (again.category, again.urgency) == ("incident", "urgent")


def test_a_trouble_of_yesterday_redone_this_morning_is_a_complaint_for_today() -> None:
    text = "Le site a planté hier soir pendant ma réservation, j'ai dû tout refaire ce matin ?!"
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")


def test_the_past_is_explained_in_french() -> None:
    result = triage("The card machine was broken when we visited, poor", learned=False)
    past = next(r for r in result.reasons if r.code == "past")
    assert "when we visited" in past.text(Translator("fr"))
    assert past.text(Translator("fr")) != past.text(Translator("en"))


@pytest.mark.parametrize(
    "text",
    [
        "Vous fermez à quelle heure cet aprèm ?",
        "La billetterie est fermée depuis ce matin, personne ne répond, c'est pénible",
        "Le spectacle commence dans 1h et on n'a toujours pas nos billets, c'est nul",
        "vous êtes encore ouverts là ?",
        "on peut encore s'inscrire pour ce soir",
    ],
)
def test_this_morning_this_afternoon_in_an_hour_and_there_now_are_urgent(text: str) -> None:
    result = triage(text, learned=False)
    assert result.category in ("question", "complaint")
    assert result.urgency == "urgent"


def test_too_fast_is_not_now() -> None:
    result = triage("La guide parlait trop vite, on n'a rien compris", learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")


@pytest.mark.parametrize(
    "text",
    [
        "La porte de la chapelle est magnifique, bravo pour la restauration",
        "Est-ce que l'ascenseur est accessible avec une poussette ?",
        "Mon fils a adoré l'atelier, il pleure pour y retourner !",
    ],
)
def test_a_thing_or_a_person_without_a_bad_state_is_no_incident(text: str) -> None:
    assert triage(text, learned=False).category != "incident"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("When we got there the toilets were flooded and nobody cared", "were"),
        ("Ça fait deux mois que l'éclairage du parking est en panne, lamentable", "deux mois"),
    ],
)
def test_a_state_told_in_the_past_or_lasting_for_months_is_a_complaint(
    text: str, when: str
) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")
    assert any(when in w for w in words_of(result, "past"))


def test_a_breakdown_still_not_fixed_weeks_later_is_a_complaint_for_no_particular_day() -> None:
    text = "Two months later the broken gate at the skate park still hasn't been fixed"
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")


def test_a_person_in_trouble_for_weeks_is_still_an_incident() -> None:
    result = triage("Un homme menace ma fille depuis trois semaines à la sortie du club")
    assert result.category == "incident"


@pytest.mark.parametrize(
    "text",
    [
        "On attend le guide depuis 25 minutes au point de rendez-vous, personne, c'est nul",
        "Still no sign of the shuttle, we're at the stop and we're going to miss the show, poor",
        "Ça fait une demi-heure qu'on poireaute à la caisse",
    ],
)
def test_a_wait_still_going_on_is_urgent(text: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "urgent")


ROWS = [
    ("le compteur gronde dans la cave", "incident"),
    ("le compteur gronde et claque fort", "incident"),
    ("la cave gronde, le compteur claque", "incident"),
    ("le guide était froid", "complaint"),
    ("accueil froid au gymnase, le guide était nul", "complaint"),
    ("merci pour la visite du gymnase", "praise"),
    ("merci pour la belle visite", "praise"),
    ("vous ouvrez à quelle heure ?", "question"),
    ("à quelle heure vous ouvrez le gymnase ?", "question"),
]


def test_a_model_that_read_incidents_in_such_words_overrules_the_rules_and_says_why() -> None:
    model = from_data(fit(ROWS))
    text = "le compteur du gymnase gronde, froid"  # for the rules, a weak cue: "froid"
    assert judge(text, None, None).category == "other"
    found = model.guess(text)
    assert found is not None and found.category == "incident" and found.probability >= 0.5
    result = judge(text, None, model, POLICY)
    assert (result.category, result.urgency) == ("incident", "urgent")
    assert result.reasons[0].code == "like_incident"
    assert set(result.reasons[0].words) <= {"compteur", "gronde,"} | {"compteur", "gronde"}
    assert "compteur" in result.reasons[0].words
    # Less sure than the policy asks: the rules' answer stands.
    assert judge(text, None, model, Policy(found.probability + 0.01)).category == "other"


def test_an_incident_the_rules_found_stands_whatever_the_model_says() -> None:
    model = from_data(fit([*ROWS, *((f"merci merci fumée {n}", "praise") for n in range(9))]))
    text = "il y a de la fumée qui sort du local, merci de venir vite"
    assert judge(text, None, None).category == "incident"
    found = model.guess(text)
    assert found is not None and found.category == "praise"
    assert judge(text, None, model, POLICY).category == "incident"


def test_the_words_quoted_are_those_of_the_message_as_written() -> None:
    model = from_data(fit(ROWS))
    found = model.guess("Le COMPTEUR gronde!!")
    assert found is not None
    assert model.explain("Le COMPTEUR gronde!!", found)[:1] in (("COMPTEUR",), ("gronde",))


def test_a_phishing_message_about_an_account_is_spam_not_an_incident() -> None:
    text = "Votre compte va être désactivé, vérifiez vos informations ici : secure-verif.com"
    assert triage(text, learned=False).category == "spam"


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("Personne à l'accueil depuis un quart d'heure, on attend, c'est nul", "urgent"),
        ("Still waiting for my refund, that's two months now, ridiculous", "normal"),
    ],
)
def test_a_quarter_of_an_hour_is_now_two_months_is_not(text: str, urgency: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", urgency)


def test_something_forgotten_yesterday_is_still_to_be_found() -> None:
    result = triage("J'ai oublié mon écharpe au vestiaire de la salle hier soir", learned=False)
    assert (result.category, result.urgency) == ("incident", "urgent")


def test_a_pleasant_smell_is_praise_not_a_danger() -> None:
    # For the rules; the learned model, 53 % sure of an incident from "sent", overrules
    # them (a false alarm; known limits in docs/triage.md).
    assert triage("ça sent bon la barbe à papa dans le parc !", learned=False).category == "praise"
    assert triage("ça sent le plastique brûlé dans la salle", learned=False).category == "incident"


def test_thanks_for_last_night_with_a_lone_hint_of_trouble_stays_praise() -> None:
    result = triage("Merci à la police municipale pour leur aide hier soir, très pros")
    assert result.category == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "is the pool open this arvo or is it still the school carnival?",
        "tonite's gig still on? there's a storm warning",
        "is the 7:15 ferry running tmrw with this wind?",
        "le marché de noël ouvre à quelle heure tantôt ?",
        "our flight's delayed, we land at 11.40pm, can we still check in?",
        "le parking du zoo est déjà plein ? on est sur la route",
    ],
)
def test_the_day_said_as_people_say_it_is_urgent(text: str) -> None:
    assert triage(text, learned=False).urgency == "urgent"


def test_still_waiting_for_a_refund_is_not_about_today() -> None:
    assert triage("Still waiting for my refund after 4 weeks. Unacceptable.").urgency == "normal"
