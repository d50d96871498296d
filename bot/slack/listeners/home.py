"""The Home tab: publishing it when opened, and the profile controls on it."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.deps import Services
from bot.slack.home import publish_home
from bot.slack.replies import Reply
from bot.slack.requests import Click
from bot.slack.routes import Event, Surface


def home_opened(services: Services, event: Event, client: WebClient) -> None:
    person = event.person
    if event.data.get("tab", "home") != "home" or person is None:
        return
    publish_home(services, client, services.people.complete(person) if person.is_new else person)


def role_chosen(services: Services, click: Click) -> Reply:
    changed = services.profile.choose_role(click.person, click.chosen[0] if click.chosen else "")
    return Reply(home=True, person=changed)


def skills_chosen(services: Services, click: Click) -> Reply:
    return Reply(home=True, person=services.profile.choose_skills(click.person, click.chosen))


def followups_toggled(services: Services, click: Click) -> Reply:
    changed = services.profile.set_followups(click.person, click.data.get("on") is True)
    return Reply(home=True, person=changed)


SURFACE = Surface(
    actions={"profile_role": role_chosen, "profile_skills": skills_chosen, "followups_toggle": followups_toggled},
    events={"app_home_opened": home_opened},
)
