"""Issue #14: hostile files around the records — photos that break the build, links and special
files that lead out of the data root or hang a reader, and a manifest of published ids that is
linked away, emptied or deleted."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from catalog.checks.validate import check

from .conftest import AS_OF, BASE

PHOTO = "images/lai-chau/san-pham-mau.jpg"


def copy_base(tmp_path) -> Path:
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    return root


def codes(root):
    return [(p.code, p.field or p.file) for p in check(root, AS_OF).problems]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_bomb_png(path: Path) -> None:
    """A valid small PNG with, after its image data, a zTXt chunk inflating to 64 MB: the header
    (all the old validation read) is fine; decoding the whole file is not."""
    import io

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buf, "PNG")
    raw = buf.getvalue()
    end = raw.rindex(b"IEND") - 4
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * (64 << 20), 9))
    path.write_bytes(raw[:end] + bomb + raw[end:])


def photo_root(tmp_path, make) -> Path:
    root = copy_base(tmp_path)
    target = root / "images/lai-chau/anh.png" if make is text_bomb_png else root / PHOTO
    make(target)
    if make is text_bomb_png:
        product = root / "products/lai-chau/san-pham-mau.yaml"
        product.write_text(product.read_text(encoding="utf-8").replace("lai-chau/san-pham-mau.jpg", "lai-chau/anh.png"),
                           encoding="utf-8")
    return root


def truncated_jpeg(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 2 // 3])


@pytest.mark.parametrize("make", [text_bomb_png, truncated_jpeg], ids=["png-text-bomb", "truncated-jpeg"])
def test_a_photo_the_build_cannot_decode_is_a_validation_error_not_a_traceback(tmp_path, make, run_cli):
    root = photo_root(tmp_path, make)
    assert codes(root) == [("bad-image", "images[0].file")]
    result = run_cli("build", "--root", root, "--out", tmp_path / "site")
    assert result.exit_code == 1 and "[bad-image]" in result.output and "Traceback" not in result.output


def test_renditions_carry_no_comment_exif_xmp_or_icc_of_the_source(tmp_path):
    from catalog.site.build import build

    root = copy_base(tmp_path)
    exif = Image.Exif()
    exif[0x010E] = "BÍ MẬT trong EXIF"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0)}  # GPS
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">BI-MAT-XMP</x:xmpmeta>'
    Image.new("RGB", (1200, 900), "orange").save(root / PHOTO, "JPEG", comment=b"BI-MAT-COMMENT",
                                                  exif=exif, xmp=xmp, icc_profile=b"\0" * 128)
    with Image.open(root / PHOTO) as source:
        assert source.info.get("comment") == b"BI-MAT-COMMENT" and "exif" in source.info
    site = build(root, tmp_path / "site", AS_OF).out
    renditions = sorted((site / "assets/img").rglob("*.jpg"))
    assert renditions
    for path in renditions:
        raw = path.read_bytes()
        for secret in (b"BI-MAT", "BÍ MẬT".encode(), b"Exif\0\0", b"http://ns.adobe.com/xap", b"ICC_PROFILE"):
            assert secret not in raw, (path.name, secret)
        with Image.open(path) as img:
            assert not {"comment", "exif", "xmp", "icc_profile"} & set(img.info), img.info


# --- links and special files --------------------------------------------------------------------

def test_published_ids_linked_to_a_system_file_is_not_read(tmp_path, run_cli):
    root = copy_base(tmp_path)
    os.symlink("/etc/passwd", root / "published-ids.txt")
    result = run_cli("validate", "--root", root)
    assert result.exit_code == 1
    assert "[not-a-regular-file]" in result.output and "root:" not in result.output
    assert "bad-manifest-line" not in result.output


@pytest.mark.parametrize("name", ["products/lai-chau/ong.yaml", "published-ids.txt", "ocop.yaml"])
def test_a_fifo_named_like_a_data_file_does_not_hang_validate(tmp_path, name):
    root = copy_base(tmp_path)
    (root / name).unlink(missing_ok=True)
    os.mkfifo(root / name)
    run = subprocess.run([sys.executable, "-m", "catalog.cli", "validate", "--root", str(root)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "[not-a-regular-file]" in run.stdout and "Traceback" not in run.stderr


def test_linked_folders_are_reported_and_never_read(tmp_path):
    outside = tmp_path / "ngoai"
    (outside / "products/lai-chau").mkdir(parents=True)
    shutil.copyfile(BASE / "products/lai-chau/san-pham-mau.yaml", outside / "products/lai-chau/san-pham-mau.yaml")
    root = copy_base(tmp_path)
    os.symlink(outside / "products/lai-chau", root / "products/dien-bien")  # a linked province folder
    (root / "villages/lai-chau/con").mkdir(exist_ok=True)
    os.symlink(outside / "products", root / "villages/lai-chau/con/lk")  # a link deeper down
    shutil.rmtree(root / "sales_points")
    os.symlink(outside / "products", root / "sales_points")  # a linked kind folder
    got = codes(root)
    assert ("linked-folder", "products/dien-bien") in got
    assert ("linked-folder", "sales_points") in got
    assert ("linked-folder", "villages/lai-chau/con/lk") in got
    assert not any(code == "duplicate-id" for code, _ in got)  # the record behind the link was not read


def test_an_images_folder_linked_elsewhere_is_not_an_images_folder(tmp_path):
    outside = tmp_path / "ngoai"
    shutil.copytree(BASE / "images", outside)
    root = copy_base(tmp_path)
    shutil.rmtree(root / "images")
    os.symlink(outside, root / "images")
    assert codes(root) == [("missing-image", "images[0].file")]
    root2 = tmp_path / "r2"
    shutil.copytree(BASE, root2)
    shutil.rmtree(root2 / "images/lai-chau")
    os.symlink(outside / "lai-chau", root2 / "images/lai-chau")  # the province folder inside images/
    assert [(p.code, p.field) for p in check(root2, AS_OF).problems] == [("missing-image", "images[0].file")]


# --- published-ids.txt and git history ----------------------------------------------------------

def git(root, *args):
    return subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                          check=True, capture_output=True, text=True).stdout


def published_root(tmp_path) -> Path:
    root = copy_base(tmp_path)
    (root / "published-ids.txt").write_text("product san-pham-mau\nproducer htx-mau\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "published")
    return root


def test_deleting_published_ids_of_a_published_catalogue_is_an_error(tmp_path):
    root = published_root(tmp_path)
    commit = git(root, "rev-parse", "--short", "HEAD").strip()
    (root / "published-ids.txt").unlink()
    problems = check(root, AS_OF).problems
    assert [(p.code, p.severity) for p in problems] == [("published-ids-deleted", "error")]
    assert f"git checkout {commit} -- published-ids.txt" in problems[0].message()
    # and the ids it held are still checked: the record behind one of them disappears
    (root / "products/lai-chau/san-pham-mau.yaml").unlink()
    got = sorted(p.code for p in check(root, AS_OF).problems if p.file == "published-ids.txt")
    assert got == ["published-id-missing", "published-ids-deleted"]


def test_removed_lines_are_still_checked_and_ocop_manifest_writes_them_back(tmp_path, run_cli):
    root = published_root(tmp_path)
    (root / "published-ids.txt").write_text("producer htx-mau\n", encoding="utf-8")
    assert [(p.code, p.severity) for p in check(root, AS_OF).problems] == [("published-ids-lines-removed", "warning")]
    shutil.move(root / "products/lai-chau/san-pham-mau.yaml", tmp_path / "giu.yaml")
    assert "published-id-missing" in [p.code for p in check(root, AS_OF).problems]
    shutil.move(tmp_path / "giu.yaml", root / "products/lai-chau/san-pham-mau.yaml")
    assert run_cli("manifest", "--root", root, "--as-of", AS_OF.isoformat()).exit_code == 0
    assert "product san-pham-mau" in (root / "published-ids.txt").read_text(encoding="utf-8")
    assert check(root, AS_OF).problems == []


@pytest.mark.parametrize("attributes", ["published-ids.txt -diff", "published-ids.txt binary",
                                        "*.txt diff=nothing -text", "* -diff"])
def test_gitattributes_in_the_pull_request_do_not_hide_published_ids(tmp_path, attributes):
    """Probe, round five: a ``.gitattributes`` that makes git show published-ids.txt as binary
    hid every line ever published, and a deleted record's id passed."""
    root = published_root(tmp_path)
    (root / "products/lai-chau/san-pham-mau.yaml").unlink()
    (root / "published-ids.txt").write_text("producer htx-mau\n", encoding="utf-8")
    (root / ".gitattributes").write_text(attributes + "\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "xoá")
    missing = [p for p in check(root, AS_OF).problems if p.code == "published-id-missing"]
    assert [(p.severity, "san-pham-mau" in p.message()) for p in missing] == [("error", True)]


def test_a_catalogue_never_published_needs_no_published_ids(tmp_path):
    root = copy_base(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "chưa công bố")
    assert check(root, AS_OF).problems == []  # no commit ever held published-ids.txt
    assert check(BASE, AS_OF).problems == []  # outside a git work tree: only the file is read


def test_fmt_neither_reads_a_fifo_nor_writes_through_a_link(tmp_path, run_cli):
    root = copy_base(tmp_path)
    os.mkfifo(root / "products/lai-chau/ong.yaml")
    outside = tmp_path / "ngoai.yaml"
    outside.write_text("id: lien-ket\nname:    'x'\n", encoding="utf-8")
    os.symlink(outside, root / "products/lai-chau/lien-ket.yaml")
    run = subprocess.run([sys.executable, "-m", "catalog.cli", "fmt", "--root", str(root)], capture_output=True,
                         text=True, timeout=60)
    assert "ong.yaml: là ống dữ liệu (FIFO)" in run.stderr and "lien-ket.yaml: là liên kết tượng trưng" in run.stderr
    assert outside.read_text(encoding="utf-8") == "id: lien-ket\nname:    'x'\n"
