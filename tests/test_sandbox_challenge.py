"""The remote-work challenge in the sandbox, typed as two people would type it: `/challenge`, windows filled
with `:type` and numbered choices, `:as`, threads shown as threads, `:reply` in a thread, `:clock` across the
two weeks and the week after."""

from __future__ import annotations

import io
import json

from bot.sandbox.screen import Screen
from bot.sandbox.session import Sandbox
from bot.sandbox.terminal import Terminal


class Typist:
    def __init__(self, bot: Sandbox) -> None:
        self.out = io.StringIO()
        self.terminal = Terminal(sandbox=bot, screen=Screen(bot.emulator, self.out))

    def type(self, line: str) -> str:
        start = self.out.tell()
        assert self.terminal.handle(line)
        self.out.seek(start)
        shown = self.out.read()
        self.out.seek(0, io.SEEK_END)
        return shown

    def press(self, label: str, *, back: int = 1) -> str:
        """`:click` the button or choice with this label: the latest one shown (`back`=2: the one before)."""
        numbers = [i + 1 for i, c in enumerate(self.terminal.screen.clickables) if c.label.split("] ", 1)[-1] == label]
        assert len(numbers) >= back, f"no {label!r} on screen"
        return self.type(f":click {numbers[-back]}")


def test_the_remote_work_challenge_end_to_end_as_two_people(shipped: Sandbox) -> None:
    alex = Typist(shipped)
    window = alex.type("/challenge @Sam remote-best-work")
    assert "--- window: Propose a challenge ---" in window and "(x) Three conversations about remote work" in window
    assert "channel: #managers" in alex.type(":type channel #managers")
    assert "No channel '#nowhere' here" in alex.type(":type channel #nowhere")
    assert "Proposed to @Sam Chen" in alex.type(":submit")

    sam = alex  # the same terminal, as Sam
    assert "You are now Sam Chen" in sam.type(":as Sam")
    proposal = sam.type(":clock +1d")
    assert "@Alex Rivera proposes a challenge for you" in proposal
    sam.press("Accept")
    sam.press("Level 2")
    sam.press("Let <@U0ALEX> see my ratings")  # shown as @Alex Rivera
    started = sam.type(":submit")
    assert "*Progress:* 0 of 3 conversations" in started and "*Next check-in:* Fri 27 Nov 10:00" in started

    checkin = sam.type(":clock 2026-11-27T10:00")
    assert "(in the thread of 'Your challenge: Three conversations" in checkin
    assert "Who are you going to talk to" in checkin
    assert "Saved as a private reflection" in sam.type(":reply Jo does her best work in no-meeting mornings.")
    sam.press("Log progress")
    sam.type(":type count 3")
    assert "3 of 3 conversations" in sam.type(":submit")

    closing = sam.type(":clock 2026-12-08T10:00")
    assert "Today is the last day of *Three conversations about remote work*" in closing
    assert "Finished." in closing
    sam.press("Rate and sum up")
    sam.press("Level 4", back=2)  # the first field: now
    sam.press("Level 2")  # the second: thinking back
    draft = sam.type(":submit")
    assert "A draft of what you learned" in draft and "What I tried:" in draft
    assert "Jo does her best work" not in draft, "her reflections are hers: the draft does not paste them"
    sam.press("Share…")
    sam.type(":type summary Ask before assuming: no-meeting mornings matter most.")
    sam.press("<#C0MANAGERS>, the peer channel")  # shown as #managers
    preview = sam.type(":submit")
    assert "This will be posted in #managers" in preview and "Ask before assuming" in preview
    shared = sam.type(":submit")
    assert "--- #managers," in shared and "@Sam Chen shares what they learned" in shared
    assert "Ask before assuming" in shared

    asked = sam.type(":as Alex")
    assert "lets you see" in asked and "From what you observed" in asked
    sam.press("4: Chooses deliberately between async and live, runs meetings where remote…")
    sam.type(":as Sam")
    assert "A week ago you finished" in sam.type(":clock 2026-12-15T10:00")
    assert "Practise daily" in sam.press("Most weeks")


def test_a_choice_from_a_window_that_has_changed_takes_nothing(shipped: Sandbox) -> None:
    alex = Typist(shipped)
    alex.type("/challenge @Sam remote-best-work")
    alex.type(":submit")  # the window now shows what was saved
    answer = alex.press("7 days")
    assert "That window has closed or changed" in answer


def test_a_managers_list_with_a_nudge_and_an_edit_and_progress_written_in_the_dm(shipped: Sandbox) -> None:
    alex = Typist(shipped)
    alex.type("/challenge @Sam @Priya remote-best-work")
    warned = alex.type(":type colleagues Sam, Priya")  # the window redraws as Slack would
    assert "Sam Chen (Software Engineer) may not be the right person" in warned
    assert "*What it asks:*" in warned and "check-ins on days 3, 7, 11" in warned
    alex.type(":submit")
    alex.type("/challenge @Priya specific-praise-three-people")
    assert "Proposed to @Priya Nair. I'll tell you what they say." in alex.type(":submit")

    sam = Typist(shipped)
    sam.type(":as Sam")
    sam.type(":clock 2026-11-24T09:05")  # Sam's morning in New York: the invitation is there
    sam.press("Accept")
    sam.press("Level 2")
    sam.type(":submit")
    asked = sam.type("I tried it on my weekly update: Jo works best in the mornings")
    assert "Is this about your challenge *Three conversations about remote work*" in asked
    assert "Saved as a private reflection" in sam.press("Save as a reflection")

    alex.type(":as Alex")
    listed = alex.type("/challenge")
    assert "*You proposed 2 challenges*" in listed and "@Sam Chen: going · 0 of 3 conversations" in listed
    assert "@Priya Nair: not answered yet" in listed
    assert listed.count("] Nudge") == 2, "Priya has both invitations and has answered neither"
    assert "I've nudged @Priya Nair, once" in alex.press("Nudge")
    alex.press("Edit")
    alex.type(":type note Priya, your thank-yous in standup are great, so make them specific.")
    assert "Saved. Their invitation shows the new version." in alex.type(":submit")
    everything = alex.press("See them all")
    assert "--- window: Challenges you proposed ---" in everything
    assert everything.count("] Nudge") == 1, "each colleague is nudged once"

    priya = Typist(shipped)
    priya.type(":as Priya")
    invited = priya.type(":clock 2026-11-25T09:30")  # her next working morning in Kolkata
    assert "wondered whether you'd seen this" in invited
    [praise] = [m for m in shipped.emulator.dm_messages("U0PRIYA") if "Specific praise" in m.first_text]
    assert praise.edited and "Why: Priya, your thank-yous" in json.dumps(praise.blocks), "the sent one was edited"
