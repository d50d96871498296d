"""The micro-resource library: search, the personal menu, opening, feedback, tailoring, unmet needs."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.content.types import CatalogueState, ResourceView
from bot.db.engine import transaction
from bot.errors import BadInput, NotFound
from bot.library import repository
from bot.library.fit import Fit
from bot.library.shelf import Shelf
from bot.library.types import Menu, Rated, Results
from bot.llm.types import Writer, WriteRequest, Written
from bot.people.types import PersonRef

QUERY_MAX = 200  # characters searched; the rest of a pasted paragraph adds noise, not meaning
PAGE = 3
TAILOR_DEADLINE = 8.0  # seconds; the person is waiting for it in Slack
ANSWERS = {"button": ("helpful", "not_helpful"), "followup": ("yes", "not_yet", "no")}


def clean_query(text: str) -> str:
    """What to search for: whitespace collapsed, length capped (the edge took Slack's markup out already)."""
    return " ".join(text.split())[:QUERY_MAX]


class LibraryService:
    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock, shelf: Shelf, writer: Writer) -> None:
        self._sessions = sessions
        self._clock = clock
        self._shelf = shelf
        self._writer = writer

    # -- finding ------------------------------------------------------------------------------------------------
    def search(self, person: PersonRef, text: str) -> Results:
        """The best resources for `text`, ranked for the person; the query is recorded with its results."""
        query = clean_query(text)
        if not query:
            raise BadInput("Tell me what you need, for example `/learn giving feedback`.")
        shelf = self._shelf.current()
        state = shelf.catalogue
        role = state.role_of(person.role_key, person.title)
        found = shelf.index.search(query, role=role, skills=person.skills, limit=PAGE)
        with transaction(self._sessions) as session:
            search_id = repository.record_search(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                query=query,
                results=[
                    {"key": h.key, "score": round(h.score, 3), "coverage": round(h.coverage, 2)} for h in found.hits
                ],
                fit=found.fit,
                now=self._clock.now(),
            )
        shown = found.fit is not Fit.NOTHING
        views = [state.resources[hit.key] for hit in found.hits] if shown else []
        elsewhere = None if shown else found.elsewhere
        return Results(query, search_id, views, 0, found.total if shown else 0, found.fit, elsewhere)

    def more(self, person: PersonRef, search_id: int, offset: int) -> Results:
        """The next page of an earlier search of the person's own."""
        with self._sessions() as session:
            query = self._own_search(session, person, search_id)
        shelf = self._shelf.current()
        role = shelf.catalogue.role_of(person.role_key, person.title)
        found = shelf.index.search(query, role=role, skills=person.skills, limit=PAGE, offset=max(offset, 0))
        views = [shelf.catalogue.resources[hit.key] for hit in found.hits]
        return Results(query, search_id, views, max(offset, 0), found.total, found.fit)

    def menu(self, person: PersonRef) -> Menu:
        shelf = self._shelf.current()
        state = shelf.catalogue
        role = state.role_of(person.role_key, person.title)
        with self._sessions() as session:
            recent_ids = repository.recent_opens(session, person_id=person.person_id, limit=3)
        recent = [state.by_id[item] for item in recent_ids if item in state.by_id]
        keys = shelf.index.recommend(role=role, skills=person.skills, limit=3, exclude=[r.key for r in recent])
        return Menu(
            role_name=state.roles[role].name if role in state.roles else None,
            skill_names=state.skill_names(person.skills),
            recommended=[state.resources[key] for key in keys],
            recent=recent,
        )

    def resource(self, key: str) -> ResourceView:
        """A current resource, or NotFound when it was retired while someone had it open."""
        return _resource(self._shelf.catalogue.current(), key)

    # -- what people do with resources ---------------------------------------------------------------------------
    def opened(self, person: PersonRef, key: str, search_id: int | None) -> ResourceView:
        """Record that the person opened a resource; a search id not of their own is not kept with it."""
        view = self.resource(key)
        now = self._clock.now()
        with transaction(self._sessions) as session:
            if search_id is not None and repository.search_owner(session, search_id) != person.person_id:
                search_id = None
            repository.record_open(session, person_id=person.person_id, item_id=view.id, now=now)
            repository.record_event(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                kind="opened",
                item_id=view.id,
                search_id=search_id,
                now=now,
            )
        return view

    def rate(self, person: PersonRef, key: str, value: str, *, source: str = "button") -> Rated:
        """Record helpful / not helpful (or a follow-up answer); a second answer replaces the first."""
        if value not in ANSWERS.get(source, ()):
            raise BadInput("I could not read that answer.")
        view = self.resource(key)
        with transaction(self._sessions) as session:
            first = repository.set_feedback(
                session, person_id=person.person_id, item_id=view.id, source=source, value=value, now=self._clock.now()
            )
        return Rated(view, value, first)

    def request_resource(self, person: PersonRef, search_id: int) -> str:
        """Record that the person wants a resource for what they searched; returns that query."""
        with transaction(self._sessions) as session:
            query = self._own_search(session, person, search_id)
            repository.record_event(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                kind="requested",
                search_id=search_id,
                detail=query,
                now=self._clock.now(),
            )
            return query

    # -- writing -----------------------------------------------------------------------------------------------
    def tailor(self, person: PersonRef, key: str, situation: str | None = None) -> tuple[ResourceView, Written]:
        """The resource's advice rewritten for the person's role (the template when no model answers in time)."""
        state = self._shelf.catalogue.current()
        view = _resource(state, key)
        content = view.body or view.prompt or view.summary
        request = WriteRequest(
            prompt="tailor_resource",
            variables={
                "role": state.role_name(person.role_key, person.title),
                "skills": ", ".join(state.skill_names(person.skills)),
                "resource_title": view.title,
                "resource_summary": view.summary,
                "resource_content": content[:4000],
            },
            user_text=clean_query(situation) if situation else None,
            workspace_id=person.workspace_id,
            deadline=TAILOR_DEADLINE,
            allowed_links=frozenset({view.url}) if view.url else frozenset(),
        )
        written = self._writer.write(request)
        with transaction(self._sessions) as session:
            repository.record_event(
                session,
                workspace_id=person.workspace_id,
                person_id=person.person_id,
                kind="tailored",
                item_id=view.id,
                detail="ai" if written.ai else "template",
                now=self._clock.now(),
            )
        return view, written

    def quick_guide(self, person: PersonRef, topic: str) -> Written:
        """A short guide for a topic the library does not cover, labelled as AI-written when a model wrote it."""
        state = self._shelf.catalogue.current()
        return self._writer.write(
            WriteRequest(
                prompt="quick_guide",
                variables={"role": state.role_name(person.role_key, person.title)},
                user_text=clean_query(topic),
                workspace_id=person.workspace_id,
                deadline=TAILOR_DEADLINE,
            )
        )

    def _own_search(self, session: Session, person: PersonRef, search_id: int) -> str:
        search = repository.find_search(session, search_id)
        if search is None or search.person_id != person.person_id:
            raise NotFound("That search has expired. Try `/learn` again.")
        return search.query


def _resource(state: CatalogueState, key: str) -> ResourceView:
    view = state.resources.get(key)
    if view is None:
        raise NotFound("That resource is no longer in the library. Try `/learn` with your topic again.")
    return view
