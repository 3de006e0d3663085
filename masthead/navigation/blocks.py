"""Blocks of the menus and social accounts editors arrange in the admin."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class MenuLinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address elsewhere."""

    label = blocks.CharBlock(
        max_length=60, required=False, help_text=_("Leave empty to use the page's title.")
    )
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text=_("Only for a link outside the site."))

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise ValidationError(_("Choose a page or give an address, not both."))
        if value.get("url") and not value.get("label"):
            raise ValidationError(_("A link to an address outside the site needs a label."))
        return value


class SocialAccountBlock(blocks.StructBlock):
    """One of the publication's accounts elsewhere (schema.org ``sameAs``)."""

    network = blocks.CharBlock(max_length=40, help_text=_("For example Mastodon or Bluesky."))
    url = blocks.URLBlock(help_text=_("The account's address."))

    class Meta:
        icon = "site"
        label = _("Social account")
