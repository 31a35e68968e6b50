"""A demo workspace: the Musée des Beaux-Arts de Valcourt, a fictional museum.

Preview channels only, so a newcomer sees everything work with no account anywhere:
posts in every state, deliveries recorded by the preview channel, a failed one to retry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from palabre.automations import demo as demo_robots
from palabre.channels import services as channels
from palabre.channels.preview.models import PreviewRecord
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.publishing import services as publishing
from palabre.publishing.models import Delivery, Post
from palabre.publishing.validation import Draft
from palabre.sources.demo import add_demo_sources
from palabre.team import services as team
from palabre.team.models import User, Workspace
from palabre.worker import build_runner

PASSWORD = "palabre-demo"  # noqa: S105 (the demo sign-in, printed on purpose)
PEOPLE = [
    ("claire@musee-valcourt.example", "Claire Martin", "owner"),
    ("hugo@musee-valcourt.example", "Hugo Lefèvre", "manager"),
    ("nadia@musee-valcourt.example", "Nadia Benali", "member"),
    ("lucas@musee-valcourt.example", "Lucas (bénévole)", "contributor"),
    ("direction@musee-valcourt.example", "Direction", "viewer"),
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    base = utcnow().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return base + timedelta(days=days)


def load(rt: Runtime, now: datetime | None = None) -> list[tuple[str, str, str]]:
    """Create the demo once; return the sign-ins (email, password, role). The sources'
    dates follow ``now`` (the moment of loading), so the robots always have work."""
    logins = [(email, PASSWORD, role) for email, _name, role in PEOPLE]
    with rt.db.transaction() as session:
        if session.scalar(select(User.id).where(User.email == PEOPLE[0][0])):
            return logins
        ws = session.scalar(select(Workspace).order_by(Workspace.id).limit(1))
        if ws is None:
            ws = team.create_workspace(session, name="Musée des Beaux-Arts de Valcourt")
        else:
            ws.name = "Musée des Beaux-Arts de Valcourt"
        users = {
            role: team.create_user(
                session, ws, email=email, name=name, role=role, password=PASSWORD, actor=None
            )
            for email, name, role in PEOPLE
        }
        owner, manager, member, volunteer = (
            users[r] for r in ("owner", "manager", "member", "contributor")
        )
        masto = channels.create_channel(
            session,
            ws,
            kind="preview",
            name="Mastodon (aperçu)",
            settings={"imitates": "mastodon"},
            actor=owner,
            box=rt.box,
        )
        bsky = channels.create_channel(
            session,
            ws,
            kind="preview",
            name="Bluesky (aperçu)",
            settings={"imitates": "bluesky"},
            actor=owner,
            box=rt.box,
        )
        both = [masto.id, bsky.id]
        # Published: scheduled for "now", delivered by the worker below.
        for text in (
            "Le musée rouvre ses portes ce matin après trois semaines de travaux : "
            "venez découvrir la nouvelle salle des primitifs flamands ! https://musee-valcourt.example/actualites/reouverture",
            "Merci aux 1 200 visiteurs de la Nuit des musées 🌙 À l'année prochaine !",
        ):
            publishing.create_post(session, ws, Draft(text=text, channel_ids=both), author=manager)
        failed = publishing.create_post(
            session,
            ws,
            Draft(
                text="Atelier aquarelle pour les 8-12 ans, samedi à 14 h. "
                "Inscriptions à l'accueil.",
                channel_ids=[masto.id],
            ),
            author=member,
        )
        # Scheduled, in the days to come, one with a text of its own for Bluesky.
        publishing.create_post(
            session,
            ws,
            Draft(
                text="Visite guidée « Les couleurs de Turner » ce dimanche à 11 h, gratuite "
                "pour les moins de 26 ans. "
                "Réservation : https://musee-valcourt.example/agenda/turner",
                channel_ids=both,
                variants={bsky.id: "Dimanche 11 h : visite guidée « Les couleurs de Turner » 🎨"},
                scheduled_at=_at(2, 8, 30),
            ),
            author=manager,
        )
        publishing.create_post(
            session,
            ws,
            Draft(
                text="Conférence jeudi soir : restaurer un retable du XVe siècle, par l'atelier "
                "de restauration du musée. Entrée libre.",
                channel_ids=[masto.id],
                scheduled_at=_at(5, 16),
            ),
            author=member,
        )
        # Awaiting approval: a volunteer's proposals.
        publishing.create_post(
            session,
            ws,
            Draft(
                text="Petit quiz du vendredi : de quel siècle date la tapisserie de l'entrée ? "
                "Réponse lundi ! #quiz #patrimoine",
                channel_ids=both,
                scheduled_at=_at(3, 10),
            ),
            author=volunteer,
            intent="submit",
        )
        publishing.create_post(
            session,
            ws,
            Draft(
                text="Les bénévoles recherchent des témoignages sur l'ancienne école de dessin. "
                "Écrivez-nous !",
                channel_ids=[bsky.id],
            ),
            author=volunteer,
            intent="submit",
        )
        # A draft, and a cancelled post.
        publishing.create_post(
            session,
            ws,
            Draft(
                text="Brouillon : annonce de l'exposition d'été (dates à confirmer)",
                channel_ids=both,
                scheduled_at=_at(20, 9),
            ),
            author=member,
            intent="draft",
        )
        cancelled = publishing.create_post(
            session,
            ws,
            Draft(
                text="Fermeture exceptionnelle lundi (annulé : le musée reste ouvert)",
                channel_ids=[masto.id],
                scheduled_at=_at(1, 7),
            ),
            author=manager,
        )
        publishing.cancel_post(session, cancelled, actor=manager)
        demo_sources = add_demo_sources(session, ws, manager, now)
        demo_robots.seed(session, ws, manager, demo_sources, [masto, bsky], now)
        failed_id = failed.id
    runner = build_runner(rt)
    runner.run_until_idle()
    _show_a_failure(rt, failed_id)
    return logins


def _show_a_failure(rt: Runtime, post_id: int) -> None:
    """Demo data only: one delivery refused by the network, so the retry button shows."""
    with rt.db.transaction() as session:
        post = session.get(Post, post_id)
        assert post is not None
        for delivery in session.scalars(select(Delivery).where(Delivery.post_id == post_id)):
            session.execute(
                delete(PreviewRecord).where(
                    PreviewRecord.idempotency_key == delivery.idempotency_key
                )
            )
            delivery.state = "failed"
            delivery.attempts = 1  # the network refused it at the first try
            delivery.remote_id = None
            delivery.last_error = (
                "Exemple de démonstration : le réseau a refusé la publication "
                "(HTTP 422). Corrigez puis réessayez."
            )
        post.state = "failed"
