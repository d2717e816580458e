"""`ocop parts`: a built site cut into GitHub Pages sites of one address (catalog/publish/parts.py).

The national catalogue in both languages is over GitHub Pages' 1 GB; its English edition and its
open data are published as the organisation's project sites `en` and `api`, served under the same
domain at /en/ and /api/. What must hold: served together, the parts answer every address exactly as
the one site did (so every label URL is in the main part, and no link changes); a part over a limit
stops the deploy with one line that says what to do; nothing is copied through a link.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.publish import parts as pages_parts
from catalog.runtime import output

from .conftest import copy_data


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _config(root: Path, extra: str) -> None:
    config = root / "ocop.yaml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped records with deploy_parts: [en, api], built once."""
    from click.testing import CliRunner

    from catalog.cli import main

    tmp = tmp_path_factory.mktemp("parts")
    root = copy_data(tmp)
    _config(root, "deploy_parts: [en, api]\n")
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(tmp / "site"), "--as-of", "2026-11-23"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, tmp / "site"


def _split(run_cli, root: Path, site: Path, out: Path):
    return run_cli("parts", "--root", root, "--site", site, "--out", out)


def test_parts_served_together_are_the_site(built, run_cli, tmp_path):
    root, site = built
    result = _split(run_cli, root, site, tmp_path / "parts")
    assert result.exit_code == 0, result.output
    parts = {name: _files(tmp_path / "parts" / name) for name in ("root", "en", "api")}
    assert sorted(os.listdir(tmp_path / "parts")) == [output.MARKER, "api", "en", "root"]
    # The host serves /en/<x> from the en site, /api/<x> from the api site, the rest from the main one.
    served = {rel: data for rel, data in parts["root"].items()}
    for name in ("en", "api"):
        for rel, data in parts[name].items():
            if rel != "404.html":
                assert f"{name}/{rel}" not in served
                served[f"{name}/{rel}"] = data
    assert served == _files(site)
    assert not any(rel.startswith(("en/", "api/")) for rel in parts["root"])
    # every address a label encodes is in the main part
    labels = [rel for rel in parts["root"] if rel.startswith(("p/", "01/"))]
    assert labels and all(not rel.startswith("en/") for rel in labels)
    assert "index.html" in parts["en"] and "san-pham" in {rel.split("/")[0] for rel in parts["en"]}
    assert parts["en"]["404.html"] == parts["root"]["404.html"] == parts["api"]["404.html"]
    assert "v1/catalogue.json" in parts["api"]
    # the figures printed are those of the folders written
    for name, prefix in (("root", "/"), ("en", "/en/"), ("api", "/api/")):
        line = next(line for line in result.output.splitlines() if line.split()[0] == prefix)
        assert f"{len(parts[name]):,} tệp" in line


def test_a_part_over_the_limit_stops_the_deploy_and_says_what_to_do(built, run_cli, tmp_path, monkeypatch):
    root, site = built
    root_bytes = sum(len(b) for rel, b in _files(site).items() if not rel.startswith(("en/", "api/")))
    monkeypatch.setattr(pages_parts, "LIMIT_BYTES", root_bytes - 1)  # the main part alone is just over
    result = _split(run_cli, root, site, tmp_path / "parts")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "quá giới hạn" in line]
    assert len(errors) == 1 and "phần / của trang:" in errors[0] and "MB >" in errors[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "parts").exists()  # nothing written
    # without a split, the refusal names the setting to add
    plain = copy_data(tmp_path, "plain")
    monkeypatch.setattr(pages_parts, "LIMIT_BYTES", 10_000)
    result = _split(run_cli, plain, site, tmp_path / "parts")
    assert result.exit_code == 1 and "deploy_parts: [en]" in result.output and "ocop.yaml" in result.output


def test_limits_count_files_and_the_tar(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    for i in range(5):
        (site / f"{i}.html").write_bytes(b"x" * 600)  # 600 bytes: 1,024 in the tar (+512 header)
        (site / "en" / f"{i}.html").write_bytes(b"y")
    plan = {p.name: p for p in pages_parts.plan(site, ("en",))}
    assert (len(plan["root"].files), plan["root"].bytes) == (5, 3000)
    assert plan["root"].tar_bytes == 5 * (512 + 1024) + 512 + 1024  # files, the root folder, the end blocks
    assert (len(plan["en"].files), plan["en"].bytes) == (5, 5)
    assert plan["en"].tar_bytes == 5 * 1024 + 1024  # en/ is the en site's root: no header of its own


def test_separate_parts_need_a_domain_root(built, run_cli, tmp_path):
    root, site = built
    data = copy_data(tmp_path)
    config = data / "ocop.yaml"
    text = config.read_text(encoding="utf-8")
    base = next(line for line in text.splitlines() if line.startswith("base_url:"))
    config.write_text(text.replace(base, "base_url: https://so-cong-thuong.github.io/ocop") + "deploy_parts: [en]\n",
                      encoding="utf-8")
    result = _split(run_cli, data, site, tmp_path / "parts")
    assert result.exit_code == 1 and "base_url" in result.output and "Traceback" not in result.output


def test_a_link_planted_in_the_site_is_refused_not_followed(built, run_cli, tmp_path):
    root, site = built
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("khoá riêng", encoding="utf-8")
    (copy / "san-pham" / "khoa.txt").symlink_to(secret)
    result = _split(run_cli, root, copy, tmp_path / "parts")
    assert result.exit_code == 1 and "khoa.txt" in result.output and "liên kết" in result.output
    assert not (tmp_path / "parts").exists()


def test_only_a_build_output_is_split(built, run_cli, tmp_path):
    root, _ = built
    stranger = tmp_path / "tai-lieu"
    stranger.mkdir()
    (stranger / "index.html").write_text("<p>không phải trang ocop</p>", encoding="utf-8")
    result = _split(run_cli, root, stranger, tmp_path / "parts")
    assert result.exit_code == 1 and "ocop build" in result.output


def test_a_linked_folder_planted_in_the_site_is_refused_not_dropped(built, run_cli, tmp_path):
    """Found by an outside tester against 766d639: a link to a folder was neither refused nor copied
    (os.walk lists it with the folders and does not enter it), so the part was published without it
    and the run said nothing — only a link to a file was refused."""
    root, site = built
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site, copy, symlinks=True)
    elsewhere = tmp_path / "ngoai-trang"
    elsewhere.mkdir()
    (elsewhere / "khoa.txt").write_text("khoá riêng", encoding="utf-8")
    (copy / "assets" / "them").symlink_to(elsewhere, target_is_directory=True)
    result = _split(run_cli, root, copy, tmp_path / "parts")
    assert result.exit_code == 1 and "assets/them" in result.output and "liên kết" in result.output
    assert not (tmp_path / "parts").exists()
