"""SQLAlchemy models of the shop database: customers, products, orders and their after-care.

Portable across SQLite and PostgreSQL: statuses are strings with CHECK constraints, money is
``NUMERIC(10, 2)`` read back as :class:`~decimal.Decimal`, times are stored as naive UTC and
read back timezone-aware (:class:`UTCDateTime`), return items are generic ``JSON``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.commerce.columns import NAMING_CONVENTION, Money, UTCDateTime, enum_column
from bot.commerce.enums import (
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    ReturnStatus,
    ShippingMethod,
    Zone,
)


class Base(DeclarativeBase):
    """Declarative base of the shop tables, with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Customer(Base):
    """A shopper; ``email`` is stored lower-case and identifies the account."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    addresses: Mapped[list[Address]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Address.id"
    )
    orders: Mapped[list[Order]] = relationship(back_populates="customer")


class Address(Base):
    """An address in a customer's address book."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2))
    zone: Mapped[Zone] = mapped_column(enum_column(Zone))
    is_default: Mapped[bool] = mapped_column(default=False)

    customer: Mapped[Customer] = relationship(back_populates="addresses")


class Product(Base):
    """A catalogue product (loaded from ``knowledge_base/products.json``)."""

    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(80), index=True)
    subcategory: Mapped[str | None] = mapped_column(String(80))
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int] = mapped_column(Integer)
    final_sale: Mapped[bool] = mapped_column(default=False)


class ProductVariant(Base):
    """One size (and colour) of a product with its own SKU and stock (see
    :mod:`bot.commerce.variants`)."""

    __tablename__ = "product_variants"

    sku: Mapped[str] = mapped_column(String(60), primary_key=True)
    product_sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    size: Mapped[str] = mapped_column(String(60))
    colour: Mapped[str] = mapped_column(String(80))
    stock: Mapped[int] = mapped_column(Integer)


class Order(Base):
    """An order; the shipping address is copied onto it when it is placed."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(12), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), index=True)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ship_name: Mapped[str] = mapped_column(String(160))
    ship_line1: Mapped[str] = mapped_column(String(200))
    ship_line2: Mapped[str | None] = mapped_column(String(200))
    ship_postcode: Mapped[str] = mapped_column(String(16))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_country: Mapped[str] = mapped_column(String(2))
    ship_zone: Mapped[Zone] = mapped_column(enum_column(Zone))
    shipping_method: Mapped[ShippingMethod] = mapped_column(enum_column(ShippingMethod))
    shipping_cost: Mapped[Decimal] = mapped_column(Money)
    subtotal: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    cancellation_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    customer: Mapped[Customer] = relationship(back_populates="orders")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    shipment: Mapped[Shipment | None] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Payment.id"
    )
    refunds: Mapped[list[Refund]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Refund.id"
    )
    returns: Mapped[list[Return]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Return.id"
    )
    invoice: Mapped[Invoice | None] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    """One product on an order; name, price, category and final-sale flag are a snapshot."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(80))
    final_sale: Mapped[bool] = mapped_column(default=False)
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[Order] = relationship(back_populates="lines")


class Shipment(Base):
    """The parcel of a shipped order."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), unique=True)
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    estimated_delivery: Mapped[date] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="shipment")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="TrackingEvent.at"
    )


class TrackingEvent(Base):
    """One scan of a parcel by its carrier."""

    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(200))

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class Payment(Base):
    """A payment transaction of an order."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="payments")


class Refund(Base):
    """Money going back to the shopper; reference ``RF-`` + 5 digits."""

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="refunds")


class Return(Base):
    """Items sent back; reference ``RT-`` + 5 digits, ``skus`` is a JSON list of SKUs."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    skus: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[ReturnStatus] = mapped_column(enum_column(ReturnStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="returns")


class Invoice(Base):
    """The VAT invoice of a shipped order; number ``INV-<year>-<5 digits>``."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    amount: Mapped[Decimal] = mapped_column(Money)
    vat_amount: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[Order] = relationship(back_populates="invoice")


class SeedInfo(Base):
    """One row that records how the demo data was made (and that it was)."""

    __tablename__ = "seed_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    base_date: Mapped[date] = mapped_column(Date)
    customers: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int] = mapped_column(Integer)
    products: Mapped[int] = mapped_column(Integer)
