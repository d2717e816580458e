"""Subset Be Vietnam Pro to Latin + Vietnamese and write WOFF2 files for the site.

    .venv/bin/python tools/subset_fonts.py

The outputs are committed in site_templates/assets/fonts/ (the site is self-hosted: no font CDN);
re-run only when the font package or the character set changes. Source: the PyPI package
fontpkg-be-vietnam-pro (SIL Open Font License 1.1, licence copied beside the fonts).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import fontpkg_be_vietnam_pro as family
from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "site_templates" / "assets" / "fonts"
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,"
    "U+0300-0301,U+0303,U+0309,U+0323,U+1EA0-1EF9,U+2013-2014,U+2018-201F,U+2026,U+20AB"
)
WEIGHTS = {"Regular": "be-vietnam-pro-400.woff2", "SemiBold": "be-vietnam-pro-600.woff2"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, name in WEIGHTS.items():
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.drop_tables += ["DSIG"]
        font = subset.load_font(str(family.ROOT / "files" / f"BeVietnamPro-{weight}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        subset.save_font(font, str(OUT / name), options)
        print(f"{name}: {(OUT / name).stat().st_size} bytes")
    shutil.copyfile(family.ROOT / "LICENSE", OUT / "OFL.txt")


if __name__ == "__main__":
    main()
