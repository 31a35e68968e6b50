"""Session 5's constructions, read by the rules alone (no learned fallback), on wordings
that are in no labelled set: incidents told by how things are arranged (an object left
alone, someone who looks unwell, someone missing from a group, an alarm asked as a
question), spam without spam words, complaints signed off with approval, rhetorical
questions, fears overturned, friends tagged, wishes, labels."""

from __future__ import annotations

import pytest

from palabre.core.i18n import Translator
from palabre.inbox.triage import triage
from palabre.inbox.triage.text import tokens


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


@pytest.mark.parametrize(
    "text",
    [
        # an object left where nobody watches it
        "Un sac de sport posé sous l'escalier du théâtre, personne autour depuis le début",
        "A rucksack has been left by the lockers and nobody around seems to own it",
        # someone who looks unwell
        "Le vieux monsieur au fond de la salle a l'air désorienté, il cherche sa femme",
        "The man on the bench outside looks very grey and is sweating a lot",
        # someone missing when a group is counted
        "Au retour de la forêt il manque un de nos campeurs, Lucas, 11 ans",
        "Headcount after the museum trip: one of our pupils is missing",
        # an alarm asked as a question
        "C'est normal que le chauffe-eau des douches fasse un bruit de claquement énorme ?",
        "Is it normal that the tap water in the café is brown?",
        # a near miss, an animal on the loose, nobody watching
        "Un camion de livraison a failli écraser un gamin à la sortie de la crèche",
        "A dog off the lead is chasing the ducks and the toddlers by the pond",
        "Pas de surveillant à la piscine à vagues et plein d'enfants dans l'eau",
        # fields widened in session 5
        "The revolving door closed on an old lady's foot and won't turn back",
        "Plus de chauffage à l'Ehpad depuis cette nuit, les résidents ont froid",
        "Papi est sorti fumer il y a une heure et on le retrouve pas",
        "L'escalier mécanique s'est emballé avec des gens dessus",
    ],
)
def test_an_incident_told_by_its_construction(text: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency, result.important) == ("incident", "urgent", True)


@pytest.mark.parametrize(
    "text",
    [
        # the same fields, harmless
        "Mon sac est tout petit, on peut le garder pendant la visite ?",
        "Il manque des bancs dans le jardin",
        "C'est normal que le musée soit fermé le mardi ?",
        "The new gallery looks amazing",
        "Nous avons presque fini la visite, mon fils a adoré",
        "Les chiens sont-ils acceptés sur la terrasse ?",
        # a near miss of joy, being lost in a book, asking whether opening hours are normal
        "Mon petit a failli s'endormir tellement le concert était doux",
        "My daughter nearly cried with joy at the puppet show",
        "Ma fille est perdue dans ses livres depuis qu'elle a sa carte",
        "Is it normal for the swimming pool to shut at 6 on Saturdays?",
    ],
)
def test_the_same_words_without_the_construction_are_no_incident(text: str) -> None:
    assert triage(text, learned=False).category != "incident"


@pytest.mark.parametrize(
    "text",
    [
        "We're a skincare brand looking for partners, 30% off for your followers, DM us",
        "Notre agence propose des vidéos pour vos événements, devis gratuit sur demande",
        "Votre compte sera suspendu sous 24h, confirmez votre identité ici : verif-compte.net",
        "Your delivery could not be delivered, pay the fee here: royal-parcel-help.com",
        "Jolie photo ! Des sacs de créateurs à -60% → sacs-outlet.shop",
        "Vérification obligatoire de votre profil, sinon il sera bloqué : profil-check.net",
    ],
)
def test_spam_without_spam_words(text: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency, result.important) == ("spam", "low", False)
    assert "spam" in codes(result)


@pytest.mark.parametrize(
    "text",
    [
        "C'est gratuit pour les enfants ? Le programme est sur ville-exemple.fr",
        "Merci à notre agence de voyage qui nous a fait découvrir votre musée !",
        "One idea: partner with the schools for free visits on weekdays",
    ],
)
def test_an_offer_or_a_link_alone_is_not_spam(text: str) -> None:
    assert triage(text, learned=False).category != "spam"


def test_a_bare_domain_is_read_as_a_link() -> None:
    assert [t.norm for t in tokens("voir promo-outlet.shop/x maintenant")] == [
        "voir",
        "<url>",
        "maintenant",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Bibliothèque fermée tout le mois de juillet, juste quand les étudiants révisent. Logique.",
        "The ramp has been blocked by bins since Monday. Good job.",
        "Les horaires changés sans préavis, trois familles sont reparties. Chapeau.",
        "Oh sure, hold the fun run on the hottest day of the year",
        "Spectacle à 22h un soir d'école, les parents qui travaillent font comment ?",
        "Merci pour l'accueil glacial à la billetterie ce matin",
        "Quatre fois que je signale la fuite du toit du gymnase, toujours rien de fait",
        "Two months without a working lift at the library, and still nothing",
        "Le « super » nouveau parking a dix places pour tout le quartier",
        "Our 'lovely' new bus shelter has no roof",
        "Super idée de fermer la médiathèque le samedi",
        "Bravo le nouvel horodateur, il n'accepte pas les cartes",
        "Why is the skatepark always closed when it's sunny?",
    ],
)
def test_a_complaint_without_a_negative_word(text: str) -> None:
    assert triage(text, learned=False).category == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "J'avais peur que ce soit ennuyeux et pas du tout, super conférence",
        "I was worried the kids would be bored but not at all, great workshop",
        "Je n'ai jamais été déçue par vos concerts, merci",
    ],
)
def test_a_fear_overturned_or_a_litotes_is_praise(text: str) -> None:
    assert triage(text, learned=False).category == "praise"


def test_friends_tagged_and_wishes_are_other_with_their_reason() -> None:
    tagged = triage("@Lea @Sam regardez, c'est là qu'on a fêté tes 30 ans", learned=True)
    assert (tagged.category, codes(tagged)) == ("other", ["friends"])
    wish = triage("Bonne année à toute l'équipe de la piscine 🎉", learned=True)
    assert (wish.category, codes(wish)) == ("other", ["wishes"])
    fr = Translator("fr")
    assert wish.reasons[0].text(fr) == "adresse des vœux : Bonne année"
    # tagging the organisation to ask it something is still a question
    assert triage("@mairie vous êtes ouverts demain ?").category == "question"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Petite question : le parking est payant le samedi", "question"),
        ("quick q, are dogs allowed in the gardens", "question"),
        ("Idée pour la piscine : des créneaux réservés aux nageurs lents", "suggestion"),
    ],
)
def test_an_opening_label_says_what_the_message_is(text: str, category: str) -> None:
    assert triage(text, learned=False).category == category


def test_a_story_of_the_past_with_a_consequence_now_is_a_complaint() -> None:
    result = triage(
        "La billetterie a planté tout le week-end dernier et maintenant c'est complet",
        learned=False,
    )
    assert (result.category, result.urgency) == ("complaint", "normal")


def test_a_thing_forgotten_yesterday_and_asked_about_is_a_question() -> None:
    result = triage("J'ai oublié mon bonnet hier au cinéma, quelqu'un l'a trouvé ?")
    assert (result.category, result.urgency) == ("question", "normal")


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        # "now" meaning these days
        ("Le cinéma est devenu hors de prix maintenant, dommage", "normal"),
        ("Getting to the market is a nightmare now that the bridge is one-way", "normal"),
        # now meaning now
        ("On attend devant la mairie depuis 20 minutes, c'est fermé, pas normal", "urgent"),
    ],
)
def test_now_as_these_days_is_not_urgent(text: str, urgency: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", urgency)


def test_a_refund_asked_for_a_thing_that_fails_is_a_complaint() -> None:
    result = triage("Le jeu de piste numérique bug à chaque étape, remboursez-moi", learned=False)
    assert (result.category, result.urgency, result.important) == ("complaint", "normal", True)
    # money taken for nothing is still an incident, refund asked or not
    taken = triage("Payé deux fois le même billet sur l'appli, remboursez-moi", learned=False)
    assert taken.category == "incident"
