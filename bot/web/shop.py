"""The demo shop's pages (catalogue and product pages, each with the chat widget) and the
product pictures they show."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from bot.commerce.catalogue import Catalogue, CatalogueProduct, load_catalogue
from bot.commerce.variants import product_variants
from bot.conversation.order_texts import money
from bot.web.placeholders import CATEGORY_STYLES, colour_of, product_picture

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
FEATURED_PER_CATEGORY = 8
LOW_STOCK = 5

router = APIRouter(tags=["shop"])


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shop's catalogue, read once per process."""
    return load_catalogue()


def slug(text: str) -> str:
    """A URL-friendly form of a name: "Bags & Accessories" → "bags-accessories"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def stock_label(stock: int) -> str:
    """How stock reads in the shop."""
    if stock == 0:
        return "Out of stock"
    return f"Only {stock} left" if stock <= LOW_STOCK else "In stock"


def product_card(product: CatalogueProduct) -> dict[str, Any]:
    """What a product card on a page shows."""
    return {
        "sku": product.sku,
        "name": product.name,
        "subcategory": product.subcategory or product.category,
        "price": money(product.price, product.currency),
        "stock": stock_label(product.stock),
        "in_stock": product.stock > 0,
        "image": f"/images/products/{product.sku}.svg",
        "url": f"/products/{product.sku}",
    }


def widget_config(request: Request) -> dict[str, Any]:
    """The ``window.FernhillChat`` object the shop's own pages embed the widget with."""
    return {
        "socketUrl": request.app.state.widget_socket_url,
        "title": "Fernhill Goods help",
        "subtitle": "Orders, returns and product questions",
        "greeting": "Hi! I'm the Fernhill Goods assistant. I can track an order, help with a "
        "return or answer questions about our products.",
        "suggestions": [
            {"title": "Track my order", "payload": "/track_order"},
            {"title": "Start a return", "payload": "/return_item"},
            {"title": "Talk to a person", "payload": "/contact_human_agent"},
        ],
        "language": "en",
        "position": "right",
        "colors": {"primary": "#2e5a36", "onPrimary": "#ffffff"},
    }


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    categories = [{"name": c, "slug": slug(c)} for c in catalogue().categories()]
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"categories": categories, "widget": widget_config(request), **context},
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def shop_page(request: Request, category: str | None = Query(default=None)) -> HTMLResponse:
    """The shop's front page: a few products per category, or all of one category."""
    by_slug = {slug(c): c for c in catalogue().categories()}
    if category is not None and category not in by_slug:
        raise HTTPException(status_code=404, detail="No such category")
    shown = [by_slug[category]] if category else list(by_slug.values())
    sections = []
    for name in shown:
        products = [p for p in catalogue() if p.category == name]
        cards = products if category else products[:FEATURED_PER_CATEGORY]
        sections.append(
            {
                "name": name,
                "slug": slug(name),
                "total": len(products),
                "products": [product_card(p) for p in cards],
            }
        )
    return _page(request, "shop.html", sections=sections, current=category)


@router.get("/products/{sku}", response_class=HTMLResponse, include_in_schema=False)
async def product_page(request: Request, sku: str) -> HTMLResponse:
    """One product: picture, price, stock, description, details, and "ask the assistant"."""
    product = catalogue().get(sku)
    if product is None:
        raise HTTPException(status_code=404, detail="No such product")
    details = {k.replace("_", " ").capitalize(): v for k, v in product.attributes.items()}
    return _page(
        request,
        "product.html",
        product=product_card(product),
        details=details,
        description=product.description,
        category={"name": product.category, "slug": slug(product.category)},
        variants=[
            {
                "sku": v.sku,
                "size": v.size,
                "colour": v.colour,
                "stock": stock_label(v.stock),
                "in_stock": v.stock > 0,
            }  # fmt: skip
            for v in product_variants(product)
        ],
    )


def _svg(body: str) -> Response:
    return Response(
        body, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/images/products/{sku}.svg", include_in_schema=False)
async def product_image(sku: str) -> Response:
    """A drawn picture of a product (its category's drawing in the product's colour)."""
    product = catalogue().get(sku)
    if product is None:
        raise HTTPException(status_code=404, detail="No such product")
    colour = colour_of(str(product.attributes.get("colour") or ""))
    return _svg(product_picture(product.category, product.subcategory or product.category, colour))


@router.get("/images/categories/{category_slug}.svg", include_in_schema=False)
async def category_image(category_slug: str) -> Response:
    """A category's drawing."""
    names = {slug(name): name for name in CATEGORY_STYLES}
    if category_slug not in names:
        raise HTTPException(status_code=404, detail="No such category")
    return _svg(product_picture(names[category_slug], names[category_slug]))
