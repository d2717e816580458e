"""Pre-reform addresses → the commune in force (catalog.reference.places), on real addresses from several
provinces, and the messages the validator builds from that conversion."""

from __future__ import annotations

import unicodedata

import pytest

from catalog.reference import places
from catalog.reference.places import OldAddress
from catalog.checks.validate import check

from .conftest import AS_OF, FIXTURES, make_root, suggest_commune


def became(text: str, province: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    conversion = places.convert(text, province)
    return conversion.status, [(c.name, c.province) for c in conversion.communes]


# --- splitting an address ------------------------------------------------------------------------

def test_parse_splits_street_commune_district_province():
    assert places.parse_old_address("Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn") == OldAddress(
        street="Thôn Làng Ào", commune="xã Hữu Liên", district="huyện Hữu Lũng", province="tỉnh Lạng Sơn")


def test_parse_reads_abbreviations_and_keeps_what_was_typed():
    old = places.parse_old_address("Thôn Đồng Mỏ, TT. Đồng Mỏ, H. Chi Lăng, T. Lạng Sơn")
    assert old == OldAddress("Thôn Đồng Mỏ", "TT. Đồng Mỏ", "H. Chi Lăng", "T. Lạng Sơn")
    assert old.province_name == "Lạng Sơn"
    old = places.parse_old_address("Số 5 đường Bà Triệu, P.Hoàng Văn Thụ, TP. Lạng Sơn, Lạng Sơn")
    assert (old.commune, old.district, old.province) == ("P.Hoàng Văn Thụ", "TP. Lạng Sơn", "Lạng Sơn")
    old = places.parse_old_address("Khu 2, TT Ninh Giang, H Ninh Giang, TX. Kinh Môn") # not a province: a town
    assert old.province is None


def test_parse_without_kinds_uses_the_names():
    """"Hữu Lũng" is also a commune in force; it is read as the district because "Hữu Liên" before
    it is one of that district's wards."""
    assert places.parse_old_address("Hữu Liên, Hữu Lũng, Lạng Sơn") == OldAddress(None, "Hữu Liên", "Hữu Lũng", "Lạng Sơn")
    assert places.parse_old_address("Bản Nậm Cuổi, Nậm Cuổi, Sìn Hồ, Lai Châu") == OldAddress(
        "Bản Nậm Cuổi", "Nậm Cuổi", "Sìn Hồ", "Lai Châu")


def test_parse_a_city_district_is_not_the_province_of_the_same_name():
    old = places.parse_old_address("Phường Chi Lăng, thành phố Lạng Sơn")
    assert (old.district, old.province) == ("thành phố Lạng Sơn", None)
    old = places.parse_old_address("Xã An Lão, thành phố Hải Phòng")  # a city at province level
    assert (old.district, old.province) == (None, "thành phố Hải Phòng")


# --- converting: real cases from several provinces -----------------------------------------------

def test_lang_son_unchanged_province():
    assert became("Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn") == ("converted", [("Xã Hữu Liên", "Lạng Sơn")])
    assert became("Số 5, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn") == ("converted", [("Phường Kỳ Lừa", "Lạng Sơn")])
    assert became("Thôn Đồng Mỏ, TT. Đồng Mỏ, H. Chi Lăng, T. Lạng Sơn") == ("converted", [("Xã Chi Lăng", "Lạng Sơn")])


def test_lai_chau():
    assert became("Thị trấn Tam Đường, huyện Tam Đường, tỉnh Lai Châu") == ("converted", [("Xã Bình Lư", "Lai Châu")])
    assert became("Tổ 3, phường Quyết Thắng, TP. Lai Châu, tỉnh Lai Châu") == ("converted", [("Phường Đoàn Kết", "Lai Châu")])


def test_ha_giang_is_now_tuyen_quang():
    conversion = places.convert("Tổ 5, phường Trần Phú, thành phố Hà Giang, tỉnh Hà Giang")
    assert conversion.status == "converted"
    assert conversion.commune == places.Commune(conversion.commune.code, "Phường Hà Giang 2", "Tuyên Quang")
    assert conversion.old[0].district == places.FormerDistrict(conversion.old[0].district.code, "Thành phố Hà Giang", "Hà Giang")
    assert conversion.address.street == "Tổ 5"


def test_hai_duong_is_now_hai_phong():
    assert became("Số 10 phố Bạch Đằng, phường Cẩm Thượng, thành phố Hải Dương, tỉnh Hải Dương") == \
        ("converted", [("Phường Thành Đông", "Hải Phòng")])
    assert became("Khu 3, thị trấn Ninh Giang, huyện Ninh Giang, tỉnh Hải Dương") == ("converted", [("Xã Ninh Giang", "Hải Phòng")])


def test_a_split_ward_gives_the_candidates_not_a_guess():
    conversion = places.convert("Thôn Khe Mò, xã Bính Xá, huyện Đình Lập, tỉnh Lạng Sơn")
    assert conversion.status == "split" and conversion.commune is None
    assert conversion.old[0].partly_merged
    assert {c.name for c in conversion.communes} == {"Xã Kiên Mộc", "Xã Đình Lập"}
    status, found = became("Phường Quang Trung, TP. Hà Giang, tỉnh Hà Giang")
    assert status == "split" and sorted(found) == [("Phường Hà Giang 1", "Tuyên Quang"), ("Phường Hà Giang 2", "Tuyên Quang")]


def test_the_same_name_in_several_former_districts_of_one_province():
    """Lạng Sơn had a Xã Hòa Bình in four districts, each now a different commune."""
    assert became("Xã Hòa Bình, huyện Hữu Lũng, tỉnh Lạng Sơn") == ("converted", [("Xã Yên Bình", "Lạng Sơn")])
    assert became("Xã Hòa Bình, huyện Chi Lăng, tỉnh Lạng Sơn") == ("converted", [("Xã Vạn Linh", "Lạng Sơn")])
    conversion = places.convert("Xã Hòa Bình, tỉnh Lạng Sơn")  # no district: every one, said as such
    assert conversion.status == "ambiguous" and conversion.commune is None
    assert sorted(w.district.name for w in conversion.old) == ["Huyện Bình Gia", "Huyện Chi Lăng", "Huyện Hữu Lũng", "Huyện Văn Quan"]
    assert {c.name for c in conversion.communes} == {"Xã Thiện Long", "Xã Vạn Linh", "Xã Văn Quan", "Xã Yên Bình"}
    # and in Hải Dương, Xã Hưng Đạo of Tứ Kỳ was split while the one of Chí Linh was not
    assert became("Xã Hưng Đạo, huyện Tứ Kỳ, tỉnh Hải Dương")[0] == "split"
    assert became("Xã Hưng Đạo, thành phố Chí Linh, tỉnh Hải Dương") == ("converted", [("Phường Trần Hưng Đạo", "Hải Phòng")])


def test_never_across_a_former_district():
    assert became("Xã Hòa Bình, huyện Tràng Định, tỉnh Lạng Sơn") == ("unknown-commune", [])
    assert became("Xã Hữu Liên, huyện Tràng Định, tỉnh Lạng Sơn") == ("unknown-commune", [])
    assert became("xã Hữu Liên, huyện Hữu Lũg, tỉnh Lạng Sơn") == ("unknown-district", [])  # misspelt district: no guess


def test_kinds_case_tone_marks_and_decomposed_text():
    expected = ("converted", [("Xã Yên Bình", "Lạng Sơn")])
    assert became("XÃ HOÀ BÌNH, HUYỆN HỮU LŨNG, TỈNH LẠNG SƠN") == expected
    assert became(unicodedata.normalize("NFD", "Xã Hoà Bình, Huyện Hữu Lũng, Tỉnh Lạng Sơn")) == expected
    assert became("Hòa Bình, Hữu Lũng, Lạng Sơn") == expected  # no kinds at all
    assert became("X. Hoà Bình, H. Hữu Lũng, T. Lạng Sơn") == expected
    # the kind tells apart a ward and a commune of one name: Phường Hoàng Văn Thụ is in the city
    assert became("Phường Hoàng Văn Thụ, tỉnh Lạng Sơn") == ("converted", [("Phường Kỳ Lừa", "Lạng Sơn")])
    assert became("Phường 04, thành phố Tân An, tỉnh Long An") == ("converted", [("Phường Long An", "Tây Ninh")])


def test_the_province_in_force_is_searched_when_the_address_names_none():
    assert became("xã Hữu Liên, huyện Hữu Lũng", "Lạng Sơn") == ("converted", [("Xã Hữu Liên", "Lạng Sơn")])
    # Tuyên Quang today includes the former Hà Giang
    assert became("phường Trần Phú, thành phố Hà Giang", "Tuyên Quang") == ("converted", [("Phường Hà Giang 2", "Tuyên Quang")])
    assert became("phường Trần Phú, thành phố Hà Giang", "Lai Châu") == ("unknown-district", [])


def test_an_address_already_in_the_new_form():
    assert became("Xã Sìn Hồ, tỉnh Lai Châu") == ("current", [("Xã Sìn Hồ", "Lai Châu")])
    assert became("Đặc khu Cát Hải, thành phố Hải Phòng") == ("current", [("Đặc khu Cát Hải", "Hải Phòng")])


def test_statuses_when_there_is_no_answer():
    assert became("Thôn Làng Ào, huyện Hữu Lũng, tỉnh Lạng Sơn") == ("no-commune", [])
    assert became("Xã Mỹ Hưng, huyện Quảng Hòa, tỉnh Cao Bằng") == ("no-conversion", [])  # not in the official table
    assert became("Xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơnn")[0] == "unknown-province"


# --- province names as printed --------------------------------------------------------------------

@pytest.mark.parametrize("typed, official", [
    ("TP. Hải Phòng", "Hải Phòng"), ("Tp Hải Phòng", "Hải Phòng"), ("thành phố Hải Phòng", "Hải Phòng"),
    ("TP.Hải Phòng", "Hải Phòng"), ("tỉnh Lạng Sơn", "Lạng Sơn"), ("Tỉnh Lạng Sơn", "Lạng Sơn"),
    ("TỈNH LẠNG SƠN", "Lạng Sơn"), ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
    ("Thừa Thiên Huế", "Thừa Thiên Huế"), ("TT Huế", "Thừa Thiên Huế"), ("TT-Huế", "Thừa Thiên Huế"),
    ("Hoà Bình", "Hòa Bình"), ("Hòa Bình", "Hòa Bình"), ("Thanh Hoá", "Thanh Hóa"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("TP.HCM", "Hồ Chí Minh"), ("Huế", "Huế"), ("Hà Giang", "Hà Giang"),
])
def test_normalise_province_accepts_what_certificates_print(typed, official):
    assert places.normalise_province(typed) == official


@pytest.mark.parametrize("typed", ["Lang Son", "Lang son", "Lạng Sơm", "Xã Lạng Sơn", "Hải", ""])
def test_normalise_province_refuses_what_is_not_a_province(typed):
    assert places.normalise_province(typed) is None


def test_every_province_typed_without_accents_is_suggested():
    names = [*places.former_provinces(), *places.provinces()]
    for name in names:
        assert places.suggest_province(places.fold(name), names) == name, name
        assert places.suggest_province(places.fold(name).title(), names) == name, name
    assert places.suggest_province("Lạng Sơm", names) == "Lạng Sơn"


# --- the validator's messages ------------------------------------------------------------------

def problems(tmp_path, kind: str, rel: str):
    return check(make_root(tmp_path, (FIXTURES / kind / rel, rel)), AS_OF).problems


def test_an_old_ward_typed_as_the_commune_suggests_what_it_became(tmp_path):
    """Before: difflib suggested 'Xã Hoàng Văn Thụ' — a commune in another former district."""
    (p,) = problems(tmp_path, "invalid", "products/lang-son/unknown-commune-old-ward.yaml")
    assert p.code == "unknown-commune"
    assert "'Phường Kỳ Lừa'" in p.message() and "Thành phố Lạng Sơn" in p.message()
    assert "Xã Hoàng Văn Thụ" not in p.message()
    assert "it is now 'Phường Kỳ Lừa'" in p.message("en")


def test_the_suggestion_stays_in_the_district_of_the_certified_address(tmp_path):
    (p,) = problems(tmp_path, "invalid", "products/lang-son/unknown-commune-four-districts.yaml")
    assert "'Xã Yên Bình'" in p.message() and "Huyện Hữu Lũng" in p.message()
    for elsewhere in ("Xã Thiện Long", "Xã Văn Quan", "Xã Vạn Linh"):
        assert elsewhere not in p.message()


def _with(tmp_path, rel: str, **replace: str):
    source = (FIXTURES / "invalid" / rel).read_text(encoding="utf-8")
    for old, new in replace.items():
        source = source.replace(old.replace("_", " "), new)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "fixture.yaml"
    path.write_text(source, encoding="utf-8")
    return check(make_root(tmp_path, (path, rel)), AS_OF).problems


def test_without_a_district_every_former_commune_of_the_name_is_listed(tmp_path):
    (p,) = _with(tmp_path, "products/lang-son/unknown-commune-four-districts.yaml",
                 **{"Thôn Đồng Bụt, xã Hòa Bình, huyện Hữu Lũng, tỉnh Lạng Sơn": "Xã Hòa Bình, tỉnh Lạng Sơn"})
    message = p.message()
    for district, now in (("Huyện Bình Gia", "Xã Thiện Long"), ("Huyện Văn Quan", "Xã Văn Quan"),
                          ("Huyện Hữu Lũng", "Xã Yên Bình"), ("Huyện Chi Lăng", "Xã Vạn Linh")):
        assert f"({district}, Lạng Sơn) nay là '{now}'" in message
    assert "Chọn theo huyện cũ" in message


def test_a_commune_not_in_that_district_gets_no_suggestion_from_another(tmp_path):
    (p,) = _with(tmp_path, "products/lang-son/unknown-commune-four-districts.yaml",
                 **{"huyện Hữu Lũng": "huyện Tràng Định"})
    assert p.code == "unknown-commune"
    for elsewhere in ("Xã Yên Bình", "Xã Thiện Long", "Xã Văn Quan", "Xã Vạn Linh"):
        assert elsewhere not in p.message()


def test_a_split_ward_lists_its_communes(tmp_path):
    (p,) = _with(tmp_path, "products/lang-son/unknown-commune-old-ward.yaml",
                 **{"Phường Hoàng Văn Thụ": "Xã Bính Xá",
                    "Số 5 đường Bà Triệu, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn": "Thôn Khe Mò, xã Bính Xá, huyện Đình Lập, tỉnh Lạng Sơn"})
    assert "nay chia cho 'Xã Đình Lập' hoặc 'Xã Kiên Mộc'" in p.message()


def test_an_empty_commune_is_exemplified_from_the_record_itself(tmp_path):
    """What `ocop import` leaves for a split ward: commune "". The example used to be the schema's
    'Xã Sìn Hồ' (Lai Châu) under a Lạng Sơn address; it is now the candidates of the certified
    address, or a commune of the record's province when the certificate names no known ward."""
    (p,) = _with(tmp_path / "split", "products/lang-son/unknown-commune-old-ward.yaml",
                 **{"commune: Phường Hoàng Văn Thụ": 'commune: ""',
                    "Số 5 đường Bà Triệu, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn": "Thôn Khe Mò, xã Bính Xá, huyện Đình Lập, tỉnh Lạng Sơn"})
    assert p.code == "empty-field"
    assert "'Xã Đình Lập' hoặc 'Xã Kiên Mộc' (xã Bính Xá trên giấy chứng nhận" in p.message()
    assert "'Xã Đình Lập' or 'Xã Kiên Mộc' (xã Bính Xá on the certificate is now split" in p.message("en")
    assert "Sìn Hồ" not in p.message()
    (p,) = _with(tmp_path / "one", "products/lang-son/unknown-commune-old-ward.yaml",
                 **{"commune: Phường Hoàng Văn Thụ": 'commune: ""'})
    assert "'Phường Kỳ Lừa' (phường Hoàng Văn Thụ trên giấy chứng nhận nay là xã, phường này)" in p.message()
    (p,) = _with(tmp_path / "none", "products/lang-son/unknown-commune-old-ward.yaml",
                 **{"commune: Phường Hoàng Văn Thụ": 'commune: ""',
                    "Số 5 đường Bà Triệu, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn": "tỉnh Lạng Sơn"})
    assert f"'{places.communes_in('Lạng Sơn')[0]}' (một xã, phường của Lạng Sơn)" in p.message()


def test_a_commune_contradicting_the_certified_address_is_a_warning(tmp_path):
    (p,) = problems(tmp_path, "invalid", "products/lang-son/commune-differs-from-certified.yaml")
    assert (p.code, p.severity) == ("commune-differs-from-certified", "warning")
    assert p.message() == (
        "Xã/phường 'Xã Bắc Sơn' khác với địa chỉ trên giấy chứng nhận: 'xã Vũ Lễ, huyện Bắc Sơn' nay là 'Xã Vũ Lễ'. "
        "Sửa tên xã hiện nay cho đúng; nếu chủ thể đã chuyển nơi sản xuất, giữ tên xã mới và cập nhật certified_address "
        "khi có giấy chứng nhận mới.")
    (p,) = problems(tmp_path / "2", "invalid", "products/hai-phong/commune-differs-hai-duong.yaml")
    assert "'phường Cẩm Thượng, thành phố Hải Dương' is now 'Phường Thành Đông'" in p.message("en")


def test_address_province_typed_without_accents_suggests_the_province(tmp_path):
    (p,) = problems(tmp_path, "invalid", "products/lang-son/not-allowed-province-unaccented.yaml")
    assert "Có phải ý bạn là 'Lạng Sơn'?" in p.message()
    (p,) = problems(tmp_path / "2", "invalid", "products/tuyen-quang/former-province-unaccented.yaml")
    assert "nay thuộc tỉnh Tuyên Quang" in p.message()  # before: "Did you mean 'An Giang'?"
    for typed in ("hai phong", "ha tinh", "da nang", "khanh hoa", "can tho"):
        (p,) = _with(tmp_path / typed.replace(" ", "-"), "products/lang-son/not-allowed-province-unaccented.yaml",
                     **{"province: Lang Son": f"province: {typed}"})
        assert f"'{places.suggest_province(typed, list(places.provinces()))}'" in p.message()
        assert places.fold(p.message().split("Có phải ý bạn là '")[1].split("'")[0]) == typed


def test_certified_province_misspelt_suggests_the_province(tmp_path):
    for rel in ("products/lang-son/unknown-former-province-unaccented.yaml",
                "products/lang-son/unknown-former-province-lowercase.yaml",
                "products/lang-son/unknown-former-province-misspelt.yaml"):
        (p,) = problems(tmp_path / rel.rsplit("/", 1)[1], "invalid", rel)
        assert p.code == "unknown-former-province" and "Có phải ý bạn là 'Lạng Sơn'?" in p.message()


def test_slips_on_a_name_in_force():
    assert suggest_commune("Lạng Sơn", "P. Kỳ Lừa") == "Phường Kỳ Lừa"  # abbreviated kind
    assert suggest_commune("Tuyên Quang", "Chiêm Hoá") == "Xã Chiêm Hoá"  # no kind
    assert suggest_commune("Lai Châu", "Xã Sin Hô") == "Xã Sìn Hồ"  # accents
    # a bare old name found in several former districts: the candidates, each with its district
    found = places.commune_suggestion("Lạng Sơn", "Hòa Bình")
    assert found.conversion.status == "ambiguous" and len(found.communes) == 4
    assert suggest_commune("Lạng Sơn", "Hòa Bình") is None  # no single answer
