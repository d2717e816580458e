"""Issue #22, "Hardening, round three": the minor findings and personal data outside the producer
record. Each test reproduces what the attacker typed; without the fix it fails."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import AS_OF, BASE

LONG = "7" * 5000  # more digits than Python's int() accepts from a string (4,300)


def root_of(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- a 5,000-digit number in any numeric field --------------------------------------------------

PRODUCT = "products/lai-chau/san-pham-mau.yaml"
SALES_POINT = "sales_points/lai-chau/diem-mau.yaml"
LONG_NUMBERS = {  # field → (file, text replaced, text put instead)
    "certificate.score": (PRODUCT, "score: 75", f"score: {LONG}"),
    "certificate.stars": (PRODUCT, "stars: 4", f"stars: {LONG}"),
    "certificate.score (quoted)": (PRODUCT, "score: 75", f'score: "{LONG}"'),
    "certificate.score (decimal)": (PRODUCT, "score: 75", f"score: {LONG}.5"),
    "location.lat": (SALES_POINT, "products:", f"location:\n  lat: {LONG}\n  lon: 103.2\nproducts:"),
    "map.max_zoom": ("ocop.yaml", "sample_data: true", f"sample_data: true\nmap:\n  max_zoom: {LONG}"),
    "address.commune": (PRODUCT, "commune: Xã Sìn Hồ", f"commune: Phường {LONG}"),
}


@pytest.mark.parametrize("case", sorted(LONG_NUMBERS))
def test_a_five_thousand_digit_number_is_a_problem_line_not_a_traceback(tmp_path, run_cli, case):
    file, old, new = LONG_NUMBERS[case]
    root = root_of(tmp_path)
    edit(root / file, old, new)
    field = case.split(" ")[0]
    for fmt in ("text", "github", "json"):
        result = run_cli("validate", "--root", root, "--format", fmt, "--as-of", AS_OF.isoformat())
        assert result.exit_code == 1, (fmt, result.output[-2000:])
        assert "Traceback" not in result.output and "Exceeds the limit" not in result.output
        if fmt == "json":
            problems = json.loads(result.output)
            listed = problems["problems"] if isinstance(problems, dict) else problems
            assert any(p["field"] == field for p in listed), listed
        else:
            lines = [line for line in result.output.splitlines() if field in line]
            assert lines and all(len(line) < 600 for line in lines), result.output[-2000:]
    out = tmp_path / "site"
    result = run_cli("build", "--root", root, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1 and "Traceback" not in result.output and not out.exists()


def test_the_long_number_line_says_what_to_write_in_vietnamese(tmp_path, run_cli):
    root = root_of(tmp_path)
    edit(root / PRODUCT, "score: 75", f"score: {LONG}")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    line = next(line for line in result.output.splitlines() if "certificate.score" in line)
    assert line.startswith(f"{PRODUCT}:20:10: error:") and "Số này dài 5000 ký tự" in line and "ví dụ" in line


# --- an e-mail address that carries a hidden blind copy ------------------------------------------

PRODUCER = "producers/lai-chau/htx-mau.yaml"
HOSTILE_EMAILS = ["a@b.vn?bcc=x%40evil.example", "a@b.vn?cc=x@evil.example", "a@b.vn&bcc=x@evil.example",
                  "a%40evil.example@b.vn", "a@b.vn#x", "a@b.vn/x", "a@b.vn?subject=x", "\"a?\"@b.vn"]


@pytest.mark.parametrize("email", HOSTILE_EMAILS)
@pytest.mark.parametrize("where", ["producer", "config"])
def test_an_email_with_a_query_is_refused_with_a_vietnamese_line(tmp_path, run_cli, email, where):
    root = root_of(tmp_path)
    if where == "producer":
        edit(root / PRODUCER, "kind: cooperative", f"kind: cooperative\nemail: '{email}'")
        field = "email"
    else:
        edit(root / "ocop.yaml", "sample_data: true", f"sample_data: true\nreport_contact:\n  email: '{email}'")
        field = "report_contact.email"
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if f"error: {field}:" in line)
    assert "thư điện tử" in line and "?" in line.split("[")[0].split(":", 4)[-1] and line.endswith("[bad-format]")


@pytest.mark.parametrize("email", ["htx.chesinho@gmail.com", "lo_van-thanh+ocop@laichau.gov.vn", "A.B@mail.co.uk"])
def test_ordinary_emails_still_validate(tmp_path, run_cli, email):
    root = root_of(tmp_path)
    edit(root / PRODUCER, "kind: cooperative", f"kind: cooperative\nemail: {email}")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output


# --- a very tall (or wide) photo in the booklet -------------------------------------------------

# The tallest and widest a photo may be (catalog/records/images.py MAX_ASPECT: 20 to 1; a 2 × 4000 photo,
# the case that stopped the booklet's layout, is refused by validate since probe, round six — a
# 30,000 × 1 one stopped the build): such a photo still fits its 34 × 48 mm card.
@pytest.mark.parametrize("size", [(200, 4000), (4000, 200), (101, 2000)])
def test_a_valid_very_tall_or_wide_photo_fits_its_booklet_card(tmp_path, run_cli, size):
    from PIL import Image

    root = root_of(tmp_path)
    photo = root / "images/lai-chau/san-pham-mau.jpg"
    photo.unlink()
    Image.new("RGB", size, (120, 60, 20)).save(photo, "JPEG", quality=90)
    assert run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).exit_code == 0
    out = tmp_path / "b.pdf"
    result = run_cli("booklet", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output[-3000:]
    listed = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listed.splitlines()[2:] if line.split()[2] == "image"]
    # the photo is drawn inside its 34 mm × 48 mm cell: at least 480 / (48 / 25.4) dots per inch
    photo_rows = [r for r in rows if max(int(r[3]), int(r[4])) == 480]
    assert photo_rows and all(min(int(r[12]), int(r[13])) >= 480 / (48 / 25.4) - 1 for r in photo_rows), listed


# --- a long name without spaces on the A4 label sheet -------------------------------------------

def test_a_long_name_without_spaces_stays_inside_its_own_label_on_the_sheet(tmp_path, run_cli):
    from PIL import Image

    from catalog.print.labels import LAYOUTS

    root = root_of(tmp_path)
    name = "ChèShanTuyếtCổThụ" * 6 + "Mẫu" * 4  # 114 characters, one "word"
    assert len(name) == 114
    edit(root / PRODUCT, "name: Sản phẩm mẫu", f"name: {name}")
    out = tmp_path / "labels"
    result = run_cli("labels", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out)
    assert result.exit_code == 0, result.output
    dpi = 100
    for layout in LAYOUTS.values():
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(out / "sheets" / f"{layout.name}.pdf"),
                        str(tmp_path / layout.name)], check=True)
        page = Image.open(next(tmp_path.glob(f"{layout.name}*.pgm")))
        px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
        # the one label is the first of the sheet; everything beyond it (half a millimetre of
        # anti-aliasing aside) is blank paper — the neighbouring labels get nothing
        left, top = px(layout.left_mm), px(layout.top_mm)
        right, bottom = px(layout.left_mm + layout.width_mm) + 1, px(layout.top_mm + layout.height_mm) + 1
        outside = [page.crop((right, 0, page.width, page.height)), page.crop((0, bottom, page.width, page.height)),
                   page.crop((0, 0, max(left - 1, 1), page.height)), page.crop((0, 0, page.width, max(top - 1, 1)))]
        assert all(part.getextrema()[0] >= 250 for part in outside), layout.name
        inside = page.crop((left, top, right, bottom))
        assert inside.getextrema()[0] < 100  # the label itself is printed


def test_wrap_never_makes_a_line_wider_than_its_width():
    from catalog.print.labels import wrap

    measure = lambda text: float(len(text))  # noqa: E731
    lines = wrap("a" * 114 + " bb " + "c" * 7, 10, measure, 20)
    assert all(len(line) <= 10 for line in lines) and "".join(lines).replace(" ", "") == "a" * 114 + "bb" + "c" * 7
    assert wrap("x" * 40, 10, measure, 3)[-1].endswith("…") and len(wrap("x" * 40, 10, measure, 3)) == 3
    assert wrap("Chè Shan tuyết", 10, measure, 3) == ["Chè Shan", "tuyết"]


# --- the offline copy's 404.html ------------------------------------------------------------------

def test_the_offline_404_page_links_inside_the_copy_from_file(tmp_path, run_cli):
    import zipfile
    from html import unescape
    from urllib.parse import unquote, urlsplit

    root = root_of(tmp_path)
    result = run_cli("offline", "--root", root, "--out", tmp_path / "zips", "--province", "lai-chau",
                     "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "zips" / "ocop-lai-chau.zip") as zf:
        zf.extractall(tmp_path / "x")
    site = tmp_path / "x" / "ocop-lai-chau"
    page = site / "404.html"
    html = page.read_text(encoding="utf-8")
    urls = [unescape(u) for u in re.findall(r'\s(?:href|src|action)="([^"]*)"', html)]
    local = [u for u in urls if not urlsplit(u).scheme and not u.startswith("#")]
    targets = set()
    for url in local:
        assert not url.startswith("/"), url  # from file:// a leading slash is the reader's disk
        target = (page.parent / unquote(urlsplit(url).path)).resolve()
        assert target.is_file() and target.is_relative_to(site.resolve()), url  # a file: no folder listing
        targets.add(target.relative_to(site.resolve()).as_posix())
    assert {"index.html", "tim-kiem/index.html"} <= targets, urls  # home and the search form


def test_the_published_404_page_keeps_root_absolute_links(tmp_path, run_cli):
    root = root_of(tmp_path)
    result = run_cli("build", "--root", root, "--out", tmp_path / "site", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert 'href="/"' in html and 'action="/tim-kiem/"' in html  # served at any depth by the host


# --- ocop serve and a NUL byte in the path ---------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_serve_answers_a_nul_byte_in_the_path_with_400_and_no_traceback(tmp_path, capfd, method):
    import http.client

    from .test_serve import serving

    root = root_of(tmp_path)
    with serving(root, tmp_path / "site") as (url, _):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for path in ("/index.html%00.jpg", "/%00", "/san-pham/%00/", "/01/08936012340013%00", "/tim-kiem%00/"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request(method, path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                assert response.status in (400, 404), (path, response.status)
                response.read()
            finally:
                conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, "/index.html", headers={"Host": "127.0.0.1"})
        assert conn.getresponse().status == 200  # still serving
        conn.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "embedded null byte" not in err, err


# --- what a SIGKILL of booklet / offline leaves, cleaned at the next run ----------------------------

def dead_pid() -> int:
    """The id of a process that has ended (a run killed earlier)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_run_cleans_only_what_killed_runs_made(tmp_path, monkeypatch, run_cli):
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    root = root_of(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"  # what a planted link points to: must survive, whole
    (victim / "keep").mkdir(parents=True)
    (victim / "keep" / "file.txt").write_text("x")
    (victim / "file.pdf").write_text("x")
    pid, other = dead_pid(), dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # a run still going
    left = {  # name → (made by a killed run, so removed?)
        temp / f"ocop-booklet-{pid}-a1b2c3d4": True,
        temp / f"ocop-offline-{pid}-zz9_x0yq": True,
        temp / f"ocop-pages-{other}-kq2m_7ab": True,
        temp / f"ocop-booklet-{live.pid}-live0001": False,  # a run still going
        temp / "ocop-notes": False,  # not a name the tool makes
        temp / f"ocop-diff-{pid}-abcdefgh": False,
        out / f".b.pdf.tmp-{pid}": True,
        out / f".ocop-lai-chau.zip.tmp-{pid}": True,
        out / f".ocop-dien-bien-en.zip.tmp-{other}": True,
        out / f".other.pdf.tmp-{pid}": False,  # another booklet's name: not this run's business
        out / f".b.pdf.tmp-{live.pid}": False,
        out / "notes.txt": False,
    }
    for path, _ in left.items():
        if path.parent == temp and path.name.startswith("ocop-"):
            (path / "site" / "x").mkdir(parents=True)
            (path / "site" / "x" / "index.html").write_text("<p>half</p>")
        else:
            path.write_bytes(b"%PDF-half" if path.suffix != ".txt" else b"notes")
    links = {  # planted links with the tool's names: left alone, targets untouched
        temp / f"ocop-offline-{pid}-linkdir1": victim / "keep",
        out / f".c.pdf.tmp-{pid}": victim / "file.pdf",
        out / f".ocop-ha-noi.zip.tmp-{pid}": victim / "file.pdf",
    }
    for link, target in links.items():
        link.symlink_to(target)
    try:
        result = run_cli("booklet", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out / "b.pdf")
        assert result.exit_code == 0, result.output
        result = run_cli("booklet", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out / "c.pdf")
        assert result.exit_code == 0, result.output
        result = run_cli("offline", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out, "--province", "lai-chau")
        assert result.exit_code == 0, result.output
        assert all(path.exists() for path, removed in left.items() if not removed)  # while the live run is going
    finally:
        live.kill()
        live.wait()
    for path, removed in left.items():
        assert path.exists() is not removed, path.name
    for link in links:
        assert link.is_symlink(), link.name
    assert (victim / "keep" / "file.txt").read_text() == "x" and (victim / "file.pdf").read_text() == "x"
    # and the runs themselves left nothing of theirs
    assert sorted(p.name for p in temp.iterdir()) == sorted(
        ["ocop-notes", f"ocop-diff-{pid}-abcdefgh", f"ocop-offline-{pid}-linkdir1", f"ocop-booklet-{live.pid}-live0001"])


@pytest.mark.parametrize("command", ["booklet", "offline"])
def test_sigkill_leftovers_are_gone_after_the_next_run(tmp_path, command):
    """The real thing: ``ocop booklet`` / ``ocop offline`` killed while their work folder exists;
    the next run removes what the killed one left."""
    import signal
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    root = root_of(tmp_path)
    out = tmp_path / "out"
    target = ["--out", str(out / "b.pdf")] if command == "booklet" else ["--out", str(out), "--province", "lai-chau"]
    args = [sys.executable, "-m", "catalog.cli", command, "--root", str(root), "--as-of", AS_OF.isoformat(), *target]
    env = {**os.environ, "TMPDIR": str(temp)}
    killed = 0
    for _ in range(20):  # until a run was killed with its work folder on disk
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not any(temp.glob(f"ocop-{command}-*")):
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        if killed:
            break
    assert killed and any(temp.glob(f"ocop-{command}-*")), "no run was interrupted"
    subprocess.run(args, env=env, check=True, capture_output=True)
    assert not any(temp.iterdir()), sorted(p.name for p in temp.iterdir())
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]


# --- template sources are not published ----------------------------------------------------------

def test_no_template_source_is_published(tmp_path, run_cli):
    from catalog.site.pages import site_templates_dir

    root = root_of(tmp_path)
    out = tmp_path / "site"
    result = run_cli("build", "--root", root, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    templates = site_templates_dir()
    sources = [p.relative_to(templates).as_posix() for p in templates.rglob("*")
               if p.is_file() and p.relative_to(templates).parts[0] != "assets"]
    assert sources and not [s for s in sources if (out / s).exists()]
    assert not (out / "pages").exists() and not (out / "partials").exists()
    # MkDocs copies every file of the theme folder that is not *.html (nor hidden, *.py, *.yml…)
    # into the site: a template must be named *.html to stay out of it
    assert [s for s in sources if not s.endswith(".html")] == []


# --- personal data outside the producer record (Decree 13/2023/NĐ-CP) -------------------------------

HAMLET = "Thôn Nà Riêng số 9"  # the household's street on its certificate
ACTOR, EVENT_PLACE, NOTE_PHONE = "Lò Thị Riêng Tư", "Nương chè nhà bà Riêng, bản Nà Riêng", "0987 654 321"
OPERATOR, OPERATOR_PHONE, SP_STREET, SP_LAT = "Bà Lò Thị Bán Hàng", "0978123456", "Ki-ốt số 4 chợ Mẫu", "22.398765"


def person_root(tmp_path: Path, consent: list[str] | None = None, sp_consent: list[str] | None = None,
                operator_kind: str | None = None) -> Path:
    """The base root where the producer is a household whose product's certificate prints its
    hamlet and whose lot events name people and a phone, and the sales point is run by a woman."""
    root = tmp_path / f"r-{'-'.join(consent or ['none'])}-{'-'.join(sp_consent or ['none'])}-{operator_kind}"
    shutil.copytree(BASE, root)
    producer = root / "producers/lai-chau/htx-mau.yaml"
    text = producer.read_text(encoding="utf-8").replace("kind: cooperative", "kind: household_business")
    if consent:
        text += f"publish_consent:\n  fields: [{', '.join(consent)}]\n  date: \"2025-03-01\"\n"
    producer.write_text(text, encoding="utf-8")
    edit(root / PRODUCT, "  text: Xã Sìn Hồ, tỉnh Lai Châu", f"  text: {HAMLET}, xã Sìn Hồ, tỉnh Lai Châu")
    product = root / PRODUCT
    product.write_text(product.read_text(encoding="utf-8") + (
        "lots:\n  - id: L2025-01\n    produced_on: 2025-10-01\n    events:\n"
        f"      - type: harvest\n        date: 2025-09-28\n        place: {EVENT_PLACE}\n        actor: {ACTOR}\n"
        f"        note: Hái sáng sớm, gọi {NOTE_PHONE} để đặt\n"
        "      - type: testing\n        date: 2025-09-30\n        place: Trung tâm Kiểm nghiệm tỉnh\n"
        "        actor: Phòng thử nghiệm Hoá\n        document: PKN 123/2025\n"), encoding="utf-8")
    sp = root / SALES_POINT
    text = sp.read_text(encoding="utf-8").replace("operator: Ban quản lý chợ mẫu", f"operator: {OPERATOR}")
    text = text.replace("  commune: Phường Tân Phong", f"  commune: Phường Tân Phong\n  street: {SP_STREET}")
    text += f"phone: \"{OPERATOR_PHONE}\"\nlocation:\n  lat: {SP_LAT}\n  lon: 103.456789\n"
    if operator_kind:
        text += f"operator_kind: {operator_kind}\n"
    if sp_consent:
        text += f"publish_consent:\n  fields: [{', '.join(sp_consent)}]\n  date: \"2025-03-01\"\n"
    sp.write_text(text, encoding="utf-8")
    return root


def built_texts(root: Path, out: Path) -> dict[str, str]:
    """Every published text file of a build: the JSON, the vi and en pages, the feed, the search index."""
    from catalog.site.build import build

    site = build(root, out, AS_OF).out
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".jsonld", ".csv", ".xml", ".js", ".txt")}


def test_without_consent_no_page_or_json_carries_the_persons_street_name_phone_or_coordinates(tmp_path):
    from catalog.checks.validate import check

    root = person_root(tmp_path)
    problems = check(root, AS_OF).problems
    codes = sorted(p.code for p in problems)
    assert codes == ["phone-in-free-text", "product-personal-data-unpublished", "sales-point-personal-data-unpublished"]
    texts = built_texts(root, tmp_path / "site")
    published = "\n".join(texts.values())
    for secret in (HAMLET, ACTOR, "bà Riêng", "0987654321", NOTE_PHONE, OPERATOR, OPERATOR_PHONE, "+84978123456",
                   SP_STREET, SP_LAT, "22.3988", "103.456789"):
        assert secret not in published, secret
    # what a person may show without consent is still there: commune, province, the events and their
    # documents (a household's events' actor and place are withheld whoever they name: the rule is simple)
    assert "xã Sìn Hồ, tỉnh Lai Châu" in texts["api/v1/products/san-pham-mau.json"]
    assert "PKN 123/2025" in published and "Phòng thử nghiệm Hoá" not in published
    assert "Phường Tân Phong" in texts["diem-ban/diem-mau/index.html"]
    lot_page = "01/08936012340013/10/L2025-01.html"  # the page the lot's label leads to (GS1 Digital Link)
    for page, words in ((lot_page, "Không công bố (dữ liệu cá nhân"), ("en/" + lot_page, "Not published (personal data"),
                        ("diem-ban/diem-mau/index.html", "Không công bố (dữ liệu cá nhân"),
                        ("en/diem-ban/diem-mau/index.html", "Not published (personal data")):
        assert words in texts[page] and "dữ liệu cá nhân)" not in texts[page].replace(words, ""), page


def test_the_published_json_still_validates_against_the_record_schema(tmp_path):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    root = person_root(tmp_path)
    site = tmp_path / "site"
    built_texts(root, site)
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "api/v1/schemas").glob("*.json"))]
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s, default_specification=DRAFT7)) for s in schemas])
    for kind, plural, rid in (("product", "products", "san-pham-mau"), ("sales_point", "sales_points", "diem-mau")):
        schema = json.loads((site / f"api/v1/schemas/{kind}-file.schema.json").read_text(encoding="utf-8"))
        doc = json.loads((site / f"api/v1/{plural}/{rid}.json").read_text(encoding="utf-8"))
        assert list(jsonschema.Draft7Validator(schema, registry=registry).iter_errors(doc)) == []
    sales_point = json.loads((site / "api/v1/sales_points/diem-mau.json").read_text(encoding="utf-8"))["record"]
    assert sales_point["operator_kind"] == "person" and "phone" not in sales_point and "location" not in sales_point


def test_consent_publishes_exactly_what_was_agreed_outside_the_producer_record(tmp_path):
    from catalog.checks.validate import check

    root = person_root(tmp_path, consent=["representative", "street"], sp_consent=["representative", "location"],
                       operator_kind="household_business")
    codes = sorted(p.code for p in check(root, AS_OF).problems)
    assert codes == ["phone-in-free-text", "product-personal-data-unpublished", "sales-point-personal-data-unpublished"]
    published = "\n".join(built_texts(root, tmp_path / "site").values())
    assert HAMLET in published and ACTOR in published and EVENT_PLACE in published  # agreed
    assert NOTE_PHONE not in published  # the note holds a phone: no phone consent
    assert OPERATOR in published and SP_LAT in published  # agreed
    assert OPERATOR_PHONE not in published and SP_STREET not in published  # not agreed


def test_full_consent_and_an_organisation_publish_as_typed(tmp_path):
    from catalog.checks.validate import check

    root = person_root(tmp_path, consent=["representative", "phone", "street"],
                       sp_consent=["representative", "phone", "street", "location"])
    assert [p.code for p in check(root, AS_OF).problems] == ["phone-in-free-text"]  # a phone belongs in phone
    published = "\n".join(built_texts(root, tmp_path / "site").values())
    for value in (HAMLET, ACTOR, NOTE_PHONE, OPERATOR, OPERATOR_PHONE, SP_STREET, SP_LAT):
        assert value in published, value
    organisation = person_root(tmp_path, operator_kind="public_body")  # a market board with a mobile line
    cat = check(organisation, AS_OF).catalogue
    assert cat.sales_points["diem-mau"].data["phone"] == OPERATOR_PHONE


@pytest.mark.parametrize("operator, phone, person", [
    ("Hộ kinh doanh Lò Văn Bán", "02133876543", True), ("HKD Cô Mai", "02133876543", True),
    ("Chị Vàng Thị Mai", "02133876543", True), ("Tổ hợp tác Dệt Sin Suối Hồ", "02133876543", True),
    ("Ban quản lý chợ Mường So", "0912345678", True),  # a mobile number: taken for a person's
    ("Ban quản lý chợ Mường So", "02133876543", False), ("Công ty Cổ phần Chợ Phố", "02133876543", False),
    ("Hội Nông dân tỉnh", "02133876543", False), ("Công ty Anh Minh", "02133876543", False),
])
def test_who_runs_a_sales_point_when_the_record_does_not_say(operator, phone, person):
    from catalog.records.privacy import operator_kind

    assert (operator_kind({"operator": operator, "phone": phone}) is not None) is person


@pytest.mark.parametrize("text, found", [
    ("Liên hệ 0912345678", True), ("LH: 0912 345 678 (chị Mai)", True), ("gọi 0912.345.678", True),
    ("ĐT +84 912 345 678", True), ("số máy bàn 02133 876 543", True),
    ("Quyết định 1032/QĐ-UBND ngày 15/3/2024", False), ("Lô 20250912", False), ("Mã 8936012340013", False),
    ("Khối lượng 500 g, 12 tháng", False),
])
def test_a_phone_number_in_free_text_is_found(text, found):
    from catalog.records.privacy import phones_in

    assert bool(phones_in(text)) is found


def test_validate_warns_on_a_phone_number_in_a_description_in_vietnamese(tmp_path, run_cli):
    root = root_of(tmp_path)
    edit(root / PRODUCT, "description: Chè mẫu dùng cho kiểm thử.", "description: Chè mẫu, đặt hàng gọi 0912 345 678.")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "[phone-in-free-text]" in line)
    assert line.startswith(f"{PRODUCT}:7:14: warning: description:") and "0912 345 678" in line and "trường phone" in line
    english = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    assert "the phone number 0912 345 678" in english


def test_import_leaves_a_households_hamlet_out_of_the_certified_address(tmp_path):
    """``ocop import`` of a household's row: the hamlet goes to address.street (published only with
    consent), not into certified_address.text; a company's certificate text is kept whole."""
    from click.testing import CliRunner
    from openpyxl import Workbook

    from catalog.cli import main

    root = root_of(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Nhóm"])
    ws.append([1, "Mật ong bạc hà Nà Riêng", "Hộ kinh doanh Lò Thị Riêng", f"{HAMLET}, xã Pa Tần, huyện Sìn Hồ, tỉnh Lai Châu", 3,
               "Thực phẩm"])
    ws.append([2, "Chè xanh Pa Tần", "Công ty TNHH Chè Pa Tần", "Bản Pa Tần 2, xã Pa Tần, huyện Sìn Hồ, tỉnh Lai Châu", 3,
               "Đồ uống"])
    sheet = tmp_path / "ds.xlsx"
    wb.save(sheet)
    result = CliRunner().invoke(main, ["import", "--root", str(root), str(sheet), "--province", "lai-chau",
                                       "--decision", "123/QĐ-UBND", "--date", "01/10/2025", "--body", "UBND tỉnh Lai Châu",
                                       "--as-of", AS_OF.isoformat(), "--write"])
    assert "Traceback" not in result.output, result.output
    written = {p.name: p.read_text(encoding="utf-8") for p in (root / "products/lai-chau").glob("*.yaml")}
    honey = next(text for name, text in written.items() if "mat-ong" in name)
    tea = next(text for name, text in written.items() if "che-xanh" in name)
    assert HAMLET not in honey.split("certified_address:")[1] and HAMLET in honey.split("certified_address:")[0]
    assert "xã Pa Tần, huyện Sìn Hồ, tỉnh Lai Châu" in honey.split("certified_address:")[1]
    assert "Bản Pa Tần 2, xã Pa Tần" in tea.split("certified_address:")[1]
