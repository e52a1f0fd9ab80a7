import pytest

from crimeoutcomes.data import forces
from crimeoutcomes.errors import DataError


def test_44_police_forces_and_fraud_bodies_are_not_forces():
    assert len(forces.POLICE_FORCES) == 44
    assert sum(f.kind == forces.TERRITORIAL for f in forces.POLICE_FORCES) == 43
    assert forces.resolve("Action Fraud").is_police_force is False
    assert forces.resolve("Financial Fraud Action UK").name == "UK Finance"


@pytest.mark.parametrize("typed", ["Cheshire", "cheshire", "Cheshire Constabulary", "  CHESHIRE police "])
def test_spellings_resolve(typed):
    assert forces.resolve(typed).name == "Cheshire"


def test_home_office_spellings():
    assert forces.resolve("London, City of").name == "City of London"
    assert forces.resolve("Metropolitan Police Service").name == "Metropolitan Police"
    assert forces.resolve("Greater Manchester Police").slug == "greater-manchester"


def test_unknown_force_lists_close_matches():
    with pytest.raises(DataError, match=r"unknown police force 'Cheshyre'\. Close matches: Cheshire"):
        forces.resolve("Cheshyre")
    with pytest.raises(DataError, match=r"'Action Fraud' is a central fraud reporting body, not a police force"):
        forces.resolve("Action Fraud", police_only=True)


@pytest.mark.parametrize("typed", ["the Met", "Met", "the Metropolitan Police", "Hampshire and Isle of Wight"])
def test_names_people_use(typed):
    assert forces.resolve(typed).name in ("Metropolitan Police", "Hampshire")


def test_every_force_has_its_own_name_for_prose():
    assert forces.BY_NAME["Metropolitan Police"].prose == "the Metropolitan Police"
    assert forces.BY_NAME["Cheshire"].prose == "Cheshire Constabulary"
    assert forces.BY_NAME["British Transport Police"].prose == "British Transport Police"
    assert all(f.official for f in forces.POLICE_FORCES)
