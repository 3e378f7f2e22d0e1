"""The report as lines for a terminal (``python -m bot insights report``)."""

from __future__ import annotations

from bot.insights.report import InsightReport


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:g}{unit}"


def report_lines(report: InsightReport) -> list[str]:
    """The figures of ``report``, one per line, with their names."""
    t, h, c = report["totals"], report["handoffs"], report["csat"]
    period = f"{report['since'] or 'the start'} to {report['until'] or 'today'}"
    lines = [
        f"Conversations from {period}, channel: {report['channel'] or 'all'}",
        f"conversations        {t['conversations']}",
        f"messages             {t['messages']} ({t['user_messages']} from shoppers)",
        f"containment          {_share(t['containment'])} ({t['contained']} without a person)",
        f"handoff rate         {_share(t['handoff_rate'])} ({t['handed_over']} handed over)",
        "handoff reasons      "
        + (", ".join(f"{k} {v}" for k, v in h["reasons"].items()) or "none"),
        f"first response       average {_number(h['first_response_average'], ' s')}, "
        f"median {_number(h['first_response_median'], ' s')}",
        f"resolution           average {_number(h['resolution_average'], ' s')}, "
        f"median {_number(h['resolution_median'], ' s')}",
        f"fallback rate        {_share(t['fallback_rate'])} ({t['fallbacks']} messages)",
        f"did-you-mean rate    {_share(t['did_you_mean_rate'])} ({t['did_you_mean']} asked)",
        f"knowledge answers    generated {t['answers_generated']}, passage "
        f"{t['answers_passage']}, refused {t['answers_refused']}",
        f"CSAT                 {_number(c['average'])} of 5 from {c['ratings']} ratings ("
        + ", ".join(f"{stars}★ {n}" for stars, n in c["distribution"].items())
        + ")",
        f"sentiment            average {_number(t['average_sentiment'])}, upset "
        f"{_share(t['upset_share'])} ({t['upset']} conversations)",
        f"order tasks          tracked {t['orders_tracked']}, cancelled "
        f"{t['orders_cancelled']}, returns opened {t['returns_opened']}",
        "top intents          "
        + (", ".join(f"{i['term']} {i['count']}" for i in report["top_intents"]) or "none"),
        "top products         "
        + (", ".join(f"{p['term']} {p['count']}" for p in report["top_products"]) or "none"),
        "recommendation clicks "
        + (
            ", ".join(f"{c['term']} {c['count']}" for c in report["recommendation_clicks"])
            or "none"
        ),
    ]
    lines.append(f"per {report['granularity']}:")
    for point in report["series"]:
        lines.append(
            f"  {point['bucket']}  conversations {point['conversations']}, containment "
            f"{_share(point['containment'])}, fallback rate {_share(point['fallback_rate'])}"
        )
    return lines
