"""What a reader sees above a headline and in a teaser without a picture."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_kicker_that_repeats_the_section_is_not_shown_twice(client, newsroom):
    same = newsroom.publish(newsroom.analysis, title="Why the talks stalled", kicker="Analysis")
    other = newsroom.publish(newsroom.analysis, title="Harbour deal", kicker="Exclusive")
    labels = client.get(same.url).content.decode().split('class="story__labels"')[1]
    labels = labels.split("</p>")[0]
    assert labels.count("Analysis") == 1 and 'class="kicker"' not in labels
    assert 'class="kicker">Exclusive' in client.get(other.url).content.decode()


def test_a_live_page_s_kicker_that_repeats_its_state_is_not_shown_twice(client, newsroom):
    import datetime as dt

    from django.utils import timezone

    from masthead.live.factories import LivePageFactory

    def labels(kicker: str) -> str:
        page = LivePageFactory(
            parent=newsroom.news,
            live=True,
            kicker=kicker,
            first_published_at=timezone.now() - dt.timedelta(hours=1),
        )
        html = client.get(page.url).content.decode()
        return html.split('class="story__labels"')[1].split("</p>")[0]

    same = labels("Live")
    assert 'class="kicker"' not in same and same.count(">Live<") == 1, same
    assert 'class="kicker">Strike day<' in labels("Strike day")


def test_a_teaser_without_a_picture_takes_the_whole_width(client, newsroom):
    bare = newsroom.publish(title="Council minutes, archived", lead_image=None, days_ago=0.01)
    html = client.get("/news/").content.decode()
    card = html.split(f'href="{bare.url}"')[0].rsplit("<article", 1)[1]
    assert 'class="card card--text"' in card
    assert 'class="card"' in html  # teasers with pictures keep their picture column
