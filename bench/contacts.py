"""Benchmarks of the focal-contact list with all 3,321 communes and every department seat filled.

Each figure is a ratio to a baseline measured in the same run on the same data, so that the
numbers compare across machines: the national table against the bare aggregate SQL query it
needs, and the national export against writing the same rows with openpyxl directly.
Run with `make bench`; results are printed and written to bench/results/contacts.json.
"""
import io

from openpyxl import Workbook
from sqlalchemy import select, text

from common import bench_app, interleaved_medians, median_seconds, save_results
from portal.contacts.progress import national_progress
from portal.contacts.spreadsheets import workbook_bytes
from portal.demo.services import fill_contacts
from portal.core.extensions import db
from portal.units.models import Province

BARE_AGGREGATE = text(
    "SELECT c.province_code, count(c.code), count(ct.id), max(ct.updated_at) FROM communes c "
    "LEFT JOIN contacts ct ON ct.commune_code = c.code GROUP BY c.province_code"
)
RAW_ROWS = text(
    "SELECT p.name, u.name, ct.full_name, ct.position, ct.phone, ct.email FROM contacts ct "
    "JOIN provinces p ON p.code = ct.province_code "
    "JOIN (SELECT code AS id, name, 'commune' AS kind FROM communes "
    "      UNION ALL SELECT id, name, 'department' FROM departments) u "
    "  ON u.kind = ct.kind AND u.id = COALESCE(ct.commune_code, ct.department_id) "
    "WHERE ct.kind = :kind ORDER BY p.code"
)

EXPORT_GOAL = 1.5


def raw_workbook() -> bytes:
    """The baseline export: the same rows straight from SQL into a write-only openpyxl workbook."""
    workbook = Workbook(write_only=True)
    for kind in ("department", "commune"):
        sheet = workbook.create_sheet(kind)
        for number, row in enumerate(db.session.execute(RAW_ROWS, {"kind": kind}), start=1):
            sheet.append([number, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> dict:
    with bench_app():
        contacts = fill_contacts(share=lambda province: 1.0)
        db.session.commit()
        provinces = select(Province)
        figures = {
            "contacts": contacts,
            "table_seconds": median_seconds(lambda: national_progress(provinces)),
            "table_baseline_seconds": median_seconds(lambda: db.session.execute(BARE_AGGREGATE).all()),
            **interleaved_medians({"export_seconds": lambda: workbook_bytes(None),
                                   "export_baseline_seconds": raw_workbook}),
        }
    figures["table_ratio"] = figures["table_seconds"] / figures["table_baseline_seconds"]
    figures["export_ratio"] = figures["export_seconds"] / figures["export_baseline_seconds"]
    figures["export_goal"] = EXPORT_GOAL
    return figures


if __name__ == "__main__":
    results = main()
    print(f"contacts filled: {results['contacts']} (all 3,321 communes and every department seat)")
    print(f"national table : {results['table_seconds'] * 1000:8.1f} ms = {results['table_ratio']:.2f} x bare aggregate SQL "
          f"({results['table_baseline_seconds'] * 1000:.1f} ms)")
    print(f"national export: {results['export_seconds'] * 1000:8.1f} ms = {results['export_ratio']:.2f} x raw openpyxl "
          f"({results['export_baseline_seconds'] * 1000:.1f} ms), goal <= {EXPORT_GOAL:g}: "
          f"{'PASS' if results['export_ratio'] <= EXPORT_GOAL else 'MISS'}")
    save_results("contacts", results)
