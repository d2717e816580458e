"""Places after the 2025 reform, and certificate status on an as-of date."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.reference import places, rulebook
from catalog.records.model import Status, certificate_status

from .conftest import suggest_commune


def test_34_provinces_3321_communes_63_former_provinces():
    assert len(places.provinces()) == 34
    assert len(places.communes()) == 3321
    former = places.former_provinces()
    assert len(former) == 63
    assert set(former.values()) == set(places.provinces())  # every former province maps to a current one
    assert former["Hà Giang"] == "Tuyên Quang" and former["Hải Dương"] == "Hải Phòng"


def test_folders_are_ascii_slugs():
    assert places.provinces()["Lai Châu"].folder == "lai-chau"
    assert places.provinces()["Hồ Chí Minh"].folder == "ho-chi-minh"
    assert places.provinces()["Đắk Lắk"].folder == "dak-lak"


def test_commune_matching_accepts_either_tone_mark_placement():
    official = places.find_commune("Tuyên Quang", "Xã Chiêm Hóa")  # official list writes "Hoá"
    assert official == "Xã Chiêm Hoá"
    assert places.find_commune("Tuyên Quang", "xã chiêm hoá") == "Xã Chiêm Hoá"
    assert places.find_commune("Tuyên Quang", "Chiêm Hoá") is None
    assert suggest_commune("Tuyên Quang", "Chiêm Hoá") == "Xã Chiêm Hoá"


def test_fold_removes_diacritics_and_d_stroke():
    assert places.fold("Nước mắm Đồ Sơn") == "nuoc mam do son"


def test_fold_table_agrees_with_unicode_decomposition():
    """fold() translates precomposed letters by a table and falls back to NFD for the rest: the
    two must agree on every character of the first 8,192 code points, alone and inside text."""
    import unicodedata

    assert places.fold("Nu\u031bo\u031b\u0301c MẮM") == "nuoc mam"  # decomposed input: the long way
    for code in range(0x20, 0x2000):
        text = f"Đ{chr(code)}ấ{chr(code)}"
        slow = "".join(c for c in unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
                       if not unicodedata.combining(c)).lower()
        assert places.fold(text) == slow, hex(code)


def product(decided="2025-09-01", valid_until="2028-08-31", **extra):
    cert = {"decision": {"date": decided}, "valid_until": valid_until}
    cert.update(extra.pop("cert", {}))
    return {"certificate": cert, **extra}


@pytest.mark.parametrize(
    "as_of, record, expected",
    [
        ("2026-11-23", product(), Status.VALID),
        ("2028-06-02", product(), Status.EXPIRING),  # 90 days before
        ("2028-06-01", product(), Status.VALID),  # 91 days before
        ("2028-08-31", product(), Status.EXPIRING),  # last valid day
        ("2028-09-01", product(), Status.EXPIRED),
        ("2025-08-31", product(), Status.PENDING),
        ("2026-11-23", product(cert={"revocation": {"decision": {"date": "2026-01-10"}}}), Status.REVOKED),
        ("2026-01-09", product(cert={"revocation": {"decision": {"date": "2026-01-10"}}}), Status.VALID),
        ("2026-11-23", product(status="withdrawn"), Status.WITHDRAWN),
    ],
)
def test_certificate_status(as_of, record, expected):
    assert certificate_status(record, dt.date.fromisoformat(as_of)) is expected


def test_add_months_clamps_to_month_end():
    assert rulebook.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert rulebook.add_months(dt.date(2025, 9, 1), 36) == dt.date(2028, 9, 1)


def test_star_bands_and_deciding_levels():
    assert [rulebook.stars_for_score(s) for s in (29, 30, 50, 69, 70, 89, 90, 100)] == [1, 2, 3, 3, 4, 4, 5, 5]
    assert rulebook.deciding_levels(dt.date(2024, 5, 1), 3)["district"] == "ok"
    assert rulebook.deciding_levels(dt.date(2025, 7, 1), 3)["district"] == "error"
    assert rulebook.deciding_levels(dt.date(2025, 7, 1), 5)["province"] == "error"
