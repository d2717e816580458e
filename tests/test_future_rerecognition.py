"""A re-recognition decided ahead of the day it takes effect (round seven; the reviewer of the law
raised it three times).

An officer records a *công nhận lại* decision whose date is after today: the new certificate starts
later, and the earlier one (now in ``earlier_ratings``) still runs today. The shopper who scans the
label must see the certificate in force today — certified, its stars, number, decision, deciding body
and valid-until — and that the new one takes effect on its date; from that date, the new one; in a
gap (the earlier one lapsed before the new one starts), "not yet in force"; a revoked earlier
certificate is not in force. The page is static and read on later days, so the switch happens in the
browser from the phone's clock (``data-t-g``; catalog/site/status.py), and the build must agree.

The fixtures are shaped like real re-recognitions: a 3★ certificate of January 2024 (36 months: to
19/01/2027) re-recognised at 4★ by a provincial decision that takes effect on 15/01/2027.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
from pathlib import Path

import pytest

from catalog.checks.validate import check
from catalog.print import labels as lab
from catalog.records.model import Status, certificate_status, certificate_timeline
from catalog.site.build import build

from . import browser
from .conftest import AS_OF, BASE

needs_browser = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver")
day = dt.date.fromisoformat
NEW_START = day("2027-01-15")  # the re-recognition's decision takes effect

EARLIER = """earlier_ratings:
  - stars: 3
    score: 64.5
    legal_basis: 148/2023
    decision:
      number: 52/QĐ-UBND
      date: {decided}
    deciding_body:
      level: district
      name: UBND huyện Sìn Hồ
    certificate_number: 45/GCN-UBND
    valid_until: {until}
{revocation}"""
REVOKED = """    revocation:
      decision:
        number: 1310/QĐ-UBND
        date: 2026-10-05
      reason: Chủ thể không duy trì chất lượng sản phẩm đã công bố
"""


def rerecognised(base: str, pid: str, name: str, number: int, decided: str = "2024-01-20", revoked: bool = False,
                 gtin: str | None = None) -> str:
    """The base sample re-recognised at 4★ by 1702/QĐ-UBND, taking effect on 15/01/2027; its 3★
    certificate 45/GCN-UBND of 20/01/2024 (or ``decided``) in earlier_ratings, valid 36 months."""
    text = base.replace("id: san-pham-mau", f"id: {pid}").replace("name: Sản phẩm mẫu", f"name: {name}")
    text = text.replace("number: 1/GCN-UBND", f"number: {number}/GCN-UBND")
    text = text.replace("number: 100/QĐ-UBND\n    date: 2025-09-01", "number: 1702/QĐ-UBND\n    date: 2027-01-15")
    text = text.replace("valid_until: 2028-08-31", "valid_until: 2030-01-14").replace("score: 75", "score: 78.25")
    text = text.replace("legal_basis: 148+1489/2025", "legal_basis: 26/2026")  # the criteria in force in 2027
    text = text.replace('gtin: "8936012340013"\n', f'gtin: "{gtin}"\n' if gtin else "")
    until = (dt.date.fromisoformat(decided).replace(year=int(decided[:4]) + 3) - dt.timedelta(days=1)).isoformat()
    return text + EARLIER.format(decided=decided, until=until, revocation=REVOKED if revoked else "")


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data") / "root"
    shutil.copytree(BASE, root)
    folder = root / "products/lai-chau"
    base = (folder / "san-pham-mau.yaml").read_text(encoding="utf-8")
    (folder / "cong-nhan-lai.yaml").write_text(rerecognised(
        base, "cong-nhan-lai", "Chè Shan tuyết Tả Phìn", 20, gtin="8936012340020"), encoding="utf-8")
    (folder / "cong-nhan-lai-ho.yaml").write_text(rerecognised(
        base, "cong-nhan-lai-ho", "Chè Nậm Tăm", 21, decided="2024-01-01"), encoding="utf-8")
    (folder / "cong-nhan-lai-thu-hoi.yaml").write_text(rerecognised(
        base, "cong-nhan-lai-thu-hoi", "Chè Pa Tần", 22, revoked=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def catalogue(root):
    result = check(root, AS_OF)
    assert [p for p in result.problems if p.severity == "error"] == []
    # a warning stays; where an earlier certificate is shown until then it says so, and which one
    codes = {(Path(p.file).stem, p.code) for p in result.problems}
    assert codes == {("cong-nhan-lai", "decision-ahead-earlier-shown"), ("cong-nhan-lai-ho", "decision-ahead-earlier-shown"),
                     ("cong-nhan-lai-thu-hoi", "decision-in-future")}, result.problems
    ahead = next(p for p in result.problems if p.code == "decision-ahead-earlier-shown" and p.file.endswith("/cong-nhan-lai.yaml"))
    text = ahead.message()
    assert "45/GCN-UBND" in text and "3 sao" in text and "còn hiệu lực đến 14/01/2027" in text, text  # shown to the day before the new one
    assert "chưa có hiệu lực" not in text, text  # no gap: it would run to 19/01/2027, past the new start (15/01)
    # the earlier certificate of 01/01/2024 lapses on 31/12/2026, before the new start: the gap is said
    gap = next(p for p in result.problems if p.code == "decision-ahead-earlier-shown" and "cong-nhan-lai-ho" in p.file).message()
    assert "còn hiệu lực đến 31/12/2026" in gap and "Từ 01/01/2027 đến 14/01/2027 không giấy nào còn hiệu lực" in gap, gap
    return result.catalogue


def test_open_data_gives_the_certificate_in_force_beside_its_status(catalogue):
    """catalogue.csv/.json: the certificate columns beside "valid" are the earlier certificate's until
    the re-recognition takes effect (export.product_summary), never the new one's stars and number."""
    from catalog.publish.export import product_summary

    row = product_summary(catalogue, catalogue.products["cong-nhan-lai"])
    assert (row["status"], row["stars"], row["certificate_number"], row["valid_until"], row["decision_number"]) == \
        ("valid", 3, "45/GCN-UBND", "2027-01-19", "52/QĐ-UBND")
    assert row["legal_basis"] == "148/2023"  # the criteria the earlier certificate was rated under, not 26/2026
    gap = product_summary(catalogue, catalogue.products["cong-nhan-lai-thu-hoi"])
    assert (gap["status"], gap["certificate_number"]) == ("pending", "22/GCN-UBND")


# --- the build ----------------------------------------------------------------------------------

@pytest.mark.parametrize("pid, on, expected", [
    ("cong-nhan-lai", AS_OF, Status.VALID),  # the earlier certificate runs
    ("cong-nhan-lai", day("2027-01-14"), Status.VALID),  # its last day before the new one
    ("cong-nhan-lai", NEW_START, Status.VALID),  # the new one from its first day
    ("cong-nhan-lai", day("2030-01-15"), Status.EXPIRED),
    ("cong-nhan-lai-ho", AS_OF, Status.VALID),  # lapses before the new one starts: valid to its last day
    ("cong-nhan-lai-ho", day("2026-12-31"), Status.VALID),
    ("cong-nhan-lai-ho", day("2027-01-01"), Status.PENDING),  # the gap: no certificate in force
    ("cong-nhan-lai-ho", NEW_START, Status.VALID),
    ("cong-nhan-lai-thu-hoi", AS_OF, Status.PENDING),  # a revoked earlier certificate is not in force
    ("cong-nhan-lai-thu-hoi", NEW_START, Status.VALID),
])
def test_the_status_on_each_day_is_the_certificate_in_force(catalogue, pid, on, expected):
    assert certificate_status(catalogue.products[pid].data, on) is expected


def test_the_timeline_says_which_certificate_is_in_force(catalogue):
    assert certificate_timeline(catalogue.products["cong-nhan-lai"].data, AS_OF) == [
        (AS_OF, Status.VALID, 0), (NEW_START, Status.VALID, None), (day("2029-10-16"), Status.EXPIRING, None),
        (day("2030-01-15"), Status.EXPIRED, None)]
    assert certificate_timeline(catalogue.products["cong-nhan-lai-ho"].data, AS_OF)[:3] == [
        (AS_OF, Status.VALID, 0), (day("2027-01-01"), Status.PENDING, None), (NEW_START, Status.VALID, None)]
    assert certificate_timeline(catalogue.products["cong-nhan-lai-thu-hoi"].data, AS_OF)[:2] == [
        (AS_OF, Status.PENDING, None), (NEW_START, Status.VALID, None)]


def test_listings_count_the_certificate_in_force(root, catalogue):
    p = catalogue.products["cong-nhan-lai"]
    assert (p.status, p.stars, p.certificate["number"]) == (Status.VALID, 3, "45/GCN-UBND")
    assert catalogue.products["cong-nhan-lai-thu-hoi"].stars == 4  # none in force: the record's own
    later = check(root, NEW_START).catalogue.products["cong-nhan-lai"]
    assert (later.status, later.stars, later.certificate["number"]) == (Status.VALID, 4, "20/GCN-UBND")


def test_no_label_while_the_earlier_certificate_runs(root, catalogue):
    """A label printed now would carry the earlier number and stars for a few weeks, then contradict
    its own page (which shows the new certificate from its first day): refused, with the day to print
    from. From that day the label carries the new certificate."""
    chosen, refusals = lab.select(catalogue)
    assert "cong-nhan-lai" not in {p.id for p in chosen}
    assert ("Không in nhãn cho Chè Shan tuyết Tả Phìn (cong-nhan-lai): giấy chứng nhận mới 20/GCN-UBND có hiệu lực từ "
            "ngày 15/01/2027; in nhãn từ ngày đó.") in refusals
    later, _ = lab.select(check(root, NEW_START).catalogue)
    assert "cong-nhan-lai" in {p.id for p in later}


# --- the pages ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build(root, out, AS_OF)
    return out


SCAN = "01/08936012340020"


def visible_without_script(html: str) -> str:
    """The certificate block's text as a browser without JavaScript shows it: the "0" variants."""
    block = html[html.index('<section class="ocop-cert'):html.index("</section>")]
    block = re.sub(r'<(\w+)[^>]*data-[cg]="(?![^"]*\b0\b)[^"]*"[^>]*>.*?</\1>', "", block, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def test_the_page_built_today_shows_the_earlier_certificate_without_script(site):
    text = visible_without_script((site / f"{SCAN}.html").read_text(encoding="utf-8"))
    assert "GCN còn hiệu lực đến hết ngày 19/01/2027" in text
    assert "Giấy chứng nhận mới số 20/GCN-UBND (4 sao) có hiệu lực từ ngày 15/01/2027." in text
    assert "45/GCN-UBND" in text and "Hạng 3 sao OCOP" in text and "52/QĐ-UBND" in text
    assert "chưa có hiệu lực" not in text and "Hạng 4 sao" not in text


def test_how_to_check_dates_the_new_number(site):
    """"The number on the pack must be 20/GCN-UBND" was false for every pack made before 15/01/2027."""
    html = (site / f"{SCAN}.html").read_text(encoding="utf-8")
    assert ("Số giấy chứng nhận in trên bao bì làm từ ngày 15/01/2027 phải là 20/GCN-UBND (Lai Châu, 2027). "
            "Bao bì làm khi giấy chứng nhận trước đó còn hiệu lực mang số của giấy đó: 45/GCN-UBND (3 sao) cho bao bì "
            "làm từ 20/01/2024 đến 14/01/2027.") in html
    english = (site / "en" / f"{SCAN}.html").read_text(encoding="utf-8")
    assert "The certificate number printed on packs made from 15 January 2027 must be 20/GCN-UBND" in english


def test_a_page_with_one_certificate_is_unchanged_and_the_switch_stays_small(site):
    plain = (site / "01/08936012340013.html").read_text(encoding="utf-8")
    assert "data-g" not in plain and "data-ocop-g" not in plain and "data-t-g" not in plain
    two = (site / f"{SCAN}.html").read_text(encoding="utf-8")
    assert 'data-t-g="2026-11-23=e 2027-01-15=n"' in two
    size = len(gzip.compress(two.encode(), 6, mtime=0))
    assert size - len(gzip.compress(plain.encode(), 6, mtime=0)) < 600 and size < 4200, size  # one request, ~3.5 KB


# --- the browser ----------------------------------------------------------------------------------

# served (the module's ``site`` on a local server), driver (one Chromium for the module) and clock (the
# phone's day, 09:00 in Vietnam): tests/conftest.py
def shown(driver) -> str:
    return driver.find_element("css selector", ".ocop-cert").text


@needs_browser
@pytest.mark.parametrize("page", [SCAN, "san-pham/cong-nhan-lai/"])
def test_the_page_switches_certificates_on_the_new_ones_first_day(served, driver, clock, page):
    clock("2027-01-14")
    driver.get(served + page)
    before = shown(driver)
    assert before.splitlines()[1] == "GCN còn hiệu lực đến hết ngày 19/01/2027"
    assert "Giấy chứng nhận mới số 20/GCN-UBND (4 sao) có hiệu lực từ ngày 15/01/2027." in before
    assert "Hạng 3 sao OCOP" in before and "45/GCN-UBND" in before and "52/QĐ-UBND ngày 20/01/2024" in before
    assert "UBND huyện Sìn Hồ" in before and "Hạng 4 sao" not in before and "20/GCN-UBND\n" not in before
    (stars,) = [e for e in driver.find_elements("css selector", ".ocop-cert .ocop-stars") if e.is_displayed()]
    assert (stars.text, stars.get_attribute("aria-label")) == ("★★★", "Hạng 3 sao OCOP")
    assert stars.value_of_css_property("color") != "rgba(107, 107, 107, 1)"  # gold: in force, not grey
    clock("2027-01-15")
    driver.get(served + page)
    after = shown(driver)
    assert after.splitlines()[1] == "GCN còn hiệu lực đến hết ngày 14/01/2030"
    assert "Hạng 4 sao OCOP" in after and "20/GCN-UBND" in after and "1702/QĐ-UBND ngày 15/01/2027" in after
    assert "45/GCN-UBND" not in after and "Hạng 3 sao" not in after and "có hiệu lực từ ngày" not in after
    assert "UBND tỉnh Lai Châu" in after and "Sìn Hồ" not in after


@needs_browser
def test_how_to_check_names_the_decision_of_the_certificate_in_force(served, driver, clock):
    """Re-check, round seven: while the earlier certificate shows, "how to check this label" said the
    certificate was issued by the new decision (dated later, in the past tense); it names the
    decision of the certificate in force that day, switched with the facts."""
    def howto() -> str:
        return driver.find_element("css selector", ".ocop-howto").text

    clock("2027-01-14")
    driver.get(served + SCAN)
    text = howto()
    assert "Quyết định số 52/QĐ-UBND ngày 20/01/2024" in text and "1702/QĐ-UBND" not in text, text
    clock("2027-01-15")
    driver.get(served + SCAN)
    text = howto()
    assert "Quyết định số 1702/QĐ-UBND ngày 15/01/2027" in text and "52/QĐ-UBND" not in text, text


@needs_browser
def test_the_english_page_switches_too(served, driver, clock):
    clock("2026-12-20")
    driver.get(served + "en/" + SCAN)
    before = shown(driver)
    assert "until the end of 19 January 2027" in before.splitlines()[1]
    assert "A new certificate, No. 20/GCN-UBND (4 stars), takes effect on 15 January 2027." in before
    assert "45/GCN-UBND" in before and "20/GCN-UBND\n" not in before
    clock("2027-02-01")
    driver.get(served + "en/" + SCAN)
    after = shown(driver)
    assert "until the end of 14 January 2030" in after.splitlines()[1]
    assert "20/GCN-UBND" in after and "45/GCN-UBND" not in after and "takes effect" not in after


@needs_browser
@pytest.mark.parametrize("phone_day, expected", [
    ("2026-12-31", "GCN còn hiệu lực đến hết ngày 31/12/2026"),  # the earlier one's last day
    ("2027-01-05", "GCN chưa có hiệu lực có hiệu lực từ ngày 15/01/2027"),  # the gap
    ("2027-01-15", "GCN còn hiệu lực đến hết ngày 14/01/2030"),
])
def test_a_gap_between_the_two_is_not_in_force(served, driver, clock, phone_day, expected):
    clock(phone_day)
    driver.get(served + "p/cong-nhan-lai-ho/")
    assert shown(driver).splitlines()[1] == expected


@needs_browser
def test_a_revoked_earlier_certificate_is_never_shown_in_force(served, driver, clock):
    clock("2026-12-01")
    driver.get(served + "p/cong-nhan-lai-thu-hoi/")
    text = shown(driver)
    assert text.splitlines()[1] == "GCN chưa có hiệu lực có hiệu lực từ ngày 15/01/2027"
    assert "45/GCN-UBND" not in text


@needs_browser
def test_javascript_off_shows_the_certificate_in_force_on_the_build_day(served):
    d = browser.chrome()
    try:
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        d.get(served + SCAN)
        text = shown(d)
        assert text.splitlines()[1] == "GCN còn hiệu lực đến hết ngày 19/01/2027 (theo dữ liệu ngày 23/11/2026)"
        assert "45/GCN-UBND" in text and "Hạng 3 sao OCOP" in text and "Hạng 4 sao" not in text
    finally:
        d.quit()
