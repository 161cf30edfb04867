import shutil

import pytest
from django.core.management import call_command

from compare.catalogue.reference import REFERENCE_DATA_DIR, ReferenceDataError, load_reference_data
from compare.models import (
    Choice,
    Criterion,
    Effect,
    Feature,
    Hypervisor,
    Question,
    Rating,
    Support,
    SupportLevel,
)

pytestmark = pytest.mark.django_db

SEED_PRODUCTS = ["proxmox-ve", "vmware-esxi", "microsoft-hyper-v"]
CATALOGUE_SLUGS = {
    *SEED_PRODUCTS,
    "xcp-ng",
    "xenserver",
    "nutanix-ahv",
    "openshift-virtualization",
    "harvester",
    "opennebula",
    "incus",
    "kvm-libvirt",
    "virtualbox",
    "vmware-workstation",
    "vmware-fusion",
    "parallels-desktop",
    "utm",
}
REPORT_CRITERIA = [
    "virtualization_type",
    "management_interface",
    "management_features",
    "licensing_cost",
    "support_community",
]


def table_sizes():
    return [model.objects.count() for model in (Criterion, Feature, Hypervisor, Rating, Support)]


def test_loads_the_whole_catalogue(reference_data):
    assert set(Hypervisor.objects.values_list("slug", flat=True)) == CATALOGUE_SLUGS
    assert list(Criterion.objects.values_list("key", flat=True)[:5]) == REPORT_CRITERIA
    assert table_sizes() == [10, 24, 16, 160, 16 * 24]


def test_every_product_is_rated_on_every_criterion_with_sources(reference_data):
    for hypervisor in Hypervisor.objects.prefetch_related("ratings"):
        ratings = list(hypervisor.ratings.all())
        assert len(ratings) == Criterion.objects.count(), hypervisor.slug
        for rating in ratings:
            assert rating.justification.strip(), (hypervisor.slug, rating.criterion_id)
            assert rating.references.exists(), (hypervisor.slug, rating.criterion_id)
            assert rating.verified_on is not None


def test_every_known_support_cell_has_a_source(reference_data):
    unsourced = Support.objects.exclude(level=SupportLevel.UNKNOWN).filter(references=None)
    assert not unsourced.exists()
    assert not Support.objects.filter(level=SupportLevel.UNKNOWN, references__isnull=False).exists()
    assert not Support.objects.filter(verified_on__isnull=True).exists()


def test_the_seed_products_are_complete_and_never_unverified(reference_data):
    """The report's three products: every feature known, every fact sourced and sure enough."""
    for slug in SEED_PRODUCTS:
        supports = Support.objects.filter(hypervisor__slug=slug)
        assert supports.count() == Feature.objects.count(), slug
        assert not supports.filter(level=SupportLevel.UNKNOWN).exists(), slug
        assert not supports.filter(confidence="unsure").exists(), slug
        hypervisor = Hypervisor.objects.get(slug=slug)
        assert hypervisor.summary and hypervisor.description and hypervisor.references.exists()


def test_esxi_is_recorded_as_its_own_vmkernel_not_kvm(reference_data):
    """The seed report calls ESXi KVM-based: the catalogue must not repeat that error."""
    esxi = Hypervisor.objects.get(slug="vmware-esxi")
    virtualization = esxi.ratings.get(criterion__key="virtualization_type")
    assert "VMkernel" in esxi.technology
    assert "VMkernel" in virtualization.justification


def test_loading_twice_creates_nothing_more(reference_data):
    before = table_sizes()
    again = load_reference_data()
    assert table_sizes() == before
    assert sum(again.created.values()) == 0
    assert again.kept["support"] == 16 * 24
    assert sum(again.updated.values()) == sum(again.removed.values()) == 0


def test_loading_again_keeps_the_editors_changes(reference_data):
    rating = Rating.objects.get(hypervisor__slug="proxmox-ve", criterion__key="security")
    rating.score, rating.justification = 3, "Edited by an editor."
    rating.save()
    Hypervisor.objects.get(slug="utm").delete()

    load_reference_data()

    rating.refresh_from_db()
    assert (rating.score, rating.justification) == (3, "Edited by an editor.")
    # A deleted product comes back: the load only ever adds what is missing.
    assert Hypervisor.objects.filter(slug="utm").exists()


def test_every_loaded_row_is_in_the_audit_history(reference_data):
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    [created] = proxmox.history.all()
    assert created.history_type == "+"
    assert created.history_change_reason == "Loaded from the reference data"
    assert Support.history.count() == Support.objects.count()


def test_an_edit_after_the_load_diffs_only_what_the_editor_changed(reference_data):
    rating = Rating.objects.get(hypervisor__slug="proxmox-ve", criterion__key="security")
    loaded = rating.history.get()
    assert set(loaded.references.values_list("source", flat=True)) == set(
        rating.references.values_list("pk", flat=True)
    )
    rating.score = 5
    rating.save()
    assert [change.field for change in rating.history.first().diff_against(loaded).changes] == [
        "score"
    ]


def test_a_bad_file_loads_nothing_and_says_where(db, tmp_path):
    broken = tmp_path / "reference_data"
    shutil.copytree(REFERENCE_DATA_DIR, broken)
    utm = broken / "hypervisors" / "utm.toml"
    utm.write_text(
        utm.read_text().replace("[ratings.security]\nscore = 4", "[ratings.security]\nscore = 14")
    )

    with pytest.raises(
        ReferenceDataError,
        match=r"utm.toml \[ratings.security\]: score: Ensure this value is less than or equal to 10",  # noqa: E501
    ):
        load_reference_data(broken)
    assert table_sizes() == [0, 0, 0, 0, 0]


def test_the_command_reports_what_it_did(db, capsys):
    call_command("load_reference_data")
    call_command("load_reference_data")
    output = capsys.readouterr().out.splitlines()
    assert output[0].startswith("Reference data: loaded (sources: ")
    assert "hypervisors: 16 created;" in output[0]
    assert output[1].startswith("Reference data: up to date, nothing to add (")
    assert "hypervisors: 16 already there;" in output[1]
    # Nothing is said of what has no row to count (the effects are matched, not counted).
    assert " 0 " not in output[1] and "created" not in output[1]


def test_every_reference_text_exists_in_french(reference_data):
    texts = {
        Hypervisor: ["technology", "summary", "description"],
        Criterion: ["name", "description"],
        Feature: ["name", "description"],
        Rating: ["justification"],
        Question: ["text"],
        Choice: ["label"],
    }
    for model, fields in texts.items():
        for field in fields:
            missing = model.objects.filter(**{f"{field}_en__gt": ""}).filter(
                **{f"{field}_fr__isnull": True}
            ) | model.objects.filter(**{f"{field}_en__gt": "", f"{field}_fr": ""})
            assert not missing.exists(), (model.__name__, field, list(missing[:3]))
    assert not Support.objects.filter(note_en__gt="", note_fr="").exists()
    assert not Effect.objects.filter(kind="warn", message_fr="").exists()
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    assert "haute disponibilité" in proxmox.description_fr


def test_loading_again_adds_missing_translations_but_keeps_the_editors(reference_data):
    """A catalogue loaded before the French texts existed gets them, without losing edits."""
    Rating.objects.update(justification_fr="")
    Hypervisor.objects.update(summary_fr=None)
    edited = Rating.objects.get(hypervisor__slug="utm", criterion__key="security")
    edited.justification_fr = "Texte revu par un éditeur."
    edited.save()

    report = load_reference_data()

    assert report.translated["ratings"] == 159
    assert report.translated["hypervisors"] == 16
    edited.refresh_from_db()
    assert edited.justification_fr == "Texte revu par un éditeur."
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    assert proxmox.summary_fr and proxmox.summary_fr != proxmox.summary_en
    assert proxmox.history.first().history_change_reason == (
        "Translation added from the reference data"
    )


def test_warnings_loaded_earlier_get_their_translation(reference_data):
    """Untouched warnings follow the files; an editor's warning keeps its English and only
    gets the French it lacks."""
    edited = Effect.objects.filter(kind="warn", choice__key="macos").first()
    edited.message_en = "macOS guests need Apple hardware (edited)."
    edited.save()  # an editor's change: its choice's effects are the editors' now
    Effect.objects.filter(kind="warn").update(message_fr="")

    report = load_reference_data()

    assert report.translated["effects"] == 1
    assert report.updated["effects"] > 0
    assert not Effect.objects.filter(kind="warn", message_fr="").exists()
    edited.refresh_from_db()
    assert edited.message_en == "macOS guests need Apple hardware (edited)."


def test_untouched_rows_follow_the_files_and_edited_rows_stay_the_editors(reference_data):
    """A catalogue loaded from older files: a fact no editor touched is corrected, a removed
    questionnaire band goes, an editor's change stays."""
    untouched = Support.objects.get(
        hypervisor__slug="vmware-esxi", feature__key="bandwidth_policies"
    )
    edited = Support.objects.get(hypervisor__slug="harvester", feature__key="sdn")
    Support.objects.filter(pk__in=[untouched.pk, edited.pk]).update(level="paid")  # old files
    edited.refresh_from_db()
    edited.note_en = "An editor's caveat."
    edited.save()
    two_to_three = Choice.objects.create(
        question=Question.objects.get(key="host_count"),
        key="two_to_three",
        label="2 to 3 hosts",
        min_value=2,
        max_value=3,
    )
    Choice.history.filter(id=two_to_three.pk).update(
        history_change_reason="Loaded from the reference data"
    )

    report = load_reference_data()

    untouched.refresh_from_db()
    edited.refresh_from_db()
    assert untouched.level == "partial"  # the corrected fact
    assert untouched.history.first().history_change_reason == "Updated from the reference data"
    assert (edited.level, edited.note_en) == ("paid", "An editor's caveat.")
    assert not Choice.objects.filter(key="two_to_three").exists()
    assert report.updated["support"] == 1 and report.removed["choices"] == 1


def test_the_french_reference_texts_keep_their_punctuation_with_non_breaking_spaces():
    """French typography in the shipped data too: no line may start with ? : ; ! or »."""
    import csv
    import re
    import tomllib

    loose = re.compile(r"( [:;!?»%]|« )")

    def french(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                yield from french(item, name)
        elif isinstance(value, list):
            for item in value:
                yield from french(item, key)
        elif isinstance(value, str) and key.endswith("_fr"):
            yield value

    texts = [
        text
        for path in sorted(REFERENCE_DATA_DIR.rglob("*.toml"))
        for text in french(tomllib.loads(path.read_text(encoding="utf-8")))
    ]
    with (REFERENCE_DATA_DIR / "support.csv").open(encoding="utf-8") as rows:
        texts += [row["caveat_fr"] for row in csv.DictReader(rows)]
    assert len(texts) > 500
    assert [text for text in texts if loose.search(re.sub(r"https?://\\S+", "", text))] == []
