"""Generate a synthetic national catalogue in the real record format, for benchmarks.

    .venv/bin/python tools/make_national_dataset.py OUT_DIR --products 15000 [--seed 1]

Valid records across all 34 provinces with real commune names, realistic Vietnamese text and
field sizes; producers, sales points and villages in proportion to the national figures (~8,000
producers for ~15,000 products); lots with traceability events on about 10 % of products; photos
referenced from a small shared pool. SYNTHETIC DATA: `ocop.yaml` says `sample_data: true`.
Deterministic for a given seed and size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.reference import places, rulebook  # noqa: E402
from catalog.checks.rules import gtin_check_digit  # noqa: E402

SPECIALITIES = [
    ("thuc-pham", "che", "Chè Shan tuyết", "Búp chè"), ("thuc-pham", "mat-ong", "Mật ong hoa rừng", "Mật ong"),
    ("thuc-pham", "gao-ngu-coc", "Gạo thơm", "Gạo"), ("thuc-pham", "nong-san-tuoi", "Cam sành", "Cam tươi"),
    ("thuc-pham", "che-bien-thit-thuy-san", "Thịt trâu gác bếp", "Thịt trâu"),
    ("thuc-pham", "tuong-nuoc-mam-gia-vi-long", "Nước mắm cá cơm", "Cá cơm"), ("thuc-pham", "ca-phe-ca-cao", "Cà phê rang xay", "Cà phê"),
    ("thuc-pham", "che-bien-ngu-coc", "Bánh chưng", "Gạo nếp"), ("thuc-pham", "che-bien-rau-qua", "Măng khô", "Măng"),
    ("do-uong", "ruou-trang", "Rượu men lá", "Gạo nếp"), ("do-uong", "do-uong-khong-con", "Nước cốt gừng", "Gừng"),
    ("duoc-lieu", "tinh-dau-thao-duoc", "Tinh dầu quế", "Vỏ quế"), ("duoc-lieu", "thuc-pham-chuc-nang", "Cao dược liệu", "Dược liệu"),
    ("thu-cong-my-nghe", "vai-may-mac", "Khăn thổ cẩm", "Sợi bông"),
    ("thu-cong-my-nghe", "thu-cong-gia-dung-trang-tri", "Giỏ mây tre đan", "Mây"),
    ("sinh-vat-canh", "hoa", "Hoa lan", "Cây lan"), ("du-lich", "dich-vu-du-lich", "Du lịch cộng đồng", "Homestay"),
]
PLACES = ["Bản", "Thôn", "Xóm", "Làng"]
NAMES = ["Hoà", "An", "Phúc", "Thịnh", "Hưng", "Tân", "Đức", "Minh", "Bình", "Quang", "Thành", "Lộc"]
KINDS = ["cooperative", "company", "cooperative_group", "household_business"]
KIND_NAMES = {"cooperative": "Hợp tác xã", "company": "Công ty TNHH", "cooperative_group": "Tổ hợp tác",
              "household_business": "Hộ kinh doanh"}
SP_KINDS = ["station", "airport", "expressway_rest_stop", "mall", "supermarket", "market", "tourist_area",
            "hotel_restaurant", "craft_village", "trade_centre", "fair_centre", "post_office"]
POOL = 20


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def commune_table() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for commune in sorted(places.communes().values(), key=lambda c: c.code):
        out.setdefault(places.provinces()[commune.province].code, []).append(commune.name)
    return out


def decision_issuer(level: str, decided: dt.date) -> str:
    """The part after 'QĐ-' in a decision number: the ministry's OCOP office or a People's Committee."""
    if level != "central":
        return "UBND"
    return "BNN-VPĐP" if decided < dt.date(2025, 3, 1) else "BNNMT"


def history(rng: random.Random, i: int, stars: int, decided: dt.date, level: str, body: str, province: str) -> list[str]:
    """Certificate history for the statistics (issue #17): about a quarter of the products were
    rated before (same stars, one more or one fewer; some renewed in time, some after a gap), a few
    were revoked or withdrawn."""
    lines: list[str] = []
    roll = rng.random()
    if roll < 0.25 and decided >= dt.date(2021, 1, 1):
        gap = rng.choice([-20, 0, 45, 200])  # renewed before the old certificate lapsed, or after a gap
        before = max(3, min(5, stars + rng.choice([-1, 0, 0, 1])))
        old_until = decided - dt.timedelta(days=gap + 1)
        old_decided = rulebook.add_months(old_until + dt.timedelta(days=1), -36)
        # the level that recognised those stars on that date (issue #25 checks earlier ratings too):
        # a 3★ between 24/02/2023 and 30/06/2025 was a district's
        allowed = rulebook.deciding_levels(old_decided, before) or {}
        old_level = next((lv for lv in ("central", "province", "district") if allowed.get(lv) == "ok"), "province")
        old_body = {"central": "Bộ Nông nghiệp và Phát triển nông thôn", "district": "UBND huyện cũ"}.get(old_level) or \
            rulebook.provincial_body(province, old_decided).name
        low, above = rulebook.star_band(before)
        lines += ["earlier_ratings:", f"  - stars: {before}", f"    score: {int(low) + rng.randint(0, 9)}",
                  f"    legal_basis: {rulebook.legal_basis_on(old_decided)}", "    decision:",
                  f'      number: "{500 + i % 4000}/QĐ-{decision_issuer(old_level, old_decided)}"',
                  f'      date: "{old_decided.isoformat()}"', "    deciding_body:", f"      level: {old_level}",
                  f"      name: {q(old_body)}", f'    certificate_number: "{i}/GCN-CU"',
                  f'    valid_until: "{old_until.isoformat()}"']
    elif roll < 0.27:
        revoked = decided + dt.timedelta(days=rng.randint(60, 700))
        lines += ["  revocation:", "    decision:", f'      number: "{3000 + i % 5000}/QĐ-UBND"',
                  f'      date: "{revoked.isoformat()}"', f"    reason: {q('Chủ thể không duy trì chất lượng sản phẩm')}"]
    elif roll < 0.29:
        lines += ["status: withdrawn", f"status_reason: {q('Chủ thể ngừng sản xuất sản phẩm')}",
                  f'status_date: "{(decided + dt.timedelta(days=rng.randint(90, 800))).isoformat()}"']
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-history", dest="history", action="store_false",
                    help="no earlier ratings, revocations or withdrawals (the dataset before issue #17)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    history_rng = random.Random(args.seed + 1)  # its own stream: the rest of the dataset is unchanged
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "ocop.yaml").write_text("title: Danh mục sản phẩm OCOP toàn quốc (dữ liệu tổng hợp)\n"
                                   "base_url: https://ocop.example.vn\nsample_data: true\n", encoding="utf-8")
    # a small shared pool of photos, copied from the shipped sample images
    pool_src = sorted((ROOT / "images").rglob("*.jpg"))[:POOL]
    for i, src in enumerate(pool_src):
        target = out / "images" / "pool" / f"anh-{i:02d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    provinces = sorted(places.provinces().values(), key=lambda p: p.code)
    communes = commune_table()
    n_producers = max(1, round(args.products * 8086 / 14642))
    producers = []
    for i in range(n_producers):
        prov = provinces[i % len(provinces)]
        commune = rng.choice(communes[prov.code])
        kind = rng.choice(KINDS)
        pid = f"cs-{prov.folder[:10]}-{i:05d}"
        name = f"{KIND_NAMES[kind]} {rng.choice(NAMES)} {rng.choice(NAMES)} {i}"
        producers.append((pid, prov, commune))
        lines = [f"id: {pid}", f"name: {q(name)}", f"kind: {kind}", f"representative: {q('Nguyễn Văn ' + rng.choice(NAMES))}",
                 "address:", f"  province: {q(prov.name)}", f"  commune: {q(commune)}",
                 f"  street: {q(rng.choice(PLACES) + ' ' + rng.choice(NAMES))}", f'phone: "09{rng.randrange(10**8):08d}"']
        path = out / "producers" / prov.folder / f"{pid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    products_by_province: dict[str, list[str]] = {}
    start = dt.date(2024, 1, 1)
    for i in range(args.products):
        producer_id, prov, commune = producers[i % n_producers]
        group, pset, label, ingredient = SPECIALITIES[i % len(SPECIALITIES)]
        stars = rng.choices([3, 4, 5], weights=[60, 35, 5])[0]
        low, above = rulebook.star_band(stars)
        low, high = int(low), (int(above) - 1 if above else 100)
        decided = start + dt.timedelta(days=rng.randrange(0, 1000))
        basis = rulebook.legal_basis_on(decided)
        if stars == 5:
            level = "central"
            body = "Bộ Nông nghiệp và Môi trường" if decided >= dt.date(2025, 3, 1) else "Bộ Nông nghiệp và Phát triển nông thôn"
        elif stars == 3 and decided < dt.date(2025, 7, 1):
            level, body = "district", "UBND huyện cũ"
        else:
            level, body = "province", rulebook.provincial_body(prov.name, decided).name
        valid_until = rulebook.add_months(decided, 36) - dt.timedelta(days=1)
        pid = f"sp-{prov.folder[:10]}-{i:05d}"
        name = f"{label} {rng.choice(NAMES)} {i}"
        lines = [f"id: {pid}", f"name: {q(name)}", "classification:", f"  legal_basis: {basis}", f"  group: {group}",
                 f"  product_set: {pset}",
                 f"description: {q(f'{label} làm từ {ingredient.lower()} của vùng {commune}, {prov.name}. Sản phẩm được sản xuất theo quy trình truyền thống kết hợp kiểm soát chất lượng, đóng gói đẹp, phù hợp làm quà tặng.')}",
                 f"producer: {producer_id}", "images:", f"  - file: pool/anh-{i % POOL:02d}.jpg",
                 f"    alt: {q('Ảnh minh hoạ ' + name)}", "ingredients:", f"  - {q(ingredient)}",
                 'net_quantity: "500 g"', f"packaging: {q('Hộp giấy')}", f"shelf_life: {q('12 tháng')}",
                 "standards:", "  - kind: TCCS", f'    code: "{i:05d}:2025/TCCS"']
        if i % 7 == 0:
            body12 = f"893{i:09d}"
            lines.append(f'gtin: "{body12}{gtin_check_digit(body12)}"')
        lines += ["address:", f"  province: {q(prov.name)}", f"  commune: {q(commune)}", "certified_address:",
                  f"  text: {q(commune + ', ' + prov.name)}", f"  province: {q(prov.name)}", "certificate:",
                  f"  stars: {stars}", f"  score: {rng.randint(low, high)}", f'  number: "{i}/GCN"', "  decision:",
                  f'    number: "{1000 + i % 9000}/QĐ-{decision_issuer(level, decided)}"', f'    date: "{decided.isoformat()}"', "  deciding_body:",
                  f"    level: {level}", f"    name: {q(body)}", f'  valid_until: "{valid_until.isoformat()}"']
        if args.history:
            lines += history(history_rng, i, stars, decided, level, body, prov.name)
        if i % 10 == 3:
            produced = decided + dt.timedelta(days=30)
            lines += ["lots:", f"  - id: L{i:05d}", f'    produced_on: "{produced.isoformat()}"',
                      f'    expires_on: "{(produced + dt.timedelta(days=365)).isoformat()}"', "    events:"]
            for k, (etype, days) in enumerate((("harvest", -5), ("processing", -3), ("packing", 0), ("shipping", 3))):
                lines += [f"      - type: {etype}", f'        date: "{(produced + dt.timedelta(days=days)).isoformat()}"',
                          f"        place: {q(commune + ', ' + prov.name)}", f"        actor: {q('Tổ sản xuất số ' + str(k + 1))}"]
        path = out / "products" / prov.folder / f"{pid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        products_by_province.setdefault(prov.folder, []).append(pid)
    n_points = max(1, args.products // 40)
    for i in range(n_points):
        prov = provinces[i % len(provinces)]
        stock = products_by_province.get(prov.folder, [])[: 30]
        if not stock:
            continue
        sid = f"db-{prov.folder[:10]}-{i:04d}"
        lines = [f"id: {sid}", f"name: {q('Điểm bán sản phẩm OCOP ' + prov.name + ' ' + str(i))}",
                 f"kind: {SP_KINDS[i % len(SP_KINDS)]}", f"operator: {q('Trung tâm Xúc tiến thương mại ' + prov.name)}",
                 "address:", f"  province: {q(prov.name)}", f"  commune: {q(communes[prov.code][0])}", "products:"]
        lines += [f"  - {p}" for p in stock]
        lines += ["criteria_decision:", "  criteria: 950/QĐ-BCT", "  decision:", f'    number: "{i + 1}/QĐ-SCT"',
                  '    date: "2024-05-10"']
        path = out / "sales_points" / prov.folder / f"{sid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(max(1, args.products // 40)):
        prov = provinces[i % len(provinces)]
        vid = f"lg-{prov.folder[:10]}-{i:04d}"
        lines = [f"id: {vid}", f"name: {q('Làng nghề ' + rng.choice(NAMES) + ' ' + str(i))}",
                 f"kind: {['tourism_village', 'craft_village', 'traditional_craft_village'][i % 3]}", "recognition:",
                 "  decision:", f'    number: "{i + 1}/QĐ-UBND"', '    date: "2020-06-01"', f"  body: {q('UBND tỉnh ' + prov.name)}",
                 "address:", f"  province: {q(prov.name)}", f"  commune: {q(communes[prov.code][-1])}",
                 f"description: {q('Làng nghề truyền thống với nhiều hộ tham gia sản xuất và đón khách tham quan.')}"]
        stock = products_by_province.get(prov.folder, [])[30:35]
        if stock:
            lines += ["products:"] + [f"  - {p}" for p in stock]
        path = out / "villages" / prov.folder / f"{vid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.products} products, {n_producers} producers, {n_points} sales points, "
          f"{max(1, args.products // 40)} villages in {out}")


if __name__ == "__main__":
    main()
