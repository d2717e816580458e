"""The officer's desk: ``ocop report renewals`` and ``ocop report summary``.

One job: the two lists an OCOP office prints or pastes, as :class:`catalog.figures.tables.Table` objects
written as CSV, XLSX or Markdown (:mod:`catalog.figures.tables`).

* **renewals**: certificates lapsing within N days of the as-of date and those already lapsed,
  sorted by ``valid_until`` (oldest first), with the producer and the phone number to call.
  Revoked and withdrawn products are not on it (there is nothing to renew); nor are decisions
  not yet in force. Only what the site already publishes is printed (the producer's name and phone
  are on its public page).
* **summary**: the statistics tables of one year for the country or a province — the same
  :class:`catalog.figures.stats.Figures` as the site, counted on 31 December of that year, or on the
  as-of date for the current year (then every number equals the site's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import stats
from ..reference.errors import CatalogError
from ..runtime.output import write_atomic
from ..records.model import Catalogue, Status
from ..reference.lang import ui
from .tables import Table, to_csv, to_markdown, to_stacked_csv, to_xlsx

FORMATS = ("markdown", "csv", "xlsx")


def renewals(cat: Catalogue, within: int, folder: str | None = None) -> Table:
    t = ui()
    r = t["report"]
    horizon = cat.as_of + dt.timedelta(days=within)
    rows = []
    for p in cat.products.values():
        if folder is not None and p.folder != folder:
            continue
        if p.status not in (Status.VALID, Status.EXPIRING, Status.EXPIRED) or p.valid_until > horizon:
            continue
        cert = p.data["certificate"]
        producer = cat.producers[p.data["producer"]]
        rows.append([(p.valid_until - cat.as_of).days, cert["valid_until"], t["status"][p.status.value],
                     stats.province_name(p.folder), stats.official_commune(p.data["address"]["province"],
                                                                           p.data["address"]["commune"]),
                     p.name, p.stars, cert["number"], cert["decision"]["number"], cert["decision"]["date"],
                     cert["deciding_body"]["name"], producer.name, producer.data.get("phone", ""), p.id])
    rows.sort(key=lambda row: (row[1], stats.vi_key(row[3]), stats.vi_key(row[5]), row[13]))
    title = r["renewals_title"].format(days=within, date=cat.as_of.strftime("%d/%m/%Y"),
                                       scope=stats.province_name(folder) if folder else r["national"])
    return Table("gia-han", title, list(r["renewals_columns"]), rows,
                 note=r["renewals_note"].format(n=len(rows), lapsed=sum(1 for row in rows if row[0] < 0)))


def summary(cat: Catalogue, year: int, folder: str | None = None) -> tuple[str, list[Table]]:
    """(heading, tables) of the periodic report for ``year``."""
    if year > cat.as_of.year:
        raise CatalogError(ui()["report"]["future_year"].format(year=year, date=cat.as_of.isoformat()))
    on = min(cat.as_of, dt.date(year, 12, 31))
    figures = stats.Figures(cat, folder, on)
    scope = figures.scope_name
    heading = ui()["report"]["summary_title"].format(year=year, scope=scope, date=on.strftime("%d/%m/%Y"))
    return heading, figures.tables()


def render(tables: list[Table], fmt: str, heading: str = "", notes: list[str] | None = None) -> bytes:
    """The tables in one of FORMATS (CSV: one table as it is, several stacked under their titles;
    Markdown: under ``heading``, ``notes`` as a list at the end)."""
    if fmt == "xlsx":
        return to_xlsx(tables)
    if fmt == "csv":
        return (to_csv(tables[0]) if len(tables) == 1 else to_stacked_csv(tables)).encode("utf-8")
    text = (f"# {heading}\n\n" if heading else "") + to_markdown(tables)
    if notes:
        text += f"\n## {ui()['stats']['definitions_title']}\n\n" + "".join(f"- {line}\n" for line in notes)
    return text.encode("utf-8")


def write(data: bytes, out: Path | None) -> None:
    if out is None:
        raise CatalogError("XLSX cần --out TỆP")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data)
