"""The ``ocop`` command: parse options, call the library, print, exit — and, where a command runs
several rooms in turn (the offline copies per province, the deploy in parts: publish may not import
runtime), that sequence. No rule, page or file format lives here.

Expected failures print one line and exit 1; a traceback only with ``--debug``.

Each command imports what it runs inside its own function (tests/test_architecture.py allows it
here only): importing every command's modules at the top takes ``ocop --help`` from 0.11 s to
1.1 s (measured: ``python -c "import catalog.cli"`` 0.107 s, with site.build, staff.importer,
print.labels, print.booklet and the rest 1.128 s, best of five, issue #23).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path

import click

from .reference.errors import CatalogError
from .reference.escaping import visible
from .records.model import today
from .records.problems import REPORTERS


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' không phải ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-23") from None


root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="Thư mục dữ liệu (chứa ocop.yaml, products/, producers/, sales_points/, villages/).",
)
as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
    help="Ngày dùng để tính trạng thái giấy chứng nhận (mặc định: hôm nay, giờ Việt Nam).",
)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # one clean line for expected failures
        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            # one line, as it is typed: a message may quote an annex's sheet name or cell (a CR, a
            # line break, a bidi override there would overwrite or invent lines on the terminal)
            click.echo(f"ocop: {visible(str(exc))}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Hiện traceback khi có lỗi (cho lập trình viên).")
@click.version_option(package_name="ocop-catalog")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Danh mục sản phẩm OCOP: kiểm tra hồ sơ, tạo trang web và nhãn QR."""
    # CPython's cycle collector rescans every live object at each full collection, and a national
    # build keeps millions of small long-lived ones (record data, cached results, the catalogue):
    # with the default thresholds it took 2.4 s of an 8.4 s incremental build at 15,000 products.
    # A command runs once and exits; collections are made rarer, never turned off.
    gc.set_threshold(100_000, 50, 100)
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@root_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="text cho người đọc, json cho công cụ, github cho chú thích trong GitHub Actions.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Ngôn ngữ thông báo.")
def validate(root: Path, as_of: str | None, fmt: str, lang: str) -> None:
    """Kiểm tra mọi hồ sơ; báo mọi lỗi trong một lần chạy. Không sửa tệp nào."""
    from .runtime.cache import validation_cache
    from .runtime.progress import for_stream
    from .checks.validate import check

    # per-file results kept in the tool's own folder (never the data's): after one edit only that
    # file is read and checked again; the rules across records run on every record (issue #27)
    files_cache = validation_cache(root) if root.is_dir() else None
    result = check(root, _as_of(as_of), files_cache, progress=for_stream("validate", quiet=fmt == "json", lang=lang),
                   assemble=False)  # problems only: no catalogue to assemble
    if files_cache is not None:
        with contextlib.suppress(OSError):
            files_cache.save()
    click.echo(REPORTERS[fmt](result.problems, result.files, lang))
    sys.exit(0 if result.ok else 1)


@main.command()
@root_option
@as_of_option
def manifest(root: Path, as_of: str | None) -> None:
    """Ghi mọi mã hồ sơ hiện có vào published-ids.txt (chạy sau khi công bố trang)."""
    from .checks.validate import write_manifest

    path = write_manifest(root, _valid_catalogue(root, as_of, "hồ sơ còn lỗi: chưa ghi published-ids.txt"))
    click.echo(f"Đã ghi {path}")


@main.command()
@root_option
@click.option("--check", "check_only", is_flag=True, help="Chỉ liệt kê tệp cần chuẩn hoá (thoát với mã 1), không ghi.")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fmt(root: Path, check_only: bool, files: tuple[Path, ...]) -> None:
    """Chuẩn hoá hồ sơ (thứ tự trường, dấu nháy, Unicode NFC), giữ nguyên chú thích."""
    from ruamel.yaml import YAMLError

    from .staff.fmt import format_file, why_unreadable
    from .records.loader import MAX_BYTES, special_file_kind
    from .checks.validate import discover

    found, _ = discover(root)
    kinds = {path.parent.resolve() / path.name: kind for kind, _, path in found}  # the link itself, not its target
    targets = [p.parent.resolve() / p.name for p in files] if files else sorted(kinds)
    changed, skipped = [], []
    for path in targets:
        kind = kinds.get(path)
        if kind is None:
            skipped.append(f"{path}: không phải tệp hồ sơ trong {root}")
            continue
        st = os.lstat(path)
        special = special_file_kind(st.st_mode)
        if special is not None:  # a link or a FIFO is neither read (it could hang) nor written through
            skipped.append(f"{path}: là {special}, không phải tệp thường; chạy ocop validate để biết lỗi")
            continue
        if st.st_size > MAX_BYTES:  # validate refuses it too; parsing 56 MB took 75 s and 1.3 GB (probe, round six)
            skipped.append(f"{path}: tệp quá lớn ({st.st_size // 1024} KB; hồ sơ tối đa {MAX_BYTES // 1024} KB), không chuẩn hoá; "
                           "chạy ocop validate để biết lỗi")
            continue
        try:
            if format_file(path, kind, check_only):
                changed.append(path)
        except (YAMLError, UnicodeDecodeError, RecursionError):  # an alias or depth bomb included
            skipped.append(f"{path}: không đọc được, không chuẩn hoá — {why_unreadable(path, str(path))}")
    for line in skipped:
        click.echo(line, err=True)
    verb = "cần chuẩn hoá" if check_only else "đã chuẩn hoá"
    for path in changed:
        click.echo(f"{verb}: {path}")
    click.echo(f"{len(changed)} tệp {verb}, {len(targets) - len(changed) - len(skipped)} tệp giữ nguyên.")
    if check_only and changed:
        sys.exit(1)


@main.command(name="import")
@root_option
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp YAML 'Tiêu đề cột: tên trường' cho các cột không tự nhận ra (tên trường: xem CONTRIBUTING.md).")
@click.option("--province", default=None, help="Tỉnh của danh sách khi tiêu đề bảng không ghi (lang-son hoặc \"Lạng Sơn\").")
@click.option("--decision", "decision_number", default=None, metavar="SỐ/QĐ-…",
              help="Số quyết định công nhận, khi tiêu đề bảng không ghi (ví dụ 1234/QĐ-UBND).")
@click.option("--date", "decision_date", default=None, metavar="NGÀY/THÁNG/NĂM",
              help="Ngày ký quyết định, khi tiêu đề bảng không ghi (ví dụ 15/08/2025).")
@click.option("--body", default=None, help="Cơ quan ký quyết định, khi tiêu đề bảng không ghi (ví dụ \"UBND tỉnh Lạng Sơn\").")
@click.option("--kind", default=None, type=click.Choice(["cong-nhan", "cong-nhan-lai", "thu-hoi", "hon-hop"]),
              help="Loại quyết định, khi máy nhận sai từ tiêu đề bảng và các cột: công nhận, công nhận lại, thu hồi, hỗn hợp.")
@as_of_option
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ghi thêm bảng kết quả từng dòng (CSV mở bằng Excel).")
@click.option("--write", is_flag=True, help="Ghi các hồ sơ (mặc định chỉ chạy thử và liệt kê, không ghi gì).")
def import_(root: Path, source: Path, mapping: Path | None, province: str | None, decision_number: str | None,
            decision_date: str | None, body: str | None, kind: str | None, as_of: str | None, report: Path | None,
            write: bool) -> None:
    """Nhập danh sách (.xlsx, .csv, .docx) kèm quyết định công nhận, công nhận lại hoặc thu hồi: tạo, công nhận lại,
    ghi thu hồi hồ sơ sản phẩm và chủ thể.

    Chạy thử trước (không ghi gì): mỗi dòng máy hiểu thế nào và còn phải điền gì — đúng như
    ocop validate sẽ báo sau khi ghi. Rồi chạy lại với --write."""
    from .staff.importer import apply, describe, plan, summary, write_report

    p = plan(root, source, mapping, province, _as_of(as_of), decision_number, decision_date, body, kind)
    for line in describe(p, root):  # sheet names and cells come from the annex: shown as typed (visible)
        click.echo(visible(line))
    click.echo(visible(summary(p)))
    if report is not None:
        write_report(p, root, report)
        click.echo(f"Bảng kết quả: {report}")
    if not write:
        click.echo("Chạy thử: chưa ghi gì. Thêm --write để ghi" + (" các dòng không lỗi." if p.errors else "."))
        sys.exit(1 if p.errors else 0)
    written = apply(p)
    click.echo(f"Đã ghi {len(written)} tệp. Kiểm tra lại: ocop validate --root {root}")
    sys.exit(1 if p.errors else 0)


@main.command()
@root_option
@click.argument("base")
@click.argument("head", required=False)
@as_of_option
@click.option("--format", "fmt_", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown cho tóm tắt công việc (job summary) của GitHub Actions.")
def diff(root: Path, base: str, head: str | None, as_of: str | None, fmt_: str) -> None:
    """Những gì thay đổi trong danh mục giữa hai phiên bản git (HEAD bỏ trống: thư mục hiện tại)."""
    from .staff.diff import diff as run
    from .reference.escaping import markdown_inline

    lines = run(root, base, head, _as_of(as_of), markdown=fmt_ == "markdown")
    if fmt_ == "markdown":
        click.echo(f"### Thay đổi trong danh mục OCOP ({markdown_inline(base)} → "
                   f"{markdown_inline(head) if head else 'bản đang sửa'})\n")
        click.echo("\n".join(f"- {line}" for line in lines) if lines else "Không có thay đổi nào trong danh mục.")
    else:
        click.echo("\n".join(lines) if lines else "Không có thay đổi nào trong danh mục.")


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("offline"), show_default=True,
              help="Thư mục ghi các tệp ZIP.")
@as_of_option
@click.option("--province", "provinces", multiple=True, help="Chỉ tỉnh này (lặp lại cho nhiều tỉnh); mặc định mọi tỉnh.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Ngôn ngữ của bản xem (en: tiếng Anh, tệp ocop-<tỉnh>-en.zip).")
def offline(root: Path, out: Path, as_of: str | None, provinces: tuple[str, ...], lang: str) -> None:
    """Tạo bản trang xem không cần mạng cho từng tỉnh, mỗi tỉnh một tệp ZIP (giải nén, mở index.html)."""
    import tempfile
    import time

    from .runtime.leftovers import clean_after_killed_runs, fresh_temp, work_prefix
    from .publish.offline import province_catalogue, zip_folder
    from .runtime.output import guard_file
    from .site.build import build_catalogue
    from .reference.places import province_folder

    start = time.perf_counter()
    cat = _valid_catalogue(root, as_of, "hồ sơ còn lỗi: không tạo bản xem không cần mạng")
    folders = [province_folder(p) for p in provinces] or sorted({p.folder for p in cat.products.values()})
    suffix = "" if lang == "vi" else f"-{lang}"
    for folder in folders:  # ZIPs are written into --out one by one: each is checked before anything is
        guard_file(out / f"ocop-{folder}{suffix}.zip", root, ".zip", b"PK\x03\x04")
    out.mkdir(parents=True, exist_ok=True)
    clean_after_killed_runs(zips_in=out)  # what a run killed with SIGKILL left (catalog/runtime/leftovers.py)
    for folder in folders:
        part = province_catalogue(cat, folder)
        if not part.products:
            raise CatalogError(f"tỉnh {folder} chưa có sản phẩm nào")
        with tempfile.TemporaryDirectory(prefix=work_prefix("offline")) as tmp:
            site = Path(tmp) / f"ocop-{folder}{suffix}"
            build_catalogue(root, part, site, offline=True, langs=(lang,))
            half = fresh_temp(out / f"ocop-{folder}{suffix}.zip")
            try:
                zip_folder(site, out / f"ocop-{folder}{suffix}.zip", cat.as_of, half)
            except BaseException:
                half.unlink(missing_ok=True)
                raise
        click.echo(f"{out / f'ocop-{folder}{suffix}.zip'}: {len(part.products)} sản phẩm")
    click.echo(f"Xong trong {time.perf_counter() - start:.1f} giây. Giải nén rồi mở index.html bằng trình duyệt.")


@main.command(name="cms-config")
@root_option
@click.option("--repo", default=None, help="Kho trên GitHub (chủ/tên) mà biểu mẫu mở pull request vào (mặc định: editor.repo trong ocop.yaml).")
@click.option("--branch", default=None, help="Nhánh chính của kho (mặc định: editor.branch trong ocop.yaml, hoặc main).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ghi vào tệp này (mặc định: in ra màn hình).")
def cms_config(root: Path, repo: str | None, branch: str | None, out: Path | None) -> None:
    """In cấu hình biểu mẫu Decap CMS (admin/config.yml của trang), sinh từ schema và bảng dữ liệu."""
    from .publish.cms import config, config_text, province_folders, site_settings

    settings = site_settings(root)
    text = config_text(config(repo=repo or settings["repo"], branch=branch or settings["branch"],
                              base_url=settings["base_url"], folders=province_folders(root), auth_url=settings["auth_url"]))
    if out is None:
        click.echo(text, nl=False)
        return
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    click.echo(f"Đã ghi {out}")


@main.command()
@root_option
@click.option("--base", default=None, metavar="NHÁNH",
              help="Nhánh chính (ví dụ origin/main): hồ sơ đổi từ đó được đưa về định dạng chuẩn (sửa bằng biểu mẫu).")
@as_of_option
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ghi báo cáo Markdown (bình luận cho pull request) vào tệp này.")
@click.option("--pr", "pr_now", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Tiêu đề và mô tả hiện tại của pull request (JSON của `gh pr view --json title,body`).")
@click.option("--pr-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ghi vào tệp này (JSON) tiêu đề, mô tả tiếng Việt nêu tên hồ sơ cần đặt cho pull request; {} nếu giữ nguyên.")
def intake(root: Path, base: str | None, as_of: str | None, report: Path | None, pr_now: Path | None,
           pr_out: Path | None) -> None:
    """Nhập mọi phụ lục trong thư mục intake/ và chuẩn hoá hồ sơ sửa bằng biểu mẫu (cho quy trình trên GitHub).

    Mã thoát như ocop validate và ocop import: 1 khi còn lỗi — một tệp trong intake/ không nhập được, một
    dòng phụ lục có lỗi (không ghi), hoặc ocop validate báo lỗi ở hồ sơ (báo cáo vẫn được ghi, hồ sơ nhập
    được vẫn được ghi); 0 khi không có lỗi nào, kể cả khi chỉ có cảnh báo."""
    from .publish.cms import site_settings
    from .staff.intake import FILES_LISTED, changed_records, current_branch, form_links, published_provinces, pull_request_text, pull_request_update, report as markdown, run
    from .records.problems import report_text
    from .checks.validate import check

    if pr_out is not None and base is None:
        raise click.UsageError("--pr-out cần --base (nhánh chính để so)")
    current: dict = {}
    if pr_now is not None:
        try:
            current = json.loads(pr_now.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{pr_now}: không đọc được JSON ({exc})") from None
        if not isinstance(current, dict):
            raise click.ClickException(f"{pr_now}: cần một đối tượng JSON có title, body")
    for out_file in (report, pr_out):  # said before anything is written, not after the import
        if out_file is not None and not out_file.parent.is_dir():
            raise click.ClickException(f"{out_file}: thư mục {out_file.parent} không có; tạo nó trước hoặc chọn chỗ khác. Chưa ghi gì.")
    day = _as_of(as_of)
    outcome = run(root, base, day)
    result = check(root, day)
    problems = result.problems
    if base is not None:  # what this branch brought, and every error (an error anywhere keeps the check red)
        mine = set(changed_records(root, base)) | {p.relative_to(root).as_posix() for p in outcome.written}
        problems = [p for p in problems if p.severity == "error" or p.file in mine]
    lines = report_text(problems, result.files, "vi").splitlines() if problems else []
    provinces = published_provinces(root, base) if base is not None else None
    links = form_links(site_settings(root)["base_url"], current_branch(root), [p.file for p in problems], provinces)
    fresh = sorted({p.file.split("/")[1] for p in problems if p.file.count("/") >= 2} - provinces) if provinces is not None else []
    text = markdown(outcome, root, lines, links, fresh)
    outputs = [(report, text)] if report is not None else []
    if pr_out is not None and base is not None:
        described = pull_request_text(root, base, day, [name for name, _, _ in outcome.annexes])
        change = pull_request_update(current, *described) if described else {}
        outputs.append((pr_out, json.dumps(change, ensure_ascii=False, indent=1) + "\n"))
    for path, content in outputs:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    click.echo(text, nl=False)
    if len(outcome.refused) > FILES_LISTED:  # the comment names the first ones; the run's log every one
        for name, why in outcome.refused:
            click.echo(f"{name}: không nhập được — {why}", err=True)
    # the check goes red, as `ocop validate` and `ocop import` do, when an error is left: a file in intake/
    # not imported, an annex row not written, or an error validate gives (round seven: it exited 0 with
    # errors in its report, and a script or the officer reading the check took the run as clean).
    # Warnings alone: 0. Everything that could be imported is written and reported either way.
    if outcome.refused or outcome.desk_errors or any(p.severity == "error" for p in problems):
        sys.exit(1)


@main.command(name="field-reference")
@click.option("--problems", is_flag=True, help="In bảng mã lỗi thay cho bảng trường dữ liệu.")
def field_reference(problems: bool) -> None:
    """In bảng các trường dữ liệu (sinh từ schema) hoặc các mã lỗi, dạng Markdown."""
    from .staff.fieldref import field_reference as fields, problem_reference

    click.echo(problem_reference() if problems else fields(), nl=False)


@main.command(name="new")
@root_option
@click.argument("kind", type=click.Choice(["product", "producer", "sales-point", "village"]))
@click.option("--province", required=True, help="Tỉnh: tên thư mục (lai-chau) hoặc tên tỉnh (\"Lai Châu\").")
@click.option("--name", default=None, help="Tên hồ sơ; mã hồ sơ được tạo từ tên (không dấu).")
@click.option("--same-name-ok", is_flag=True, help="Vẫn tạo khi đã có hồ sơ cùng tên (sản phẩm khác của chủ thể khác).")
def new(root: Path, kind: str, province: str, name: str | None, same_name_ok: bool) -> None:
    """Tạo tệp hồ sơ mới từ mẫu (sinh từ schema) với mã còn trống."""
    from .staff.templates import new_record

    path, required = new_record(root, kind, province, name, same_name_ok)
    click.echo(f"Đã tạo {path}")
    click.echo("Các trường bắt buộc cần điền: " + ", ".join(required))
    click.echo(f"Sau khi điền, chạy: ocop validate --root {root}")


def _valid_catalogue(root: Path, as_of: str | None, refusal: str, cache_beside: Path | None = None, progress=None):
    """The catalogue for commands that need valid records; otherwise print the problems and stop.

    ``cache_beside``: an output folder; per-file results are cached beside it (catalog/runtime/cache.py).
    ``progress``: where the check is (catalog/runtime/progress.py), shown on standard error."""
    from .runtime.cache import FileCache, cache_dir
    from .runtime.progress import SILENT
    from .checks.validate import check

    files_cache = FileCache(cache_dir(cache_beside) / "files.pickle") if cache_beside is not None else None
    result = check(root, _as_of(as_of), files_cache, progress or SILENT)
    if not result.ok or result.catalogue is None:
        click.echo(REPORTERS["text"](result.problems, result.files, "vi"), err=True)
        raise CatalogError(refusal)
    if files_cache is not None:
        files_cache.save()
    return result.catalogue


def _print_refused(exc) -> None:
    from .records.problems import report_text

    click.echo(report_text(exc.result.problems, exc.result.files), err=True)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="Thư mục ghi trang web (được thay thế trọn vẹn khi xây dựng xong).")
@as_of_option
@click.option("--base-url", default=None, help="Địa chỉ công khai của trang (mặc định: base_url trong ocop.yaml).")
@click.option("--offline", is_flag=True, help="Bản xem không cần mạng: mở trực tiếp index.html từ USB hay máy tính.")
@click.option("--full", is_flag=True,
              help="Xây dựng lại toàn bộ, không dùng bộ nhớ đệm của lần trước (~/.cache/ocop/) (kết quả giống hệt).")
@click.option("--lang", "langs", type=click.Choice(["vi,en", "vi", "en"]), default=None,
              help="Ngôn ngữ của trang: vi,en (mặc định: tiếng Việt ở gốc, tiếng Anh trong en/), vi (chỉ tiếng Việt: "
                   "trang quốc gia nhẹ bằng một nửa); en chỉ dùng với --offline.")
def build(root: Path, out: Path, as_of: str | None, base_url: str | None, offline: bool, full: bool,
          langs: str | None) -> None:
    """Kiểm tra hồ sơ rồi xây dựng trang danh mục tĩnh. Có lỗi thì không xây dựng, trang cũ giữ nguyên.

    Lần sau chỉ dựng lại những trang có hồ sơ thay đổi (bộ nhớ đệm nằm cạnh thư mục --out)."""
    import time

    from .runtime.progress import for_stream
    from .site.build import BuildRefused, build as build_site

    start = time.perf_counter()
    try:
        report = build_site(root, out, _as_of(as_of), base_url, offline, incremental=not full,
                            progress=for_stream("build"), langs=tuple(langs.split(",")) if langs else None)
    except BuildRefused as exc:
        _print_refused(exc)
        raise
    warnings = len(report.result.problems)
    redone = f", dựng lại {report.rendered} tệp có thay đổi" if report.rendered >= 0 else ""
    click.echo(f"Đã xây dựng {report.pages} trang, {report.files} tệp vào {report.out}{redone} "
               f"trong {time.perf_counter() - start:.1f} giây ({warnings} cảnh báo).")


@main.command()
@root_option
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Trang đã xây dựng bằng ocop build.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("parts"), show_default=True,
              help="Thư mục ghi các phần (root/, en/, api/), được thay thế trọn vẹn khi xong.")
def parts(root: Path, site: Path, out: Path) -> None:
    """Chia trang đã xây dựng thành các phần xuất bản (deploy_parts trong ocop.yaml), đo từng phần và
    dừng nếu phần nào quá giới hạn của GitHub Pages (1 GB, 200.000 tệp)."""
    from .checks.validate import load_config
    from .publish import parts as pages_parts
    from .runtime import output

    config, problems = load_config(root)
    if config is None:
        raise CatalogError(f"ocop.yaml có lỗi ({len(problems)}): chạy ocop validate để xem")
    separate = tuple(config.get("deploy_parts", ()))
    pages_parts.check_base_url(config["base_url"], separate)
    if output.made_by(site) != "build":
        raise CatalogError(f"{site}: không phải trang do ocop build tạo ra")
    plan = pages_parts.plan(site, separate)
    for part in plan:
        click.echo(f"{part.prefix:6} {len(part.files):9,} tệp {part.bytes / 1e6:10,.1f} MB  (tar {part.tar_bytes / 1e6:,.1f} MB)")
    refused = pages_parts.refusal(plan, separate)
    if refused:
        raise CatalogError(refused)
    out = output.guard(out, root, "parts")
    with output.locked(out, "parts"):
        output.recover(out)
        staging = output.staging_dir(out)
        pages_parts.write(site, staging, plan)
        output.write_marker(staging, "parts")
        output.swap_in(staging, out)
    click.echo(f"Đã ghi {', '.join(str(out / p.name) for p in plan)}: mỗi thư mục là một trang GitHub Pages "
               f"({', '.join(p.prefix for p in plan)}).")


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("labels"), show_default=True,
              help="Thư mục ghi nhãn (được thay thế trọn vẹn khi xong).")
@as_of_option
@click.option("--base-url", default=None, help="Địa chỉ công khai mã QR trỏ tới (mặc định: base_url trong ocop.yaml).")
@click.option("--province", default=None, help="Chỉ sản phẩm của một tỉnh (tên thư mục, ví dụ lai-chau, hoặc tên tỉnh).")
@click.option("--group", default=None, help="Chỉ một nhóm sản phẩm (ví dụ thuc-pham).")
@click.option("--sales-point", default=None, help="Chỉ sản phẩm một điểm bán đang bày (mã điểm bán).")
@click.option("--ids", default=None, help="Danh sách mã sản phẩm, cách nhau bằng dấu phẩy.")
@click.option("--lots", is_flag=True, help="In thêm nhãn cho từng lô hàng có thông tin truy xuất.")
@click.option("--layout", "layouts", multiple=True, type=click.Choice(sorted(["a4-3x8", "a4-2x7"])),
              help="Khổ tờ nhãn A4 (mặc định: tất cả).")
def labels(root: Path, out: Path, as_of: str | None, base_url: str | None, province: str | None, group: str | None,
           sales_point: str | None, ids: str | None, lots: bool, layouts: tuple[str, ...]) -> None:
    """Tạo nhãn QR (SVG, PNG 300 dpi) và tờ nhãn A4 (PDF) cho sản phẩm còn hiệu lực."""
    import time

    from .print import labels as lab
    from .runtime.output import guard
    from .runtime.progress import for_stream

    start = time.perf_counter()
    progress = for_stream("labels")
    out = guard(out, root, lab.COMMAND, state_file=lab.STATE_FILE)  # before anything is read or cached beside it
    cat = _valid_catalogue(root, as_of, "hồ sơ còn lỗi: không tạo nhãn", cache_beside=out, progress=progress)
    if base_url:
        cat.config = {**cat.config, "base_url": base_url.rstrip("/")}
    chosen, refusals = lab.select(cat, province, group, sales_point, ids.split(",") if ids else None)
    for line in refusals:
        click.echo(line, err=True)
    if not chosen:
        raise CatalogError("không có sản phẩm nào còn hiệu lực để in nhãn")
    report = lab.generate(cat, out, chosen, refusals, lots=lots, layouts=layouts or tuple(lab.LAYOUTS), root=root,
                          progress=progress)
    for line in report.refusals[len(refusals):]:  # the lots refused (probe, round six: never shown before)
        click.echo(line, err=True)
    click.echo(f"{len(report.labels)} nhãn vào {report.out} ({report.drawn} vẽ mới, {report.reused} dùng lại) "
               f"trong {time.perf_counter() - start:.1f} giây; tờ nhãn: "
               + ", ".join(str(p) for p in report.sheets))
    if ids and refusals:
        sys.exit(1)


@main.command()
@root_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Tệp PDF ghi ra.")
@as_of_option
@click.option("--province", default=None, help="Chỉ một tỉnh (tên thư mục, ví dụ lai-chau).")
@click.option("--group", default=None, help="Chỉ một nhóm sản phẩm (ví dụ thuc-pham).")
@click.option("--sales-point", default=None, help="Chỉ sản phẩm một điểm bán đang bày.")
@click.option("--ids", default=None, help="Danh sách mã sản phẩm, cách nhau bằng dấu phẩy.")
@click.option("--all", "include_all", is_flag=True, help="In cả sản phẩm hết hạn, thu hồi, rút khỏi danh mục (ghi rõ).")
@click.option("--by", type=click.Choice(["group", "province"]), default="group", show_default=True,
              help="Chia mục theo nhóm sản phẩm hay theo tỉnh.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Ngôn ngữ của tài liệu in (en: tiếng Anh).")
def booklet(root: Path, out: Path, as_of: str | None, province: str | None, group: str | None,
            sales_point: str | None, ids: str | None, include_all: bool, by: str, lang: str) -> None:
    """In danh mục sản phẩm thành tệp PDF khổ A4 (bìa, mục lục, thẻ sản phẩm có mã QR, chỉ mục)."""
    import time

    from .print import booklet as bk
    from .print.labels import refuse_example_domain, select as label_select
    from .runtime.output import guard_file
    from .runtime.progress import for_stream
    from .reference.places import province_folder

    start = time.perf_counter()
    progress = for_stream("booklet")
    out = guard_file(out, root, ".pdf", b"%PDF")
    cat = _valid_catalogue(root, as_of, "hồ sơ còn lỗi: không in danh mục", progress=progress)
    refuse_example_domain(cat)  # its QR codes are printed too
    folder = province_folder(province) if province else None
    chosen = ids.split(",") if ids else None
    products, refusals = bk.select(cat, folder, group, sales_point, chosen, include_all,
                                   label_select(cat, folder, group, sales_point, chosen))
    report = bk.make_booklet(root, cat, out, products, refusals, folder, by, progress=progress, lang=lang)
    click.echo(f"Đã in {len(report.products)} sản phẩm, {report.pages} trang vào {report.path} "
               f"trong {time.perf_counter() - start:.1f} giây"
               + (f" ({len(refusals)} sản phẩm không còn hiệu lực không in; thêm --all để in cả)" if refusals else "") + ".")


@main.group()
def report() -> None:
    """Báo cáo cho cán bộ: giấy chứng nhận cần gia hạn, số liệu báo cáo định kỳ (CSV, XLSX, Markdown)."""


_report_format = click.option("--format", "fmt_", type=click.Choice(["markdown", "csv", "xlsx"]), default="markdown",
                              show_default=True, help="markdown để đọc hoặc dán, csv và xlsx cho bảng tính.")
_report_out = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                           help="Tệp ghi ra (bắt buộc với xlsx); bỏ trống: in ra màn hình.")
_report_province = click.option("--province", default=None, help="Chỉ một tỉnh (tên thư mục, ví dụ lai-chau, hoặc tên tỉnh).")


def _emit(data: bytes, fmt: str, out: Path | None) -> None:
    from .figures.report import write

    if out is None and fmt != "xlsx":
        click.echo(data.decode("utf-8").lstrip("\ufeff"), nl=False)
        return
    write(data, out)
    click.echo(f"Đã ghi {out}", err=True)


@report.command()
@root_option
@as_of_option
@click.option("--within", type=click.IntRange(0, 3650), default=180, show_default=True,
              help="Số ngày tới: giấy chứng nhận hết hạn trước ngày đó (và những giấy đã hết hạn).")
@_report_province
@_report_format
@_report_out
def renewals(root: Path, as_of: str | None, within: int, province: str | None, fmt_: str, out: Path | None) -> None:
    """Giấy chứng nhận sắp hết hạn và đã hết hạn, kèm chủ thể và số điện thoại, xếp theo ngày."""
    from .figures.report import render, renewals as make
    from .reference.places import province_folder

    cat = _valid_catalogue(root, as_of, "hồ sơ còn lỗi: không lập báo cáo")
    table = make(cat, within, province_folder(province) if province else None)
    _emit(render([table], fmt_), fmt_, out)


@report.command()
@root_option
@as_of_option
@click.option("--year", type=int, required=True, help="Năm báo cáo (số liệu đến 31/12, hoặc đến ngày tính với năm nay).")
@_report_province
@_report_format
@_report_out
def summary(root: Path, as_of: str | None, year: int, province: str | None, fmt_: str, out: Path | None) -> None:
    """Các bảng báo cáo định kỳ (tỉnh × hạng sao × nhóm, biến động trong năm): cùng số liệu với trang thống kê."""
    from .figures.report import render, summary as make
    from .reference.places import province_folder

    cat = _valid_catalogue(root, as_of, "hồ sơ còn lỗi: không lập báo cáo")
    from .reference.lang import ui

    heading, tables = make(cat, year, province_folder(province) if province else None)
    _emit(render(tables, fmt_, heading, ui()["stats"]["definitions"]), fmt_, out)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True)
@as_of_option
@click.option("--port", type=int, default=8000, show_default=True)
def serve(root: Path, out: Path, as_of: str | None, port: int) -> None:
    """Xem trước tại http://127.0.0.1:PORT/ ; tự xây dựng lại khi một hồ sơ thay đổi."""
    from .staff.serve import serve as run

    run(root, out, _as_of(as_of) if as_of else None, port, echo=click.echo)


def run() -> None:  # pragma: no cover — the `ocop` command itself (tests call `main` in-process)
    """`main`, then the process ends without freeing its objects one by one: a national build
    holds millions of them, and tearing them down took 0.4 s of a 4.7 s incremental build. By
    then every file the command wrote is closed and its worker processes have ended; output is
    flushed first. A bug's traceback still prints the normal way."""
    try:
        main()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
