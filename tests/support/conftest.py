"""Fixtures of the support tests: agents for Nghệ An, attachments in a temporary folder."""
import pytest

from portal.support import services
from tests import factories
from tests.factories import NGHE_AN


@pytest.fixture(autouse=True)
def attachment_folder(app, tmp_path):
    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    yield tmp_path
    app.config.pop("ATTACHMENTS_DIR")


@pytest.fixture
def agents(db):
    primary = factories.create_user("agent", full_name="Hỗ Trợ Chính")
    backup = factories.create_user("agent", full_name="Hỗ Trợ Phụ")
    services.set_province_agents(NGHE_AN, primary.id, backup.id)
    return primary, backup


def file_ticket(reporter, title="Không nhận được hồ sơ", description="Xã chưa được phân quyền tiếp nhận hồ sơ.",
                priority="normal", files=()):
    return services.create_ticket(reporter, 2, title, description, priority, files=list(files))
