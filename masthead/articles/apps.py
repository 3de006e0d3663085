from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "masthead.articles"
    label = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.core import changes

        from .models import ArticlePage, LicenceSettings

        # A story shows in listings and teasers, and its words and names feed the
        # vocabularies; it is not in the navigation.
        changes.register_page_type(ArticlePage, (changes.STORIES, changes.WORDS))
        # The default licence decides the Republish button on story pages.
        # Every story page shows the licence (its Republish link): a site-wide change.
        changes.watch([LicenceSettings], (changes.SITE,), kind="site")
