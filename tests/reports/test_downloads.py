"""A saved recommendation downloads as a workbook with live formulas and as a CSV ranking."""

import datetime
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from compare.models import Criterion, Feature, Recommendation
from compare.reports.services import recommendation_create
from compare.reports.spreadsheet import inert
from compare.reports.wording import date_in_words
from tests.factories import add_products

pytestmark = pytest.mark.django_db

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)
ENGLISH_SHEETS = ["Summary", "Ranking", "Criteria", "Features", "Costs", "Sources"]
FRENCH_SHEETS = ["Résumé", "Classement", "Critères", "Fonctionnalités", "Coûts", "Sources"]


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=ASSURMER)


class Workbook:
    """A downloaded workbook: its cached values (read by calamine) and its formulas (read from
    the sheets' XML), with a small evaluator of the formulas it writes, so a test can change
    an input and recompute as a spreadsheet program would."""

    CELL = re.compile(r"(?:([\w']+)!)?\$?([A-Z]+)\$?(\d+)(?![\w'])")
    SUM = re.compile(r"SUM\(\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)\)")

    def __init__(self, content: bytes):
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        self.names = book.sheet_names
        self.rows = {name: book.get_sheet_by_name(name).to_python() for name in self.names}
        self.formulas = {}
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for index, name in enumerate(self.names, start=1):  # XlsxWriter's sheetN order
                xml = archive.read(f"xl/worksheets/sheet{index}.xml").decode()
                self.formulas[name] = {
                    ref: html.unescape(formula)
                    for ref, formula in re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>([^<]*)</f>', xml)
                }
        self.changed = {}

    def cached(self, sheet: str, ref: str):
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        index = 0
        for letter in column:
            index = index * 26 + ord(letter) - 64
        rows = self.rows[sheet]
        line = rows[int(row) - 1] if int(row) <= len(rows) else []
        return line[index - 1] if index <= len(line) else ""

    def find(self, sheet: str, text: str) -> int:
        """The 1-based row whose first cell is `text`."""
        return next(n for n, row in enumerate(self.rows[sheet], start=1) if row[0] == text)

    def set(self, sheet: str, ref: str, value) -> None:
        self.changed[sheet, ref] = value

    def value(self, sheet: str, ref: str):
        if (sheet, ref) in self.changed:
            return self.changed[sheet, ref]
        if ref in self.formulas[sheet]:
            return self.evaluate(sheet, self.formulas[sheet][ref])
        return self.cached(sheet, ref)

    def evaluate(self, sheet: str, formula: str):
        def total(first_column, first_row, last_column, last_row):
            assert first_column == last_column, "the workbook sums columns"
            return sum(
                self.value(sheet, f"{first_column}{row}") or 0
                for row in range(int(first_row), int(last_row) + 1)
            )

        expression = self.SUM.sub(lambda m: f"total{m.groups()!r}", formula)
        expression = self.CELL.sub(
            lambda m: f"value({(m[1] or sheet).strip(chr(39))!r}, '{m[2]}{m[3]}')", expression
        )
        expression = expression.replace("ROUND(", "round(")
        return eval(expression, {"value": self.value, "total": total, "round": round})


def download(client, recommendation, kind, **params):
    return client.get(reverse(f"share:{kind}", args=[recommendation.token]), params)


def test_the_workbook_has_six_sheets_with_the_reports_figures(client, saved):
    response = download(client, saved, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = Workbook(response.content)
    assert book.names == ENGLISH_SHEETS

    summary = {row[0]: row[1] for row in book.rows["Summary"]}
    assert summary["Company or project"] == "Assurmer"
    assert summary["Recommended"] == "Proxmox VE"
    assert summary["Its score (out of 100)"] == saved.result["ranking"][0]["score"]
    assert summary["Runner-up"] == saved.result["ranking"][1]["name"]
    assert summary["Page"] == f"http://testserver/r/{saved.token}/"
    assert summary["Engine version"] == "2.0"

    ranking = book.rows["Ranking"]
    assert ranking[0][:4] == ["Place", "Product", "Vendor", "Score (out of 100)"]
    assert ranking[0][5] == "Cost over 3 years (USD)"
    assert ranking[1][:3] == [1, "Proxmox VE", "Proxmox Server Solutions GmbH"]
    # 3 hosts of 2 sockets, Proxmox VE Basic at EUR 370 a socket a year, for 3 years:
    # EUR 6,660, at 1.1814 USD per EUR: USD 7,868.12.
    assert ranking[1][5] == 7868.12
    hyper_v = next(row for row in ranking if row[1] == "Microsoft Hyper-V")
    assert hyper_v[6] == "Built-in backups"  # met only partly
    ruled_out = next(row for row in ranking if row[1] == "VMware ESXi")
    assert ruled_out[0] == "ruled out"
    assert "no built-in backups" in ruled_out[8]

    features = book.rows["Features"]
    backups = features[book.find("Features", "Built-in backups") - 1]
    assert backups[1] == "required"
    assert backups[features[0].index("Microsoft Hyper-V")] == (
        "Partly — requirement met only partly"
    )

    sources = book.rows["Sources"]
    assert sources[0] == ["No.", "Title", "Publisher", "Kind", "Address", "Read on"]
    first = saved.result["references"][0]
    assert sources[1][:5] == [
        1,
        first["title"],
        first["publisher"],
        first["kind_label"],
        first["url"],
    ]
    assert sources[1][5] == datetime.date.fromisoformat(first["read_on"])
    assert len(sources) == 1 + len(saved.result["references"])


def test_an_edited_quantity_recomputes_the_cost_in_every_sheet(client, saved):
    book = Workbook(download(client, saved, "xlsx").content)
    line = book.find("Costs", "Proxmox VE") + 1
    total = line + 1
    assert book.rows["Costs"][line - 1][1:6] == [6, 370, 3, 6660, "EUR"]
    assert book.formulas["Costs"][f"E{line}"] == f"B{line}*C{line}*D{line}"
    assert book.formulas["Costs"][f"E{total}"] == f"SUM(E{line}:E{line})"
    assert book.formulas["Ranking"]["F2"] == f"Costs!$G${total}"
    # As written, the formulas give back the figures the file carries.
    assert book.value("Costs", f"G{total}") == book.cached("Costs", f"G{total}") == 7868.12

    book.set("Costs", f"B{line}", 8)  # two more sockets
    assert book.value("Costs", f"E{line}") == 8 * 370 * 3 == 8880
    assert book.value("Costs", f"E{total}") == 8880
    assert book.value("Costs", f"G{total}") == 10490.83  # 8,880 x 1.1814 = 10,490.832
    assert book.value("Ranking", "F2") == 10490.83

    # Windows Server Standard is a perpetual licence: billed once, whatever the horizon.
    hyper_v = book.find("Costs", "Microsoft Hyper-V") + 1
    assert book.rows["Costs"][hyper_v - 1][1:6] == [6, 1176, 1, 7056, "USD"]


def test_the_criteria_sheet_rebuilds_each_score_from_weights_and_ratings(client, saved):
    book = Workbook(download(client, saved, "xlsx").content)
    rows = book.rows["Criteria"]
    assert rows[0][:5] == [
        "Criterion",
        "Importance (0–5 points)",
        "Weight",
        "Proxmox VE: rating (0–10)",
        "Proxmox VE: score points",
    ]
    licensing = book.find("Criteria", "Licence model and cost")
    assert rows[licensing - 1][1] == 5
    importances = sum(row[1] for row in rows[1 : len(saved.result["criteria"]) + 1])
    assert importances == 35
    # 5 points of 35, and Proxmox VE's 9.5 for licensing: 9.5 x 5/35 x 10 = 13.57 points.
    assert book.value("Criteria", f"C{licensing}") == pytest.approx(5 / 35)
    assert book.value("Criteria", f"E{licensing}") == pytest.approx(9.5 * 5 / 35 * 10)
    score_row = book.find("Criteria", "Score (out of 100)")
    assert book.value("Criteria", f"E{score_row}") == pytest.approx(83.0, abs=0.05)
    assert book.cached("Criteria", f"E{score_row}") == 83.0

    # Raising licensing to 10 points of 40 moves every weight, and Proxmox VE's score.
    book.set("Criteria", f"B{licensing}", 10)
    assert book.value("Criteria", f"C{licensing}") == pytest.approx(10 / 40)
    assert book.value("Criteria", f"E{score_row}") > 83.0


def test_texts_that_look_like_formulas_stay_texts(client, reference_data):
    saved = recommendation_create(answers={**ASSURMER, "company_name": '=HYPERLINK("x")'})
    book = Workbook(download(client, saved, "xlsx").content)
    assert book.formulas["Summary"] == {}
    assert book.rows["Summary"][0][1] == '=HYPERLINK("x")'
    assert inert("=1+1") == "'=1+1"
    assert inert("-5 %") == "'-5 %"
    assert inert("Proxmox VE") == "Proxmox VE"


def test_the_csv_ranking_opens_in_excel_with_its_accents(client, saved):
    response = download(client, saved, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Place,Product,Vendor,Score (out of 100),Cost score (out of 10),"
        "Cost over 3 years (USD),Requirements met only partly,"
        "Requirements to verify with the vendor,Notes"
    )
    assert lines[1] == "1,Proxmox VE,Proxmox Server Solutions GmbH,83.0,10.0,7868.12,,,"
    assert any(
        line.startswith("4,Nutanix AHV,Nutanix,") and "price on request" in line for line in lines
    )


def test_french_downloads_speak_french(client, saved):
    book = Workbook(download(client, saved, "xlsx", lang="fr").content)
    assert book.names == FRENCH_SHEETS
    assert book.rows["Classement"][0][:3] == ["Rang", "Produit", "Éditeur"]
    assert book.rows["Coûts"][0][6] == "Total en EUR"
    summary = {row[0]: row[1] for row in book.rows["Résumé"]}
    assert summary["Entreprise ou projet"] == "Assurmer"
    assert summary["Page"] == f"http://testserver/r/{saved.token}/?lang=fr"
    # The French report is in euros: EUR 6,660 for Proxmox VE, with no conversion.
    assert book.rows["Classement"][1][5] == 6660

    text = download(client, saved, "csv", lang="fr").content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Rang;Produit;Éditeur;Score (sur 100);")
    assert "(EUR)" in header
    assert first == "1;Proxmox VE;Proxmox Server Solutions GmbH;83,0;10,0;6660,00;;;"


def test_a_language_it_was_not_written_in_gives_its_own(client, saved):
    book = Workbook(download(client, saved, "xlsx", lang="de").content)
    assert book.names == ENGLISH_SHEETS


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_downloads_are_attachments_named_after_the_company_and_day(client, saved, kind):
    response = download(client, saved, kind)
    day = timezone.localdate(saved.created_at).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="hvselect-assurmer-{day}.{kind}"'
    )
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_file_names_and_dates_in_words():
    made = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)  # Dec 2 in Paris

    def named(company, extension):
        return Recommendation(company_name=company, created_at=made).download_name(extension)

    assert named("Société Générale & Fils", "xlsx") == (
        "hvselect-societe-generale-fils-2026-12-02.xlsx"
    )
    assert named("", "csv") == "hvselect-recommendation-2026-12-02.csv"
    assert named("株式会社", "pdf") == "hvselect-recommendation-2026-12-02.pdf"
    with translation.override("fr"):
        assert date_in_words(datetime.date(2026, 12, 1)) == "1er décembre 2026"
        assert date_in_words(datetime.date(2026, 12, 2)) == "2 décembre 2026"
    with translation.override("en"):
        assert date_in_words(datetime.date(2026, 12, 1)) == "1 December 2026"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_revoked_recommendation_downloads_nothing_even_once_cached(client, saved, kind):
    assert download(client, saved, kind).status_code == 200
    Recommendation.objects.filter(pk=saved.pk).revoke()
    assert download(client, saved, kind).status_code == 404
    unknown = client.get(f"/r/{'Z' * 32}.{kind}")
    assert unknown.status_code == 404


def first_release(report: dict) -> dict:
    """The report as the first release saved it: no costs, sources, flags or shortfalls."""
    kept = {k: v for k, v in report.items() if k not in ("costs", "references", "rate")}
    kept["ranking"] = [
        {
            k: v
            for k, v in item.items()
            if k not in ("cost_score", "partly_met", "to_verify", "flags")
        }
        for item in report["ranking"]
    ]
    return kept


def test_one_saved_by_the_first_release_downloads_too(client, saved):
    old = Recommendation.objects.create(
        language="en",
        company_name="Assurmer",
        answers=saved.answers,
        weights=saved.weights,
        result=first_release(saved.result),
        engine_version="1.0",
        catalogue_version=saved.catalogue_version,
    )
    book = Workbook(download(client, old, "xlsx").content)
    assert book.rows["Ranking"][1][:4] == [1, "Proxmox VE", "Proxmox Server Solutions GmbH", 83.0]
    assert book.rows["Costs"][1][0] == "No cost was estimated."
    assert book.rows["Sources"] == [["No.", "Title", "Publisher", "Kind", "Address", "Read on"]]
    lines = download(client, old, "csv").content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[5] == "Cost"
    assert lines[1] == "1,Proxmox VE,Proxmox Server Solutions GmbH,83.0,,,,,"


def test_when_every_product_is_ruled_out_the_workbook_says_so(client, reference_data):
    saved = recommendation_create(answers={**ASSURMER, "guest_os": ["windows", "macos"]})
    assert saved.result["ranking"] == []  # nothing runs both on these dedicated servers
    book = Workbook(download(client, saved, "xlsx").content)
    summary = {row[0]: row[1] for row in book.rows["Summary"]}
    assert summary["Recommended"] == "No product meets every need"
    assert summary["Runner-up"] == "—"
    assert {row[0] for row in book.rows["Ranking"][1:]} == {"ruled out"}


@pytest.fixture(params=[16, 100], ids=lambda size: f"{size}-hypervisors")
def sized(request, reference_data):
    """A recommendation over the shipped catalogue, grown to `param` products."""
    extra = request.param - 16
    add_products(extra, list(Criterion.objects.all()), list(Feature.objects.all()))
    saved = recommendation_create(answers=ASSURMER)
    assert len(saved.result["costs"]) == request.param
    return saved


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_downloads_run_a_fixed_number_of_queries(client, sized, kind, django_assert_num_queries):
    # The recommendation, the cached file; when it is not cached yet, storing it (the
    # database cache's count, lookup and insert, in a savepoint). A link that exists reads
    # no rate-limit counter: only misses count.
    with django_assert_num_queries(7):
        assert download(client, sized, kind).status_code == 200
    with django_assert_num_queries(2):
        assert download(client, sized, kind).status_code == 200
