"""Made-up parcels for the demo data: tracking numbers and carrier scans along real routes."""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta

from bot.commerce.enums import Zone

WAREHOUSE = "Utrecht, NL"

# Hubs a parcel passes between the warehouse and the destination depot, per zone.
_ROUTES: dict[Zone, tuple[str, ...]] = {
    Zone.NL: ("Nieuwegein, NL",),
    Zone.EU1: ("Venlo, NL", "Leipzig, DE"),
    Zone.EU2: ("Venlo, NL", "Leipzig, DE"),
    Zone.UK: ("Oldenzaal, NL", "Hinckley, GB"),
    Zone.NA: ("Eindhoven, NL", "Cologne, DE", "Louisville, KY, US"),
}
_CA_ROUTE = ("Eindhoven, NL", "Cologne, DE", "Hamilton, ON, CA")


def tracking_number(rng: random.Random, carrier: str) -> str:
    """A tracking number in the carrier's usual shape."""
    digits = string.digits
    if carrier == "PostNL":
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
        return f"3S{letters}{''.join(rng.choice(digits) for _ in range(9))}"
    if carrier == "DPD":
        return "".join(rng.choice(digits) for _ in range(14))
    if carrier == "UPS":
        alnum = string.ascii_uppercase + digits
        return (
            "1Z"
            + "".join(rng.choice(alnum) for _ in range(6))
            + "".join(rng.choice(digits) for _ in range(10))
        )
    return "".join(rng.choice(digits) for _ in range(10))  # DHL


def tracking_events(
    rng: random.Random,
    *,
    carrier: str,
    zone: Zone,
    city: str,
    country: str,
    shipped_at: datetime,
    delivered_at: datetime | None,
    now: datetime,
) -> list[tuple[datetime, str, str]]:
    """2 to 6 scans ``(at, location, description)`` in time order, none after ``now``.

    A delivered parcel ends with "Delivered" at the destination; one still travelling ends
    somewhere on its route.
    """
    destination = f"{city}, {country}"
    hubs = _CA_ROUTE if country == "CA" else _ROUTES[zone]
    steps = [(WAREHOUSE, f"Parcel handed over to {carrier}")]
    steps += [(hub, "Processed at sorting centre") for hub in hubs]
    if zone in (Zone.UK, Zone.NA):
        steps.append((hubs[-1], "Cleared customs"))
    steps.append((destination, "Arrived at delivery depot"))
    if delivered_at is None:
        end = min(now - timedelta(minutes=20), shipped_at + timedelta(days=4))
        end = max(end, shipped_at + timedelta(minutes=30))
        chosen = steps[: rng.randint(2, min(5, len(steps)))]
        return _spread(rng, shipped_at, end, chosen, include_end=True)
    middle = steps[1:]
    picked = sorted(rng.sample(range(len(middle)), rng.randint(0, min(3, len(middle)))))
    chosen = [steps[0], *(middle[i] for i in picked)]
    morning = max((delivered_at.hour - 7) * 60, 30)  # vans leave the depot from about 7:00
    out_for_delivery = delivered_at - timedelta(minutes=rng.randint(20, min(morning, 300)))
    events = _spread(rng, shipped_at, out_for_delivery, chosen, include_end=False)
    events.append((out_for_delivery, destination, "Out for delivery"))
    events.append((delivered_at, destination, "Delivered"))
    return events


def _spread(
    rng: random.Random,
    start: datetime,
    end: datetime,
    steps: list[tuple[str, str]],
    *,
    include_end: bool,
) -> list[tuple[datetime, str, str]]:
    """Times for ``steps`` from ``start`` towards ``end``, in order, whole seconds."""
    span = (end - start).total_seconds()
    slots = len(steps) - 1 if include_end else len(steps)
    times = [start]
    for i in range(1, len(steps)):
        share = i / slots if slots else 0.0
        jitter = rng.uniform(-0.4, 0.0) / max(slots, 1)
        times.append(start + timedelta(seconds=span * max(share + jitter, 0.01)))
    times.sort()
    return [
        (at.replace(microsecond=0), loc, text) for at, (loc, text) in zip(times, steps, strict=True)
    ]
