"""Recurring difficulties: tickets counted by category, province and week, and grouped by similar wording.

Similarity: a ticket's title and description are cut into syllables, stripped of Vietnamese
function words, folded (no diacritics, lower case), and turned into the set of adjacent-syllable pairs ("tai khoan",
"tiep nhan", "ho so"): Vietnamese words are mostly two syllables, so pairs carry the meaning that single
syllables do not. Two tickets are alike when the Jaccard index of their pair sets (shared / all) reaches
SIMILARITY; the title's pairs count twice by being added with a marker. Groups are built greedily, newest
ticket first, each ticket joining the most similar existing group (compared with the group's first ticket).
"""
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.core.extensions import db
from portal.support.models import KnownIssue, Ticket, TicketCategory
from portal.util.text import fold
from portal.units.models import Province

SIMILARITY = 0.2  # on real tickets related pairs score 0.2-0.6 and unrelated ones under 0.05
MAX_TICKETS = 2000
# Function words, matched before diacritics are dropped: "đang" (is doing) must not remove "đăng" (log in).
STOPWORDS = frozenset(
    "và của là cho có không được đã đang sẽ bị khi thì này đó để những các một như với trong tại từ ra vào lên "
    "xin nhờ giúp em anh chị mình tôi chúng chưa vẫn còn rất quá lại rồi nên mà hay hoặc thế dù do".split()
)
WORD = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    """Content syllables without diacritics: "Không đăng nhập được" -> ["dang", "nhap"]."""
    words = WORD.findall(unicodedata.normalize("NFC", text.lower()))
    return [fold(word) for word in words if word not in STOPWORDS]


def pairs(words: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(words, words[1:])} or set(words)


def features(title: str, description: str) -> set[str]:
    """Pairs of the title (marked, so they weigh as much as a second copy) and of the description."""
    title_pairs = pairs(syllables(title))
    return title_pairs | {f"t:{p}" for p in title_pairs} | pairs(syllables(description))


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass
class Group:
    example: Ticket
    signature: set
    tickets: list = field(default_factory=list)

    @property
    def provinces(self) -> list[str]:
        return sorted({t.province.name for t in self.tickets})

    @property
    def known_issue(self) -> KnownIssue | None:
        return next((t.known_issue for t in self.tickets if t.known_issue is not None), None)


def group_tickets(tickets: list[Ticket], threshold: float = SIMILARITY) -> list[Group]:
    """Similar tickets together, the largest groups first."""
    groups: list[Group] = []
    for ticket in tickets:
        signature = features(ticket.title, ticket.description)
        best, best_score = None, threshold
        for group in groups:
            score = jaccard(signature, group.signature)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            best = Group(example=ticket, signature=signature)
            groups.append(best)
        best.tickets.append(ticket)
    return sorted(groups, key=lambda g: (-len(g.tickets), -g.example.id))


def recurring_groups(since: datetime, minimum: int = 2) -> list[Group]:
    """Groups of at least `minimum` tickets filed since the date, from the newest MAX_TICKETS."""
    tickets = db.session.execute(
        select(Ticket).where(Ticket.created_at >= since)
        .options(joinedload(Ticket.province), joinedload(Ticket.known_issue))
        .order_by(Ticket.id.desc()).limit(MAX_TICKETS)
    ).scalars().all()
    return [group for group in group_tickets(tickets) if len(group.tickets) >= minimum]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def counts_by_week(since: datetime) -> tuple[list, list[TicketCategory], dict]:
    """{(week, province name): Counter(category id)} from one grouped query by day."""
    day = func.date(Ticket.created_at)
    rows = db.session.execute(
        select(day, Province.name, Ticket.category_id, func.count(Ticket.id))
        .join(Province, Province.code == Ticket.province_code)
        .where(Ticket.created_at >= since)
        .group_by(day, Province.name, Ticket.category_id)
    ).all()
    table: dict = defaultdict(Counter)
    for day_value, province_name, category_id, count in rows:
        as_date = day_value if isinstance(day_value, date) else date.fromisoformat(str(day_value))
        table[(week_of(as_date), province_name)][category_id] += count
    categories = db.session.execute(select(TicketCategory).order_by(TicketCategory.position)).scalars().all()
    keys = sorted(table, key=lambda key: (key[0], key[1]), reverse=True)
    return keys, categories, table
