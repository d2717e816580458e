"""An incremental build after an edit gives exactly what a cold build of the same records gives.

catalog/site/build.py ("Incremental builds") re-renders only outputs whose key changed. These tests make
one kind of edit at a time to a copy of the shipped records, build incrementally into the same
folder, build the same records cold into a new folder, and compare the two byte for byte — so a
page whose key forgets something it shows (a producer's name on a product page, a product's stars
on a sales point's page…) fails here.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from catalog.site import build as site_mod
from catalog.site.build import build

from .conftest import AS_OF, copy_data
from catalog.runtime import output



def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    root = copy_data(base)
    first = build(root, base / "site", AS_OF)
    assert first.rendered == -1  # nothing to start from: cold
    return root, base


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def product_copy(root: Path) -> None:
    src = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = src.read_text(encoding="utf-8").replace("id: che-shan-tuyet-sin-ho", "id: che-moi-sin-ho", 1)
    text = re.sub(r"(?m)^name: .*$", "name: Chè mới Sìn Hồ", text, count=1)  # whatever earlier edits made of it
    text = text.replace("number: 100/GCN-UBND", "number: 999/GCN-UBND", 1)  # one certificate, one product
    text = "\n".join(line for line in text.splitlines() if not line.startswith("gtin:")) + "\n"
    (root / "products/lai-chau/che-moi-sin-ho.yaml").write_text(text, encoding="utf-8")


EDITS = {
    "product name": lambda r: edit(r / "products/lai-chau/che-shan-tuyet-sin-ho.yaml",
                                   "name: Chè Shan tuyết Sìn Hồ", "name: Chè Shan tuyết cổ thụ Sìn Hồ"),
    "producer name": lambda r: edit(r / "producers/lai-chau/htx-che-sin-ho.yaml",
                                    "name: Hợp tác xã Chè Shan tuyết Sìn Hồ", "name: HTX Chè Shan tuyết Sìn Hồ"),
    "sales point name": lambda r: edit(r / "sales_points/lai-chau/diem-ocop-sin-suoi-ho.yaml",
                                       "name: Điểm bán sản phẩm OCOP bản", "name: Điểm bán OCOP bản"),
    "village name": lambda r: edit(r / "villages/dien-bien/ban-him-lam.yaml",
                                   "name: Bản văn hoá du lịch Him Lam", "name: Bản du lịch Him Lam"),
    "new product": product_copy,
    "product removed": lambda r: (r / "products/lai-chau/che-moi-sin-ho.yaml").unlink(),
    "lot event": lambda r: edit(r / "products/lai-chau/che-shan-tuyet-sin-ho.yaml",
                                "Phiếu", "Biên bản"),
    "photo replaced": lambda r: replace_photo(r / "images/dien-bien/ca-phe-muong-ang.jpg"),
    # issue #17: statistics, commune and province pages follow the records they count
    "producer kind": lambda r: edit(r / "producers/lai-chau/htx-che-sin-ho.yaml", "kind: cooperative", "kind: company"),
    "product revoked": lambda r: edit(r / "products/dien-bien/gao-dien-bien.yaml", '  valid_until: "2027-05-21"\n',
                                      '  valid_until: "2027-05-21"\n  revocation:\n    decision:\n      number: 999/QĐ-UBND\n'
                                      '      date: "2026-10-01"\n    reason: Thu hồi để thử\n'),
    # issue #18: a province's map page and a place's small map follow the coordinates
    "sales point moved": lambda r: edit(r / "sales_points/lai-chau/diem-ocop-sin-suoi-ho.yaml", "lat: 22.4305", "lat: 22.4312"),
    "village loses its coordinates": lambda r: edit(r / "villages/dien-bien/ban-him-lam.yaml",
                                                    "location:\n  lat: 21.405\n  lon: 103.031\n", ""),
    # issue #27: edits that change other records' pages, listings, statistics and catalogue.json/.csv
    # (whose product rows an incremental build takes from the last build: export.write_api)
    "star level changed": lambda r: edit(r / "products/dien-bien/ca-phe-muong-ang.yaml", "  stars: 4\n  score: 79",
                                         "  stars: 3\n  score: 65"),
    "product moved province": lambda r: move_product(r, "dien-bien/mat-ong-muong-nhe.yaml", "lai-chau",
                                                     "Điện Biên", "Lai Châu", "Xã Mường Nhé", "Xã Nậm Cuổi"),
    # its phone leaves its products' pages and rows: nothing in the product files changed
    "producer withdraws consent": lambda r: edit(r / "producers/lai-chau/hkd-tho-cam-sin-suoi-ho.yaml",
                                                 "    - phone\n", ""),
    "catalogue title": lambda r: edit(r / "ocop.yaml", "title: ", "title: Bản thử — "),
    # a producer registered before its first product: counted by its province's coverage table
    "producer without products": lambda r: new_producer(r),
}


def new_producer(root: Path) -> None:
    text = (root / "producers/lai-chau/htx-che-sin-ho.yaml").read_text(encoding="utf-8")
    text = (text.replace("id: htx-che-sin-ho", "id: htx-mien-dong-moi").replace("Hợp tác xã Chè Shan tuyết Sìn Hồ",
                                                                             "Hợp tác xã Miến dong Mới")
            .replace('"6200100101"', '"6200100999"').replace('"0912400101"', '"0912400999"'))
    (root / "producers/lai-chau/htx-mien-dong-moi.yaml").write_text(text, encoding="utf-8")


def move_product(root: Path, rel: str, folder: str, province: str, new_province: str, commune: str,
                 new_commune: str) -> None:
    """An officer moves a product to another province's folder and corrects its address."""
    src = root / "products" / rel
    text = src.read_text(encoding="utf-8").replace(f"  province: {province}", f"  province: {new_province}")
    src.unlink()
    (root / "products" / folder / src.name).write_text(text.replace(f"  commune: {commune}", f"  commune: {new_commune}", 1),
                                                      encoding="utf-8")


def replace_photo(path: Path) -> None:
    """Same file name, other picture and size: its renditions and every page showing it change."""
    from PIL import Image

    with Image.open(path) as img:
        img.convert("RGB").transpose(Image.Transpose.ROTATE_90).save(path, "JPEG", quality=85)


@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_equals_cold(work, name):
    root, base = work
    EDITS[name](root)
    report = build(root, base / "site", AS_OF)
    cold = build(root, base / f"cold-{len(list(base.iterdir()))}", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out), name
    if name != "catalogue title":  # a configuration change rebuilds everything, by design
        assert 0 < report.rendered < cold.pages / 4, (name, report.rendered)


def test_nothing_changed_renders_nothing(work):
    root, base = work
    report = build(root, base / "site", AS_OF)
    assert report.rendered == 0


def test_interrupted_incremental_build_is_followed_by_a_cold_one(work, monkeypatch):
    root, base = work
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "name: Chè Shan tuyết", "name: Chè Shan Tuyết")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(site_mod, "_save_state", killed)
    with pytest.raises(KeyboardInterrupt):
        build(root, base / "site", AS_OF)
    monkeypatch.undo()
    assert (output.cache_dir(base / "site") / "dirty").is_file()
    report = build(root, base / "site", AS_OF)
    assert report.rendered == -1  # cold: built beside and swapped in whole
    assert not (output.cache_dir(base / "site") / "dirty").exists()
    cold = build(root, base / "cold-final", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out)


def test_untouched_files_are_not_read_again_and_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path, monkeypatch):
    """The build cache trusts a file's stat signature (catalog/runtime/cache.py `signature`) instead of
    reading it: an edit that keeps the size and puts the modification time back (cp -p, rsync -t)
    still changes the inode change time, and must be read and shown."""
    import os
    import time

    from catalog.runtime import cache as cache_mod
    from catalog.checks import validate as validate_mod

    monkeypatch.setattr(cache_mod, "RACY_NS", 0)  # the files here were all written a moment ago
    root = copy_data(tmp_path)
    build(root, tmp_path / "site", AS_OF)
    reads = []
    real_read = validate_mod._read
    monkeypatch.setattr(validate_mod, "_read", lambda path: reads.append(path) or real_read(path))
    assert build(root, tmp_path / "site", AS_OF).rendered == 0
    assert reads == []
    path = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    before = os.stat(path)
    time.sleep(0.05)
    edit(path, "name: Chè Shan tuyết Sìn Hồ", "name: Chè Shan tuyết Sìn Hổ")  # same number of bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    report = build(root, tmp_path / "site", AS_OF)
    assert reads == [path] and report.rendered > 0
    assert "Chè Shan tuyết Sìn Hổ" in (tmp_path / "site/san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")


def test_an_edit_no_navigation_page_shows_runs_no_mkdocs_and_keeps_the_sitemap(tmp_path, monkeypatch):
    """Issue #27: after an edit that changes neither the navigation pages nor any page's date, the
    incremental build does not run MkDocs (its pages and frames are the live site's), nor write the
    sitemap or admin/ again — and still equals a cold build byte for byte."""
    from catalog.publish import cms

    root = copy_data(tmp_path)
    build(root, tmp_path / "site", AS_OF)
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "Phiếu", "Biên bản")  # a lot event's document

    def refused(*args, **kwargs):
        raise AssertionError("made again although its inputs did not change")

    for module, name in ((site_mod, "run_mkdocs"), (site_mod, "write_sitemap"), (cms, "write_admin")):
        monkeypatch.setattr(module, name, refused)
    report = build(root, tmp_path / "site", AS_OF)
    assert report.rendered > 0
    monkeypatch.undo()
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out)
    # and the next edit, which does change a navigation page (the counts on the home page), runs it
    edit(root / "products/dien-bien/gao-dien-bien.yaml", '  valid_until: "2027-05-21"\n',
         '  valid_until: "2027-05-21"\n  revocation:\n    decision:\n      number: 999/QĐ-UBND\n'
         '      date: "2026-10-01"\n    reason: Thu hồi để thử\n')
    ran = []
    real = site_mod.run_mkdocs
    monkeypatch.setattr(site_mod, "run_mkdocs", lambda *a, **k: ran.append(1) or real(*a, **k))
    report = build(root, tmp_path / "site", AS_OF)
    monkeypatch.undo()
    assert ran == [1]
    cold = build(root, tmp_path / "cold-2", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out)


def test_catalogue_rows_of_unchanged_products_come_from_the_last_build(tmp_path, monkeypatch):
    """Issue #27: catalogue.json/.csv are put together from the pieces of the last build for the
    products whose files (and producers' files) are unchanged — only the edited product's row is
    made again, and the files are those of a cold build."""
    from catalog.publish import export

    root = copy_data(tmp_path)
    build(root, tmp_path / "site", AS_OF)
    made = tmp_path / "made.txt"  # the rows are made beside MkDocs, in a forked process (build.py _beside_mkdocs)
    summary = export.product_summary

    def counted(cat, p):
        with made.open("a", encoding="utf-8") as fh:
            fh.write(p.id + "\n")
        return summary(cat, p)

    monkeypatch.setattr(export, "product_summary", counted)
    EDITS["product name"](root)
    report = build(root, tmp_path / "site", AS_OF)
    assert made.read_text(encoding="utf-8").split() == ["che-shan-tuyet-sin-ho"]
    made.unlink()
    EDITS["producer name"](root)  # and the pieces kept by the process beside were saved: only the
    build(root, tmp_path / "site", AS_OF)  # producer's products are made again
    assert sorted(made.read_text(encoding="utf-8").split()) == sorted(
        p.stem for p in root.glob("products/*/*.yaml") if "producer: htx-che-sin-ho" in p.read_text(encoding="utf-8"))
    monkeypatch.undo()
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out)


@pytest.mark.parametrize("damage", ["unsigned", "altered", "other scope", "not a dict"])
def test_a_planted_or_altered_fragments_cache_is_not_trusted(tmp_path, damage):
    """fragments.pickle is signed and scoped like files.pickle (issue #22): pieces planted without
    the key, a flipped byte, pieces of another configuration — the build makes every row again."""
    import pickle

    from catalog.runtime import cache

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    path = output.cache_dir(out) / "fragments.pickle"
    doc = pickle.loads(cache._verified(path.read_bytes()))
    forged = {key: ('{"name":"GIẢ MẠO"}', "GIẢ MẠO\r\n") for key in doc["pieces"]}
    if damage == "unsigned":
        path.write_bytes(pickle.dumps({**doc, "pieces": forged}))
    elif damage == "altered":
        signed = cache._sign(pickle.dumps({**doc, "pieces": forged}))
        path.write_bytes(signed[:-1] + bytes([signed[-1] ^ 1]))
    elif damage == "other scope":
        path.write_bytes(cache._sign(pickle.dumps({**doc, "scope": "x", "pieces": forged})))
    else:
        path.write_bytes(cache._sign(pickle.dumps(["GIẢ MẠO"])))
    EDITS["product name"](root)
    report = build(root, out, AS_OF)
    assert "GIẢ MẠO" not in (out / "api/v1/catalogue.csv").read_text(encoding="utf-8")
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(report.out) == tree(cold.out)


def test_twin_builders_sharing_record_keys_give_the_keys_each_computes_alone(tmp_path):
    """Issue #27: the English builder takes the keys of product, label and record pages from the
    Vietnamese one (PageBuilder.share_keys_with); every page's key is the one it has alone."""
    from catalog.checks.validate import check
    from catalog.site.pages import PageBuilder

    root = copy_data(tmp_path)
    result = check(root, AS_OF)

    def keys(shared: bool) -> list:
        builders = [PageBuilder(result.catalogue, {}, lang=lang, digests=result.digests, prefix=prefix, twins=True)
                    for lang, prefix in (("vi", ""), ("en", "en/"))]
        if shared:
            builders[1].share_keys_with(builders[0])
            assert builders[1]._record_keys is builders[0]._record_keys
        return [(spec.url, spec.key_of()) for b in builders for spec in b.specs()]

    alone, shared = keys(False), keys(True)
    assert shared == alone
    assert sum(key is not None for _, key in alone) > 200


def test_a_shadow_prepared_after_a_cold_build_serves_the_first_edit(tmp_path, monkeypatch):
    """`ocop serve` prepares the shadow while the officer edits (site/build.py prepare_shadow): the
    first incremental build then only updates it — it links no unchanged file into a new folder —
    and gives what a cold build gives; the live site and its state are untouched by the preparing."""
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    assert build(root, out, AS_OF).rendered == -1
    before = tree(out)
    assert site_mod.prepare_shadow(out) is True
    assert site_mod.prepare_shadow(out) is False  # there already
    assert tree(out) == before
    shadow = output.work_dir(out) / site_mod.SHADOW
    assert tree(shadow) == before
    live_state = json.loads((output.cache_dir(out) / "site.json").read_text(encoding="utf-8"))
    shadow_state = json.loads((output.cache_dir(out) / "shadow.json").read_text(encoding="utf-8"))
    assert shadow_state == {"format": live_state["format"], "global": live_state["global"], "build": live_state["build"]}
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "name: Chè Shan tuyết Sìn Hồ", "name: Chè Shan tuyết Sìn Hồ mới")

    def no_completing(*args, **kwargs):
        raise AssertionError("linked every unchanged file: the prepared shadow was not used")

    monkeypatch.setattr(site_mod, "_complete_from", no_completing)
    report = build(root, out, AS_OF)
    monkeypatch.undo()
    assert 0 < report.rendered < report.pages / 4
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_a_shadow_preparation_killed_midway_is_never_trusted(tmp_path, monkeypatch):
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    calls = []

    def link_then_die(*args, **kwargs):
        calls.append(args)
        if len(calls) > 5:
            raise KeyboardInterrupt
        return real_link(*args, **kwargs)

    real_link = site_mod.os.link
    monkeypatch.setattr(site_mod.os, "link", link_then_die)
    with pytest.raises(KeyboardInterrupt):
        site_mod.prepare_shadow(out)
    monkeypatch.undo()
    assert not (output.cache_dir(out) / "shadow.json").exists()
    assert not (output.work_dir(out) / site_mod.SHADOW).exists()
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "name: Chè Shan tuyết Sìn Hồ", "name: Chè Shan tuyết Sìn Hồ mới")
    build(root, out, AS_OF)
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_a_name_edit_makes_no_statistics_again(tmp_path, monkeypatch):
    """A product's name is in no figure (catalog/figures/stats.py NOT_COUNTED): after that edit no
    statistics page or download of any scope is made again — the navigation page kept with its key
    (build.py _write_docs), the others by their keys — and the site equals a cold build."""
    from catalog.site import stats_pages

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "name: Chè Shan tuyết Sìn Hồ", "name: Chè Shan tuyết cổ thụ Sìn Hồ")
    made = []
    for name in ("stats_page", "coverage_page", "_write_csv", "_write_xlsx"):
        real = getattr(stats_pages.StatsPages, name)
        monkeypatch.setattr(stats_pages.StatsPages, name,
                            lambda self, *a, _real=real, _name=name, **k: made.append(_name) or _real(self, *a, **k))
    report = build(root, out, AS_OF)
    monkeypatch.undo()
    assert report.rendered > 0 and made == []
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_an_edit_lists_only_the_pages_of_the_records_it_touches(tmp_path, monkeypatch):
    """Issue #27: a record's own pages (a product's page and label pages; a producer's, sales
    point's or village's page) are listed again only when their group's key changed (pages.py
    _group): after a product's name edit, that product's group and those of the records that show
    its card (its producer, sales points, village) — in each language — and no other, and only its
    province's listings; the pages of every other record and province are taken from the last
    build, and the site equals a cold build."""
    from catalog.site import pages, stats_pages

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    listed: list[str] = []
    for name in ("_product_specs", "_record_specs"):
        real = getattr(pages.PageBuilder, name)
        monkeypatch.setattr(pages.PageBuilder, name, lambda self, rec, _real=real: listed.append(
            f"{self.lang}:{rec.kind}:{rec.id}") or _real(self, rec))
    urls: list[str] = []  # every page listed, to see which commune pages are (each a group of its own)
    real_specs = pages.PageBuilder.specs
    monkeypatch.setattr(pages.PageBuilder, "specs", lambda self: (urls.append(s.url) or s for s in real_specs(self)))
    provinces: list[str] = []  # a province's listings are a group too: its products' cards
    real_listings = stats_pages.StatsPages.province_listings
    monkeypatch.setattr(stats_pages.StatsPages, "province_listings", lambda self, folder, products: provinces.append(
        f"{self.b.lang}:{folder}") or real_listings(self, folder, products))
    EDITS["product name"](root)
    report = build(root, out, AS_OF)
    monkeypatch.undo()
    product = "che-shan-tuyet-sin-ho"
    showing = {"producer:htx-che-sin-ho"}  # its producer, and the sales points and villages that list it
    for kind, folder in (("sales_point", "sales_points"), ("village", "villages")):
        for path in (root / folder).rglob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if product in data.get("products", []):
                showing.add(f"{kind}:{data['id']}")
    assert showing and set(listed) == {f"{lang}:{g}" for lang in ("vi", "en") for g in showing | {f"product:{product}"}}
    assert sorted(provinces) == ["en:lai-chau", "vi:lai-chau"]
    # a commune's page only for the edited product's commune (its card changed), in each language
    communes = sorted(u for u in urls if re.fullmatch(r"(en/)?tinh/[^/]+/xa/[^/]+/", u))
    commune = yaml.safe_load(next(root.joinpath("products").rglob(f"{product}.yaml")).read_text(encoding="utf-8"))["address"]["commune"]
    assert len(communes) == 2 and communes[0] == "en/" + communes[1], communes
    assert (out / communes[1] / "index.html").read_text(encoding="utf-8").count(commune) > 0
    assert report.rendered > 0
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_a_listing_page_after_the_first_is_listed_again_only_when_its_cards_change(tmp_path, monkeypatch):
    """Issue #27: each page after the first of a paged listing (all products, by group, by stars, the
    producers' index…) is a group of its own keyed by its own key (pages.py ``_alone``). With pages of
    three cards, a product's name edit lists again only the later pages whose cards changed, and the
    site equals a cold build with the same paging."""
    from catalog.site import page as page_mod, pages

    monkeypatch.setattr(page_mod, "LISTING_PAGE_SIZE", 3)
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    urls: list[str] = []
    real_specs = pages.PageBuilder.specs
    monkeypatch.setattr(pages.PageBuilder, "specs", lambda self: (urls.append(s.url) or s for s in real_specs(self)))
    EDITS["product name"](root)
    build(root, out, AS_OF)
    monkeypatch.setattr(pages.PageBuilder, "specs", real_specs)
    later = re.compile(r"(en/)?(san-pham|nhom/[^/]+|sao/\d|chu-the|diem-ban|lang)/trang-\d+/")
    all_later = {str(p.parent.relative_to(out)) + "/" for p in out.rglob("index.html")
                 if later.fullmatch(str(p.parent.relative_to(out)) + "/")}
    listed = {u for u in urls if later.fullmatch(u)}
    assert len(all_later) > 20 and 0 < len(listed) < len(all_later) / 2, (len(listed), len(all_later))
    assert not any(u.startswith(("chu-the/", "diem-ban/", "lang/", "en/chu-the/")) for u in listed)  # no index changed
    showing = {u for u in all_later if "cổ thụ Sìn Hồ" in (out / u / "index.html").read_text(encoding="utf-8")}
    assert showing and showing <= listed
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_when_the_last_keys_cannot_be_used_every_page_is_listed_again(tmp_path, monkeypatch):
    """Other MkDocs frames (another global key) after an edit: the pages left to the last build
    cannot keep its keys — the build lists every page again (build._Relist) and equals a cold one."""
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    EDITS["producer name"](root)
    real = site_mod._global_key
    monkeypatch.setattr(site_mod, "_global_key", lambda *a: "other-" + real(*a))
    relisted = []
    kept_keys = site_mod._kept_keys
    monkeypatch.setattr(site_mod, "_kept_keys", lambda kept, old: relisted.append(len(kept)) or kept_keys(kept, old))
    report = build(root, out, AS_OF)
    monkeypatch.undo()
    assert relisted[0] > 0 and relisted[1:] == [0]  # pages left out, then none
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out) and report.rendered == -1


def test_what_the_statistics_count_is_hashed_again_only_for_the_edited_record(tmp_path, monkeypatch):
    """Issue #27: each record's counted form (catalog/figures/stats.py remember_counted) is kept in
    the signed pieces with the digests it comes from; after an edit only the edited record's is
    made again — and after its producer's edit, its products' too (their public form depends on
    the producer's consent) — and the site equals a cold build."""
    from catalog.figures import stats

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    hashed: list[str] = []
    real = stats._counted
    monkeypatch.setattr(stats, "_counted", lambda rec: hashed.append(rec.file) or real(rec))
    EDITS["product name"](root)
    build(root, out, AS_OF)
    assert hashed == ["products/lai-chau/che-shan-tuyet-sin-ho.yaml"]
    hashed.clear()
    EDITS["producer name"](root)
    build(root, out, AS_OF)
    monkeypatch.undo()
    assert {"producers/lai-chau/htx-che-sin-ho.yaml", "products/lai-chau/che-shan-tuyet-sin-ho.yaml"} <= set(hashed)
    assert all(f == "producers/lai-chau/htx-che-sin-ho.yaml" or f.startswith("products/lai-chau/") for f in hashed)
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


@pytest.mark.parametrize("missing", [False, True])
def test_links_made_on_all_cores_give_the_same_site(tmp_path, monkeypatch, missing):
    """The first incremental build after a cold one links every unchanged file into the new folder
    (build._complete_from), on all cores from LINK_PARALLEL_FROM links — here from the first: the
    site equals a cold build; with a file of the live site gone, a worker says so and the build
    is made whole from scratch (still equal)."""
    monkeypatch.setattr(site_mod, "LINK_PARALLEL_FROM", 0)
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    if missing:
        next(p for p in sorted((out / "chu-the").rglob("index.html"))).unlink()
    EDITS["product name"](root)
    report = build(root, out, AS_OF)
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)
    assert (report.rendered == -1) is missing


@pytest.mark.parametrize("case", ["made", "failed", "turned cold"])
def test_the_first_edit_after_a_cold_build_makes_its_shadow_beside_the_rendering(tmp_path, monkeypatch, case):
    """Issue #27: the first incremental build after a cold one makes the shadow on the other core
    while it reads, checks and renders (build._shadow_beside, the rest linked by the build itself
    once it has rendered; here from the first file), then only brings it up to date — no file is
    linked after the rendering (_complete_from is not called). If making it fails,
    the build links the files itself; if the build turns out cold (other frames), it is stopped.
    Every time the site equals a cold build, and the next edit's build too."""
    monkeypatch.setattr(site_mod, "SHADOW_BESIDE_FROM", 0)
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    EDITS["product name"](root)
    linked_after = []
    complete_from = site_mod._complete_from
    monkeypatch.setattr(site_mod, "_complete_from", lambda *a: linked_after.append(1) or complete_from(*a))
    if case == "failed":
        def broken(*a):
            raise OSError("disk full")
        monkeypatch.setattr(site_mod._ShadowBeside, "_link_claimed", broken)
    if case == "turned cold":
        real = site_mod._global_key
        monkeypatch.setattr(site_mod, "_global_key", lambda *a: "other-" + real(*a))
    report = build(root, out, AS_OF)
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)
    assert linked_after == ([1] if case == "failed" else [])
    assert (report.rendered == -1) is (case == "turned cold")
    monkeypatch.undo()
    EDITS["producer name"](root)
    build(root, out, AS_OF)
    cold = build(root, tmp_path / "cold-2", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


# --- the rules across records beside the rendering (catalog/checks/validate.py check_ahead) ---------

CROSS_RECORD_ERRORS = {
    # each is an error only a rule across records finds: the file alone is valid
    "duplicate-gtin": lambda r: edit(r / "products/lai-chau/che-shan-tuyet-sin-ho.yaml",
                                     'gtin: "8936012340013"', 'gtin: "8936012340082"'),
    # the catalogue cannot even be assembled around it
    "missing-producer": lambda r: edit(r / "products/lai-chau/che-shan-tuyet-sin-ho.yaml",
                                       "producer: htx-che-sin-ho", "producer: htx-khong-co"),
}


@pytest.mark.parametrize("code", sorted(CROSS_RECORD_ERRORS))
def test_an_edit_only_a_rule_across_records_refuses_publishes_nothing(tmp_path, code):
    """After an edit the rules across records run beside the rendering (issue #27): an error only
    they find must still refuse the build before anything is published or remembered — the live
    site, its state and its shadow stay those of the last good build, and that build's next edit is
    incremental again."""
    from catalog.site.build import BuildRefused

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    edit(root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml", "name: Chè Shan tuyết Sìn Hồ", "name: Chè Sìn Hồ")
    assert build(root, out, AS_OF).rendered > 0
    state = output.cache_dir(out)
    before = tree(out), *((state / name).read_bytes() for name in ("site.json", site_mod.STATE_KEYS, "shadow.json"))
    good = (root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml").read_text(encoding="utf-8")
    CROSS_RECORD_ERRORS[code](root)
    with pytest.raises(BuildRefused) as refused:
        build(root, out, AS_OF)
    assert code in {p.code for p in refused.value.result.errors}
    assert (tree(out), *((state / name).read_bytes() for name in ("site.json", site_mod.STATE_KEYS, "shadow.json"))) == before
    assert not any(p.name.startswith(("building-", "pages-")) for p in output.work_dir(out).iterdir())
    (root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml").write_text(good.replace("Chè Sìn Hồ", "Chè Sìn Hồ xanh"),
                                                                      encoding="utf-8")
    assert build(root, out, AS_OF).rendered > 0  # incremental, from the last good build
    cold = tmp_path / "cold"
    build(root, cold, AS_OF, incremental=False)
    assert tree(out) == tree(cold)


def test_the_check_beside_the_rendering_gives_what_check_gives(tmp_path):
    """check_ahead is check with its second step on another core: the same problems, in the same
    order, and the same catalogue — with and without errors, cached or not."""
    from catalog.checks import validate
    from catalog.runtime.cache import FileCache

    root = copy_data(tmp_path)
    cache_file = tmp_path / "files.pickle"
    for damage in (None, "duplicate-gtin", "missing-producer"):
        if damage:
            CROSS_RECORD_ERRORS[damage](root)
        for cache in (None, FileCache(cache_file)):
            expected = validate.check(root, AS_OF)
            ahead = validate.check_ahead(root, AS_OF, cache)
            try:
                got = ahead.result()
            finally:
                ahead.close()
            if cache is not None:
                cache.save()
            assert [repr(p) for p in got.problems] == [repr(p) for p in expected.problems]
            assert (got.catalogue is None) == (expected.catalogue is None) == bool(damage)
            if not damage:
                assert sorted(got.catalogue.products) == sorted(expected.catalogue.products)


# --- the templates compiled once (catalog/site/pages.py _SharedBytecode) ------------------------------

@pytest.mark.parametrize("kept", ["kept", "tampered"])
def test_the_next_build_does_not_compile_the_templates_again(tmp_path, monkeypatch, kept):
    """Issue #27: the page templates one build compiled are kept, signed, in the output's state
    folder; the next build (here: the memory of this process emptied, as in a new process) loads
    them instead of compiling. A kept file that is not this user's signed pickle is not trusted —
    bytecode is code: every template is compiled again. Both builds equal a cold one."""
    from catalog.site import pages as pages_mod

    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    kept_file = output.cache_dir(out) / "templates.pickle"
    assert kept_file.is_file()
    if kept == "tampered":
        kept_file.write_bytes(kept_file.read_bytes()[:-1] + b"\x00")
    monkeypatch.setattr(pages_mod._BYTECODE, "store", {})
    compiled: list[str] = []
    real = pages_mod._Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(pages_mod._Environment, "compile", counting)
    EDITS["product name"](root)
    build(root, out, AS_OF)
    if kept == "kept":
        assert compiled == []
    else:
        assert pages_mod.MACROS in compiled and len(compiled) > 5
    cold = build(root, tmp_path / "cold", AS_OF, incremental=False)
    assert tree(out) == tree(cold.out)


def test_the_shadow_is_linked_in_pieces_that_cover_every_file_once_between_folders():
    """build._folder_runs: the pieces the two processes claim (build._ShadowBeside) — every file in
    exactly one, each cut between two folders, about as many as asked for."""
    import os

    rels = sorted([f"01/{g:04d}/10/L{lot}.html" for g in range(300) for lot in range(g % 3)]
                  + [f"01/{g:04d}/index.html" for g in range(300)] + ["index.html", "sitemap.xml"])
    cuts = site_mod._folder_runs(rels, 16)
    assert cuts[0] == 0 and cuts[-1] == len(rels) and cuts == sorted(set(cuts))
    assert all(os.path.dirname(rels[c]) != os.path.dirname(rels[c - 1]) for c in cuts[1:-1])
    assert 10 <= len(cuts) - 1 <= 20
    assert site_mod._folder_runs([], 16) == [0] and site_mod._folder_runs(["a.html"], 16) == [0, 1]


@pytest.mark.parametrize("code", ["duplicate-gtin", "missing-producer", "out-of-range"])
def test_a_refused_first_edit_stops_its_shadow_and_leaves_nothing(tmp_path, monkeypatch, code):
    """The first edit after a cold build starts linking its shadow before the records are read
    (build._ShadowBeside; here from the first file). When the records have an error — one only the
    rules across records find, or one in the file alone — the build is refused: the live site and
    its state are the cold build's byte for byte, no shadow is trusted, no staging folder is left,
    and the next good edit gives what a cold build gives."""
    from catalog.site.build import BuildRefused

    monkeypatch.setattr(site_mod, "SHADOW_BESIDE_FROM", 0)
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    state = output.cache_dir(out)
    before = tree(out), *((state / name).read_bytes() for name in ("site.json", site_mod.STATE_KEYS))
    record = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    good = record.read_text(encoding="utf-8")
    if code == "out-of-range":
        edit(record, "stars: 4", "stars: 6")
    else:
        CROSS_RECORD_ERRORS[code](root)
    with pytest.raises(BuildRefused) as refused:
        build(root, out, AS_OF)
    assert code in {p.code for p in refused.value.result.errors}
    assert (tree(out), *((state / name).read_bytes() for name in ("site.json", site_mod.STATE_KEYS))) == before
    assert not (state / "shadow.json").exists()
    assert not any(p.name.startswith(("building-", "pages-")) for p in output.work_dir(out).iterdir())
    record.write_text(good.replace("name: Chè Shan tuyết Sìn Hồ", "name: Chè Sìn Hồ"), encoding="utf-8")
    assert build(root, out, AS_OF).rendered > 0  # incremental, from the cold build
    assert (state / "shadow.json").is_file()
    cold = tmp_path / "cold"
    build(root, cold, AS_OF, incremental=False)
    assert tree(out) == tree(cold)


def test_the_first_build_of_a_new_day_stops_the_shadow_before_rendering(tmp_path, monkeypatch):
    """The shadow starts before the records are read (build._ShadowBeside). When the as-of day has
    changed since the last build (the first build of each day), the build is a cold one whatever
    the records say: the shadow is stopped as soon as the cold key is known, before the rendering,
    so the cold build has both cores — and it still equals a cold build."""
    import datetime as dt

    monkeypatch.setattr(site_mod, "SHADOW_BESIDE_FROM", 0)
    root = copy_data(tmp_path)
    out = tmp_path / "site"
    build(root, out, AS_OF)
    events: list[str] = []
    close, render = site_mod._ShadowBeside.close, site_mod.render_site
    monkeypatch.setattr(site_mod._ShadowBeside, "close", lambda self: events.append("stopped") or close(self))
    monkeypatch.setattr(site_mod, "render_site", lambda *a, **k: events.append("rendering") or render(*a, **k))
    EDITS["product name"](root)
    next_day = AS_OF + dt.timedelta(days=1)
    report = build(root, out, next_day)
    assert report.rendered == -1
    assert events[:2] == ["stopped", "rendering"]
    assert not (output.cache_dir(out) / "shadow.json").exists()
    cold = build(root, tmp_path / "cold", next_day, incremental=False)
    assert tree(out) == tree(cold.out)
