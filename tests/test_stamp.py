"""Stamped pages are byte-identical to pages MkDocs renders itself (catalog/site/build.py, "Stamping").

The fast build sends only the navigation pages through MkDocs and fills every other page into a
frame MkDocs rendered once. This compares it with the slow build (every page through MkDocs) on
the shipped records, on the records with the XSS corpus in every text field, and offline.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from catalog.site.build import build_catalogue
from catalog.checks.validate import check

from .conftest import AS_OF, REPO
from .test_xss import FIELDS, PAYLOADS, make_root


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_builds(root: Path, tmp_path: Path, offline: bool = False) -> None:
    cat = check(root, AS_OF).catalogue
    assert cat is not None
    build_catalogue(root, cat, tmp_path / "stamped", offline=offline)
    build_catalogue(root, cat, tmp_path / "mkdocs", offline=offline, stamp=False)
    stamped, reference = tree(tmp_path / "stamped"), tree(tmp_path / "mkdocs")
    assert sorted(stamped) == sorted(reference)
    differ = [name for name in reference if stamped[name] != reference[name]]
    assert differ == [], f"{len(differ)} files differ, e.g. {differ[:5]}"
    assert sum(name.endswith(".html") for name in reference) > 10


def test_shipped_records(tmp_path):
    assert_same_builds(REPO, tmp_path)


def test_shipped_records_offline(tmp_path):
    assert_same_builds(REPO, tmp_path, offline=True)


@pytest.mark.parametrize("start", [0, len(FIELDS)])
def test_xss_corpus(tmp_path, start):
    texts = (PAYLOADS[start:] + PAYLOADS)[:len(FIELDS)]
    assert_same_builds(make_root(tmp_path / "data", texts), tmp_path)


def test_paginated_listings(tmp_path, monkeypatch):
    """Short pages so every listing (products, provinces, groups, stars, producers…) has several."""
    from catalog.site import page

    monkeypatch.setattr(page, "LISTING_PAGE_SIZE", 3)
    assert_same_builds(REPO, tmp_path)
    site = tmp_path / "stamped"
    assert (site / "san-pham/trang-14/index.html").is_file() and not (site / "san-pham/trang-15/index.html").exists()
    second = (site / "san-pham/trang-2/index.html").read_text(encoding="utf-8")
    assert '<a href="../" rel="prev">' in second and '<a href="../trang-3/" rel="next">' in second
    assert '<span aria-current="page">2</span>' in second
    assert (site / "chu-the/trang-2/index.html").is_file()


def test_pages_made_beside_mkdocs_are_the_pages_the_workers_make(tmp_path, monkeypatch):
    """A cold build starts the pages that need no frame (the label pages) beside MkDocs
    (build._early_pages) and leaves the rest to the workers: with a slow MkDocs all of
    them are made early, with the flag already set none — the same site both ways, file for file."""
    import threading
    import time
    from functools import partial

    from catalog.runtime import parallel
    from catalog.site import build

    monkeypatch.setattr(parallel, "cores", lambda: 2)  # the early pages need a second process
    cat = check(REPO, AS_OF).catalogue
    assert cat is not None
    given: list[int] = []  # label pages handed to the workers, per build
    run_all = parallel.run_all

    def counting(jobs, **kwargs):
        given.append(sum(isinstance(job, partial) and job.func is build._write_standalone for job in jobs))
        return run_all(jobs, **kwargs)

    monkeypatch.setattr(parallel, "run_all", counting)
    run_mkdocs = build.run_mkdocs
    monkeypatch.setattr(build, "run_mkdocs", lambda *args: (run_mkdocs(*args), time.sleep(4)))
    build_catalogue(REPO, cat, tmp_path / "early")
    monkeypatch.setattr(build, "run_mkdocs", run_mkdocs)
    done = threading.Event()
    done.set()
    monkeypatch.setattr(parallel, "flag", lambda: done)
    build_catalogue(REPO, cat, tmp_path / "workers")
    assert given[0] == 0 < given[1]
    assert tree(tmp_path / "early") == tree(tmp_path / "workers")


def test_label_specs_are_the_whole_document_pages_of_specs():
    """PageBuilder.label_specs (what build._early_pages makes) lists exactly the pages of specs()
    that are whole documents, in the same order, in both languages."""
    from catalog.site.pages import PageBuilder
    from catalog.site.scan import STANDALONE

    cat = check(REPO, AS_OF).catalogue
    assert cat is not None
    for lang, prefix in (("vi", ""), ("en", "en/")):
        builder = PageBuilder(cat, {}, lang=lang, prefix=prefix, twins=True)
        expected = [(s.url, s.template) for s in builder.specs() if s.template == STANDALONE]
        assert [(s.url, s.template) for s in builder.label_specs()] == expected and len(expected) > 10
        assert all(s.url.startswith(prefix) for s in builder.label_specs())
