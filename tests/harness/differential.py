"""Differential check of incremental builds: seeded random sequences of officer edits.

An incremental ``ocop build`` must give, after any edit, exactly what a cold ``ocop build --full``
gives (catalog/site/build.py, "Incremental builds"). :func:`run` applies a random sequence of the edits a
province officer makes — rename a product (with ``former_ids``), add one, withdraw one (the
tombstone that keeps its page), delete one never published, let a certificate lapse or revoke it,
rename a producer, change what a sales point stocks, replace a photo, retitle the catalogue,
record a producer's consent to publish — and after **each** edit builds incrementally into one
folder and cold into another and compares them byte for byte. Every edit keeps the records valid
(the sequence fails loudly otherwise: that would be a bug here, not in the build).

Used by tests/test_differential.py (a short sequence, in the suite) and tools/differential.py (long
runs: ``--sequences``, ``--steps``, ``--seed``). Deterministic for a seed: a failure names the seed,
the step and the edits that led to it, and replays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

KINDS = {"product": "products", "producer": "producers", "sales_point": "sales_points", "village": "villages"}


@dataclass
class Outcome:
    seed: int
    steps: int = 0
    edits: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the EDITS name of each edit
    incremental_seconds: float = 0.0
    cold_seconds: float = 0.0
    rendered: list[int] = field(default_factory=list)


class Mismatch(AssertionError):
    pass


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


class Data:
    """The data root being edited, read and written as plain YAML (comments are not kept)."""

    def __init__(self, root: Path, rng: random.Random, as_of: dt.date) -> None:
        self.root, self.rng, self.as_of = root, rng, as_of
        self.published = self._published()
        self.counter = 0

    def _published(self) -> set[tuple[str, str]]:
        path = self.root / "published-ids.txt"
        if not path.is_file():
            return set()
        out = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("#", 1)[0].split()
            if len(parts) == 2:
                out.add((parts[0], parts[1]))
        return out

    def files(self, kind: str) -> list[Path]:
        return sorted((self.root / KINDS[kind]).glob("*/*.yaml"))

    def read(self, path: Path) -> dict:
        return _plain(yaml.safe_load(path.read_text(encoding="utf-8")))

    def write(self, path: Path, doc: dict) -> None:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")

    def ids(self) -> set[str]:
        """Every product id and former id in use (a new id must be none of them)."""
        used = set()
        for path in self.files("product"):
            doc = self.read(path)
            used.add(doc["id"])
            used.update(doc.get("former_ids", []))
        return used | {rid for kind, rid in self.published if kind == "product"}

    def new_id(self) -> str:
        used = self.ids()
        while True:
            self.counter += 1
            rid = f"sp-{self.rng.randrange(36 ** 4):x}-{self.counter}"
            if rid not in used:
                return rid

    def pick(self, kind: str, where: Callable[[dict], bool] = lambda d: True) -> tuple[Path, dict] | None:
        candidates = [(p, d) for p in self.files(kind) for d in [self.read(p)] if where(d)]
        return self.rng.choice(candidates) if candidates else None

    def replace_refs(self, old: str, new: str | None) -> None:
        """Point (or, with ``new`` None, stop pointing) sales points and villages at a product."""
        for kind in ("sales_point", "village"):
            for path in self.files(kind):
                doc = self.read(path)
                changed = False
                if old in doc.get("products", []):
                    doc["products"] = [new if p == old else p for p in doc["products"] if new is not None or p != old]
                    if not doc["products"] and kind == "village":
                        doc.pop("products")
                    changed = True
                if doc.get("tourism_product") == old and new is not None:  # never deleted (see delete)
                    doc["tourism_product"] = new
                    changed = True
                if changed:
                    self.write(path, doc)


# --- the edits ------------------------------------------------------------------------------------
# Each returns a one-line description, or None when it does not apply to the data as it is.

def rename(d: Data) -> str | None:
    found = d.pick("product")
    if found is None:
        return None
    path, doc = found
    old, new = doc["id"], d.new_id()
    doc["id"] = new
    doc["former_ids"] = list(dict.fromkeys(doc.get("former_ids", []) + [old]))
    path.unlink()
    d.write(path.with_name(f"{new}.yaml"), doc)
    d.replace_refs(old, new)
    return f"rename {old} → {new} (former_ids)"


def new_product(d: Data) -> str | None:
    found = d.pick("product", lambda x: x.get("status") != "withdrawn")
    if found is None:
        return None
    path, doc = found
    rid = d.new_id()
    doc = {k: v for k, v in doc.items() if k not in ("former_ids", "gtin", "lots", "earlier_ratings")}
    doc["id"] = rid
    doc["name"] = f"{doc['name'][:80]} mới {d.counter}"
    doc["certificate"] = {**doc["certificate"], "number": f"{d.counter}{d.rng.randrange(1000, 9999)}/GCN-UBND"}
    d.write(path.with_name(f"{rid}.yaml"), doc)
    return f"new {rid}"


def withdraw(d: Data) -> str | None:
    found = d.pick("product", lambda x: x.get("status") != "withdrawn")
    if found is None:
        return None
    path, doc = found
    doc["status"] = "withdrawn"
    doc["status_reason"] = "Chủ thể ngừng sản xuất"
    d.write(path, doc)
    return f"withdraw {doc['id']} (tombstone)"


def delete_unpublished(d: Data) -> str | None:
    def deletable(x: dict) -> bool:
        if ("product", x["id"]) in d.published or x.get("former_ids"):
            return False
        return not any(v.get("tourism_product") == x["id"] for p in d.files("village") for v in [d.read(p)])

    found = d.pick("product", deletable)
    if found is None or len(d.files("product")) < 2:
        return None
    path, doc = found
    path.unlink()
    d.replace_refs(doc["id"], None)
    for sp in d.files("sales_point"):  # a sales point must keep at least one product
        s = d.read(sp)
        if not s.get("products"):
            other = d.read(d.files("product")[0])["id"]
            s["products"] = [other]
            d.write(sp, s)
    return f"delete {doc['id']} (never published)"


def lapse(d: Data) -> str | None:
    day_before = (d.as_of - dt.timedelta(days=1)).isoformat()

    def lapsable(x: dict) -> bool:
        cert = x["certificate"]
        # still valid today (so an earlier end stays within the 36 months), decided before yesterday
        return (cert["decision"]["date"] < day_before <= cert["valid_until"] and "revocation" not in cert
                and x.get("status") != "withdrawn")

    found = d.pick("product", lapsable)
    if found is None:
        return None
    path, doc = found
    cert = doc["certificate"]
    if not doc.get("lots") and d.rng.random() < 0.5:
        cert["valid_until"] = day_before
        what = "lapse"
    else:
        cert["revocation"] = {"decision": {"number": f"{d.rng.randrange(1, 9999)}/QĐ-UBND", "date": day_before},
                              "reason": "Không duy trì tiêu chí"}
        what = "revoke"
    d.write(path, doc)
    return f"{what} {doc['id']}"


def rename_producer(d: Data) -> str | None:
    found = d.pick("producer")
    if found is None:
        return None
    path, doc = found
    doc["name"] = f"{doc['name'][:140]} ({d.rng.randrange(100)})"
    d.write(path, doc)
    return f"rename producer {doc['id']}"


def consent(d: Data) -> str | None:
    found = d.pick("producer")
    if found is None:
        return None
    path, doc = found
    doc["kind"] = "household_business"
    doc.setdefault("representative", "Lò Thị Thử")
    doc.setdefault("phone", "0912345678")
    doc.setdefault("address", {}).setdefault("street", "Bản Thử")
    fields = sorted(d.rng.sample(["representative", "phone", "email", "street", "location"], d.rng.randrange(0, 4)))
    if fields:
        doc["publish_consent"] = {"fields": fields, "date": "2025-03-01"}
    else:
        doc.pop("publish_consent", None)
    d.write(path, doc)
    return f"consent of {doc['id']}: {fields or 'none'}"


def stock(d: Data) -> str | None:
    found = d.pick("sales_point")
    products = [d.read(p)["id"] for p in d.files("product")]
    if found is None or not products:
        return None
    path, doc = found
    listed = doc.get("products", [])
    missing = [p for p in products if p not in listed]
    if missing and (len(listed) < 2 or d.rng.random() < 0.6):
        pid = d.rng.choice(missing)
        doc["products"] = listed + [pid]
        what = f"stock {pid}"
    else:
        pid = d.rng.choice(listed)
        doc["products"] = [p for p in listed if p != pid]
        what = f"unstock {pid}"
    d.write(path, doc)
    return f"sales point {doc['id']}: {what}"


def photo(d: Data) -> str | None:
    from PIL import Image

    found = d.pick("product", lambda x: bool(x.get("images")))
    if found is None:
        return None
    _, doc = found
    image = d.root / "images" / doc["images"][0]["file"]
    with Image.open(image) as img:
        size = (max(64, img.width + d.rng.randrange(-40, 40)), max(64, img.height + d.rng.randrange(-40, 40)))
        changed = img.convert("RGB").resize(size).transpose(d.rng.choice(list(Image.Transpose)[:4]))
    changed.save(image, "JPEG", quality=d.rng.randrange(60, 95))
    return f"photo {doc['images'][0]['file']}"


def title(d: Data) -> str | None:
    path = d.root / "ocop.yaml"
    doc = d.read(path)
    doc["title"] = f"Danh mục sản phẩm OCOP — bản {d.rng.randrange(1000)}"
    d.write(path, doc)
    return "catalogue title"


EDITS: dict[str, Callable[[Data], str | None]] = {
    "rename": rename, "new": new_product, "withdraw": withdraw, "delete": delete_unpublished, "lapse": lapse,
    "producer": rename_producer, "consent": consent, "stock": stock, "photo": photo, "title": title,
}
# How often each edit is drawn: a title change rebuilds everything (by design), so it is rarer.
WEIGHTS = {"rename": 3, "new": 3, "withdraw": 2, "delete": 2, "lapse": 2, "producer": 2, "consent": 2, "stock": 3,
           "photo": 2, "title": 1}


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(base: Path, work: Path, seed: int, steps: int, as_of: dt.date, required: tuple[str, ...] = ()) -> Outcome:
    """One sequence of ``steps`` edits of a copy of ``base`` (``required`` edits first, in order,
    then random ones), comparing the incremental build with a cold one after each."""
    from catalog.runtime import output
    from catalog.site.build import build
    from catalog.checks.validate import check

    rng = random.Random(seed)
    root = work / f"data-{seed}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(base, root, ignore=shutil.ignore_patterns(".git", "site", "labels", ".*.cache"))
    data = Data(root, rng, as_of)
    out = Outcome(seed)
    site = work / f"site-{seed}"
    build(root, site, as_of)
    names = list(EDITS)
    for step in range(steps):
        forced = required[step] if step < len(required) else None
        for _ in range(20):
            name = forced or rng.choices(names, [WEIGHTS[n] for n in names])[0]
            described = EDITS[name](data)
            if described is not None or forced:
                break
        if described is None:
            raise Mismatch(f"seed {seed}, step {step + 1}: edit {name} does not apply")
        out.edits.append(described)
        out.kinds.append(name)
        problems = check(root, as_of).errors
        if problems:
            raise Mismatch(f"seed {seed}, step {step + 1} ({described}): the edit made invalid records: "
                           + "; ".join(f"{p.file}: {p.code}" for p in problems[:5]))
        start = time.perf_counter()
        report = build(root, site, as_of)
        out.incremental_seconds += time.perf_counter() - start
        out.rendered.append(report.rendered)
        cold = work / f"cold-{seed}"
        shutil.rmtree(cold, ignore_errors=True)
        shutil.rmtree(output.cache_dir(cold), ignore_errors=True)
        start = time.perf_counter()
        build(root, cold, as_of, incremental=False)
        out.cold_seconds += time.perf_counter() - start
        got, want = tree(site), tree(cold)
        if got != want:
            differ = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            raise Mismatch(f"seed {seed}, step {step + 1}: after {out.edits} the incremental build differs from "
                           f"the cold one in {len(differ)} files, e.g. {differ[:6]}")
        out.steps += 1
    return out
