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

@pytest.mark.parametrize("size", [(2, 4000), (4000, 2), (3, 2000)])
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

    from catalog.labels import LAYOUTS

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
    from catalog.labels import wrap

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
    from catalog.pages import site_templates_dir

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
