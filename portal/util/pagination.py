"""Pagination of row queries (several entities per row), costing one count and one page query."""
from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from portal.core.extensions import db


@dataclass
class RowPage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate_rows(query: Select, page: int, per_page: int) -> RowPage:
    """Like db.paginate, but keeps every column of each row (db.paginate keeps only the first entity)."""
    page = max(page, 1)
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return RowPage(items=rows, page=page, per_page=per_page, total=total)

