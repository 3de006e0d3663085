"""The publication's identity and menus: Wagtail site settings, one of each per site."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from .blocks import MenuLinkBlock, SocialAccountBlock
from .svg_icon import validate_svg_icon


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who publishes the site, as the masthead, the footer, feeds and JSON-LD say it.

    Empty fields fall back to the environment (``MASTHEAD_SITE_NAME``) and defaults, so
    nothing a site configured before this setting existed is lost.
    """

    name = models.CharField(
        max_length=120, blank=True, help_text=_("The publication's name, as in the masthead.")
    )
    tagline = models.CharField(
        max_length=200, blank=True, help_text=_("A short line shown under the name.")
    )
    description = models.TextField(
        blank=True,
        max_length=1000,
        help_text=_("One or two sentences about the newsroom, for search engines and feeds."),
    )
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square PNG or JPEG of at least 512 pixels, shown to search engines."),
    )
    favicon = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The small picture in a browser's tab and on a phone's home screen: a square PNG "
            "of at least 180 pixels (JPEG and WebP work too). Empty: Masthead's own. With an "
            "SVG favicon too, this one is for phones and browsers that cannot show SVG."
        ),
    )
    favicon_svg = models.FileField(
        _("favicon (SVG)"),
        upload_to="identity/",
        blank=True,
        validators=[FileExtensionValidator(["svg"]), validate_svg_icon],
        help_text=_(
            "Optional: the same icon as an SVG drawing, sharp at every size. Only drawing is "
            "allowed: a file with script, event handlers, links or references to other files "
            "is refused. Browsers that show SVG icons use it; the picture above stays for "
            "phones' home screens and the others."
        ),
    )
    contact_email = models.EmailField(blank=True, help_text=_("Where readers write to."))
    contact_address = models.TextField(
        blank=True, max_length=500, help_text=_("Postal address, shown in the footer.")
    )
    footer_text = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("A line at the foot of every page. Default: Independent journalism."),
    )
    social_accounts = StreamField(
        [("account", SocialAccountBlock())], blank=True, use_json_field=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("description")],
            heading=_("Publication"),
        ),
        FieldPanel("logo"),
        FieldPanel("favicon"),
        FieldPanel("favicon_svg"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_address")], heading=_("Contact")
        ),
        FieldPanel("footer_text"),
        FieldPanel("social_accounts"),
    ]

    class Meta:
        verbose_name = _("site identity")

    def __str__(self) -> str:
        return self.name or str(self.site)


@register_setting(icon="list-ul")
class Menus(BaseSiteSetting):
    """The header and footer menus, in the order editors arrange them."""

    header = StreamField(
        [("link", MenuLinkBlock())],
        blank=True,
        use_json_field=True,
        help_text=_("Links across the top of every page. Empty: the site's sections."),
    )
    footer = StreamField(
        [("link", MenuLinkBlock())],
        blank=True,
        use_json_field=True,
        help_text=_("Links at the foot of every page. Empty: the About and policy pages."),
    )

    panels = [FieldPanel("header"), FieldPanel("footer")]

    class Meta:
        verbose_name = _("menus")

    def __str__(self) -> str:
        return str(self.site)
