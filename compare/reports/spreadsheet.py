"""A saved recommendation as a workbook (XLSX), and its ranking as a CSV file.

Pure functions: the frozen report (as `Recommendation.report_in` gives it) and the few facts
about the recommendation that the report does not hold (`About`) in, bytes out, written in the
active language (the view sets it).

The workbook stays live: costs are quantity × unit price × years billed, totals are sums, and
scores are sums of weight × rating, as formulas, so an editor who changes a quantity, a price or
a criterion's importance sees the figures follow. Each formula also carries the value it had
when the recommendation was made, so a viewer that never recalculates shows the page's figures.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

import xlsxwriter
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from compare.engine.costs import CostStatus, Metric
from compare.reports.wording import date_in_words

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A text cell that starts with one of these would run as a formula in a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WIDE_COLUMN = 60  # characters: long texts wrap in columns this wide
NARROW_COLUMN = 14


@dataclass(frozen=True)
class About:
    """What a download says about the recommendation besides its report."""

    company: str
    created_at: datetime.datetime
    language: str  # the language it was made in
    url: str  # its page, in the language the download is written in
    engine_version: str
    catalogue_version: str

    @classmethod
    def of(cls, recommendation, *, url: str) -> About:
        return cls(
            company=recommendation.company_name,
            created_at=recommendation.created_at,
            language=recommendation.language,
            url=url,
            engine_version=recommendation.engine_version,
            catalogue_version=recommendation.catalogue_version,
        )

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.created_at)


def iso_in_words(iso: str) -> str:
    """A report's ISO date ("2026-02-26") in words; anything else as it is."""
    try:
        return date_in_words(datetime.date.fromisoformat(str(iso)[:10]))
    except ValueError:
        return str(iso)


# The ranking, shared by the workbook and the CSV file -----------------------------------


@dataclass(frozen=True)
class RankingRow:
    place: int | None  # None: ruled out
    slug: str
    name: str
    vendor: str
    score: float | None
    cost_score: float | None
    cost: float | None  # over the horizon, in the report's currency; None: not known
    cost_label: str  # what stands instead of an unknown cost ("price on request")
    partly_met: str
    to_verify: str
    notes: str


def ranking_rows(report: dict) -> list[RankingRow]:
    """The ranked products in order, then those ruled out, with their reasons as notes.

    Reports saved before the second release have no costs, flags or requirement shortfalls:
    their cells stay empty."""
    features = {f["key"]: f["name"] for f in report["feature_matrix"]["features"]}
    costs = {item["slug"]: item for item in report.get("costs", [])}

    def named(keys):
        return "; ".join(features.get(key, key) for key in keys)

    rows = []
    for place, item in enumerate(report["ranking"], start=1):
        cost = costs.get(item["slug"], {})
        rows.append(
            RankingRow(
                place=place,
                slug=item["slug"],
                name=item["name"],
                vendor=item["vendor"],
                score=item["score"],
                cost_score=item.get("cost_score"),
                cost=cost.get("total_in_report_currency"),
                cost_label=cost.get("status_label", ""),
                partly_met=named(item.get("partly_met", [])),
                to_verify=named(item.get("to_verify", [])),
                notes="\n".join(item.get("flags", [])),
            )
        )
    rows += [
        RankingRow(
            place=None,
            slug=item["slug"],
            name=item["name"],
            vendor="",
            score=None,
            cost_score=None,
            cost=costs.get(item["slug"], {}).get("total_in_report_currency"),
            cost_label=costs.get(item["slug"], {}).get("status_label", ""),
            partly_met="",
            to_verify="",
            notes="\n".join(item["reasons"]),
        )
        for item in report["eliminated"]
    ]
    return rows


def cost_heading(report: dict) -> str:
    """ "Cost over 3 years (USD)", or "Cost" when the report has no costs."""
    costs = report.get("costs") or []
    if not costs:
        return _("Cost")
    return _("Cost over %(years)s years (%(currency)s)") % {
        "years": costs[0]["years"],
        "currency": costs[0]["report_currency"],
    }


def ranking_headings(report: dict) -> list[str]:
    return [
        _("Place"),
        _("Product"),
        _("Vendor"),
        _("Score (out of 100)"),
        _("Cost score (out of 10)"),
        cost_heading(report),
        _("Requirements met only partly"),
        _("Requirements to verify with the vendor"),
        _("Notes"),
    ]


# CSV ---------------------------------------------------------------------------------------


def ranking_csv(report: dict, about: About) -> bytes:
    """The ranking as CSV, UTF-8 with a byte-order mark so that Excel reads the accents.

    Figures are written as the active language writes them, with the separator its
    spreadsheets expect: "83.0" between commas in English, "83,0" between semicolons in French.
    (`about` goes unused: every download is built from the same two arguments.)
    """
    decimal_comma = formats.get_format("DECIMAL_SEPARATOR") == ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal_comma else ",")
    writer.writerow(ranking_headings(report))

    def figure(value, decimals):
        return "" if value is None else formats.number_format(value, decimal_pos=decimals)

    for row in ranking_rows(report):
        writer.writerow(
            [
                row.place if row.place is not None else _("ruled out"),
                inert(row.name),
                inert(row.vendor),
                figure(row.score, 1),
                figure(row.cost_score, 1),
                figure(row.cost, 2) if row.cost is not None else row.cost_label,
                inert(row.partly_met),
                inert(row.to_verify),
                inert(row.notes),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def inert(text: str) -> str:
    """A text that a spreadsheet program shows rather than runs: "=1+1" becomes "'=1+1"."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


# XLSX --------------------------------------------------------------------------------------


def workbook(report: dict, about: About) -> bytes:
    """The recommendation as a workbook of six sheets, in memory."""
    out = io.BytesIO()
    # Texts stay texts: a company called "=..." is a name, not a formula.
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": _("HVSelect recommendation"),
            "company": about.company,
            "created": about.created_at,
        }
    )
    styles = Styles(book)
    summary = book.add_worksheet(_("Summary"))
    ranking = book.add_worksheet(_("Ranking"))
    criteria = book.add_worksheet(_("Criteria"))
    features = book.add_worksheet(_("Features"))
    costs = book.add_worksheet(_("Costs"))
    sources = book.add_worksheet(_("Sources"))
    write_summary(summary, report, about, styles)
    totals = write_costs(costs, report, styles)
    write_ranking(ranking, report, styles, totals)
    write_criteria(criteria, report, styles)
    write_features(features, report, styles)
    write_sources(sources, report, styles)
    book.close()
    return out.getvalue()


def money_format(currency: str) -> str:
    """An Excel number format for an amount: "USD" 1,234.00 / 1 234,00 "USD" (the program
    shows the separators of its own locale; the order is the language's)."""
    written = _("%(currency)s %(amount)s") % {"currency": f'"{currency}"', "amount": "#,##0.00"}
    return written.replace("\u00a0", '"\u00a0"')  # a non-breaking space is a quoted literal


class Styles:
    """The workbook's cell formats, each made once."""

    def __init__(self, book):
        self.book = book
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.bold = book.add_format({"bold": True})
        self.label = book.add_format({"bold": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.score = book.add_format({"num_format": "0.0", "valign": "top"})
        self.bold_score = book.add_format({"num_format": "0.0", "bold": True})
        self.rating = book.add_format({"num_format": "0.00"})
        self.rate = book.add_format({"num_format": "0.0000"})
        # Translators: an Excel number format for a percentage; French writes 5,7 % with a
        # non-breaking space in quotes: 0.0" "%
        self.percent = book.add_format({"num_format": pgettext("spreadsheet format", "0.0%")})
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
        self.link = book.get_default_url_format()
        self._money = {}

    def money(self, currency: str, *, bold: bool = False):
        if (currency, bold) not in self._money:
            self._money[currency, bold] = self.book.add_format(
                {"num_format": money_format(currency), "bold": bold}
            )
        return self._money[currency, bold]


def header_row(sheet, headings: list[str], styles: Styles, *, frozen_columns: int = 1) -> None:
    for column, heading in enumerate(headings):
        sheet.write_string(0, column, heading, styles.header)
    sheet.freeze_panes(1, frozen_columns)


def write_text(sheet, row: int, column: int, text: str, style=None) -> None:
    if text:
        sheet.write_string(row, column, text, style)


def write_number(sheet, row: int, column: int, value, style=None) -> None:
    if value is not None:
        sheet.write_number(row, column, value, style)


def write_summary(sheet, report: dict, about: About, styles: Styles) -> None:
    ranking = report["ranking"]
    winner = ranking[0] if ranking else None
    second = ranking[1] if len(ranking) > 1 else None
    languages = dict(settings.LANGUAGES)
    rows = [
        (_("Company or project"), about.company or "—", None),
        (_("Made on"), date_in_words(about.day), None),
        (_("Language it was made in"), str(languages.get(about.language, about.language)), None),
        (_("Recommended"), winner["name"] if winner else _("No product meets every need"), None),
        (_("Its score (out of 100)"), winner["score"] if winner else None, styles.score),
        (_("Runner-up"), second["name"] if second else "—", None),
        (_("Runner-up's score (out of 100)"), second["score"] if second else None, styles.score),
        (_("Lead (score points)"), report["margin"], styles.score),
        (_("Close call"), _("yes") if report["close_call"] else _("no"), None),
        (_("Verdict"), report["conclusion"], styles.wrap),
    ]
    for row, (label, value, style) in enumerate(rows):
        sheet.write_string(row, 0, label, styles.label)
        if isinstance(value, str):
            sheet.write_string(row, 1, value, style or styles.wrap)
        else:
            write_number(sheet, row, 1, value, style)
    row = len(rows)
    sheet.write_string(row, 0, _("Page"), styles.label)
    sheet.write_url(row, 1, about.url, styles.link, string=about.url)
    for offset, (label, value) in enumerate(
        [
            (_("Engine version"), about.engine_version),
            (_("Catalogue version"), about.catalogue_version),
        ],
        start=row + 1,
    ):
        sheet.write_string(offset, 0, label, styles.label)
        sheet.write_string(offset, 1, value, styles.wrap)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, WIDE_COLUMN * 1.5)


def write_ranking(sheet, report: dict, styles: Styles, totals: dict[str, tuple[str, float]]):
    """One row per product; its cost is the Costs sheet's total, so it follows an edit."""
    header_row(sheet, ranking_headings(report), styles, frozen_columns=2)
    currency = report["costs"][0]["report_currency"] if report.get("costs") else ""
    for row, item in enumerate(ranking_rows(report), start=1):
        if item.place is None:
            sheet.write_string(row, 0, _("ruled out"), styles.wrap)
        else:
            sheet.write_number(row, 0, item.place)
        sheet.write_string(row, 1, item.name, styles.wrap)
        write_text(sheet, row, 2, item.vendor, styles.wrap)
        write_number(sheet, row, 3, item.score, styles.score)
        write_number(sheet, row, 4, item.cost_score, styles.score)
        if item.slug in totals:
            reference, value = totals[item.slug]
            sheet.write_formula(row, 5, f"={reference}", styles.money(currency), value)
        else:
            write_text(sheet, row, 5, item.cost_label, styles.wrap)
        for column, text in enumerate((item.partly_met, item.to_verify, item.notes), start=6):
            write_text(sheet, row, column, text, styles.wrap)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 2, 28)
    sheet.set_column(3, 5, NARROW_COLUMN + 4)
    sheet.set_column(6, 7, 28)
    sheet.set_column(8, 8, WIDE_COLUMN)


def write_criteria(sheet, report: dict, styles: Styles) -> None:
    """Each criterion's importance and weight, and what it adds to each product's score.

    As the engine computes it: a weight is the criterion's points over the sum of all points,
    and a criterion adds weight × rating (0-10) × 10 score points; the score is their sum.
    """
    criteria, ranking = report["criteria"], report["ranking"]
    headings = [_("Criterion"), _("Importance (0–5 points)"), _("Weight")]
    for item in ranking:
        headings += [
            _("%(product)s: rating (0–10)") % {"product": item["name"]},
            _("%(product)s: score points") % {"product": item["name"]},
        ]
    header_row(sheet, headings, styles)
    first, last = 1, len(criteria)  # the criteria's rows
    points = [criterion["points"] for criterion in criteria]
    all_points = xl_range(first, 1, last, 1, fixed=True)
    for row, criterion in enumerate(criteria, start=first):
        weight = criterion["points"] / sum(points) if sum(points) else 0.0
        sheet.write_string(row, 0, criterion["name"], styles.wrap)
        sheet.write_number(row, 1, criterion["points"])
        sheet.write_formula(row, 2, f"={cell(row, 1)}/SUM({all_points})", styles.percent, weight)
        for index, item in enumerate(ranking):
            rating = item["values"].get(criterion["key"], 0.0)
            column = 3 + 2 * index
            sheet.write_number(row, column, rating, styles.rating)
            sheet.write_formula(
                row,
                column + 1,
                f"={cell(row, 2, fixed_column=True)}*{cell(row, column)}*10",
                styles.rating,
                weight * rating * 10,
            )
    total_row = last + 1
    sheet.write_string(total_row, 0, _("Score (out of 100)"), styles.bold)
    sheet.write_formula(total_row, 1, f"=SUM({all_points})", styles.bold, sum(points))
    for index, item in enumerate(ranking):
        column = 3 + 2 * index + 1
        sheet.write_formula(
            total_row,
            column,
            f"=SUM({xl_range(first, column, last, column)})",
            styles.bold_score,
            item["score"],
        )
    sheet.write_string(
        total_row + 2,
        0,
        _(
            "A criterion's weight is its importance over the sum of all importances; it adds "
            "weight × rating × 10 points to a product's score, out of 100."
        ),
    )
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 2, NARROW_COLUMN)
    sheet.set_column(3, 2 + 2 * len(ranking), NARROW_COLUMN + 4)


def write_features(sheet, report: dict, styles: Styles) -> None:
    """The requested features, one per row: required or nice to have, and each product's
    level with its own term and caveat; [n] are the Sources sheet's numbers."""
    matrix = report["feature_matrix"]
    headings = [_("Requested feature"), _("Required or nice to have")]
    for product in matrix["rows"]:
        headings += [
            product["name"],
            _("%(product)s: term and caveat") % {"product": product["name"]},
        ]
    header_row(sheet, headings, styles)
    if not matrix["features"]:
        sheet.write_string(1, 0, _("No feature was requested."))
    for row, feature in enumerate(matrix["features"], start=1):
        sheet.write_string(row, 0, feature["name"], styles.wrap)
        sheet.write_string(row, 1, _("required") if feature["must"] else _("nice to have"))
        for index, product in enumerate(matrix["rows"]):
            found = product["cells"][row - 1]
            level = found["label"]
            if found.get("shortfall"):
                level = f"{level} — {found['shortfall']}"
            sheet.write_string(row, 2 + 2 * index, level, styles.wrap)
            write_text(sheet, row, 3 + 2 * index, cell_details(found), styles.wrap)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 18)
    for index in range(len(matrix["rows"])):
        sheet.set_column(2 + 2 * index, 2 + 2 * index, 22)
        sheet.set_column(3 + 2 * index, 3 + 2 * index, 40)


def cell_details(found: dict) -> str:
    """ "Proxmox Containers (pct, LXC): LXC system containers share … [2]"."""
    words = ": ".join(part for part in (found.get("term", ""), found.get("note", "")) if part)
    markers = " ".join(f"[{n}]" for n in found.get("refs", []))
    return " ".join(part for part in (words, markers) if part)


def write_costs(sheet, report: dict, styles: Styles) -> dict[str, tuple[str, float]]:
    """Each product's bill: its line (quantity × unit price × years billed, a perpetual
    licence billed once), the sum of its lines, and that sum in the report's currency at the
    report's exchange rate. Returns each known total's cell, as another sheet refers to it,
    with its value."""
    costs = report.get("costs") or []
    headings = [
        _("Product and offer"),
        _("Quantity"),
        _("Unit price"),
        _("Years billed"),
        _("Line total"),
        _("Currency"),
        _("Total in %(currency)s") % {"currency": costs[0]["report_currency"]}
        if costs
        else _("Total"),
        _("How it is counted"),
        _("Price checked on"),
    ]
    header_row(sheet, headings, styles)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 6, NARROW_COLUMN)
    sheet.set_column(7, 7, WIDE_COLUMN)
    sheet.set_column(8, 8, NARROW_COLUMN)
    if not costs:
        sheet.write_string(1, 0, _("No cost was estimated."))
        return {}
    rate = report.get("rate") or {}
    row = 1
    if rate.get("usd_per_eur"):
        sheet.write_string(
            row,
            0,
            _("Exchange rate: USD per EUR, on %(day)s") % {"day": iso_in_words(rate["on"])},
            styles.bold,
        )
        sheet.write_number(row, 1, rate["usd_per_eur"], styles.rate)
        if rate.get("source"):
            sheet.write_url(row, 7, rate["source"], styles.link, string=rate["source"])
        row += 2
    rate_cell = cell(1, 1, fixed_row=True, fixed_column=True)
    sheet_name = quote_sheetname(sheet.get_name())
    totals = {}
    for item in costs:
        row, total_cell = write_cost_block(sheet, row, item, styles, rate_cell)
        if item["total_in_report_currency"] is not None:
            totals[item["slug"]] = (f"{sheet_name}!{total_cell}", item["total_in_report_currency"])
        row += 1  # a blank row between products
    return totals


def write_cost_block(sheet, row: int, item: dict, styles: Styles, rate_cell: str):
    """One product's heading, its priced line if any, and its total, from `row` on. Returns
    the row after the block and the cell of the total in the report's currency."""
    heading = item["name"] if item["ranked"] else f"{item['name']} ({_('ruled out')})"
    sheet.write_string(row, 0, heading, styles.bold)
    write_text(sheet, row, 7, item["formula"], styles.wrap)
    line = row + 1
    total_row = line
    priced = item["status"] == CostStatus.PRICED
    if priced:
        years = 1 if item["metric"] == Metric.PER_CORE_PACK_PERPETUAL else item["years"]
        price = styles.money(item["currency"])
        sheet.write_string(line, 0, f"{item['offer']} ({item['metric_label']})", styles.wrap)
        sheet.write_number(line, 1, item["quantity"])
        sheet.write_number(line, 2, item["unit_price"], price)
        sheet.write_number(line, 3, years)
        sheet.write_formula(
            line,
            4,
            f"={cell(line, 1)}*{cell(line, 2)}*{cell(line, 3)}",
            price,
            item["quantity"] * item["unit_price"] * years,
        )
        sheet.write_string(line, 5, item["currency"])
        write_date(sheet, line, 8, item["verified_on"], styles)
        total_row = line + 1
    sheet.write_string(total_row, 0, _("Total"), styles.bold)
    total = item["total_in_report_currency"]
    in_report = styles.money(item["report_currency"], bold=True)
    if priced:
        sheet.write_formula(
            total_row,
            4,
            f"=SUM({xl_range(line, 4, total_row - 1, 4)})",
            styles.money(item["currency"], bold=True),
            item["total"],
        )
        sheet.write_string(total_row, 5, item["currency"])
        converted = converted_formula(
            cell(total_row, 4), item["currency"], item["report_currency"], rate_cell
        )
        sheet.write_formula(total_row, 6, converted, in_report, total)
    elif total is not None:  # free, or covered by licences already held
        sheet.write_number(total_row, 6, total, in_report)
    else:
        sheet.write_string(total_row, 6, item["status_label"], styles.bold)
    return total_row + 1, cell(total_row, 6, fixed_row=True, fixed_column=True)


def converted_formula(amount: str, source: str, target: str, rate_cell: str) -> str:
    """The amount in the report's currency, to the cent, as the engine converts it."""
    if source == target:
        return f"={amount}"
    if (source, target) == ("EUR", "USD"):
        return f"=ROUND({amount}*{rate_cell},2)"
    if (source, target) == ("USD", "EUR"):
        return f"=ROUND({amount}/{rate_cell},2)"
    raise ValueError(f"no rate from {source} to {target}")


def write_sources(sheet, report: dict, styles: Styles) -> None:
    header_row(
        sheet,
        [_("No."), _("Title"), _("Publisher"), _("Kind"), _("Address"), _("Read on")],
        styles,
    )
    for row, source in enumerate(report.get("references", []), start=1):
        sheet.write_number(row, 0, source["n"])
        sheet.write_string(row, 1, source["title"], styles.wrap)
        write_text(sheet, row, 2, source["publisher"], styles.wrap)
        write_text(sheet, row, 3, source["kind_label"], styles.wrap)
        if sheet.write_url(row, 4, source["url"], styles.link, string=source["url"]) < 0:
            sheet.write_string(row, 4, source["url"])  # too long for a link: the text still reads
        write_date(sheet, row, 5, source["read_on"], styles)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, WIDE_COLUMN)
    sheet.set_column(2, 3, 26)
    sheet.set_column(4, 4, WIDE_COLUMN)
    sheet.set_column(5, 5, NARROW_COLUMN)


def write_date(sheet, row: int, column: int, iso: str, styles: Styles) -> None:
    """A report's ISO date as a date cell; anything else as the text it is."""
    try:
        day = datetime.date.fromisoformat(str(iso)[:10])
    except ValueError:
        write_text(sheet, row, column, str(iso or ""))
    else:
        sheet.write_datetime(row, column, day, styles.date)


def cell(row: int, column: int, *, fixed_row: bool = False, fixed_column: bool = False) -> str:
    return xl_rowcol_to_cell(row, column, row_abs=fixed_row, col_abs=fixed_column)


def xl_range(
    first_row: int, first_column: int, last_row: int, last_column: int, *, fixed: bool = False
) -> str:
    first = cell(first_row, first_column, fixed_row=fixed, fixed_column=fixed)
    return f"{first}:{cell(last_row, last_column, fixed_row=fixed, fixed_column=fixed)}"
