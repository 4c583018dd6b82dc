"""Official administrative units (34 provinces, 3,321 communes) and the ministry's departments in them."""
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.extensions import db
from portal.core.models_base import Timestamped

COMMUNE_KINDS = ("xa", "phuong", "dac_khu")
PROVINCE_KINDS = ("tinh", "thanh_pho")
DEPARTMENT_KINDS = ("vhttdl", "vhtt", "dl")


class Province(Timestamped, db.Model):
    __tablename__ = "provinces"
    __table_args__ = (CheckConstraint(f"kind IN {PROVINCE_KINDS}", name="kind"),)

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    codename: Mapped[str] = mapped_column(String(120))
    phone_code: Mapped[int]
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    sort_key: Mapped[str] = mapped_column(String(400))

    departments: Mapped[list["Department"]] = relationship(
        back_populates="province", order_by="Department.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Commune(Timestamped, db.Model):
    """A xã, phường or đặc khu, the commune level since the 1 July 2025 reform."""

    __tablename__ = "communes"
    __table_args__ = (CheckConstraint(f"kind IN {COMMUNE_KINDS}", name="kind"),)

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    codename: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    sort_key: Mapped[str] = mapped_column(String(400), index=True)

    province: Mapped[Province] = relationship()

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.name}>"


class Department(Timestamped, db.Model):
    """A Sở of the ministry's sector in one province: Sở VHTTDL, or Sở VH&TT plus Sở DL."""

    __tablename__ = "departments"
    __table_args__ = (
        CheckConstraint(f"kind IN {DEPARTMENT_KINDS}", name="kind"),
        UniqueConstraint("province_code", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))

    province: Mapped[Province] = relationship(back_populates="departments")

    def __repr__(self) -> str:
        return f"<Department {self.id} {self.name}>"
