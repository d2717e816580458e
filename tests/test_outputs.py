"""Issue #14, "commands that must not destroy" and "output that is never mixed": where `--out` may
point, one command at a time per output, caches outside published folders, and a rename's
redirect pages written by the same incremental build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.runtime import output
from catalog.site.build import build

from .conftest import AS_OF, BASE, digest

OCOP = [sys.executable, "-m", "catalog.cli"]


def data_root(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(BASE, root)
    return root


def ocop(*args, cwd=None):
    return subprocess.run(OCOP + [str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})


# --- the guard -----------------------------------------------------------------------------------

@pytest.mark.parametrize("command, out", [
    ("build", "."), ("build", ".."), ("build", "products"), ("build", "images/lai-chau"), ("build", ".git"),
    ("labels", "products"), ("labels", "producers/lai-chau"), ("labels", "."), ("labels", ".github/x"),
])
def test_an_output_that_is_holds_or_sits_in_the_data_is_refused(tmp_path, command, out):
    root = data_root(tmp_path)
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[core]\n", encoding="utf-8")
    (root / ".github").mkdir()
    before = digest(tmp_path)
    run = ocop(command, "--root", ".", "--out", out, "--as-of", AS_OF.isoformat(), cwd=root)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("ocop: không ghi vào --out"), run.stderr
    assert digest(tmp_path) == before  # nothing written, nothing deleted


def test_a_folder_the_tool_did_not_make_is_never_replaced(tmp_path):
    root = data_root(tmp_path)
    mine = tmp_path / "tai-lieu"
    mine.mkdir()
    (mine / "bao-cao.docx").write_bytes(b"quan trong")
    run = ocop("build", "--root", root, "--out", mine, "--as-of", AS_OF.isoformat())
    assert run.returncode == 1 and "không do công cụ tạo ra" in run.stderr
    assert (mine / "bao-cao.docx").read_bytes() == b"quan trong"
    labels = tmp_path / "labels"
    assert ocop("labels", "--root", root, "--out", labels, "--as-of", AS_OF.isoformat()).returncode == 0
    run = ocop("build", "--root", root, "--out", labels, "--as-of", AS_OF.isoformat())  # another command's output
    assert run.returncode == 1 and "ocop labels" in run.stderr and (labels / "sheets").is_dir()
    empty = tmp_path / "trong"
    empty.mkdir()
    assert ocop("build", "--root", root, "--out", empty, "--as-of", AS_OF.isoformat()).returncode == 0
    assert output.made_by(empty) == "build"
    assert ocop("build", "--root", root, "--out", empty, "--as-of", AS_OF.isoformat()).returncode == 0  # its own


def test_a_site_built_before_markers_existed_is_still_replaced(tmp_path):
    root = data_root(tmp_path)
    site = tmp_path / "site"
    build(root, site, AS_OF)
    (site / output.MARKER).unlink()  # as an older version left it; its build state names its inode
    assert build(root, site, AS_OF).rendered >= 0
    shutil.rmtree(output.cache_dir(site))
    (site / output.MARKER).unlink()
    with pytest.raises(Exception, match="không do công cụ tạo ra"):
        build(root, site, AS_OF)


def test_a_linked_output_folder_is_refused(tmp_path):
    root = data_root(tmp_path)
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    os.symlink(elsewhere, tmp_path / "site")
    run = ocop("build", "--root", root, "--out", tmp_path / "site", "--as-of", AS_OF.isoformat())
    assert run.returncode == 1 and "symlink" in run.stderr


@pytest.mark.parametrize("args", [
    ("booklet", "--out", "products/lai-chau/san-pham-mau.yaml"),
    ("booklet", "--out", "products/lai-chau/danh-muc.pdf"),
    ("booklet", "--out", "ghi-chu.pdf"),  # exists and is not a PDF
    ("offline", "--out", "images"),
    ("offline", "--out", "products/lai-chau"),
])
def test_single_file_outputs_stay_out_of_the_data_and_off_other_files(tmp_path, args):
    root = data_root(tmp_path)
    (root / "ghi-chu.pdf").write_text("không phải PDF", encoding="utf-8")
    before = digest(root)
    run = ocop(*args, "--root", ".", "--as-of", AS_OF.isoformat(), cwd=root)
    assert run.returncode == 1 and "ocop: không ghi vào --out" in run.stderr, run.stderr
    assert digest(root) == before


# --- one command at a time ---------------------------------------------------------------------

def test_a_second_build_on_the_same_output_refuses_with_one_line(tmp_path):
    root = data_root(tmp_path)
    site = tmp_path / "site"
    assert ocop("build", "--root", root, "--out", site, "--as-of", AS_OF.isoformat()).returncode == 0
    reference = digest(site)
    with output.locked(site.resolve(), "build"):  # another build holds the output
        run = ocop("build", "--root", root, "--out", site, "--as-of", AS_OF.isoformat())
        labels = ocop("labels", "--root", root, "--out", site, "--as-of", AS_OF.isoformat())
    assert run.returncode == 1 and run.stderr.count("\n") == 1
    assert f"(tiến trình {os.getpid()}) đang ghi vào" in run.stderr and "Traceback" not in run.stderr
    assert labels.returncode == 1
    assert digest(site) == reference
    assert ocop("build", "--root", root, "--out", site, "--as-of", AS_OF.isoformat()).returncode == 0  # released


def test_concurrent_builds_never_mix_their_outputs(tmp_path):
    """Two builds of different records started together on one output: each either completes or
    refuses with one line, and the output is then exactly one complete build."""
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(BASE, a)
    shutil.copytree(BASE, b)
    p = b / "products/lai-chau/san-pham-mau.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("name: Sản phẩm mẫu", "name: Chè bản B"), encoding="utf-8")
    expected = {}
    for name, root in (("a", a), ("b", b)):
        assert ocop("build", "--root", root, "--out", tmp_path / f"ref-{name}", "--as-of", AS_OF.isoformat()).returncode == 0
        expected[digest(tmp_path / f"ref-{name}")] = name
    site = tmp_path / "site"
    for attempt in range(2):
        procs = [subprocess.Popen(OCOP + ["build", "--root", str(r), "--out", str(site), "--as-of", AS_OF.isoformat()],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for r in (a, b)]
        results = [(proc.returncode, err) for proc in procs for _, err in [proc.communicate()]]
        for code, err in results:
            assert code == 0 or (code == 1 and err.count("\n") == 1 and "đang ghi vào" in err), err
            assert "Traceback" not in err
        assert any(code == 0 for code, _ in results)
        assert digest(site) in expected, attempt


# --- caches ------------------------------------------------------------------------------------

def test_label_caches_never_land_inside_the_uploaded_site(tmp_path):
    root = data_root(tmp_path)
    site = tmp_path / "site"
    build(root, site, AS_OF)
    run = ocop("labels", "--root", root, "--out", site / "nhan-in", "--as-of", AS_OF.isoformat())
    assert run.returncode == 0, run.stderr
    inside = [p.relative_to(site).as_posix() for p in site.rglob("*")]
    assert not [p for p in inside if ".cache" in p or p.endswith(("files.pickle", "cache.json", "labels.json"))], inside
    assert (output.cache_dir(site / "nhan-in") / "labels.json").is_file()
    assert output.work_dir(site / "nhan-in").parent == tmp_path  # the work folder too stays out of the site
    again = ocop("labels", "--root", root, "--out", site / "nhan-in", "--as-of", AS_OF.isoformat())
    assert "0 vẽ mới, 1 dùng lại" in again.stdout


def test_labels_refuse_the_example_domain_for_real_data(tmp_path):
    root = data_root(tmp_path)
    config = root / "ocop.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("sample_data: true", "sample_data: false"),
                      encoding="utf-8")
    for command, out in (("labels", "nhan"), ("booklet", "danh-muc.pdf")):
        run = ocop(command, "--root", root, "--out", tmp_path / out, "--as-of", AS_OF.isoformat())
        errors = [line for line in run.stderr.splitlines() if not line.startswith(f"ocop {command}: ")]  # not phases
        assert run.returncode == 1 and "tên miền ví dụ" in run.stderr and len(errors) == 1, run.stderr
        assert not (tmp_path / out).exists()
    run = ocop("labels", "--root", root, "--out", tmp_path / "nhan", "--as-of", AS_OF.isoformat(),
               "--base-url", "https://ocop.laichau.gov.vn")
    assert run.returncode == 0, run.stderr


# --- a rename -----------------------------------------------------------------------------------

def test_an_incremental_build_after_a_rename_writes_the_redirect_pages_at_once(tmp_path):
    root = data_root(tmp_path)
    site = tmp_path / "site"
    build(root, site, AS_OF)
    old = root / "products/lai-chau/san-pham-mau.yaml"
    text = old.read_text(encoding="utf-8").replace("id: san-pham-mau", "id: che-doi-ten\nformer_ids:\n  - san-pham-mau")
    old.unlink()
    (root / "products/lai-chau/che-doi-ten.yaml").write_text(text, encoding="utf-8")
    for rel in ("sales_points/lai-chau/diem-mau.yaml", "villages/lai-chau/ban-mau.yaml"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("san-pham-mau", "che-doi-ten"), encoding="utf-8")
    report = build(root, site, AS_OF)
    assert report.rendered >= 0  # incremental
    # the old label address straight to the label's page (01/<gtin>: this product has a GTIN), one step (#27)
    for old_url, new_url in (("san-pham/san-pham-mau/", "../che-doi-ten/"), ("p/san-pham-mau/", "../../01/08936012340013")):
        page = (site / old_url / "index.html").read_text(encoding="utf-8")
        assert f'content="0; url={new_url}"' in page, old_url
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert digest(site) == digest(cold.out)
