"""SVG placeholder pictures for the demo shop: one drawing per category, tinted per product.

The catalogue names pictures (``images/products/<sku>.svg``) that the shop has no files for;
the web app draws them instead, so the demo needs no binary images.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Drawings in a 400 x 300 view box, centred around (200, 135); "{ink}" is the stroke colour.
_BACKPACK = (
    '<path d="M165 95 q0-35 35-35 q35 0 35 35" fill="none" stroke="{ink}"'
    ' stroke-width="10"/>'
    '<rect x="140" y="90" width="120" height="125" rx="28" fill="{fill}" stroke="{ink}"'
    ' stroke-width="8"/>'
    '<rect x="162" y="150" width="76" height="48" rx="10" fill="none" stroke="{ink}"'
    ' stroke-width="6"/>'
)
_TSHIRT = (
    '<path d="M160 70 l-55 30 l20 40 l25-12 v90 h100 v-90 l25 12 l20-40 l-55-30 q-15'
    ' 20-40 20 q-25 0-40-20 z" fill="{fill}" stroke="{ink}" stroke-width="8"'
    ' stroke-linejoin="round"/>'
)
_SHOE = (
    '<path d="M110 185 v-60 q0-12 12-12 h38 q10 30 45 35 l60 12 q30 6 30 25 h-185 z"'
    ' fill="{fill}" stroke="{ink}" stroke-width="8" stroke-linejoin="round"/>'
    '<path d="M108 200 h190" stroke="{ink}" stroke-width="10" stroke-linecap="round"/>'
    '<path d="M175 140 l10 -8 M190 148 l10 -8" stroke="{ink}" stroke-width="6"'
    ' stroke-linecap="round"/>'
)
_MUG = (
    '<rect x="140" y="80" width="100" height="125" rx="14" fill="{fill}" stroke="{ink}"'
    ' stroke-width="8"/>'
    '<path d="M240 110 h18 q22 0 22 30 q0 30-22 30 h-18" fill="none" stroke="{ink}"'
    ' stroke-width="8"/>'
    '<path d="M170 55 q-8 10 0 18 M200 50 q-8 12 0 22" fill="none" stroke="{ink}"'
    ' stroke-width="5" stroke-linecap="round"/>'
)
_TENT = (
    '<path d="M200 65 l-95 140 h190 z" fill="{fill}" stroke="{ink}" stroke-width="8"'
    ' stroke-linejoin="round"/>'
    '<path d="M200 120 l-30 85 h60 z" fill="{ink}" opacity="0.85"/>'
    '<path d="M85 205 h230" stroke="{ink}" stroke-width="8" stroke-linecap="round"/>'
)
_PLUG = (
    '<rect x="150" y="95" width="100" height="80" rx="14" fill="{fill}" stroke="{ink}"'
    ' stroke-width="8"/>'
    '<path d="M175 95 v-30 M225 95 v-30" stroke="{ink}" stroke-width="10"'
    ' stroke-linecap="round"/>'
    '<path d="M200 175 v20 q0 25 30 25 h40" fill="none" stroke="{ink}" stroke-width="8"'
    ' stroke-linecap="round"/>'
)
_BOTTLE = (
    '<rect x="183" y="55" width="34" height="28" rx="5" fill="{ink}"/>'
    '<path d="M188 83 h24 v15 q35 12 35 45 v62 q0 12-12 12 h-70 q-12 0-12-12 v-62 q0-33'
    ' 35-45 z" fill="{fill}" stroke="{ink}" stroke-width="8" stroke-linejoin="round"/>'
    '<rect x="170" y="145" width="60" height="40" rx="6" fill="none" stroke="{ink}"'
    ' stroke-width="5"/>'
)


@dataclass(frozen=True)
class CategoryStyle:
    """How a category's pictures look."""

    background: str
    ink: str
    fill: str
    drawing: str


CATEGORY_STYLES: dict[str, CategoryStyle] = {
    "Bags & Accessories": CategoryStyle("#f3ece2", "#5b4636", "#d9c3a5", _BACKPACK),
    "Clothing": CategoryStyle("#e8eef5", "#2f4a66", "#b9cde0", _TSHIRT),
    "Shoes": CategoryStyle("#f5e9e6", "#7a3b2e", "#e5bfb3", _SHOE),
    "Home & Kitchen": CategoryStyle("#f6f1de", "#6b5a1e", "#e6d79e", _MUG),
    "Outdoor & Camping": CategoryStyle("#e6f0e6", "#2e5a36", "#b3d1b5", _TENT),
    "Electronics Accessories": CategoryStyle("#eceaf4", "#3d3768", "#c6c1e3", _PLUG),
    "Beauty & Care": CategoryStyle("#f6e8ef", "#733a58", "#e7bfd3", _BOTTLE),
}
DEFAULT_STYLE = CategoryStyle("#eeeeee", "#444444", "#cccccc", _BACKPACK)

# Catalogue colour words the pictures can show (others keep the category's own fill).
COLOUR_WORDS = {
    "black": "#2b2b2b",
    "white": "#fafafa",
    "charcoal": "#44474d",
    "navy": "#23345c",
    "olive": "#6b6b3a",
    "grey": "#9a9a9a",
    "sand": "#d8c7a3",
    "red": "#b8322a",
    "sage": "#a3b49a",
    "brown": "#6b4a32",
    "green": "#3f6b45",
    "burgundy": "#6d2236",
    "stone": "#c9c1b1",
    "natural": "#e8dcc4",
    "blue": "#7fb0dc",
    "ecru": "#e9e1cc",
    "chestnut": "#7b4a2c",
    "graphite": "#3b3d40",
    "tan": "#c69c6d",
    "orange": "#e07b2e",
    "mustard": "#d0a02a",
    "gold": "#caa546",
    "silver": "#c0c4c8",
    "apricot": "#f0b38a",
}


def colour_of(colour_attribute: str | None) -> str | None:
    """The hex colour named first in a catalogue colour text ("dark brown" → brown), or None."""
    if not colour_attribute:
        return None
    for word in colour_attribute.lower().replace("/", " ").split():
        if word in COLOUR_WORDS:
            return COLOUR_WORDS[word]
    return None


def product_picture(category: str, label: str, colour: str | None = None) -> str:
    """An SVG picture for a product (or a category when ``colour`` is None).

    Args:
        category: Catalogue category; picks the drawing and the palette.
        label: A short caption drawn under the picture (escaped).
        colour: Fill colour of the drawing (hex), e.g. from :func:`colour_of`.
    """
    style = CATEGORY_STYLES.get(category, DEFAULT_STYLE)
    drawing = style.drawing.format(ink=style.ink, fill=colour or style.fill)
    caption = escape(label[:40])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" '
        f'aria-label="{caption}"><rect width="400" height="300" fill="{style.background}"/>'
        f"{drawing}"
        f'<text x="200" y="262" text-anchor="middle" font-family="system-ui, sans-serif" '
        f'font-size="20" fill="{style.ink}">{caption}</text></svg>'
    )
