"""An inline SVG bar chart: readable without JavaScript or a chart library."""

from django.utils.html import format_html, mark_safe

WIDTH = 720
HEIGHT = 220
MARGIN_LEFT = 40
MARGIN_BOTTOM = 28


def bar_chart(series: list[tuple], label: str) -> str:
    """Return an SVG bar chart of ``(day, value)`` pairs with a labelled axis."""
    peak = max((value for _, value in series), default=0) or 1
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - 10
    step = plot_w / max(len(series), 1)
    bars = []
    for i, (day, value) in enumerate(series):
        h = plot_h * value / peak
        x = MARGIN_LEFT + i * step
        y = 10 + plot_h - h
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#2f6690">'
                "<title>{}: {}</title></rect>",
                round(x + 1, 1),
                round(y, 1),
                round(max(step - 2, 1), 1),
                round(h, 1),
                day.isoformat(),
                value,
            )
        )
    ticks = []
    every = max(1, len(series) // 6)
    for i in range(0, len(series), every):
        ticks.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
                round(MARGIN_LEFT + i * step + step / 2, 1),
                HEIGHT - 8,
                series[i][0].strftime("%d %b"),
            )
        )
    axis = format_html(
        '<text x="{}" y="18" font-size="11" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end">0</text>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>',
        MARGIN_LEFT - 4,
        peak,
        MARGIN_LEFT - 4,
        10 + plot_h,
        MARGIN_LEFT,
        10 + plot_h,
        WIDTH - 8,
        10 + plot_h,
    )
    return format_html(
        '<svg class="views-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>',
        label,
        WIDTH,
        HEIGHT,
        axis,
        mark_safe("".join(bars)),  # noqa: S308 - every bar is built with format_html
        mark_safe("".join(ticks)),  # noqa: S308 - every tick is built with format_html
    )
