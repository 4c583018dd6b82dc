"""Training materials, which sessions they are attached to, and where else they are published."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.core.models_base import Timestamped, UTCDateTime, utcnow
from portal.training.models import AUDIENCES, TrainingSession

# Where a material can also be published (letter 003 asks for the Bình dân học vụ số platform), in the order shown.
PLATFORMS = ("binh_dan_hoc_vu_so", "ministry_portal", "national_public_service_portal")

session_materials = Table(
    "training_session_materials",
    db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("material_id", ForeignKey("materials.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Material(Timestamped, db.Model):
    """A training guide: an uploaded file (kept outside static/) or a link to a video or e-learning course."""

    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint(f"audience IN {AUDIENCES}", name="audience"),
        CheckConstraint("(stored_name IS NOT NULL) <> (link IS NOT NULL)", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(12))
    version: Mapped[str] = mapped_column(String(40), default="")
    published_on: Mapped[date] = mapped_column(Date)
    is_public: Mapped[bool] = mapped_column(default=True)
    link: Mapped[str | None] = mapped_column(String(500))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    sessions: Mapped[list[TrainingSession]] = relationship(secondary=session_materials, back_populates="materials")
    publications: Mapped[list["MaterialPublication"]] = relationship(
        back_populates="material", cascade="all, delete-orphan", passive_deletes=True,
        order_by="MaterialPublication.platform")

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.title!r}>"


class MaterialPublication(db.Model):
    """Where a material is also published, with the link there: one row per material and platform."""

    __tablename__ = "material_publications"
    __table_args__ = (
        CheckConstraint(f"platform IN {PLATFORMS}", name="platform"),
        UniqueConstraint("material_id", "platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(500))
    published_on: Mapped[date] = mapped_column(Date)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    material: Mapped[Material] = relationship(back_populates="publications")

    def __repr__(self) -> str:
        return f"<MaterialPublication {self.material_id} {self.platform}>"
