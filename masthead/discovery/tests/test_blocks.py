import datetime as dt

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from masthead.discovery import counter
from masthead.discovery.models import Pick, PickList
from masthead.discovery.services import blocks_for


def test_curated_picks_come_first_in_order_and_in_their_window(newsroom):
    s = newsroom.stories
    now = timezone.now()
    site = PickList.objects.create()
    news = PickList.objects.create(section=newsroom.news)
    Pick.objects.create(pick_list=news, article=s[2], sort_order=0)
    Pick.objects.create(pick_list=site, article=s[5], sort_order=0)
    Pick.objects.create(pick_list=site, article=s[3], sort_order=1)
    Pick.objects.create(
        pick_list=site, article=s[6], sort_order=2, ends_at=now - dt.timedelta(hours=1)
    )
    Pick.objects.create(
        pick_list=site, article=s[7], sort_order=3, starts_at=now + dt.timedelta(hours=1)
    )
    s[1].unpublish()
    Pick.objects.create(pick_list=site, article=s[1], sort_order=4)

    home = blocks_for(newsroom.home).editors_choice
    assert [x.pk for x in home[:2]] == [s[5].pk, s[3].pk]
    assert not {s[6].pk, s[7].pk, s[1].pk} & {x.pk for x in home}
    assert all(x.editors_choice for x in home)  # the card shows the badge

    story_in_news = blocks_for(s[0]).editors_choice
    assert [x.pk for x in story_in_news[:3]] == [s[2].pk, s[5].pk, s[3].pk]


def test_no_story_appears_twice_on_any_page(client, newsroom):
    cache.clear()
    s = newsroom.stories
    site = PickList.objects.create()
    Pick.objects.create(pick_list=site, article=s[1], sort_order=0)
    counter.record_view(s[1].pk, "192.0.2.1", "Mozilla/5.0")
    counter.record_view(s[2].pk, "192.0.2.1", "Mozilla/5.0")
    for page, exclude in [(newsroom.home, [s[0]]), (newsroom.news, []), (s[0], []), (s[3], [])]:
        blocks = blocks_for(page, exclude=[x.pk for x in exclude])
        shown = [x.pk for x in blocks.editors_choice + blocks.related + blocks.popular]
        shown += [x.pk for x in exclude] + [page.pk]
        assert len(shown) == len(set(shown)), page
        assert blocks.editors_choice and blocks.popular
        assert blocks.editors_choice[0].pk == s[1].pk or page.pk == s[1].pk
    for page in (newsroom.home, newsroom.news, s[0]):
        assert client.get(page.url).status_code == 200


def test_only_editors_and_administrators_can_change_picks(client, newsroom, django_user_model):
    for name in ("Editors", "Administrators"):
        perms = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_picklist", "change_picklist", "delete_picklist"} <= perms
    contributor = django_user_model.objects.create_user("contrib", password="x")
    contributor.groups.add(Group.objects.get(name="Contributors"))
    client.force_login(contributor)
    add_url = reverse("wagtailsnippets_discovery_picklist:add")
    assert client.get(add_url).status_code in (302, 403)
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(add_url).status_code == 200


def test_editors_see_views_over_time_as_a_chart(client, newsroom, admin_user):
    story = newsroom.stories[0]
    counter.record_view(story.pk, "192.0.2.1", "Mozilla/5.0")
    client.force_login(admin_user)
    response = client.get(reverse("discovery_story_views", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<rect" in html
    assert f"{timezone.localdate().isoformat()}: 1" in html
    assert (
        client.get(reverse("discovery_story_views", args=[story.pk]) + "?days=x").status_code == 200
    )
    explorer = client.get(reverse("wagtailadmin_explore", args=[newsroom.news.pk]))
    assert explorer.status_code == 200
    assert (
        reverse("discovery_story_views", args=[newsroom.stories[0].pk]) in explorer.content.decode()
    )
    report = client.get(reverse("discovery_most_read") + "?days=1")
    assert report.status_code == 200
    assert story.title in report.content.decode()
