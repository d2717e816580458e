"""`ocop report` (issue #17) on a fixed as-of date: the renewal list recounted from the YAML files,
in CSV, XLSX and Markdown; the yearly summary equal to the site's statistics; formula cells made inert."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import yaml

from catalog.figures.tables import Table, to_csv, to_markdown, to_xlsx

from .conftest import AS_OF, REPO


def expected_renewals(within: int, folder: str | None = None) -> list[list]:
    """From the YAML files: valid or expired (not revoked, withdrawn or pending) and lapsing by
    as-of + within days; sorted by valid_until."""
    phones = {}
    for path in (REPO / "producers").rglob("*.yaml"):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        phones[d["id"]] = (d["name"], d.get("phone", ""))
    rows = []
    for path in sorted((REPO / "products").rglob("*.yaml")):
        if folder and path.parent.name != folder:
            continue
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        cert = d["certificate"]
        until = dt.date.fromisoformat(cert["valid_until"])
        revoked = cert.get("revocation") and dt.date.fromisoformat(cert["revocation"]["decision"]["date"]) <= AS_OF
        if d.get("status") == "withdrawn" or revoked or dt.date.fromisoformat(cert["decision"]["date"]) > AS_OF:
            continue
        if until > AS_OF + dt.timedelta(days=within):
            continue
        rows.append([(until - AS_OF).days, cert["valid_until"], d["name"], cert["number"], *phones[d["producer"]], d["id"]])
    return sorted(rows, key=lambda r: (r[1], r[6]))


def pick(row: list) -> list:
    """days, valid_until, product, certificate, producer, phone, id from a report row."""
    return [row[0], row[1], row[5], row[7], row[11], row[12], row[13]]


def test_renewals_csv_lists_lapsing_and_lapsed_certificates_sorted(run_cli):
    result = run_cli("report", "renewals", "--root", REPO, "--as-of", AS_OF.isoformat(), "--within", "180", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][:3] == ["Số ngày còn lại", "Hiệu lực đến", "Tình trạng"]
    body = [[int(r[0])] + r[1:] for r in rows[1:]]
    got = [pick(r) for r in body]
    want = expected_renewals(180)
    assert [[w[0], w[1], w[2], w[3], w[4], w[5], w[6]] for w in want] == got
    assert any(r[0] < 0 for r in got) and any(r[0] >= 0 for r in got)  # lapsed and lapsing
    assert [r[1] for r in got] == sorted(r[1] for r in got)
    assert all(r[0] <= 180 for r in got)


def test_renewals_xlsx_and_markdown_carry_the_same_rows(run_cli, tmp_path):
    out = tmp_path / "gia-han.xlsx"
    result = run_cli("report", "renewals", "--root", REPO, "--as-of", AS_OF.isoformat(), "--within", "30",
                     "--province", "lai-chau", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    want = expected_renewals(30, "lai-chau")
    assert [pick(r) for r in rows] == [[w[0], w[1], w[2], w[3], w[4], w[5], w[6]] for w in want] and want
    first = out.read_bytes()
    run_cli("report", "renewals", "--root", REPO, "--as-of", AS_OF.isoformat(), "--within", "30",
            "--province", "lai-chau", "--format", "xlsx", "--out", out)
    assert out.read_bytes() == first  # deterministic bytes
    md = run_cli("report", "renewals", "--root", REPO, "--as-of", AS_OF.isoformat(), "--within", "30", "--province", "Lai Châu")
    lines = [line for line in md.output.splitlines() if line.startswith("| ") and not line.startswith("| Số ngày")]
    assert [line.split(" | ")[5] for line in lines] == [w[2] for w in want]


def test_summary_equals_the_site_and_refuses_a_future_year(run_cli, tmp_path):
    from catalog.site.build import build

    site = tmp_path / "site"
    build(REPO, site, AS_OF)
    out = tmp_path / "bao-cao.xlsx"
    result = run_cli("report", "summary", "--root", REPO, "--as-of", AS_OF.isoformat(), "--year", "2026",
                     "--province", "lai-chau", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (site / "thong-ke/lai-chau/thong-ke-lai-chau.xlsx").read_bytes()
    result = run_cli("report", "summary", "--root", REPO, "--as-of", AS_OF.isoformat(), "--year", "2026", "--format", "csv")
    printed = result.output.replace("\r\n", "\n")
    for name in ("tong-quan", "hang-sao", "bao-cao"):
        table = (site / f"thong-ke/{name}.csv").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        assert table in printed  # the same rows, under the table's title
    md = run_cli("report", "summary", "--root", REPO, "--as-of", AS_OF.isoformat(), "--year", "2026").output
    assert md.startswith("# Báo cáo OCOP năm 2026 — Toàn quốc (số liệu đến ngày 23/11/2026)")
    assert "## Báo cáo định kỳ năm 2026" in md and "## Cách tính" in md
    future = run_cli("report", "summary", "--root", REPO, "--as-of", AS_OF.isoformat(), "--year", "2027")
    assert future.exit_code == 1 and "2027" in future.output


def test_summary_of_a_past_year_counts_on_31_december(run_cli):
    """2025: bò khô Hà Giang was revoked on 18/03/2025 (in that year's endings); a product first
    recognised in 2026 is not yet counted; the numbers are those of 31/12/2025."""
    md = run_cli("report", "summary", "--root", REPO, "--as-of", AS_OF.isoformat(), "--year", "2025").output
    assert "(số liệu đến ngày 31/12/2025)" in md
    valid_2025 = 0
    for path in (REPO / "products").rglob("*.yaml"):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        cert = d["certificate"]
        end = dt.date(2025, 12, 31)
        withdrawn = d.get("status") == "withdrawn" and dt.date.fromisoformat(d["status_date"]) <= end
        revoked = cert.get("revocation") and dt.date.fromisoformat(cert["revocation"]["decision"]["date"]) <= end
        if (not withdrawn and not revoked and dt.date.fromisoformat(cert["decision"]["date"]) <= end
                and dt.date.fromisoformat(cert["valid_until"]) >= end):
            valid_2025 += 1
    assert f"| Sản phẩm có giấy chứng nhận còn hiệu lực | {valid_2025} |" in md
    flows = md.split("## Biến động theo năm", 1)[1].split("##", 1)[0]
    assert "| 2026 |" not in flows and "| 2025 |" in flows


def test_formula_cells_are_neutralised_in_csv_markdown_and_xlsx(tmp_path):
    table = Table("x", "Bảng", ["Tên", "Số"], [["=HYPERLINK(\"http://x\")", 1], ["+84912", 2], ["-1", 3], ["@SUM(A1)", 4],
                                              ["\tTab", 5], ["Bình thường", -6]])
    text = to_csv(table)
    cells = [row[0] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:]
    assert all(c.startswith("'") for c in cells[:5]) and cells[5] == "Bình thường"
    assert "| '=HYPERLINK" in to_markdown([table])
    path = tmp_path / "x.xlsx"
    path.write_bytes(to_xlsx([table]))
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows(min_row=2, max_row=6):
        assert row[0].data_type == "s" and row[0].quotePrefix  # text, shown with Excel's quote prefix
    assert ws["B7"].value == -6 and ws["A7"].quotePrefix is False
