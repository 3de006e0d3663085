"""System checks: the editorial checks need their English dictionary."""

from django.core.checks import Warning, register


@register()
def check_dictionary(app_configs, **kwargs):
    """Warn when pyspellchecker's English word list is missing from the installation."""
    try:
        from importlib.resources import files

        resource = files("spellchecker").joinpath("resources/en.json.gz")
        present = resource.is_file()
    except (ImportError, ModuleNotFoundError, OSError):
        present = False
    if present:
        return []
    return [
        Warning(
            "The English dictionary for the spelling check is missing.",
            hint="Install the 'pyspellchecker' package (pip install pyspellchecker).",
            id="editorial.W001",
        )
    ]
