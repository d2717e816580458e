"""Why a label is not printed: one sentence per refused product or lot, its words in
catalog/data/ui.vi.yaml (``refusal:``), not in Python (issue #18)."""

from __future__ import annotations

import datetime as dt
import string
from types import SimpleNamespace

import pytest

from catalog.print import labels as lab
from catalog.records.model import Status
from catalog.reference.lang import ui

CERT = {"valid_until": "2026-03-19"}


def product(status: Status, **certificate) -> SimpleNamespace:
    data = {"certificate": {**CERT, **certificate}}
    return SimpleNamespace(id="che-mau", name="Chè mẫu", status=status, data=data, earlier=None)  # earlier: model.Product.earlier


def withdrawn_later(day: str) -> SimpleNamespace:
    p = product(Status.VALID)
    p.data.update(status="withdrawn", status_date=day)
    return p


def revoked_later(day: str) -> SimpleNamespace:
    return product(Status.VALID, revocation={"decision": {"number": "9/QĐ-UBND", "date": "2026-11-20"},
                                             "effective_from": day})


EXPECTED = [
    (product(Status.EXPIRED),
     "Không in nhãn cho Chè mẫu (che-mau): giấy chứng nhận OCOP đã hết hiệu lực sau ngày 19/03/2026."),
    (product(Status.REVOKED), "Không in nhãn cho Chè mẫu (che-mau): giấy chứng nhận OCOP đã bị thu hồi."),
    (product(Status.WITHDRAWN), "Không in nhãn cho Chè mẫu (che-mau): sản phẩm đã rút khỏi danh mục."),
    (product(Status.PENDING), "Không in nhãn cho Chè mẫu (che-mau): quyết định công nhận chưa có hiệu lực."),
    (withdrawn_later("2027-02-01"), "Không in nhãn cho Chè mẫu (che-mau): sẽ rút khỏi danh mục từ ngày 01/02/2027."),
    (revoked_later("2027-01-01"),
     "Không in nhãn cho Chè mẫu (che-mau): giấy chứng nhận sẽ bị thu hồi từ ngày 01/01/2027."),
]


@pytest.mark.parametrize("record, sentence", EXPECTED,
                         ids=["expired", "revoked", "withdrawn", "pending", "withdrawal-ahead", "revocation-ahead"])
def test_each_refusal_is_one_sentence_saying_why(record, sentence):
    assert lab.refusal(record) == sentence


def test_the_nearest_ending_on_record_is_the_one_named():
    p = revoked_later("2027-01-01")
    p.data.update(status="withdrawn", status_date="2026-12-20")
    assert lab.refusal(p).endswith("sẽ rút khỏi danh mục từ ngày 20/12/2026.")
    p.data.update(status_date="2027-01-01")  # the same day: the revocation, as before the texts moved
    assert lab.refusal(p).endswith("giấy chứng nhận sẽ bị thu hồi từ ngày 01/01/2027.")


def test_valid_products_and_lots_in_date_are_not_refused():
    assert lab.refusal(product(Status.VALID)) is None
    assert lab.refusal(product(Status.EXPIRING)) is None
    lot = {"id": "L1", "expires_on": "2026-10-01"}
    assert lab.lot_refusal(product(Status.VALID), lot, dt.date(2026, 10, 1)) is None
    assert lab.lot_refusal(product(Status.VALID), {"id": "L2"}, dt.date(2030, 1, 1)) is None


def test_a_lot_past_its_use_by_date_is_refused_in_one_sentence():
    lot = {"id": "L1", "expires_on": "2026-10-01"}
    assert lab.lot_refusal(product(Status.VALID), lot, dt.date(2026, 10, 2)) == \
        "Không in nhãn cho lô L1 của Chè mẫu (che-mau): lô đã hết hạn sử dụng ngày 01/10/2026."


def test_every_status_that_refuses_has_its_words():
    texts = ui()["refusal"]
    refusing = [s for s in Status if not s.is_valid]
    assert set(texts["reasons"]) >= {s.value for s in refusing} | {"withdrawal_ahead", "revocation_ahead"}
    for key, text in texts["reasons"].items():
        assert isinstance(text, str) and text.strip(), key
    fields = {key: {f for _, f, _, _ in string.Formatter().parse(text) if f}
              for key, text in [("product", texts["product"]), ("lot", texts["lot"]), *texts["reasons"].items()]}
    assert fields["product"] == {"name", "id", "reason"}
    assert fields["lot"] == {"lot", "name", "id", "day"}
    # the refusal fills {day} in every reason, and {number} (the new certificate's) in new_certificate_ahead
    assert all(fields[key] <= {"day"} for key in texts["reasons"] if key != "new_certificate_ahead")
    assert fields["new_certificate_ahead"] == {"day", "number"}
