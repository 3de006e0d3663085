"""Check and normalise a reader's e-mail address before anything is sent or stored."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_LENGTH = 254  # RFC 5321 path limit


class AddressError(ValueError):
    """An address that cannot be used; the message is safe to show to the reader."""


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if char.isalpha() else ""


def _mixes_scripts(label: str) -> bool:
    """Return whether a domain label mixes alphabets ('pаypal' with a Cyrillic 'а')."""
    scripts = {_script(c) for c in label if c.isalpha()}
    return len(scripts) > 1


def normalise(raw: str) -> str:
    """Return the address in the one form it is stored and compared in, or raise.

    The whole address is lower-cased (mailboxes that differ only in case are one reader
    in practice), the domain is stored in its ASCII (IDNA) form, and control characters,
    a second ``@``, look-alike letters from another alphabet inside one domain label, and
    non-ASCII mailbox names are refused.
    """
    if not isinstance(raw, str):
        raise AddressError(_("Enter an e-mail address."))
    if len(raw) > MAX_LENGTH * 2:
        raise AddressError(_("That e-mail address is too long."))
    address = unicodedata.normalize("NFKC", raw).strip()
    if not address:
        raise AddressError(_("Enter an e-mail address."))
    if any(unicodedata.category(c).startswith(("C", "Z")) for c in address):
        raise AddressError(_("An e-mail address cannot contain spaces or line breaks."))
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise AddressError(_("Enter a complete e-mail address, like name@example.org."))
    if not local.isascii():
        raise AddressError(_("Use an e-mail address with plain letters before the @."))
    labels = domain.lower().rstrip(".").split(".")
    if any(_mixes_scripts(label) for label in labels):
        raise AddressError(_("That address mixes letters of different alphabets."))
    try:
        ascii_domain = ".".join(label.encode("idna").decode("ascii") for label in labels)
    except UnicodeError:
        raise AddressError(_("That e-mail address has an invalid domain.")) from None
    address = f"{local.lower()}@{ascii_domain}"
    if len(address) > MAX_LENGTH:
        raise AddressError(_("That e-mail address is too long."))
    try:
        validate_email(address)
    except ValidationError:
        raise AddressError(_("Enter a valid e-mail address, like name@example.org.")) from None
    return address
