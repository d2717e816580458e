"""Hostile input: images that are not images or too big, links out of the data root, and a short
run of the fuzz target (tools/fuzz.py runs it for minutes)."""

from __future__ import annotations

import os
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.harness.fuzz import mutate, run_one, tempdir
from catalog.checks.validate import check

from .conftest import AS_OF, BASE


def root_with_image(tmp_path, make):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    make(root / "images/lai-chau/san-pham-mau.jpg")
    return root


def codes(root):
    return [(p.code, p.field) for p in check(root, AS_OF).problems]


def test_oversized_photo_is_refused(tmp_path):
    def make(path):
        path.unlink()
        Image.new("RGB", (8000, 6000), "white").save(path, "JPEG", quality=10)
    assert codes(root_with_image(tmp_path, make)) == [("image-too-large", "images[0].file")]


def test_a_photo_thirty_thousand_pixels_long_and_one_high_is_refused_and_never_stops_a_build(tmp_path, run_cli):
    """Probe, round six: it passed validation, then its 480-wide rendition rounded to 0 pixels high and
    `ocop build` stopped with a traceback (and would have stopped the daily rebuild after a merge)."""
    def make(path):
        path.unlink()
        Image.new("RGB", (30000, 1), "white").save(path, "JPEG")
    root = root_with_image(tmp_path, make)
    assert codes(root) == [("image-shape", "images[0].file")]
    result = run_cli("validate", "--root", root)
    assert "30000 × 1 điểm ảnh: quá dài hoặc quá hẹp" in result.output
    assert run_cli("build", "--root", root, "--out", tmp_path / "site").exit_code == 1  # refused, as any invalid data


def test_gif_is_not_accepted(tmp_path):
    def make(path):
        path.unlink()
        Image.new("RGB", (10, 10)).save(path, "GIF")
    assert codes(root_with_image(tmp_path, make)) == [("bad-image", "images[0].file")]


def test_image_linked_from_outside_the_data_root_is_not_read(tmp_path):
    secret = tmp_path / "secret.jpg"
    shutil.copyfile(BASE / "images/lai-chau/san-pham-mau.jpg", secret)

    def make(path):
        path.unlink()
        os.symlink(secret, path)
    assert codes(root_with_image(tmp_path, make)) == [("missing-image", "images[0].file")]


def test_record_that_is_a_link_is_refused_with_one_line(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    os.symlink("/etc/hostname", root / "products/lai-chau/lien-ket.yaml")
    result = run_cli("validate", "--root", root)
    assert result.exit_code == 1 and "symlink" in result.output and "Traceback" not in result.output


WORK = tempdir()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["products/lai-chau/san-pham-mau.yaml", "producers/lai-chau/htx-mau.yaml",
                        "sales_points/lai-chau/diem-mau.yaml", "villages/lai-chau/ban-mau.yaml"]),
       st.lists(st.integers(0, 1 << 30), min_size=1, max_size=6))
def test_fuzz_load_validate_render_raises_only_catalog_error(target, choices):
    text = mutate((BASE / target).read_bytes(), choices)
    assert run_one(BASE, target, text, WORK) in ("invalid", "valid", "refused")


def test_a_hidden_character_in_an_id_is_one_problem_not_a_crash(tmp_path):
    """Found by the fuzz test above (issue #18): the id's value, holding a control character, was
    taken out after the schema check passed, and the rules read data["id"] (KeyError)."""
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    record = root / "products/lai-chau/san-pham-mau.yaml"
    record.write_bytes(record.read_bytes().replace(b"id: san-pham-mau", b"id: san\x03-pham-mau", 1))
    assert [(p.code, p.file, p.line, p.col) for p in check(root, AS_OF).problems] == [
        ("control-character", "products/lai-chau/san-pham-mau.yaml", 1, 8)]
