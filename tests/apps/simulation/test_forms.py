from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from anvis.simulation import forms as sim_forms
from anvis.simulation.forms import RunForm
from anvis.simulation.scenarios import field_for_parameter
from anvis_core.simulation import ScenarioError

from .conftest import TODAY

pytestmark = pytest.mark.django_db

VALID = {
    "source": "database",
    "regime": "agreement",
    "use_steps": "on",
    "matching_mode": "online",
    "batch_days": "7",
    "years": "1",
    "replications": "2",
    "seed": "1",
}


def _errors(data: dict[str, Any]) -> dict[str, list[str]]:
    with translation.override("da"):
        form = RunForm({**VALID, **data}, today=TODAY)
        form.is_valid()
        return {k: [str(e) for e in v] for k, v in form.errors.items()}


def test_valid_parameters(agreement: Any, waiting: Any) -> None:
    form = RunForm({**VALID, "share_percent": "50", "acceptance_probability": "0.9"}, today=TODAY)
    assert form.is_valid(), form.errors
    params = form.parameters()
    assert params["share_percent"] == "50"
    assert params["acceptance_probability"] == "0.9"
    assert params["replications"] == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"share_percent": "120"}, "share_percent", "Andelen skal være mellem 0 og 100 %."),
        ({"share_percent": "-1"}, "share_percent", "Andelen skal være mellem 0 og 100 %."),
        (
            {"acceptance_probability": "1.5"},
            "acceptance_probability",
            "En sandsynlighed skal være mellem 0 og 1.",
        ),
        (
            {"access_probability": "-0.1"},
            "access_probability",
            "En sandsynlighed skal være mellem 0 og 1.",
        ),
        ({"arrivals_per_year": "-5"}, "arrivals_per_year", "Tilgangen må ikke være negativ."),
        # an extra zero or two would have the task worker draw tens of millions of citizens
        (
            {"arrivals_per_year": "4.400.000"},
            "arrivals_per_year",
            "Tilgangen kan højst være 100.000 nye hjemløse om året.",
        ),
        ({"rent_ceiling": "-1"}, "rent_ceiling", "Huslejeloftet må ikke være negativt."),
        (
            {"stairwell_cap": "-1"},
            "stairwell_cap",
            "Et loft må ikke være negativt (0 betyder intet loft).",
        ),
        (
            {"replications": "1"},
            "replications",
            "Der skal mindst 2 gentagelser til for at beregne konfidensintervaller.",
        ),
        ({"years": "0"}, "years", "Simulér mindst 1 år."),
        ({"batch_days": "0"}, "batch_days", "Intervallet skal være mindst 1 dag."),
        ({"rent_ceiling": "5,5"}, "rent_ceiling", "Indtast et heltal."),
        (
            {"rent_ceiling": "150.000"},
            "rent_ceiling",
            "Huslejeloftet kan højst være 100000 kr. om måneden.",
        ),
        ({"response_days": "1.000"}, "response_days", "Svartiden må højst være 365 dage."),
        ({"response_days": "-1"}, "response_days", "Svartiden må ikke være negativ."),
        ({"years": "1.000"}, "years", "Simulér højst 30 år."),
    ],
)
def test_bad_parameters_give_danish_errors(
    agreement: Any, data: dict[str, Any], field: str, message: str
) -> None:
    assert _errors(data).get(field) == [message]


@pytest.mark.parametrize(
    ("data", "cleaned"),
    [
        ({"rent_ceiling": "5.000"}, {"rent_ceiling": 5000}),
        ({"rent_ceiling": "4.500"}, {"rent_ceiling": 4500}),
        ({"rent_ceiling": "4500"}, {"rent_ceiling": 4500}),
        ({"rent_ceiling": "5.000,00"}, {"rent_ceiling": 5000}),
        ({"response_days": "14"}, {"response_days": 14}),
        ({"share_percent": "27,5"}, {"share_percent": "27.5"}),
        ({"acceptance_probability": "0,8"}, {"acceptance_probability": "0.8"}),
        ({"acceptance_probability": "0.8"}, {"acceptance_probability": "0.8"}),
        ({"arrivals_per_year": "1.234,5"}, {"arrivals_per_year": "1234.5"}),
    ],
)
def test_danish_numbers_are_read_as_danes_write_them(
    agreement: Any, waiting: Any, data: dict[str, Any], cleaned: dict[str, Any]
) -> None:
    with translation.override("da"):
        form = RunForm({**VALID, **data}, today=TODAY)
        assert form.is_valid(), form.errors
        params = form.parameters()
    assert {k: params[k] for k in cleaned} == cleaned


@pytest.mark.parametrize(
    "parameter", ["regime.rent_ceiling_basis", "regime.rent_ceiling_comparison"]
)
def test_ceiling_terms_errors_are_danish(agreement: Any, monkeypatch: Any, parameter: str) -> None:
    def fail(parameters: dict[str, Any], *, today: Any) -> Any:
        raise ScenarioError(parameter, "must be 'net' or 'gross'")

    monkeypatch.setattr(sim_forms, "build_scenario", fail)
    (message,) = _errors({})["__all__"]
    assert message.startswith("Aftalens huslejeloft skal ")


def test_scenario_error_is_put_on_the_form_field(agreement: Any, monkeypatch: Any) -> None:
    def fail(parameters: dict[str, Any], *, today: Any) -> Any:
        raise ScenarioError("groups[2].arrivals_per_year", "must be a finite number ≥ 0")

    monkeypatch.setattr(sim_forms, "build_scenario", fail)
    assert _errors({}) == {"arrivals_per_year": ["Simulatoren kan ikke bruge denne værdi."]}


def test_unmapped_scenario_error_is_a_form_error(agreement: Any, monkeypatch: Any) -> None:
    def fail(parameters: dict[str, Any], *, today: Any) -> Any:
        raise ScenarioError("stock.types[0].turnover_per_year", "must be ≥ 0")

    monkeypatch.setattr(sim_forms, "build_scenario", fail)
    assert _errors({}) == {
        "__all__": ["Scenariet kan ikke simuleres (parameter stock.types[0].turnover_per_year)."]
    }


def test_empty_stock_is_reported(db: Any) -> None:
    # No dwellings at all: the form says so in Danish.
    assert _errors({}) == {"__all__": ["Der er ingen boliger i databasen at simulere."]}


@pytest.mark.parametrize(
    ("parameter", "field"),
    [
        ("regime.share_percent", "share_percent"),
        ("matching.acceptance_probability", "acceptance_probability"),
        ("regime.stairwell_cap", "stairwell_cap"),
        ("horizon_years", "years"),
        ("groups[0].arrivals_per_year", "arrivals_per_year"),
        ("stock.dwellings", None),
    ],
)
def test_parameter_to_field(parameter: str, field: str | None) -> None:
    assert field_for_parameter(parameter) == field
