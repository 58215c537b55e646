"""The company profile a seller's tablet received from the server, in Settings.

The demo server holds the demo company imported from its `company.csv` and logo. A seller
signs in on a fresh tablet; the first sync brings the profile, and Settings shows the company's
name, legal name and tax id, address, currency and bank (and its logo), with no word of it
in the app bundle.
"""

from sync_server.importer.demo import DEMO_PASSWORD
from tests.browser.helpers import navigate, open_signed_in, shot, wait_text
from tests.browser.test_seller_day import _customers_of


def test_settings_shows_the_company_profile_the_first_sync_brought(page, app_url, demo_export):
    open_signed_in(page, app_url, sorted(_customers_of(demo_export))[0], DEMO_PASSWORD)
    navigate(page, "Settings")
    wait_text(page, "settings-title", "Settings")
    wait_text(page, "company-name", "Suministros Terreno")
    shot(page, "settings-company-profile")
    wait_text(page, "company-legal", "Suministros Terreno S.L. · B86543210")
    wait_text(page, "company-address", "Calle de la Industria 14, 28923 Alcorcón (Madrid)")
    wait_text(page, "company-currency", "EUR · ES")
    wait_text(page, "company-bank", "Banco Ejemplo · ES91 2100 0418 4502 0005 1332")
