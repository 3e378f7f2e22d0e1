import json
import re

import pytest

pytestmark = pytest.mark.unit


def widget_config(html: str) -> dict:
    match = re.search(r"window\.FernhillChat = (\{.*?\});</script>", html)
    assert match, "the page embeds the widget's configuration"
    return json.loads(match.group(1))


def test_shop_page_lists_catalogue_products_and_embeds_the_widget(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Larkspur 22L Roll-Top Backpack" in page.text and "€89.00" in page.text
    assert "/images/products/FH-BA-0001.svg" in page.text
    assert '<script src="/widget/fernhill-chat.js" defer></script>' in page.text
    config = widget_config(page.text)
    assert config["socketUrl"] == "http://rasa.test:5005"
    assert config["title"] and config["greeting"] and config["language"] == "en"
    assert {"title": "Track my order", "payload": "/track_order"} in config["suggestions"]


def test_category_page_shows_every_product_of_the_category(client):
    page = client.get("/", params={"category": "shoes"})
    assert page.status_code == 200
    assert page.text.count('class="product"') == 25
    assert client.get("/", params={"category": "no-such"}).status_code == 404


def test_product_page_and_its_picture(client):
    page = client.get("/products/FH-BA-0001")
    assert page.status_code == 200
    assert "Larkspur 22L Roll-Top Backpack" in page.text and "In stock" in page.text
    assert 'data-fernhill-ask="Tell me more about the Larkspur 22L Roll-Top Backpack"' in page.text
    assert client.get("/products/NOPE-1").status_code == 404
    picture = client.get("/images/products/FH-BA-0001.svg")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/svg+xml"
    assert picture.text.startswith("<svg") and "#2b2b2b" in picture.text  # black backpack
    assert client.get("/images/products/NOPE-1.svg").status_code == 404
    assert client.get("/images/categories/outdoor-camping.svg").status_code == 200


def test_catalogue_text_is_escaped_in_pages(client, monkeypatch):
    from bot.web import shop

    catalogue = shop.catalogue()
    product = catalogue.products[0]
    evil = type(product)(**{**product.__dict__, "name": "<script>alert(1)</script>"})
    fake = type(catalogue)(path=catalogue.path, products=(evil, *catalogue.products[1:]))
    monkeypatch.setattr(shop, "catalogue", lambda: fake)
    page = client.get("/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_widget_files_are_served_to_the_shops_origins(client):
    # FERNHILL_ALLOWED_ORIGINS (default: the demo shop's); tests/unit/web/test_security_* has more.
    loader = client.get("/widget/fernhill-chat.js", headers={"Origin": "http://localhost:8000"})
    assert loader.status_code == 200 and "javascript" in loader.headers["content-type"]
    assert loader.headers["access-control-allow-origin"] == "http://localhost:8000"
    for path in ("chat/widget.js", "chat/markdown.js", "fernhill-chat.css"):
        assert client.get(f"/widget/{path}").status_code == 200, path
    vendor = client.get("/widget/vendor/socket.io.esm.min.js")
    assert vendor.status_code == 200 and "Socket.IO v4" in vendor.text[:200]
    # The shop's own pages do not answer other origins.
    page = client.get("/", headers={"Origin": "https://other.example"})
    assert "access-control-allow-origin" not in page.headers


def test_health_says_when_rasa_is_unreachable(client):
    assert client.get("/health").json() == {"status": "ok", "rasa": "unreachable"}
