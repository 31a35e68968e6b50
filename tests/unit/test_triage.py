"""Triage cues as a community manager would notice them: sarcasm read as a complaint,
negation turning a word around, questions without a question mark, time making a
message urgent, spam, incidents, and reasons quoting the person's words."""

from __future__ import annotations

import pytest

from palabre.core.i18n import translator_for
from palabre.inbox.triage import MAX_ANALYSED, Triage, triage


def words_of(result: Triage, code: str) -> list[str]:
    return [w for r in result.reasons if r.code == code for w in r.words]


def codes(result: Triage) -> set[str]:
    return {r.code for r in result.reasons}


@pytest.mark.parametrize(
    "text",
    [
        "Super, encore fermé un dimanche 👏",
        "Great, another 2-hour queue, love it",
        "Génial, annulé à la dernière minute. Bravo.",
        "Oh great, closed again on a bank holiday",
        "Merci pour rien",
        "Thanks for nothing, nobody came",
    ],
)
def test_sarcasm_is_a_complaint_not_praise(text: str) -> None:
    result = triage(text)
    assert result.category == "complaint"
    assert "sarcasm" in codes(result)
    assert "positive" not in codes(result)


def test_the_same_words_without_the_bad_situation_are_praise() -> None:
    assert triage("Super, merci pour le concert 👏").category == "praise"
    assert triage("Great show, love it").category == "praise"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("pas du tout déçu", "praise"),
        ("not bad at all", "praise"),
        ("Je n'ai jamais été déçue par vos visites", "praise"),
        ("never disappointed", "praise"),
        ("not impressed with the new café", "complaint"),
        ("Ce n'est plus agréable du tout", "complaint"),
        ("no longer worth the price", "complaint"),
    ],
)
def test_negation_turns_words_around(text: str, category: str) -> None:
    result = triage(text)
    assert result.category == category
    assert words_of(result, "negation"), result.reasons


def test_idioms_with_a_negation_keep_their_meaning() -> None:
    result = triage("pas terrible le nouveau site")  # French for "not good"
    assert result.category == "complaint"
    assert words_of(result, "negative") == ["pas terrible"]


def test_negation_stops_at_the_end_of_the_clause() -> None:
    # "pas" belongs to the first clause: "déçu" after the comma is meant.
    assert triage("Pas de souci pour le parking, mais très déçu par la visite").category == (
        "complaint"
    )


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais savoir si le musée est ouvert lundi",
        "wondering whether kids get in free",
        "Est-ce que les chiens sont acceptés",
        "Pouvez-vous m'indiquer le chemin depuis la gare",
        "any idea when the new wing opens",
        "does anyone know if parking is free on Sundays",
        "Do you sell the catalogue online",
        "Y a-t-il des visites en anglais",
    ],
)
def test_questions_without_a_question_mark(text: str) -> None:
    result = triage(text)
    assert result.category == "question"
    assert result.urgency == "normal"
    assert "question_words" in codes(result)


def test_a_question_with_its_mark_is_not_said_to_lack_one() -> None:
    result = triage("Le musée est-il ouvert le 1er mai ?")
    assert result.category == "question"
    assert "question_mark" in codes(result) and "question_words" not in codes(result)


def test_an_exclamation_is_not_a_question() -> None:
    assert triage("Quelle belle exposition").category == "praise"
    assert triage("What a wonderful afternoon").category == "praise"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vous êtes ouverts aujourd'hui ?", "question_today"),
        ("Le marché est ouvert ce soir ?", "question_tonight"),
        ("are you open right now", "question_now"),
        ("Can I still book for tomorrow?", "question_tomorrow"),
    ],
)
def test_a_question_about_today_tonight_now_or_tomorrow_is_urgent(text: str, code: str) -> None:
    result = triage(text)
    assert (result.category, result.urgency) == ("question", "urgent")
    assert code in codes(result)


def test_the_same_question_another_day_is_not_urgent() -> None:
    assert triage("Vous êtes ouverts le 14 juillet ?").urgency == "normal"


def test_a_complaint_about_now_is_urgent_and_a_chat_about_today_is_not() -> None:
    complaint = triage("Une heure qu'on attend aujourd'hui, c'est inadmissible")
    assert (complaint.category, complaint.urgency) == ("complaint", "urgent")
    chat = triage("Il pleut à Nantes aujourd'hui")
    assert (chat.category, chat.urgency) == ("other", "low")


@pytest.mark.parametrize(
    "text",
    [
        "Un enfant est tombé dans l'escalier",
        "On a perdu notre fils dans le parc",
        "L'alarme incendie sonne",
        "L'ascenseur est en panne",
        "La cave est inondée",
        "Votre site est en panne",
        "J'ai été débité deux fois",
        "Un homme harcèle les visiteuses à l'entrée",
        "Someone fell on the stairs",
        "Lost child near the fountain",
        "The lift is broken",
        "Your website is down",
        "I was charged twice",
        "possible data leak, I got someone else's booking",
    ],
)
def test_incidents_are_urgent_and_important(text: str) -> None:
    result = triage(text)
    assert (result.category, result.urgency, result.important) == ("incident", "urgent", True)
    assert words_of(result, "incident")


def test_fireworks_are_not_a_fire() -> None:
    result = triage("À quelle heure commence le feu d'artifice ?")
    assert result.category == "question"


def test_a_denied_incident_is_not_one() -> None:
    # The rules read the denial; the learned model, 80 % sure of an incident from "mal"
    # and "blessé", overrules them (a false alarm, the side the policy leans to; known
    # limits in docs/triage.md).
    assert triage("Plus de peur que de mal, pas de blessé", learned=False).category != "incident"


@pytest.mark.parametrize(
    "text",
    [
        "Buy 10k followers cheap 👉 https://followers.example",
        "Gagnez des bitcoins facilement https://crypto.example",
        "Great post! Check my channel https://x.example https://x.example",
        "Votre compte sera suspendu, vérifiez vos infos ici https://phish.example",
    ],
)
def test_spam_is_low_and_never_important(text: str) -> None:
    result = triage(text)
    assert (result.category, result.urgency, result.important) == ("spam", "low", False)


def test_a_link_alone_is_not_spam() -> None:
    # For the rules; the learned model reads this one as spam (67 %): known limits in
    # docs/triage.md.
    result = triage("Merci pour l'article https://musee.example/expo, très beau", learned=False)
    assert result.category == "praise"


def test_praise_with_a_complaint_inside_is_a_complaint_and_shows_both() -> None:
    result = triage("Belle expo mais le café était hors de prix")
    assert result.category == "complaint"
    assert words_of(result, "negative") == ["hors de prix"]
    assert words_of(result, "positive") == ["Belle"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Ce serait bien d'ouvrir le jeudi soir", "suggestion"),
        ("Why not add more benches?", "suggestion"),
        ("You should open later on Fridays", "suggestion"),
    ],
)
def test_suggestions(text: str, category: str) -> None:
    result = triage(text)
    assert (result.category, result.urgency) == (category, "low")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Je veux être remboursé, le spectacle a été annulé", "refund"),
        ("Je vais porter plainte", "legal"),
        ("Journaliste à Ouest-France, pourrais-je interviewer la conservatrice ?", "press"),
        ("What do you do with my personal data?", "personal_data"),
    ],
)
def test_what_makes_a_message_important(text: str, code: str) -> None:
    result = triage(text)
    assert result.important
    assert code in codes(result)


def test_asking_about_refunds_is_not_important() -> None:
    result = triage("I'd like to know whether tickets are refundable")
    assert (result.category, result.important) == ("question", False)


def test_typos_no_accents_elongations_and_capitals() -> None:
    assert triage("decu de la visite, rien a voir").category == "complaint"
    assert triage("trèèès belle expo").category == "praise"
    assert triage("Magnifiiiique !").category == "praise"
    shouting = triage("C'EST INADMISSIBLE D'ATTENDRE AUTANT")
    assert shouting.category == "complaint"
    assert "capitals" in codes(shouting)


def test_emoji_only() -> None:
    assert triage("😍😍😍").category == "praise"
    assert triage("😡").category == "complaint"
    assert triage("🤔").category == "other"


def test_reasons_quote_the_words_as_written() -> None:
    result = triage("Franchement DÉÇUE, salles FERMÉES sans prévenir")
    assert words_of(result, "negative") == ["DÉÇUE", "sans prévenir"]


def test_html_is_read_as_text() -> None:
    html = '<p>Vous êtes <b>ouverts</b> ce soir&nbsp;?</p><script>alert("x")</script>'
    result = triage(html)
    assert (result.category, result.urgency) == ("question", "urgent")
    assert not any("alert" in w or "<" in w for r in result.reasons for w in r.words)


def test_a_very_long_message_is_read_up_to_a_limit_and_says_so() -> None:
    text = "Un enfant est tombé dans l'escalier ! " + "bla " * 5000
    result = triage(text)
    assert result.category == "incident"
    assert "truncated" in codes(result)
    hidden = "bla " * (MAX_ANALYSED // 4 + 10) + "un enfant est tombé"
    assert triage(hidden).category != "incident"  # beyond the limit: not read


def test_right_to_left_text_does_not_break_anything() -> None:
    result = triage("مرحبا، هل المتحف مفتوح اليوم؟")
    assert result.category == "question"  # the Arabic question mark
    assert triage("שלום").category == "other"


def test_language_is_detected_or_taken_as_given() -> None:
    assert triage("Is the museum open on Sundays?").lang == "en"
    assert triage("Le musée est-il ouvert le dimanche ?").lang == "fr"
    assert triage("Is the museum open?", lang="fr").lang == "fr"


def test_reasons_are_translated() -> None:
    result = triage("Vous êtes ouverts aujourd'hui ?")
    reason = next(r for r in result.reasons if r.code == "question_today")
    assert reason.text(translator_for("en")) == "asks a question about today: aujourd'hui"
    assert reason.text(translator_for("fr")) == "pose une question sur aujourd’hui : aujourd'hui"


def test_nothing_found_says_so() -> None:
    result = triage("ok")
    assert result.category == "other"
    assert [r.code for r in result.reasons] == ["nothing"]


def test_the_learned_fallback_speaks_when_the_rules_find_nothing() -> None:
    # No rule knows "payant pour les moins de…" as a question; the model has seen such
    # questions, and says which words made it think so.
    result = triage("c'est payant pour les moins de 26 ans")
    assert (result.category, result.urgency) == ("question", "normal")
    assert result.reasons[0].code == "like_question"
    assert "payant" in result.reasons[0].words
    rules_only = triage("c'est payant pour les moins de 26 ans", learned=False)
    assert (rules_only.category, [r.code for r in rules_only.reasons]) == ("other", ["nothing"])
    leak = triage("le toit de la halle laisse passer la pluie sur les stands")
    assert (leak.category, leak.urgency, leak.important) == ("incident", "urgent", True)
    assert leak.reasons[0].code == "like_incident"


def test_the_learned_fallback_stays_quiet_when_unsure_or_when_rules_spoke() -> None:
    assert [r.code for r in triage("Je note pour plus tard").reasons] == ["nothing"]
    assert not any(r.code.startswith("like_") for r in triage("Ouvert ce soir ?").reasons)


def test_a_sarcastic_question_about_a_repeated_annoyance_is_a_complaint() -> None:
    result = triage("Super, encore fermé un dimanche 👏 vous êtes ouverts demain ?")
    assert (result.category, result.urgency) == ("complaint", "urgent")
    assert "sarcasm" in codes(result) and "when_tomorrow" in codes(result)
    plain = triage("Merci ! Vous êtes fermés demain ?")
    assert (plain.category, plain.urgency) == ("question", "urgent")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a person + a state that needs someone now, a few words apart
        ("Une vieille dame est allongée sur le trottoir, elle ne répond pas", "allongée"),
        ("A man is lying on the floor near the exit", "lying"),
        ("My son wandered away and we cannot see him anywhere", "wandered"),
        # money gone, nothing received
        ("J'ai payé en ligne il y a une heure et toujours rien reçu", "rien reçu"),
        ("Paid at the machine, no ticket came out", "no ticket"),
        # a page or an app that fails
        ("L'appli plante dès que je veux payer", "plante"),
        ("The checkout page shows an error every time", "error"),
        # water, access blocked
        ("ça goutte du plafond dans la salle des fêtes", "goutte"),
        ("Impossible de sortir du parking, la barrière est bloquée", "Impossible de sortir"),
    ],
)
def test_incidents_told_without_a_listed_phrase_are_found_by_their_words_together(
    text: str, words: str
) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency, result.important) == ("incident", "urgent", True)
    assert words in words_of(result, "incident")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Guide hautain et accueil glacial, on ne reviendra pas", "hautain"),
        ("Twenty pounds for that? Daylight robbery", "Daylight robbery"),
        ("Les toilettes étaient crades et ça puait", "crades"),
        ("expo trop petite pour le prix", "pour le prix"),
    ],
)
def test_complaints_in_words_of_rudeness_price_cleanliness(text: str, words: str) -> None:
    result = triage(text, learned=False)
    assert (result.category, result.urgency) == ("complaint", "normal")
    assert words in words_of(result, "negative")


def test_the_learned_fallback_speaks_when_the_rules_find_a_cue_too_weak_to_decide() -> None:
    # "froid" alone is a hint, not a complaint, for the rules; the model has read such
    # cold welcomes before. Its reason comes first, the rules' cue stays shown.
    text = "Le guide était pressé et froid"
    rules_only = triage(text, learned=False)
    assert rules_only.category == "other" and "negative" in codes(rules_only)
    result = triage(text)
    assert result.category == "complaint"
    assert [r.code for r in result.reasons][:2] == ["like_complaint", "negative"]
    assert "froid" in result.reasons[0].words
    assert not result.important  # "pressé" (in a hurry) is not "presse" (the press)
