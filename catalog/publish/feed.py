"""The Atom feed (``feed.xml``): what happened to certificates, newest first.

Recognitions (new, re-recognised, upgraded, downgraded), and the ends a shopper or a buyer must
hear about: **revocations**, **withdrawals** and **lapses**, each with its decision and date. The
events are those of :func:`catalog.figures.stats.events` (the statistics count the same ones), up to the
as-of date; the newest ``FEED_ENTRIES`` are kept. An entry's id is the product URL with the kind
and day, so an event keeps its id from build to build and a feed reader shows it once.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from ..records.model import Catalogue
from ..reference.lang import ui, vn_date
from ..records.urls import absolute, url_for
from ..figures.stats import Event, feed_events

FEED_ENTRIES = 50


def summary(e: Event) -> str:
    t = ui()["feed_events"]
    kind = t[e.kind]
    name = e.product.name
    if e.kind == "lapsed":
        return t["lapsed_summary"].format(kind=kind, certificate=e.certificate, stars=e.stars, decision=e.decision,
                                          decision_date=vn_date(e.decision_date), name=name, date=vn_date(e.day))  # type: ignore[arg-type]
    if e.kind == "revoked":
        return t["revoked_summary"].format(kind=kind, certificate=e.certificate, name=name, decision=e.decision,
                                           date=vn_date(e.day))
    if e.kind == "withdrawn":
        decision = t["withdrawn_decision"].format(decision=e.decision) if e.decision else ""
        return t["withdrawn_summary"].format(kind=kind, name=name, date=vn_date(e.day), decision=decision)
    return t["recognition_summary"].format(kind=kind, name=name, stars=e.stars, body=e.body, decision=e.decision,
                                           date=vn_date(e.day), valid_until=vn_date(e.valid_until))  # type: ignore[arg-type]


def write_feed(cat: Catalogue, site: Path) -> None:
    items = feed_events(cat)[:FEED_ENTRIES]
    updated = items[0].day.isoformat() if items else cat.as_of.isoformat()
    feed_url = absolute(cat, "feed.xml")
    t = ui()["feed_events"]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"  <title>{xml_escape(cat.config['title'])}</title>",
        f"  <id>{xml_escape(feed_url)}</id>",
        f'  <link rel="self" href="{xml_escape(feed_url)}"/>',
        f'  <link href="{xml_escape(cat.config["base_url"])}/"/>',
        f"  <updated>{updated}T00:00:00+07:00</updated>",
        f"  <author><name>{xml_escape(cat.config.get('publisher', cat.config['title']))}</name></author>",
    ]
    for e in items:
        url = absolute(cat, url_for("product", e.product.id))
        lines += [
            "  <entry>",
            f"    <title>{xml_escape(t['title'].format(kind=t[e.kind], name=e.product.name))}</title>",
            f"    <id>{xml_escape(url)}#{e.kind}-{e.day.isoformat()}</id>",
            f'    <link href="{xml_escape(url)}"/>',
            f'    <category term="{e.kind}" label="{xml_escape(t[e.kind], {chr(34): "&quot;"})}"/>',
            f"    <updated>{e.day.isoformat()}T00:00:00+07:00</updated>",
            f"    <summary>{xml_escape(summary(e))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    (site / "feed.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
