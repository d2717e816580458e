"""The form editor's configuration (issue #26, catalog/publish/cms.py): generated from the schemas, every
field gets a widget, the code lists come from catalog/data, and the output is deterministic."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tarfile

import pytest
import yaml
from click.testing import CliRunner

from catalog.publish import cms
from catalog.reference import places
from catalog.reference import rulebook
from catalog.records import schemas
from catalog.cli import main

from .conftest import REPO
from .site_helpers import build_shipped


def _schema_paths(kind: str) -> list[str]:
    """Every property path of a record kind, walked straight from the schema files."""
    out = []

    def walk(fragment, base, prefix):
        fragment, base = schemas.resolve(fragment, base)
        if fragment.get("type") == "object":
            for name, prop in fragment.get("properties", {}).items():
                path = f"{prefix}.{name}" if prefix else name
                out.append(path)
                walk(prop, base, path)
        elif fragment.get("type") == "array":
            items, item_base = schemas.resolve(fragment["items"], base)
            if items.get("type") == "object":
                walk(items, item_base, f"{prefix}[]")

    base = f"{kind}.schema.json"
    walk(schemas.load_schema(base), base, "")
    return out


def _config_paths(fields: list[dict], prefix: str = "") -> dict[str, dict]:
    out = {}
    for field in fields:
        path = f"{prefix}.{field['name']}" if prefix else field["name"]
        out[path] = field
        if field["widget"] == "object":
            out.update(_config_paths(field["fields"], path))
        elif field["widget"] == "list" and "fields" in field:
            out.update(_config_paths(field["fields"], f"{path}[]"))
    return out


@pytest.fixture(scope="module")
def config():
    return cms.config(repo="so-cong-thuong/ocop-lai-chau", base_url="https://ocop.example.vn")


@pytest.mark.parametrize("kind", list(cms.COLLECTIONS))
def test_every_schema_field_has_a_widget_with_the_schema_title(config, kind):
    collection = next(c for c in config["collections"] if c["name"] == cms.collection_name(kind, "lai-chau"))
    fields = _config_paths(collection["fields"])
    expected = _schema_paths(kind)
    assert sorted(fields) == sorted(expected)
    for path, field in fields.items():
        assert field["widget"], path
        assert field["label"] and field["label"] != field["name"], f"{kind}.{path} has no Vietnamese title"
    required = set(schemas.load_schema(f"{kind}.schema.json")["required"])
    for field in collection["fields"]:
        assert field.get("required", True) == (field["name"] in required), field["name"]


def test_a_field_the_generator_cannot_map_fails(monkeypatch):
    real = schemas.load_schema("village.schema.json")
    changed = copy.deepcopy(real)
    changed["properties"]["opening_days"] = {"title": "Ngày mở cửa", "oneOf": [{"type": "string"}, {"type": "integer"}]}
    monkeypatch.setattr(cms, "load_schema", lambda name: changed if name == "village.schema.json" else schemas.load_schema(name))
    with pytest.raises(cms.UnmappedField, match="opening_days"):
        cms.collection("village", "lai-chau")


def test_code_lists_come_from_catalog_data(config):
    product = _config_paths(next(c for c in config["collections"] if c["name"] == "products-lai-chau")["fields"])
    values = lambda field: [o["value"] if isinstance(o, dict) else o for o in field["options"]]  # noqa: E731
    assert values(product["classification.legal_basis"]) == rulebook.legal_basis_codes()
    assert values(product["classification.group"]) == list(rulebook.all_group_codes())
    assert sorted(values(product["classification.product_set"])) == sorted(rulebook.all_set_codes())
    assert any(o["label"].startswith("11. Chè tươi, chè chế biến — Thực phẩm") for o in product["classification.product_set"]["options"])
    assert values(product["certificate.deciding_body.level"]) == ["central", "province", "district"]
    assert product["certificate.deciding_body.level"]["options"][1]["label"].startswith("Tỉnh, thành phố")
    assert product["certificate.stars"] == {**product["certificate.stars"], "widget": "number", "value_type": "int", "min": 3, "max": 5}
    assert values(product["address.commune"]) == places.communes_in("Lai Châu") and "Xã Nậm Cuổi" in places.communes_in("Lai Châu")
    assert values(product["address.province"]) == ["Lai Châu"] and product["address.province"]["default"] == "Lai Châu"


def test_references_dates_and_images(config):
    by_name = {c["name"]: c for c in config["collections"]}
    for (kind, path), target in cms.REFERENCES.items():
        field = _config_paths(by_name[cms.collection_name(kind, "dien-bien")]["fields"])[path]
        assert field["widget"] == "relation" and field["collection"] == f"{target}-dien-bien" and field["collection"] in by_name
        assert field["value_field"] == "id"
    product = _config_paths(by_name["products-dien-bien"]["fields"])
    for path in ("certificate.valid_until", "certificate.decision.date", "lots[].produced_on"):
        # typed and checked as typed, not Decap's picker (which saved a typed 2025 as 1905: round seven)
        assert product[path]["widget"] == "string" and product[path]["pattern"][0] == cms.DATE_PATTERN
        assert "default" not in product[path] and "NĂM-THÁNG-NGÀY" in product[path]["pattern"][1]
    date = re.compile(cms.DATE_PATTERN)
    assert date.match("2025-03-12") and date.match("2024-12-31")
    assert not any(date.match(v) for v in ("12/03/2025", "2025-3-12", "2025-13-01", "2025-00-10", "1905-12-3", "2025-03-32"))
    assert product["certificate.decision.date"].get("required", True)  # a required date cannot be saved empty
    assert product["images[].file"]["widget"] == "image"
    assert by_name["products-dien-bien"]["media_folder"] == "/images/dien-bien"
    assert by_name["products-dien-bien"]["public_folder"] == "dien-bien"
    assert product["description"]["widget"] == "text" and product["name"]["widget"] == "string"
    assert product["ingredients"]["widget"] == "list" and product["ingredients"]["field"]["widget"] == "string"
    assert "min" not in product["lots"] and "min" not in product["images"]  # Decap would add empty items
    assert not product["certificate.revocation.effective_from"].get("required", True)  # inside an optional object
    for c in config["collections"]:
        kind = next(k for k, v in cms.COLLECTIONS.items() if c["name"].startswith(v[0] + "-"))
        folder = c["name"][len(cms.COLLECTIONS[kind][0]) + 1:]
        assert c["folder"] == f"{cms.COLLECTIONS[kind][1]}/{folder}" and c["identifier_field"] == "id"
    assert config["locale"] == "vi" and config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["repo"] == "so-cong-thuong/ocop-lai-chau"


def test_the_form_edits_the_province_folders_the_data_has(tmp_path):
    assert cms.province_folders(REPO) == ["dien-bien", "hai-phong", "lai-chau", "lang-son", "tuyen-quang"]
    assert len(cms.province_folders(tmp_path)) == 34  # a new repository: every province in force
    (tmp_path / "products" / "dien-bien").mkdir(parents=True)
    (tmp_path / "products" / "khong-phai-tinh").mkdir()
    assert cms.province_folders(tmp_path) == ["dien-bien"]


def test_output_is_deterministic_and_the_cli_writes_it_whole(tmp_path):
    one = cms.config_text(cms.config())
    assert one == cms.config_text(cms.config())
    assert yaml.safe_load(one)["collections"][0]["name"] == "products-an-giang"
    assert "&id" not in one and "*id" not in one  # no anchors: every option list written out
    data = tmp_path / "data"
    data.mkdir()
    (data / "ocop.yaml").write_text("title: Danh mục OCOP tỉnh Điện Biên\nbase_url: https://ocop.dienbien.example.vn\n"
                                    "sample_data: false\neditor:\n  repo: so-cong-thuong-dien-bien/ocop\n", encoding="utf-8")
    out = tmp_path / "config.yml"
    result = CliRunner().invoke(main, ["cms-config", "--root", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == cms.config_text(cms.config(
        repo="so-cong-thuong-dien-bien/ocop", base_url="https://ocop.dienbien.example.vn"))  # no folders: all 34
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml", "data"]
    printed = CliRunner().invoke(main, ["cms-config", "--root", str(data), "--repo", "khac/kho", "--branch", "chinh"])
    assert "repo: khac/kho\n  branch: chinh\n" in printed.output and "base_url:" not in printed.output.split("local_backend")[0]
    with open(data / "ocop.yaml", "a", encoding="utf-8") as fh:
        fh.write("  auth_url: https://dang-nhap.ocop.dienbien.example.vn\n")
    own = yaml.safe_load(CliRunner().invoke(main, ["cms-config", "--root", str(data)]).output)["backend"]
    assert own["base_url"] == "https://dang-nhap.ocop.dienbien.example.vn" and own["auth_endpoint"] == "auth"
    from catalog.checks.validate import check

    assert not [p for p in check(data, dt.date(2026, 11, 23)).problems if "ocop.yaml" in str(p.file)]  # the schema knows editor:


# --- the admin page ------------------------------------------------------------------------------

def test_the_vendored_bundle_is_the_locked_npm_file(tmp_path):
    for name, path in cms.vendored_files().items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == cms.DECAP_FILES[name], name
    assert cms.vendored_files()["decap-cms.js"].read_bytes().count(b"decap-cms-app") >= 1
    # when npm's cache holds the locked tarball (tools/vendor_decap.py put it there), compare byte for byte
    npm = shutil.which("npm")
    if npm is None:
        return
    packed = subprocess.run([npm, "pack", "--offline", "--silent", f"decap-cms@{cms.DECAP_VERSION}"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    tarball = tmp_path / f"decap-cms-{cms.DECAP_VERSION}.tgz"
    if packed.returncode != 0 or not tarball.exists():
        return
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert digest == cms.DECAP_INTEGRITY
    with tarfile.open(tarball) as tar:
        for name, path in cms.vendored_files().items():
            member = tar.extractfile(f"package/dist/{name}")
            assert member is not None and member.read() == path.read_bytes(), name


def test_a_changed_bundle_is_never_published(tmp_path, monkeypatch):
    real = cms.vendored_files()
    forged = tmp_path / "decap-cms.js"
    forged.write_bytes(real["decap-cms.js"].read_bytes() + b"\n// changed\n")
    monkeypatch.setattr(cms, "vendored_files", lambda: {**real, "decap-cms.js": forged})
    with pytest.raises(cms.CatalogError, match="SHA-256"):
        cms.write_admin(tmp_path / "site", "https://ocop.example.vn")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "site"
    return out, build_shipped(out)


def test_the_built_site_has_the_admin_page_outside_the_catalogue(site):
    out, _ = site
    admin = out / cms.ADMIN_DIR
    html = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert policy == cms.ADMIN_POLICY
    connect = next(p for p in policy.split("; ") if p.startswith("connect-src")).split()[1:]
    assert connect == ["'self'", "blob:", cms.GIT_HOST_API, *cms.LOCAL_PROXY]
    assert "<script>" not in html and f'src="decap-cms-{cms.DECAP_VERSION}.js"' in html
    assert (admin / f"decap-cms-{cms.DECAP_VERSION}.js").read_bytes() == cms.vendored_files()["decap-cms.js"].read_bytes()
    # the Vietnamese phrases Decap lacks, merged before it starts (the browser tests click "Thêm ảnh sản phẩm")
    assert html.index(f'src="{cms.START_SCRIPT}"') < html.index(f'src="decap-cms-{cms.DECAP_VERSION}.js"')
    supplement = (admin / cms.START_SCRIPT).read_text(encoding="utf-8")
    assert "window.CMS_MANUAL_INIT = true;" in supplement and '"add": "Thêm %{item}"' in supplement
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["site_url"] == "https://ocop.example.vn"
    import json

    assert json.loads((admin / cms.CONFIG_JSON).read_text(encoding="utf-8")) == yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert "/admin/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "Disallow: /admin/" in (out / "robots.txt").read_text(encoding="utf-8")
    assert "admin" not in (out / "search" / "index.json").read_text(encoding="utf-8").replace("administr", "")
    # the public pages keep their policy: 'unsafe-eval' and the git host only on the admin page
    public = (out / "index.html").read_text(encoding="utf-8")
    assert "unsafe-eval" not in public and "api.github.com" not in public


def test_libyaml_and_pure_python_write_the_same_config():
    """config.yml is written with libyaml's emitter when PyYAML has it (speed, issue #27); a machine
    without libyaml must build the same bytes."""
    folders = ["dien-bien", "ha-noi", "hai-phong", "ho-chi-minh", "lai-chau", "lang-son", "tuyen-quang"]
    cfg = cms.config(repo="tinh/ocop", base_url="https://ocop.example.vn", folders=folders)
    assert cms.config_text(cfg) == cms.config_text(cfg, cms._PureDumper)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (tools/setup.sh test installs npm)")
def test_the_start_script_is_valid_javascript(tmp_path):
    """admin/khoi-dong.js is written from Python strings: a slip would leave the form blank in every
    browser (a "/" in the branch pattern once ended a regular-expression literal)."""
    script = tmp_path / cms.START_SCRIPT
    script.write_text(cms.start_script(), encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
