"""End-to-end in Chromium: an account holder transfers JCM units in the browser, is told beside the field what
was wrong, corrects it and lands on the operation's movements (under the Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from setu.jcm.sample import SAMPLE_PASSWORD, build_sample

from .browser import E2E, run_server

pytestmark = E2E


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The JCM sample alone (the JCM pages read no catalog)."""
    tmp = tmp_path_factory.mktemp("jcm-e2e")
    yield from run_server(tmp, tmp, (), fill=lambda register: build_sample(register, register.jcm))


def test_a_holder_transfers_units_after_correcting_the_quantity(open_page):
    page = open_page()
    page.goto("/login?next=/jcm/holdings")
    page.get_by_label("Username").fill("jcm-holder-ind")
    page.get_by_label("Password").fill(SAMPLE_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/jcm/holdings")
    page.get_by_text("Transfer units", exact=True).first.click()
    form = page.get_by_role("form", name="Transfer units")
    form.get_by_label("Project (required)").select_option("ILL-IN001")
    form.get_by_label("Vintage (required)").fill("2026")
    form.get_by_label("Quantity (tCO2e) (required)").fill("999999")
    form.get_by_label("From account (required)").select_option("ILL-IN-ENT-001")
    form.get_by_label("To account (required)").select_option("ILL-JP-ENT-001")
    form.get_by_label("Reason (required)").fill("Sale to the Japanese participant")
    form.get_by_role("button", name="Transfer units").click()
    page.wait_for_url("**/jcm/operations/transfer")
    form = page.get_by_role("form", name="Transfer units")
    assert "the account holds" in form.locator("#e-transfer-quantity").inner_text()
    assert form.get_by_label("Reason (required)").input_value() == "Sale to the Japanese participant"
    form.get_by_label("Quantity (tCO2e) (required)").fill("100")
    form.get_by_role("button", name="Transfer units").click()
    page.wait_for_url("**/jcm/transactions?operation=*")
    assert page.get_by_role("cell", name="Sale to the Japanese participant").count() == 1
