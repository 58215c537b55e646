"""The administrator's screens say in words what she set that the ERP's imports keep."""

import pytest

from client.i18n import Translator
from client.ui.admin_common import kept_words


@pytest.mark.parametrize(
    ("language", "fields", "said"),
    [
        ("en", [], ""),
        ("en", ["team_code"], "Set here, kept by the ERP's imports: Team"),
        ("en", ["name", "parent_code"], "Set here, kept by the ERP's imports: Name, Belongs to"),
        ("es", ["created"], "Cambiado aquí; las importaciones del ERP lo respetan: creado aquí"),
        ("en", ["email"], "Set here, kept by the ERP's imports: email"),
    ],
)
def test_kept_words(language, fields, said):
    assert kept_words(Translator(language), fields) == said
