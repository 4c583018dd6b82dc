"""The transition calendar: the rollout's key dates and each kind of unit's duties, seeded from the letters

Revision ID: f14a00000004
Revises: f14a00000001
Create Date: 2026-12-03

"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f14a00000004'
down_revision = 'f14a00000001'
branch_labels = None
depends_on = None

# (day, title vi, title en, {kind: (vi, en)}) from letters 001 (contacts, training), 003 (1040/TCT: the ministries'
# tasks, the provincial systems' end), 004 (live on 01/01/2026) and 000 (the QLVB connection status of 28/04/2026).
SEEDS = (
    (date(2026, 1, 1),
     "Hệ thống TTHC tập trung của Bộ chính thức vận hành cho cả 34 tỉnh, thành phố.",
     "The ministry's centralized TTHC system goes live for all 34 provinces.",
     {"departments": ("Tiếp nhận, giải quyết hồ sơ TTHC thuộc thẩm quyền của Bộ trên hệ thống tập trung.",
                      "Take in and handle the ministry's procedures on the centralized system."),
      "communes": ("Trung tâm Phục vụ hành chính công xã, phường, đặc khu tiếp nhận hồ sơ TTHC của Bộ trên hệ thống "
                   "tập trung.",
                   "The commune's public administration service centre takes in the ministry's dossiers on the "
                   "centralized system."),
      "provinces": ("Theo dõi việc tiếp nhận, giải quyết hồ sơ trên hệ thống của Bộ và hệ thống của tỉnh.",
                    "Follow the dossiers handled on both the ministry's system and the province's own.")}),
    (date(2026, 1, 16),
     "Hạn cuối gửi danh sách đầu mối (Phụ lục 3) về Bộ.",
     "Last day to send the list of focal contacts (Appendix 3) to the ministry.",
     {"departments": ("Cử 02 cán bộ phối hợp cùng Bộ trong quá trình triển khai, có tên trong danh sách đầu mối.",
                      "Name 2 cadres to work with the ministry on the rollout, in the list of focal contacts."),
      "communes": ("Cử 01 cán bộ quản trị hệ thống, có tên trong danh sách đầu mối.",
                   "Name 1 system administrator, in the list of focal contacts."),
      "provinces": ("Tổng hợp danh sách cán bộ đầu mối theo Phụ lục 3, gửi về Bộ (qua Trung tâm Chuyển đổi số "
                    "VHTTDL).",
                    "Gather the focal contacts in Appendix 3's form and send them to the ministry (through its "
                    "Digital Transformation Centre).")}),
    (date(2026, 1, 19),
     "Bắt đầu tập huấn cán bộ Sở và cán bộ quản trị cấp xã.",
     "Training of department cadres and commune administrators starts.",
     {"departments": ("Hai cán bộ đầu mối tham gia buổi tập huấn cấp Sở theo lịch của tỉnh.",
                      "The two focal cadres attend the department-level training on the province's schedule."),
      "communes": ("Cán bộ quản trị hệ thống tham gia buổi tập huấn cấp xã theo lịch của tỉnh.",
                   "The system administrator attends the commune-level training on the province's schedule."),
      "provinces": ("Ghi danh cán bộ đầu mối vào các buổi tập huấn (lịch tại Phụ lục 2).",
                    "Enrol the focal contacts in the sessions (schedule in Appendix 2).")}),
    (date(2026, 2, 8),
     "Hạn hoàn thành nhiệm vụ của các bộ, ngành theo Công văn 1040/TCT: tiện ích, tài khoản, dịch vụ công trực tuyến.",
     "The ministries' tasks under letter 1040/TCT are due: utilities, accounts, online public services.",
     {"departments": ("Phối hợp với Bộ đánh giá khó khăn, vướng mắc và kiểm thử quy trình giải quyết TTHC.",
                      "Work with the ministry on the difficulties met and test the procedures' workflows."),
      "communes": ("Gửi danh sách cán bộ cần tài khoản để Bộ cấp tài khoản, phân quyền tiếp nhận hồ sơ.",
                   "Send the names of the cadres who need an account, so the ministry grants them the right to take "
                   "in dossiers."),
      "provinces": ("Cung cấp thông tin để các bộ, ngành cấu hình các tiện ích: CSDLQG về dân cư, phi địa giới, thanh "
                    "toán tập trung, bưu chính công ích, SMS Brandname, hóa đơn, biên lai điện tử.",
                    "Provide the information ministries need to configure the utilities: national population "
                    "database, procedures without geographic boundaries, central payment, public postal service, "
                    "SMS Brandname, e-invoices and e-receipts.")}),
    (date(2026, 4, 28),
     "Báo cáo tình trạng kết nối phần mềm quản lý văn bản (QLVB) với hệ thống của Bộ.",
     "Report on the QLVB document-management connection with the ministry's system.",
     {"departments": ("Cử đầu mối kỹ thuật phối hợp với Trung tâm Chuyển đổi số VHTTDL để tháo gỡ vướng mắc kết nối.",
                      "Name a technical focal point to work with the ministry's Digital Transformation Centre on "
                      "the connection."),
      "communes": ("", ""),
      "provinces": ("Báo cáo tình trạng kết nối phần mềm QLVB của tỉnh với hệ thống TTHC tập trung của Bộ.",
                    "Report the province's QLVB connection status with the ministry's centralized system.")}),
    (date(2026, 6, 30),
     "Dừng các hệ thống cấp tỉnh: mọi thủ tục được giải quyết trên hệ thống tập trung.",
     "Provincial systems stop: every procedure is handled in the centralized system.",
     {"departments": ("Chuyển toàn bộ việc giải quyết hồ sơ TTHC của ngành sang hệ thống tập trung của Bộ.",
                      "Move all of the sector's dossiers to the ministry's centralized system."),
      "communes": ("Tiếp nhận, giải quyết mọi hồ sơ TTHC của Bộ trên hệ thống tập trung.",
                   "Take in and handle every dossier of the ministry's procedures on the centralized system."),
      "provinces": ("Vận hành hệ thống giải quyết TTHC của tỉnh đến hết ngày 30/6/2026, sau đó dừng.",
                    "Run the province's own system until the end of 30/06/2026, then switch it off.")}),
)


def upgrade():
    milestones = op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('title_vi', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('for_departments', sa.Text(), nullable=False),
    sa.Column('for_departments_en', sa.Text(), nullable=False),
    sa.Column('for_communes', sa.Text(), nullable=False),
    sa.Column('for_communes_en', sa.Text(), nullable=False),
    sa.Column('for_provinces', sa.Text(), nullable=False),
    sa.Column('for_provinces_en', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones')),
    sa.UniqueConstraint('day', name=op.f('uq_milestones_day'))
    )
    now = datetime.now(timezone.utc)
    rows = []
    for day, title_vi, title_en, duties in SEEDS:
        row = {"day": day, "title_vi": title_vi, "title_en": title_en, "sequence": 0, "created_at": now,
               "updated_at": now}
        for kind, (vietnamese, english) in duties.items():
            row[f"for_{kind}"], row[f"for_{kind}_en"] = vietnamese, english
        rows.append(row)
    op.bulk_insert(milestones, rows)
    # The milestones' data clock (row 4 of feed_clock, portal/feeds/clock.py) starts when they were written.
    clock = sa.table('feed_clock', sa.column('id', sa.Integer()), sa.column('changed_at', sa.DateTime(timezone=True)))
    op.bulk_insert(clock, [{"id": 4, "changed_at": now}])


def downgrade():
    op.execute("DELETE FROM feed_clock WHERE id = 4")
    op.drop_table('milestones')
