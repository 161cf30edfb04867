"""The seeded questionnaire turns answers into the engine's needs as the reference's worked
cases say (questionnaire-effects.md section 4), and the verdicts make sense to an expert."""

import json
from pathlib import Path

import pytest

from compare.assessment.questionnaire import interpret, load_questionnaire
from compare.catalogue.snapshot import snapshot
from compare.engine.scoring import FEATURES, Failure
from compare.reports.services import InvalidAnswers, decide

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ORDER = [
    "virtualization_type",
    "management_interface",
    "management_features",
    "licensing_cost",
    "support_community",
    "performance_footprint",
    "security",
    "networking_storage",
    "ecosystem_integration",
    "hardware_compatibility",
]


def example(name, **changes):
    return {**json.loads((EXAMPLES / f"{name}.json").read_text()), **changes}


@pytest.fixture
def catalogue(reference_data):
    return snapshot()


@pytest.fixture
def questionnaire(reference_data):
    return load_questionnaire()


def decision(name, catalogue, questionnaire, **changes):
    return decide(example(name, **changes), questionnaire=questionnaire, catalogue=catalogue)


@pytest.mark.parametrize(
    ("name", "points", "feature_points"),
    [
        # The four worked cases: VT MI MF LC SC PF SE NS EI HC, and P_F.
        ("assurmer", [2, 4, 5, 5, 4, 2, 3, 2, 1, 2], 5),
        ("windows-shop", [1, 3, 5, 4, 4, 2, 3, 2, 5, 2], 5),
        ("mac-windows", [0, 4, 1, 4, 4, 4, 3, 0, 2, 2], 1),
        ("open-source-hosting", [3, 4, 5, 4, 3, 3, 3, 3, 4, 2], 5),
    ],
)
def test_the_worked_cases_weights(name, points, feature_points, catalogue, questionnaire):
    result = decision(name, catalogue, questionnaire).result
    assert [result.points[key] for key in ORDER] == points
    assert result.points[FEATURES] == feature_points


def test_a_feature_counts_once_and_derived_wants_never_override(catalogue, questionnaire):
    needs = decision("assurmer", catalogue, questionnaire, security="high").interpretation.needs
    units = {unit.key: unit.features for unit in needs.units}
    # Windows guests want vTPM, but the security answer already asks for it.
    assert "guest_os" not in units
    assert units["security"] == ("rbac", "two_factor_auth", "vtpm_secure_boot", "vm_encryption")
    must = {unit.key for unit in needs.units if unit.must}
    assert must == {"live_migration", "high_availability", "builtin_backup", "web_ui"}


def test_a_required_network_gates_vlans_and_bandwidth_but_counts_sdn(catalogue, questionnaire):
    needs = decision("open-source-hosting", catalogue, questionnaire).interpretation.needs
    [network] = [unit for unit in needs.units if unit.key == "advanced_networking"]
    assert network.gates == ("vlan_virtual_switch", "bandwidth_policies")
    assert set(network.features) == {"vlan_virtual_switch", "bandwidth_policies", "sdn"}
    # 20 hosts and 800 VMs want a REST API, once.
    assert [unit.features for unit in needs.units if unit.key == "host_count"] == [("rest_api",)]


def test_weight_bumps_count_once_per_group_and_clip_at_five(catalogue, questionnaire):
    every_must = dict.fromkeys(["live_migration", "high_availability", "snapshots"], "must")
    interpretation = decision(
        "assurmer", catalogue, questionnaire, host_count=20, **every_must
    ).interpretation
    # 4 by default, +1 for 16+ hosts, +1 once for the required operations: 6, clipped to 5.
    assert interpretation.computed_points["management_features"] == 5
    assert interpretation.provenance["management_features"] == [
        ("How many physical hosts?", "16 hosts or more", 1),
        ("Move running virtual machines between hosts (live migration)?", "Required", 1),
    ]


def test_the_users_own_weights_replace_the_answers(catalogue, questionnaire):
    answers = example("assurmer")
    result = decide(
        answers,
        questionnaire=questionnaire,
        catalogue=catalogue,
        adjusted_points={"security": 5, "licensing_cost": 0},
    ).result
    assert (result.points["security"], result.points["licensing_cost"]) == (5, 0)
    assert result.points["management_features"] == 5


def test_warnings_follow_their_conditions(catalogue, questionnaire):
    one_host = decision("assurmer", catalogue, questionnaire, host_count=1).interpretation
    assert sum("at least 2 hosts" in w for w in one_host.warnings) == 1  # said once
    on_a_mac = decision("mac-windows", catalogue, questionnaire, guest_os=["linux"]).interpretation
    assert any("did not tick Windows" in w for w in on_a_mac.warnings)
    assert not any("Windows Server core licences" in w for w in on_a_mac.warnings)


# Sanity of the verdicts, on the real catalogue ------------------------------------------


def test_assurmer_gets_proxmox_first(catalogue, questionnaire):
    result = decision("assurmer", catalogue, questionnaire).result
    assert result.ranking[0].slug == "proxmox-ve"
    esxi = next(e for e in result.eliminated if e.slug == "vmware-esxi")
    assert [(r.kind, r.key) for r in esxi.reasons] == [(Failure.MISSING, "builtin_backup")]


def test_a_windows_shop_with_microsoft_skills_gets_hyper_v_first(catalogue, questionnaire):
    result = decision("windows-shop", catalogue, questionnaire).result
    assert result.ranking[0].slug == "microsoft-hyper-v"
    assert result.most_critical.criterion == "ecosystem_integration"


def test_windows_apps_on_a_mac_eliminate_every_type_1_product(catalogue, questionnaire):
    result = decision("mac-windows", catalogue, questionnaire).result
    type_1 = {c.slug for c in catalogue.candidates if c.hypervisor_type == 1}
    assert type_1 <= {e.slug for e in result.eliminated}
    assert result.ranking[0].slug == "parallels-desktop"


def test_requiring_open_source_eliminates_esxi_and_hyper_v(catalogue, questionnaire):
    result = decision("assurmer", catalogue, questionnaire, licensing="open_source_required").result
    eliminated = {e.slug: e.reasons for e in result.eliminated}
    for slug in ("vmware-esxi", "microsoft-hyper-v"):
        assert Failure.RESTRICTION in {reason.kind for reason in eliminated[slug]}
    assert result.ranking[0].slug == "proxmox-ve"


def test_when_everything_is_eliminated_the_closest_miss_is_named(catalogue, questionnaire):
    result = decision(
        "mac-windows", catalogue, questionnaire, high_availability="must", web_ui="must"
    ).result
    assert result.ranking == ()
    # No Mac product has high availability or a web interface: the closest miss is still a Mac
    # product (a server platform "misses" less but does not run on a Mac at all).
    assert result.closest_miss.slug == "parallels-desktop"
    assert {r.key for r in result.closest_miss.reasons} == {"high_availability", "web_ui"}


def test_the_same_forms_refuse_bad_answers(catalogue, questionnaire):
    with pytest.raises(InvalidAnswers) as error:
        decide(
            example("assurmer", use_case="mainframe", host_count=0, colour="blue"),
            questionnaire=questionnaire,
            catalogue=catalogue,
        )
    assert error.value.errors == [
        "Unknown question “colour”.",
        "Organisation, What will you virtualise?: Select a valid choice. mainframe is not one of "
        "the available choices.",
        "Organisation, How many physical hosts?: Ensure this value is greater than or equal to 1.",
    ]


def test_interpreting_needs_no_database_once_loaded(
    catalogue, questionnaire, django_assert_num_queries
):
    with django_assert_num_queries(0):
        interpret(questionnaire, example("assurmer"), catalogue.default_points)
