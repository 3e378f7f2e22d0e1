"""The shop database layer: customers, products, orders and their after-care.

Rasa actions use :class:`OrderService` (or any :class:`CommerceBackend`); the CLI and the
action server use :func:`seed_database` / :func:`ensure_database`. Nothing connects to a
database at import time.
"""

from bot.commerce.addresses import AddressInput
from bot.commerce.backend import CommerceBackend
from bot.commerce.catalogue import Catalogue, CatalogueProduct, load_catalogue
from bot.commerce.db import create_schema, get_engine, get_sessionmaker, session_scope
from bot.commerce.enums import (
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    ReturnStatus,
    ShippingMethod,
    Zone,
)
from bot.commerce.errors import (
    ActionNotAllowed,
    CatalogueError,
    CommerceError,
    CommerceUnavailable,
    InvalidOrderId,
    InvoiceNotAvailable,
    OrderNotFound,
    RefundNotAllowed,
    RefundNotFound,
    ReturnNotAllowed,
    VerificationFailed,
)
from bot.commerce.policy import Reason
from bot.commerce.seed import SeedReport, ensure_database, seed_database
from bot.commerce.service import OrderService, normalise_order_id
from bot.commerce.views import (
    AddressView,
    CancellationQuote,
    CancelOutcome,
    ChangeOutcome,
    InvoiceView,
    OrderLineView,
    OrderSummary,
    OrderView,
    RefundView,
    ReturnView,
    TrackingEventView,
)

__all__ = [
    "ActionNotAllowed",
    "AddressInput",
    "AddressView",
    "CancelOutcome",
    "CancellationQuote",
    "Catalogue",
    "CatalogueError",
    "CatalogueProduct",
    "ChangeOutcome",
    "CommerceBackend",
    "CommerceError",
    "CommerceUnavailable",
    "InvalidOrderId",
    "InvoiceNotAvailable",
    "InvoiceView",
    "OrderLineView",
    "OrderNotFound",
    "OrderService",
    "OrderStatus",
    "OrderSummary",
    "OrderView",
    "PaymentMethod",
    "PaymentStatus",
    "Reason",
    "RefundNotAllowed",
    "RefundNotFound",
    "RefundStatus",
    "RefundView",
    "ReturnNotAllowed",
    "ReturnStatus",
    "ReturnView",
    "SeedReport",
    "ShippingMethod",
    "TrackingEventView",
    "VerificationFailed",
    "Zone",
    "create_schema",
    "ensure_database",
    "get_engine",
    "get_sessionmaker",
    "load_catalogue",
    "normalise_order_id",
    "seed_database",
    "session_scope",
]
