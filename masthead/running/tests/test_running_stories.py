"""Running stories: proposals from Related, editors' decisions, the timeline, "Part of"."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import PageViewRestriction

from masthead.accounts.roles import CONTRIBUTORS, EDITORS, give_role
from masthead.articles.factories import ArticlePageFactory
from masthead.articles.models import ArticlePage
from masthead.discovery.models import ArticleRelatedArticle
from masthead.live.factories import LivePageFactory
from masthead.running.models import RunningStory, RunningStoryMember
from masthead.running.proposals import propose
from masthead.running.services import decide, proposals_for

pytestmark = pytest.mark.django_db


def test_propose_needs_members_to_agree_and_skips_rejected():
    related = {1: [(10, 0.9), (11, 0.8), (12, 0.2)], 2: [(10, 0.7), (12, 0.3)], 3: [(10, 0.5)]}
    found = propose([1, 2, 3], related, excluded=[12])
    assert [p.story_id for p in found] == [10]  # 11 is listed by one member of three
    assert found[0].support == 3
    # 12 scores under 0.45 of member 1's best match: the tail of a list is not proposed.
    assert [p.story_id for p in propose([1], related)] == [10, 11]
    assert [p.story_id for p in propose([1], related, min_ratio=0)] == [10, 11, 12]
    assert propose([], related) == []


def test_members_must_agree_two_of_two():
    related = {1: [(10, 0.9), (11, 0.85)], 2: [(10, 0.8), (12, 0.9)]}
    assert [p.story_id for p in propose([1, 2], related)] == [10]
    assert [p.story_id for p in propose([1, 2], related, min_share=0.5)] == [10, 12, 11]


def test_a_story_closer_to_a_rejected_story_than_to_the_members_is_not_proposed():
    # 11 and 12 are another storyline: 11 is closer to 12 (0.95) than to member 1 (0.8).
    related = {1: [(10, 0.9), (11, 0.8), (12, 0.75)], 11: [(12, 0.95), (1, 0.8)], 10: []}
    assert [p.story_id for p in propose([1], related)] == [10, 11, 12]
    assert [p.story_id for p in propose([1], related, excluded=[12])] == [10]
    # Only the rejected story's own list names 11: that counts too.
    related = {1: [(10, 0.9), (11, 0.8)], 12: [(11, 0.95)]}
    assert [p.story_id for p in propose([1], related, excluded=[12])] == [10]
    # Closer to the members than to the rejected story: still proposed.
    related = {1: [(10, 0.9), (11, 0.8)], 12: [(11, 0.5)]}
    assert [p.story_id for p in propose([1], related, excluded=[12])] == [10, 11]


@pytest.fixture
def strike(newsroom):
    """A running story with one member; Related lists point to four more stories."""
    seed, *others = newsroom.stories[:5]
    running = RunningStory.objects.create(name="The port strike")
    RunningStoryMember.objects.create(running_story=running, story=seed)
    for n, other in enumerate(others):
        ArticleRelatedArticle.objects.create(article=seed, related=other, score=1.0 - n / 10)
    return running, seed, others


def test_proposals_come_from_related_and_never_include_hidden_stories(newsroom, strike):
    running, seed, others = strike
    draft = ArticlePageFactory(parent=newsroom.news, live=False, slug="zz-draft")
    private = newsroom.publish(slug="zz-private", days_ago=0.2)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for hidden in (draft, private):
        ArticleRelatedArticle.objects.create(article=seed, related=hidden, score=5.0)
    proposed = [story.pk for story, _p in proposals_for(running)]
    assert proposed == [o.pk for o in others]
    assert draft.pk not in proposed and private.pk not in proposed


def test_a_rejected_storys_neighbours_are_not_proposed(strike):
    running, _seed, others = strike
    # others[3] is closer to others[2] than to the seed: reject others[2], lose both.
    ArticleRelatedArticle.objects.create(article=others[3], related=others[2], score=2.0)
    assert others[3].pk in [story.pk for story, _p in proposals_for(running)]
    decide(running, others[2].pk, accept=False)
    proposed = [story.pk for story, _p in proposals_for(running)]
    assert proposed == [others[0].pk, others[1].pk]


def test_rejected_stories_are_not_proposed_again(strike):
    running, _seed, others = strike
    decide(running, others[0].pk, accept=False)
    decide(running, others[1].pk, accept=True)
    proposed = [story.pk for story, _p in proposals_for(running)]
    assert others[0].pk not in proposed and others[1].pk not in proposed


def test_timeline_lists_published_members_in_the_chosen_order(client, newsroom, strike):
    running, seed, others = strike
    for other in others[:2]:
        decide(running, other.pk, accept=True)
    hidden = ArticlePageFactory(parent=newsroom.news, live=False, title="zzhidden member")
    RunningStoryMember.objects.create(running_story=running, story=hidden)
    response = client.get(f"/running/{running.slug}/")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content)
    titles = tree.xpath('//ol[@class="timeline"]//h3/a/text()')
    newest_first = sorted([seed, *others[:2]], key=lambda s: s.first_published_at, reverse=True)
    assert titles == [s.title for s in newest_first]
    assert b"zzhidden" not in response.content
    assert tree.xpath('//ol[@class="timeline"]//p')[1].text == newest_first[0].standfirst
    running.order = RunningStory.Order.OLDEST
    running.save()
    tree = lxml_html.fromstring(client.get(f"/running/{running.slug}/").content)
    assert tree.xpath('//ol[@class="timeline"]//h3/a/text()') == [
        s.title for s in reversed(newest_first)
    ]


def test_the_live_page_is_on_top_while_it_is_live(client, newsroom, strike):
    running, seed, _others = strike
    now = timezone.now()
    live = LivePageFactory(
        parent=newsroom.news,
        live=True,
        first_published_at=now - dt.timedelta(hours=1),
        title="Live: strike day",
    )
    decide(running, live.pk, accept=True)
    running.order = RunningStory.Order.OLDEST
    running.save()
    tree = lxml_html.fromstring(client.get(f"/running/{running.slug}/").content)
    # Oldest first, yet the live page (the newest story) is on top while it is live.
    assert tree.xpath('//ol[@class="timeline"]//h3/a/text()')[0] == "Live: strike day"
    type(live).objects.filter(pk=live.pk).update(coverage_end=now - dt.timedelta(minutes=1))
    tree = lxml_html.fromstring(client.get(f"/running/{running.slug}/").content)
    assert tree.xpath('//ol[@class="timeline"]//h3/a/text()')[0] == seed.title


def test_a_member_links_to_its_running_story_and_neighbours(client, newsroom, strike):
    running, seed, others = strike
    decide(running, others[0].pk, accept=True)
    decide(running, others[1].pk, accept=True)
    # stories[n] was published n + 1 days ago: others[0] sits between seed and others[1].
    tree = lxml_html.fromstring(client.get(others[0].url).content)
    nav = tree.xpath('//nav[@class="part-of"]')[0]
    assert nav.xpath(".//a/@href")[0] == f"/running/{running.slug}/"
    assert nav.xpath(".//a/text()") == ["The port strike", others[1].title, seed.title]
    assert not lxml_html.fromstring(client.get(others[3].url).content).xpath(
        '//nav[@class="part-of"]'
    )


def test_editors_accept_and_reject_proposals_in_the_admin(client, newsroom, strike):
    running, _seed, others = strike
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw")
    give_role(editor, EDITORS)
    client.force_login(editor)
    url = reverse("running_proposals", args=[running.pk])
    page = client.get(url)
    assert page.status_code == 200 and others[0].title in page.content.decode()
    # One proposal at a time: the next ones wait for this decision.
    rows = lxml_html.fromstring(page.content).xpath('//table[@class="listing"]/tbody/tr')
    assert len(rows) == 1 and others[1].title not in page.content.decode()
    assert "3 more stories wait behind this one" in page.content.decode()
    client.post(url, {"story": others[0].pk, "action": "accept"})
    client.post(url, {"story": others[1].pk, "action": "reject"})
    statuses = dict(running.members.values_list("story_id", "status"))
    assert statuses[others[0].pk] == "accepted" and statuses[others[1].pk] == "rejected"
    # A story that is not proposed cannot be slipped in by a hand-made request.
    response = client.post(url, {"story": newsroom.stories[7].pk, "action": "accept"})
    assert response.status_code == 302
    assert (
        newsroom.stories[7].pk not in statuses
        and not running.members.filter(story=newsroom.stories[7]).exists()
    )
    assert client.get(reverse("running_proposals_index")).status_code == 200


def test_contributors_cannot_decide_proposals(client, strike):
    running, _seed, others = strike
    user = get_user_model().objects.create_user("co", "co@example.org", "pw")
    give_role(user, CONTRIBUTORS)
    client.force_login(user)
    url = reverse("running_proposals", args=[running.pk])
    assert client.post(url, {"story": others[0].pk, "action": "accept"}).status_code in (302, 403)
    assert not running.members.filter(story=others[0]).exists()


class TestCachedPagesFollowTheRunningStory:
    """With the page cache on, every copy that shows a running story follows its changes."""

    @pytest.fixture(autouse=True)
    def page_cache_on(self, settings):
        settings.MASTHEAD_PAGE_CACHE = True

    def _get(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        return response

    def test_a_member_published_later_reaches_the_timeline_and_the_neighbours(
        self, client, newsroom, strike
    ):
        running, seed, others = strike
        decide(running, others[0].pk, accept=True)
        draft = ArticlePageFactory(parent=newsroom.news, live=False, title="zzlater member")
        RunningStoryMember.objects.create(running_story=running, story=draft)
        timeline = f"/running/{running.slug}/"
        assert b"zzlater" not in self._get(client, timeline).content
        assert b"zzlater" not in self._get(client, seed.url).content
        assert self._get(client, timeline)["X-Cache"] == "HIT"
        draft.save_revision().publish()
        assert b"zzlater member" in self._get(client, timeline).content
        # Published now, it is the newest: the previous newest member links to it ("After:").
        newest = max([seed, others[0]], key=lambda s: s.first_published_at)
        assert b"zzlater member" in self._get(client, newest.url).content

    def test_a_neighbours_new_headline_and_withdrawal_reach_the_story_page(
        self, client, newsroom, strike
    ):
        running, seed, others = strike
        decide(running, others[0].pk, accept=True)
        first, second = sorted([seed, others[0]], key=lambda s: s.first_published_at)
        assert second.title.encode() in self._get(client, first.url).content
        assert self._get(client, first.url)["X-Cache"] == "HIT"
        second.title = "zzrenamed neighbour"
        second.save_revision().publish()
        assert b"zzrenamed neighbour" in self._get(client, first.url).content
        second.unpublish()
        assert b"zzrenamed" not in self._get(client, first.url).content

    def test_a_renamed_running_story_without_stories_shows_its_new_name(self, client):
        running = RunningStory.objects.create(name="The port strike", slug="port-strike")
        assert b"The port strike" in self._get(client, "/running/port-strike/").content
        running.name = "The long port strike"
        running.save()
        assert b"The long port strike" in self._get(client, "/running/port-strike/").content


def test_editors_reorder_the_stories_in_the_admin_form(client, newsroom, strike):
    running, seed, others = strike
    for other in others[:2]:
        decide(running, other.pk, accept=True)
    editor = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(editor)
    url = reverse("wagtailsnippets_running_runningstory:edit", args=[running.pk])
    assert client.get(url).status_code == 200
    links = list(running.members.order_by("sort_order"))
    wanted = [others[1].pk, seed.pk, others[0].pk]  # neither newest nor oldest first
    data = {
        "name": running.name,
        "slug": running.slug,
        "description": "",
        "order": RunningStory.Order.EDITOR,
        "members-TOTAL_FORMS": str(len(links)),
        "members-INITIAL_FORMS": str(len(links)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for n, link in enumerate(links):
        data |= {
            f"members-{n}-id": str(link.pk),
            f"members-{n}-story": str(link.story_id),
            f"members-{n}-status": link.status,
            f"members-{n}-ORDER": str(wanted.index(link.story_id) + 1),
            f"members-{n}-DELETE": "",
        }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    tree = lxml_html.fromstring(client.get(f"/running/{running.slug}/").content)
    titles = tree.xpath('//ol[@class="timeline"]//h3/a/text()')
    assert titles == [ArticlePage.objects.get(pk=pk).title for pk in wanted]
