"""`ocop import`: the list that comes with a recognition decision → product and producer records.

Reading the file (sheets, merged cells, hidden rows, encodings, limits) is :mod:`catalog.staff.annex`;
this package says what the rows mean, plans the records, checks the plan the way ``ocop validate``
will, and writes it. Its modules follow the stages of :func:`plan` (issue #23), each a floor above
the one before (no module imports one below it in this list, and none imports this ``__init__``):

* ``columns`` — recognising the decision kind and the columns: the column table, ``--mapping``,
  the header, the kind of a list, the title block (:class:`Decision`), :class:`Note`;
* ``cells`` — understanding one cell: places, text, formulas, stars, phones, dates, groups,
  the producer's legal form, :class:`PlannedProducer`;
* ``rows`` — understanding each row: which rows are products (:func:`classify_rows`), what one
  says (:func:`understand_row` → :class:`Row`);
* ``match`` — matching existing records: the data root indexed (:class:`Existing`), the producer
  of a row, the product a row names or renews, new ids;
* ``records`` — planning each record: create / re-recognise or renew / revoke / update, as file text;
* ``planning`` — :func:`plan`, the stages in order, and :func:`_validate_plan`;
* ``describe`` — describing the plan: the dry run's words, :func:`summary`, the ``--report`` CSV;
* ``write`` — applying it: :func:`apply`, all or nothing.

The names other modules and the tests use are imported here, so ``from catalog.staff.importer
import plan`` keeps working.

**One dry run, one ``--write``.** The dry run (the default) lists, per row, what was understood
(name, producer, stars, set, decision, dates, phone, commune) and everything still to fill. That
list is not guessed: the planned files are validated in memory together with every record already
in the data root (:func:`catalog.staff.importer.planning._validate_plan`), so it is exactly what ``ocop validate`` reports on those
files after ``--write`` — the test compares the two.

Decisions, where the issue left a choice:

* **Which rows are products.** Rows above the header are the title block; below it, blank rows,
  the "(1) (2) (3)" column-number row, group headings ("I | NHÓM THỰC PHẨM": they set the group of
  the rows under them), repeated headers, the total ("Tổng cộng: 15 sản phẩm", compared with the
  number of products) and everything from the signature block on ("KT. CHỦ TỊCH", "Nơi nhận") are
  skipped and listed once. Hidden rows are not imported (see :mod:`catalog.staff.annex`) and named.
* **The decision** (number, date, body) is read from the title block ("Kèm theo Quyết định số
  1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn"), else from ``--decision``,
  ``--date``, ``--body``; a column wins for its row (summary lists of several decisions). The
  body's province is the list's province when ``--province`` is not given. A row date that
  contradicts the title's decision is an error: the certificate's validity counts from it.
* **Dates.** Excel dates are exact; a bare Excel day number (45728: a cell that lost its date format)
  is read as that date with a warning. Text dates are day first (15/8/2025). A text date that can
  only be month first (8/15/2025) is read that way with a warning; in a column where such a date
  occurs, a date that reads both ways (8/5/2025) is refused — never guessed.
* **Producers** are created from the rows, once each: names are compared with
  :func:`catalog.checks.rules.producer_key` ("HTX" = "Hợp tác xã"), so two spellings are one producer;
  an existing producer with the same key, or a near-identical one (≥ ``NEAR_MATCH``), is used
  instead of creating a twin, and a near match is named as a warning; so is one of the same commune
  whose name holds the row's or is held in it, word for word (an annex shortening a name). A new
  product's row with the name of a product of the same commune is that product when its producer is
  plausibly the same, else it is written with a warning naming that record. The kind comes from the legal
  form at the start of the name (HTX → cooperative, Công ty/DNTN → company, Tổ hợp tác →
  cooperative group, Hộ kinh doanh/Hộ/Cơ sở → household business); otherwise it is left to fill.
  The longest spelling is kept as the name (the one without abbreviations). Existing producer
  records are never modified.
* **Phones**: spaces, dots and dashes removed; a 9-digit number whose leading 0 Excel dropped gets
  it back (said in the row). A number that is still not a Vietnamese phone is not written: it goes
  into the producer file as a comment and the row gets a warning.
* **Addresses**: ``certified_address.text`` keeps the cell as printed and its province (the former
  one for a pre-merger certificate: "tỉnh Hà Giang" stays Hà Giang while the record's province is
  Tuyên Quang) — but a person's hamlet or street (household business, cooperative group, or a new
  producer whose name does not say it is a company or cooperative) only when the producer's record
  holds ``street`` consent: otherwise the text starts at the commune and the hamlet is kept in
  ``address.street`` alone, which is published only with consent (catalog/records/privacy.py, issue #22). The commune in force comes from the old → new conversion (:mod:`catalog.reference.places`,
  through :func:`catalog.staff.importer.cells._where`); a ward split between communes is left to fill with the candidates as
  a comment; an address without a commune leaves it to fill.
* **Ids**: an id column is checked like every id (lower-case ASCII words joined by hyphens, 3–48
  characters, not ``trang-N``) and the path it makes must stay inside its province folder. Made
  ids come from the name; two products of the same name get their commune (then producer) added.
* **Renewal**: an existing product (same id, or folded name + producer, or same certificate) with a
  newer decision is renewed: the whole current certificate (stars, score, legal basis, decision,
  body, number, valid until) moves to ``earlier_ratings``. An older decision "renews backwards" and
  is refused. A renewal under a new taxonomy (1048 → 148) needs the row's group, else it is left
  to fill — sectors are never translated into groups.
* **Product sets** are written only when the sheet names one (exactly, by name or code). Otherwise
  a set is *suggested* from the product name (``set_hints`` in ``import_columns.yaml``), shown
  as "gợi ý" and written as a comment, never as a value.
* **Formulas.** Text that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, tab, CR
  followed by a letter or symbol) is refused for the row: written into a record it would reach the
  open-data CSV. The ``--report`` CSV, which officers open in Excel, neutralises every such cell
  with a leading apostrophe (OWASP; :func:`neutralise`) — the importer's own helper until the
  export module's lands.
* **Kinds of decision** (issue #24): recognition, re-recognition (*công nhận lại*), revocation
  (*thu hồi*) and mixed lists, as data in ``import_columns.yaml`` (``decision_kinds``), recognised
  from the columns and the title block (:func:`decision_kind`), shown in the dry run's first line,
  overridable with ``--kind``. A **revocation** row must name an existing product (id, certificate
  number, or name [+ producer]); it writes ``certificate.revocation`` (decision, body, reason,
  ``effective_from`` when later than the decision) and nothing else. A **re-recognition** row must
  name an existing product too; its old certificate ("Số GCN đã cấp", "Hạng sao đã công nhận")
  must be the record's current one; the new one becomes current and the old one moves to
  ``earlier_ratings``; "Nâng hạng / Giữ hạng / Hạ hạng" is checked against the stars.
* **A revocation is never dropped or hidden**: a product whose certificate carries a revocation is
  not renewed by an import (a recognition after a revocation is a new file — the officer decides);
  a "new" certificate that reuses the current GCN number, or a decision that is a revocation
  decision on record, is refused with the reason. A renewal takes ``certified_address`` from the
  annex when it has one (the new certificate prints it) and lists the change.
* **Sheets, sections, headers.** Every visible sheet with a header row is read (see
  :mod:`catalog.staff.annex`); rows are named "trang tính 'X', dòng N" when there are several. Stars come
  from the column, else the section row above ("I. SẢN PHẨM ĐẠT 4 SAO"), else the sheet name ("4
  sao"), else the title ("… ĐẠT 4 SAO"). A row whose name cell is merged from the row above is a
  continuation: its other cells are joined to that row — and so is a row not merged that has no
  STT, no name (or the name above again, in a table with an STT column) and no certificate number,
  stars, score or decision of its own (a Word table with the address typed in the row below). A
  producer cell holding the name, a line
  break and the address (and maybe "ĐT: …") is split; "Địa chỉ:" prefixes are dropped. A group
  name in a product-set column is taken as the group. Mapping keys that match no column are
  named in a warning.
* **Writing is all or nothing**: every file is first written to a temporary name beside its
  target; only when all are written are they renamed into place, and a failure while renaming
  puts back what was there. Nothing is written on a dry run.
"""

from __future__ import annotations

from ...reference.errors import CatalogError
from .cells import (month_first, neutralise, parse_phone, parse_score, parse_stars, read_date, split_producer,
                    vn_date)
from .columns import (Decision, Note, decision_kind, field_names, field_words, heading_key, kind_option,
                      mapping_reference, read_mapping, read_title, row_kind_of, stars_named)
from .describe import TO_FILL, describe, headline, summary, to_fill, write_report
from .planning import Plan, plan
from .records import Action
from .rows import Row
from .write import apply

__all__ = ["TO_FILL", "Action", "CatalogError", "Decision", "Note", "Plan", "Row", "apply", "decision_kind", "describe",
           "field_names", "field_words", "heading_key", "headline", "kind_option", "mapping_reference", "month_first",
           "neutralise", "parse_phone", "parse_score", "parse_stars", "plan", "read_date", "read_mapping", "read_title",
           "row_kind_of", "split_producer", "stars_named", "summary", "to_fill", "vn_date", "write_report"]
