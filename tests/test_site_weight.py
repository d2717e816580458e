"""tools/site_weight.py (issue #27): the kinds of a built site, and a projection that lists the
outputs of a catalogue without building it — checked here against real builds."""

from __future__ import annotations

import subprocess
import sys

from catalog.site.build import build

from .conftest import AS_OF, REPO

sys.path.insert(0, str(REPO))
from tools.site_weight import kind, measure, project  # noqa: E402


def dataset(tmp_path, n: int):
    out = tmp_path / f"d{n}"
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(out), "--products", str(n)],
                   check=True, capture_output=True)
    return out


def test_kinds_of_the_files_a_label_and_a_product_make():
    assert kind("01/08936012340013.html") == ("label page 01/<gtin>", "vi")
    assert kind("en/01/08936012340013/10/L1.html") == ("label page 01/<gtin>/10/<lot>", "en")
    assert kind("p/x/index.html") == ("label page p/<id>/", "vi")
    assert kind("p/x/L1/index.html") == ("label page p/<id>/<lot>/", "vi")
    assert kind("en/san-pham/x/index.html") == ("san-pham/<id>/ page", "en")
    assert kind("san-pham/trang-2/index.html") == ("san-pham/ listing", "vi")
    assert kind("api/v1/products/x.json") == ("api products/<id>", "vi")
    assert kind("index.html") == ("home page", "vi") and kind("404.html") == ("404.html", "vi")


def test_a_projection_to_its_own_records_is_the_build_and_grows_with_the_catalogue(tmp_path):
    small, large = dataset(tmp_path, 40), dataset(tmp_path, 90)
    site = tmp_path / "site"
    build(small, site, AS_OF, incremental=False)
    measured, projected = measure(site), project(site, small)
    assert {k: v[0] for k, v in projected.items()} == {k: v[0] for k, v in measured.items()}  # every kind, to the file
    assert round(sum(v[1] for v in projected.values())) == sum(v[1] for v in measured.values())
    bigger = project(site, large)
    built = tmp_path / "site-large"
    build(large, built, AS_OF, incremental=False)
    real = measure(built)
    for key in ("san-pham/<id>/ page", "vi"), ("label page p/<id>/", "en"), ("api products/<id>", "vi"):
        assert bigger[key][0] == real[key][0], key  # counts exact
    files = [sum(v[0] for k, v in rows.items() if k[0] != "folders") for rows in (bigger, real)]
    assert files[0] == files[1]
    # admin/ (the form's config.yml and config.json) grows with the provinces, not with the records:
    # at 40 → 90 products it is most of the difference; at national scale a fixed few MB
    size_projected = sum(v[1] for k, v in bigger.items() if k[0] != "admin")
    size_real = sum(v[1] for k, v in real.items() if k[0] != "admin")
    assert abs(size_projected / size_real - 1) < 0.05, (size_projected, size_real)  # bytes from averages
    assert bigger[("folders", "")][0] == real[("folders", "")][0]
