"""The ``ocop`` command: parse options, call the library, print, exit. Nothing else lives here.

Expected failures print one line and exit 1; a traceback only with ``--debug``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .errors import CatalogError
from .model import today
from .problems import REPORTERS


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
            click.echo(f"ocop: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Hiện traceback khi có lỗi (cho lập trình viên).")
@click.version_option(package_name="ocop-catalog")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Danh mục sản phẩm OCOP: kiểm tra hồ sơ, tạo trang web và nhãn QR."""
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
    from .validate import check

    result = check(root, _as_of(as_of))
    click.echo(REPORTERS[fmt](result.problems, result.files, lang))
    sys.exit(0 if result.ok else 1)


def _print_refused(exc) -> None:
    from .problems import report_text

    click.echo(report_text(exc.result.problems, exc.result.files), err=True)


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="Thư mục ghi trang web (được thay thế trọn vẹn khi xây dựng xong).")
@as_of_option
@click.option("--base-url", default=None, help="Địa chỉ công khai của trang (mặc định: base_url trong ocop.yaml).")
def build(root: Path, out: Path, as_of: str | None, base_url: str | None) -> None:
    """Kiểm tra hồ sơ rồi xây dựng trang danh mục tĩnh. Có lỗi thì không xây dựng, trang cũ giữ nguyên."""
    import time

    from .site import BuildRefused, build as build_site

    start = time.perf_counter()
    try:
        report = build_site(root, out, _as_of(as_of), base_url)
    except BuildRefused as exc:
        _print_refused(exc)
        raise
    warnings = len(report.result.problems)
    click.echo(f"Đã xây dựng {report.pages} trang, {report.files} tệp vào {report.out} "
               f"trong {time.perf_counter() - start:.1f} giây ({warnings} cảnh báo).")


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True)
@as_of_option
@click.option("--port", type=int, default=8000, show_default=True)
def serve(root: Path, out: Path, as_of: str | None, port: int) -> None:
    """Xem trước tại http://127.0.0.1:PORT/ ; tự xây dựng lại khi một hồ sơ thay đổi."""
    from .serve import serve as run

    run(root, out, _as_of(as_of) if as_of else None, port, echo=click.echo)


if __name__ == "__main__":  # pragma: no cover
    main()
