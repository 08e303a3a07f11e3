"""News from anyone, shown in the queue without a refresh key: new MQLs, new scores,
a CRM round's leads, another program's changes to the same file. A look never waits
on the store: when a worker holds it, the next look goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from leadtui.tui.desk import Desk, Refused
from leadtui.tui.messages import CrmDone, LogOpened, News

if TYPE_CHECKING:
    from leadtui.tui.widgets.queue_list import QueueList

    class Host(Screen[None]):
        """What the news needs of the screen it is mixed into."""

        desk: Desk
        read_up_to: int | None  # the event log's end when last read
        new_ids: set[int]  # leads handed over while the screen is open

        @property
        def queue(self) -> QueueList: ...

        def reload(self, *, follow: list[int] | None = None, at: int | None = None) -> None:
            """Read the list again, the cursor on the first of `follow` still shown."""

else:
    Host = object


class QueueNews(Host):
    # Handlers by name (on_news, ...): Textual gathers `@on` handlers only from the
    # classes its widgets are, not from a mixin.
    @work(thread=True, group="open")
    def open_the_log(self) -> None:
        """Note where the event log ends before the first page is read: news is what
        comes after."""
        try:
            end: int | None = self.desk.read(lambda store: store.last_seq())
        except Refused:
            end = None  # the page load says what went wrong; the next look tries again
        self.post_message(LogOpened(end))

    def on_log_opened(self, opened: LogOpened) -> None:
        """The queue starts once the log's end is known."""
        self.read_up_to = opened.end
        self.reload()

    def on_crm_done(self, done: CrmDone) -> None:
        """Leads the CRM just handed over show at once, not at the next look."""
        if done.done is not None and (done.done.imported or done.done.updated):
            self.watch_for_news()

    @work(thread=True, exclusive=True, group="news")
    def watch_for_news(self) -> None:
        """Whatever changed in the file since the last look shows without a refresh key.
        A look never waits on the store: when a worker holds it, the next one goes."""
        since = self.read_up_to
        try:
            news = self.desk.peek(
                lambda store: (
                    store.news_since(since) if since is not None else ([], store.last_seq())
                )
            )
        except Refused:
            return
        if news is None or news[1] == since or get_current_worker().is_cancelled:
            return
        self.post_message(News(since, *news))

    def on_news(self, news: News) -> None:
        if news.since != self.read_up_to:
            return  # a look from before the last one landed: that one said it all
        self.read_up_to = news.end
        if news.since is None:
            return  # the log could not be read as the queue opened: now it is
        self.new_ids.update(lead.id for lead in news.fresh if lead.id is not None)
        for lead in news.fresh[:3]:
            self.notify(f"{lead.name} ({lead.company}), score {lead.score}", title="New MQL")
        if len(news.fresh) > 3:
            self.notify(f"and {len(news.fresh) - 3} more", title="New MQLs")
        self.reload(follow=self.following())

    def following(self) -> list[int] | None:
        return [line.row.id] if (line := self.queue.current) else None
