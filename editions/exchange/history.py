"""Every PO import kept: who, when, the file's name and SHA-256, counts and the report."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, Select, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from editions.core.models import Base, User, utcnow
from editions.exchange.importer import ImportReport


class PoImport(Base):
    __tablename__ = "po_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    editions: Mapped[str] = mapped_column(String(120))  # comma-separated codes
    applied: Mapped[int] = mapped_column(Integer)
    drafts: Mapped[int] = mapped_column(Integer)
    stale: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    report: Mapped[str] = mapped_column(Text)  # ImportReport.as_dict() as JSON

    user: Mapped[User | None] = relationship(lazy="raise")

    def report_data(self) -> dict[str, object]:
        return json.loads(self.report)


def record_import(session: Session, report: ImportReport, user: User | None) -> PoImport:
    counts = report.counts
    record = PoImport(
        user_id=user.id if user else None,
        filename=report.filename[:255],
        sha256=report.sha256,
        editions=",".join(report.editions),
        applied=counts["applied"],
        drafts=counts["draft"],
        stale=counts["stale"],
        unchanged=counts["unchanged"],
        rejected=counts["rejected"],
        report=json.dumps(report.as_dict(), ensure_ascii=False),
    )
    session.add(record)
    session.flush()
    return record


def imports_select() -> Select:
    """Newest first, with the user who imported (templates show their name)."""
    return select(PoImport).options(selectinload(PoImport.user)).order_by(PoImport.id.desc())
