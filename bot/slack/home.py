"""The Home tab, assembled from the services and published."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.people.types import PersonRef
from bot.slack.blocks.challenge_home import home_section as challenges_section
from bot.slack.blocks.home import home_view, ratings_section
from bot.slack.blocks.practice_home import home_section
from bot.slack.deps import Services


def publish_home(services: Services, client: WebClient, person: PersonRef) -> None:
    practice = home_section(
        services.practice.overview(person), services.practice.techniques(), services.days.recent_reflections(person)
    )
    challenges = challenges_section(services.challenge_home.overview(person))
    ratings = ratings_section(services.ratings.of(person))
    view = home_view(services.profile.model(person), practice + challenges + ratings)
    client.views_publish(user_id=person.slack_user_id, view=view)
