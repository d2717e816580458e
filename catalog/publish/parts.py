"""A built site cut into the parts that are published, each within the host's limits (issue #27).

GitHub Pages publishes a site of at most 1 GB. A provincial catalogue is far below it (2,000 products
in both languages: ~100 MB); the national one in both languages is not (30,000 products: ~1.4 GB,
README "How the build scales"). The limit is per Pages site, and an organisation's project sites are
served under the organisation site's own address: with the catalogue at ``https://ocop.gov.vn``
(the site of the ``<org>.github.io`` repository, custom domain set there), a repository named ``en``
of the same organisation is published at ``https://ocop.gov.vn/en/`` — GitHub docs, "About custom
domains and GitHub Pages": the custom domain of a user or organisation site "will replace the
<organization>.github.io portion of the URL for any project sites owned by the account that do not
have a custom domain configured". So the English edition (``en/``) and the open data (``api/``) can
each be a site of their own while every address stays what it is, on one host: a label's
``/p/<id>/`` and ``/01/<gtin>`` are in the main part, the English pages still link ``/assets/`` of
it, the Vietnamese pages' language switch still leads to ``/en/…``. Nothing in the pages changes; only
the deploy does (``.github/workflows/deploy.yml`` publishes ``root``; the other repositories run
``.github/part-sites/deploy-part.yml``).

``ocop parts`` copies the built site into ``<out>/root`` and ``<out>/<part>`` for each part named in
``ocop.yaml`` (``deploy_parts: [en]`` or ``[en, api]``), measures each — files, bytes, and the tar
the Pages upload makes of it — and refuses, with the figures and what to do, when one is over a
limit: a deploy GitHub would reject is stopped in our run, before the live site is touched.

Decisions:
* Only top-level folders a page never needs from its own part can be separated: ``en`` (the English
  pages; their assets are the main part's, same host) and ``api`` (the open data: JSON, CSV,
  EPCIS — no page of the site reads it). Labels' pages, assets and the search index stay in the main part.
* ``404.html`` is copied into every separated part: GitHub answers a missing ``/en/…`` with the
  ``en`` site's own 404 page, and ours links only absolute paths (``/``, ``/tim-kiem/``, ``/en/``).
* A separated catalogue needs its own domain root: ``base_url`` without a path (a project site
  cannot hold another project site). Refused otherwise.
* The limits are dated data: GitHub Pages 1 GB (taken as 10^9 bytes, the smaller reading) [check:
  docs.github.com "GitHub Pages limits", read 2026-12]; 200,000 files is GitLab Pages' limit, used
  as the ceiling for any host [check: GitHub names no file limit]. The tar is measured because the
  upload is a tar (a 512-byte header per file and folder, contents padded to 512 bytes).
* Files are copied, not linked: a later ``ocop build`` writing into the site must never change
  what a previous deploy's folder holds.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..reference.errors import CatalogError

LIMIT_BYTES = 1_000_000_000
LIMIT_FILES = 200_000
SEPARABLE = ("en", "api")
ROOT_PART = "root"
COPIED_INTO_PARTS = ("404.html",)


@dataclass
class Part:
    name: str  # "root", "en", "api"
    prefix: str  # the address it is published at: "/", "/en/", "/api/"
    files: list[str] = field(default_factory=list)  # paths relative to the site
    folders: int = 0
    bytes: int = 0
    tar_bytes: int = 0

    def over(self) -> list[str]:
        """What is over a limit, in words (Vietnamese: the deploy log is read by provincial staff)."""
        reasons = []
        if self.bytes > LIMIT_BYTES:
            reasons.append(f"{self.bytes / 1e6:,.1f} MB > {LIMIT_BYTES / 1e6:,.0f} MB")
        if self.tar_bytes > LIMIT_BYTES:
            reasons.append(f"tệp tar {self.tar_bytes / 1e6:,.1f} MB > {LIMIT_BYTES / 1e6:,.0f} MB")
        if len(self.files) > LIMIT_FILES:
            reasons.append(f"{len(self.files):,} tệp > {LIMIT_FILES:,} tệp")
        return reasons


def _tar_size(size: int) -> int:
    return 512 + -(-size // 512) * 512


def plan(site: Path, separate: tuple[str, ...]) -> list[Part]:
    """The parts of ``site``: the main one (everything but the separated folders) and one per
    separated top-level folder, each measured."""
    unknown = [name for name in separate if name not in SEPARABLE]
    if unknown:
        raise CatalogError(f"deploy_parts: không tách được {', '.join(unknown)}; chỉ tách được: {', '.join(SEPARABLE)}")
    parts = {ROOT_PART: Part(ROOT_PART, "/")} | {name: Part(name, f"/{name}/") for name in separate}
    for dirpath, dirnames, names in os.walk(site):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, site).replace(os.sep, "/")
        top = "" if rel_dir == "." else rel_dir.split("/")[0]
        part = parts.get(top, parts[ROOT_PART])
        for name in dirnames:  # os.walk does not enter a linked folder: said, never dropped without a word
            if os.path.islink(os.path.join(dirpath, name)):
                raise CatalogError(f"{os.path.join(dirpath, name)}: là liên kết (symlink) tới một thư mục; trang xây dựng "
                                   "bởi ocop build không có liên kết")
        if rel_dir != top or top not in parts:  # a separated folder is its part's root: no header of its own
            part.folders += 1
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                raise CatalogError(f"{path}: là liên kết (symlink); trang xây dựng bởi ocop build không có liên kết")
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            _add(part, rel, os.path.getsize(path))
    for name in separate:
        for extra in COPIED_INTO_PARTS:
            if (site / extra).is_file():
                _add(parts[name], extra, (site / extra).stat().st_size)
    for part in parts.values():
        part.tar_bytes += 512 * part.folders + 1024  # folder headers, the two end-of-archive blocks
    return list(parts.values())


def _add(part: Part, rel: str, size: int) -> None:
    part.files.append(rel)
    part.bytes += size
    part.tar_bytes += _tar_size(size)


def target(part: Part, rel: str) -> str:
    """Where the site's file ``rel`` goes inside ``part``'s folder."""
    if part.name != ROOT_PART and rel.startswith(f"{part.name}/"):
        return rel[len(part.name) + 1:]
    return rel


def write(site: Path, into: Path, parts: list[Part]) -> None:
    """Copy each part's files into ``into/<part name>/`` (``into`` is a new, empty folder)."""
    for part in parts:
        base = into / part.name
        base.mkdir()
        made: set[Path] = {base}
        for rel in part.files:
            dest = base / target(part, rel)
            if dest.parent not in made:
                dest.parent.mkdir(parents=True, exist_ok=True)
                made.add(dest.parent)
            shutil.copyfile(site / rel, dest)


def check_base_url(base_url: str, separate: tuple[str, ...]) -> None:
    path = base_url.split("://", 1)[-1].partition("/")[2]
    if separate and path:
        raise CatalogError(f"deploy_parts cần base_url là gốc một tên miền (đang là {base_url}): trang dự án "
                           "GitHub Pages không chứa được trang dự án khác. Đặt tên miền riêng cho trang tổ chức "
                           "(kho <tổ chức>.github.io) rồi dùng tên miền đó làm base_url")


def refusal(parts: list[Part], separate: tuple[str, ...]) -> str | None:
    """One line per part over a limit, with what to do; None when every part fits."""
    lines = []
    for part in parts:
        reasons = part.over()
        if not reasons:
            continue
        left = [name for name in SEPARABLE if name not in separate]
        fix = (f"thêm {left[0]} vào deploy_parts trong ocop.yaml (ví dụ deploy_parts: [{', '.join([*separate, left[0]])}]) "
               f"và tạo kho {left[0]} của tổ chức (README \"Xuất bản trang quốc gia\")" if left and part.name == ROOT_PART
               else "trang này quá lớn cho GitHub Pages ngay cả khi tách: cần nơi xuất bản có giới hạn cao hơn")
        lines.append(f"phần {part.prefix} của trang: {'; '.join(reasons)} — quá giới hạn của GitHub Pages. Cách sửa: {fix}.")
    return "\n".join(lines) or None
