"""Who may be reminded on a day: the checks made at planning and again at sending.

`eligibility(data, policy, day)` returns one row per open invoice on `day` (posted,
kind invoice, amount > 0, open balance > 0: drafts, cancelled documents, credit
notes, zero-amount documents and settled invoices never appear): the columns of
`open_items` (`id` is the document id) plus `minimum` and `net_position` (minor
units), `blocked` (a reason code, null when the invoice may be reminded) and
`blocked_reason` (the same in words, quoting dates and amounts); blocked rows also
carry `dispute_opened_on` and `paused_until` when they apply. Row order is not
meaningful. The first check that fails is reported:

1. `excluded`: the customer opted out, is in a legal procedure, or is excluded from
   dunning (customers.opted_out / legal_procedure / dunning_excluded);
2. `disputed`: the invoice is flagged disputed in the books, or a dispute on it is
   open on `day` (opened on or before, not closed on or before);
3. `promised`: a promise to pay covers it and its date has not passed: the promise
   was recorded on or before `day`, `day <= promised_for`, and its status is not
   kept, broken or cancelled. A promise with a document pauses that invoice; one
   without pauses every invoice of the customer. The promised date itself is
   still paused; reminders resume the day after;
4. `below_minimum`: open balance under the policy's `minimum_residual`;
5. `net_credit`: the customer's net position in that currency is under the minimum
   or not positive. Net position = open balances of its undisputed invoices + open
   credit notes (negative) - unapplied cash, all on `day`. Disputed invoices are
   left out: they are not claimable, so credit the customer holds is set against
   what is.

Amounts are Int64 minor units of the row's `currency`; thresholds of the policy are
converted per currency (rounded up: an amount reaches the minimum when it is at
least that). The send step calls `eligibility` (or `still_eligible`) again with
fresh data and drops what no longer applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from relance.domain.ledger import Ledger, effective_applications, open_items
from relance.domain.money import minor_digits
from relance.reminders.policy import Policy

CUSTOMER_FACTS_SCHEMA = {
    "id": pl.Int64,
    "ref": pl.Utf8,
    "name": pl.Utf8,
    "segment": pl.Utf8,
    "country": pl.Utf8,
    "customer_type": pl.Utf8,
    "tags": pl.Utf8,
    "language": pl.Utf8,
    "opted_out": pl.Boolean,
    "legal_procedure": pl.Boolean,
    "dunning_excluded": pl.Boolean,
    "collector": pl.Utf8,
}
DISPUTE_SCHEMA = {"document_id": pl.Int64, "opened_on": pl.Date, "closed_on": pl.Date}
PROMISE_SCHEMA = {
    "customer_id": pl.Int64,
    "document_id": pl.Int64,
    "recorded_on": pl.Date,
    "promised_for": pl.Date,
    "status": pl.Utf8,
}
ACTION_SCHEMA = {
    "id": pl.Int64,
    "customer_id": pl.Int64,
    "step": pl.Utf8,
    "planned_on": pl.Date,
    "state": pl.Utf8,
}
ACTION_ITEM_SCHEMA = {
    "action_id": pl.Int64,
    "document_id": pl.Int64,
    "dropped": pl.Boolean,
}

# Promise statuses that no longer pause anything.
CLOSED_PROMISE_STATUSES = ("kept", "broken", "cancelled")

BLOCKED_CODES = ("excluded", "disputed", "promised", "below_minimum", "net_credit")
CUSTOMER_LEVEL_CODES = ("excluded", "net_credit")


def _empty(schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass(frozen=True)
class PlanningData:
    """What planning reads: the ledger and the follow-up state, as frames.

    - `customers`: CUSTOMER_FACTS_SCHEMA (tags comma-separated);
    - `disputes`: DISPUTE_SCHEMA, every dispute ever opened;
    - `promises`: PROMISE_SCHEMA (document_id null: the whole customer);
    - `actions`: ACTION_SCHEMA, contacts recorded (any state; `step` is the name);
    - `action_items`: ACTION_ITEM_SCHEMA, invoices of those contacts (`dropped`
      true when sending dropped that invoice: it did not reach the step).
    """

    ledger: Ledger
    customers: pl.DataFrame
    disputes: pl.DataFrame = field(default_factory=lambda: _empty(DISPUTE_SCHEMA))
    promises: pl.DataFrame = field(default_factory=lambda: _empty(PROMISE_SCHEMA))
    actions: pl.DataFrame = field(default_factory=lambda: _empty(ACTION_SCHEMA))
    action_items: pl.DataFrame = field(
        default_factory=lambda: _empty(ACTION_ITEM_SCHEMA)
    )

    @classmethod
    def from_ledger(cls, ledger: Ledger, **frames: pl.DataFrame) -> PlanningData:
        """Customer facts taken from the ledger's customers, with default flags."""
        facts = customer_facts(ledger.customers)
        return cls(ledger=ledger, customers=frames.pop("customers", facts), **frames)


def customer_facts(customers: pl.DataFrame) -> pl.DataFrame:
    """Complete a customers frame to CUSTOMER_FACTS_SCHEMA with neutral defaults."""
    defaults: dict[str, pl.Expr] = {
        "opted_out": pl.lit(False),
        "legal_procedure": pl.lit(False),
        "dunning_excluded": pl.lit(False),
        "tags": pl.lit(""),
    }
    columns = []
    for name, dtype in CUSTOMER_FACTS_SCHEMA.items():
        if name in customers.columns:
            columns.append(pl.col(name).cast(dtype))
        else:
            columns.append(defaults.get(name, pl.lit(None)).cast(dtype).alias(name))
    return customers.select(columns)


def amount_text(amount: str, currency: str, currencies: list[str]) -> pl.Expr:
    """An Int64 minor-unit column as text, e.g. 123456 EUR -> "1234.56 EUR"."""
    expr: Any = None  # a when/then chain over the currencies
    for code in currencies:
        digits = minor_digits(code)
        absolute = pl.col(amount).abs()
        sign = pl.when(pl.col(amount) < 0).then(pl.lit("-")).otherwise(pl.lit(""))
        if digits == 0:
            text = pl.concat_str([sign, absolute.cast(pl.Utf8)])
        else:
            scale = 10**digits
            text = pl.concat_str(
                [
                    sign,
                    (absolute // scale).cast(pl.Utf8),
                    pl.lit("."),
                    (absolute % scale).cast(pl.Utf8).str.zfill(digits),
                ]
            )
        condition = pl.col(currency) == code
        expr = (
            pl.when(condition).then(text)
            if expr is None
            else expr.when(condition).then(text)
        )
    if expr is None:
        return pl.lit(None, dtype=pl.Utf8)
    text_of = expr.otherwise(pl.lit(None))
    return pl.concat_str([text_of, pl.lit(" "), pl.col(currency)])


def _minimum_minor(policy: Policy, currencies: list[str]) -> pl.Expr:
    mapping = {c: policy.minimum_residual.minor(c, "up") or 0 for c in currencies}
    return pl.col("currency").replace_strict(mapping, default=0, return_dtype=pl.Int64)


def open_disputes(disputes: pl.DataFrame, day: date) -> pl.DataFrame:
    """Disputes open on `day`: (document_id, dispute_opened_on), one row per invoice."""
    return (
        disputes.filter(
            (pl.col("opened_on") <= day)
            & (pl.col("closed_on").is_null() | (pl.col("closed_on") > day))
        )
        .group_by("document_id")
        .agg(pl.col("opened_on").min().alias("dispute_opened_on"))
    )


def pausing_promises(
    promises: pl.DataFrame, day: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Promises pausing reminders on `day`: (per invoice, per customer) frames.

    Each gives the latest `promised_for` among the promises that pause.
    """
    live = promises.filter(
        (pl.col("recorded_on") <= day)
        & (pl.col("promised_for") >= day)
        & ~pl.col("status").fill_null("open").is_in(list(CLOSED_PROMISE_STATUSES))
    )
    per_invoice = (
        live.filter(pl.col("document_id").is_not_null())
        .group_by("document_id")
        .agg(pl.col("promised_for").max().alias("invoice_promised_for"))
    )
    per_customer = (
        live.filter(pl.col("document_id").is_null())
        .group_by("customer_id")
        .agg(pl.col("promised_for").max().alias("customer_promised_for"))
    )
    return per_invoice, per_customer


def unapplied_by_customer(
    ledger: Ledger, day: date, applications: pl.DataFrame | None = None
) -> pl.LazyFrame:
    """Unapplied cash on `day` per (customer_id, currency), in `unapplied`.

    The same rule as `relance.domain.ledger.unapplied_cash`, summed per customer;
    `applications` may pass `effective_applications(ledger)` computed once.
    """
    apps = effective_applications(ledger) if applications is None else applications
    used = (
        apps.lazy()
        .filter(pl.col("payment_id").is_not_null() & (pl.col("applied_on") <= day))
        .group_by("payment_id")
        .agg(pl.col("amount").sum().alias("_used"))
    )
    return (
        ledger.payments.lazy()
        .filter(pl.col("payment_date") <= day)
        .select("id", "customer_id", "currency", "amount")
        .join(used, left_on="id", right_on="payment_id", how="left")
        .group_by("customer_id", "currency")
        .agg((pl.col("amount") - pl.col("_used").fill_null(0)).sum().alias("unapplied"))
    )


def eligibility(
    data: PlanningData,
    policy: Policy,
    day: date,
    open_now: pl.DataFrame | None = None,
    applications: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every open invoice on `day` with `blocked` and `blocked_reason` (see module).

    `open_now` (`open_items(ledger, day)`) and `applications`
    (`effective_applications(ledger)`) may be passed when the caller has them.
    """
    if applications is None:
        applications = effective_applications(data.ledger)
    items = (
        open_items(data.ledger, day, applications=applications)
        if open_now is None
        else open_now
    )
    currencies = sorted(set(items.get_column("currency").unique().to_list()))

    # The few customers and invoices concerned by each check, as id sets: tests
    # over the million rows are then `is_in`, and details are joined only to
    # the rows blocked.
    flags = ("opted_out", "legal_procedure", "dunning_excluded")
    excluded = data.customers.filter(
        pl.any_horizontal(*(pl.col(f).fill_null(False) for f in flags))
    ).select(pl.col("id").alias("customer_id"), *flags)
    disputes = open_disputes(data.disputes, day)
    per_invoice, per_customer = pausing_promises(data.promises, day)
    is_disputed = (pl.col("kind") == "invoice") & (
        pl.col("disputed").fill_null(False)
        | pl.col("id").is_in(disputes.get_column("document_id").implode())
    )

    # Net position per (customer, currency): undisputed invoices, credit notes, cash.
    claimable = (
        items.lazy().filter(~is_disputed).select("customer_id", "currency", "residual")
    )
    cash = unapplied_by_customer(data.ledger, day, applications).select(
        "customer_id", "currency", (-pl.col("unapplied")).alias("residual")
    )
    net = (
        pl.concat([claimable, cash])
        .group_by("customer_id", "currency")
        .agg(pl.col("residual").sum().alias("net_position"))
    )

    code = (
        pl.when(
            pl.col("customer_id").is_in(excluded.get_column("customer_id").implode())
        )
        .then(pl.lit("excluded"))
        .when(is_disputed)
        .then(pl.lit("disputed"))
        .when(
            pl.col("id").is_in(per_invoice.get_column("document_id").implode())
            | pl.col("customer_id").is_in(
                per_customer.get_column("customer_id").implode()
            )
        )
        .then(pl.lit("promised"))
        .when(pl.col("residual") < pl.col("minimum"))
        .then(pl.lit("below_minimum"))
        .when(
            (pl.col("net_position") <= 0) | (pl.col("net_position") < pl.col("minimum"))
        )
        .then(pl.lit("net_credit"))
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    frame = (
        items.lazy()
        .filter(
            (pl.col("kind") == "invoice")
            & (pl.col("amount") > 0)
            & (pl.col("residual") > 0)
        )
        .with_columns(_minimum_minor(policy, currencies).alias("minimum"))
        .join(net, on=["customer_id", "currency"], how="left")
        .with_columns(pl.col("net_position").fill_null(0))
        .with_columns(code.alias("blocked"))
        .collect()
    )

    # Words only for blocked rows: most invoices need none, and formatting costs.
    free = frame.filter(pl.col("blocked").is_null())
    held = (
        frame.lazy()
        .filter(pl.col("blocked").is_not_null())
        .join(excluded.lazy(), on="customer_id", how="left")
        .join(disputes.lazy(), left_on="id", right_on="document_id", how="left")
        .join(per_invoice.lazy(), left_on="id", right_on="document_id", how="left")
        .join(per_customer.lazy(), on="customer_id", how="left")
        .with_columns(
            *(pl.col(f).fill_null(False) for f in flags),
            pl.max_horizontal("invoice_promised_for", "customer_promised_for").alias(
                "paused_until"
            ),
        )
        .with_columns(_reason(currencies).alias("blocked_reason"))
        .drop(*flags, "invoice_promised_for", "customer_promised_for")
        .collect()
    )
    return pl.concat([free, held], how="diagonal")


def _reason(currencies: list[str]) -> pl.Expr:
    """`blocked_reason`: the `blocked` code in words, with dates and amounts."""
    money = amount_text("residual", "currency", currencies)
    minimum = amount_text("minimum", "currency", currencies)
    net = amount_text("net_position", "currency", currencies)
    excluded = (
        pl.when(pl.col("opted_out"))
        .then(pl.lit("customer opted out of reminders"))
        .when(pl.col("legal_procedure"))
        .then(pl.lit("customer in a legal procedure"))
        .otherwise(pl.lit("customer excluded from dunning"))
    )
    disputed = (
        pl.when(pl.col("dispute_opened_on").is_not_null())
        .then(pl.format("invoice in dispute since {}", pl.col("dispute_opened_on")))
        .otherwise(pl.lit("invoice marked disputed in the books"))
    )
    promised = pl.format(
        "{} until {} (reminders resume the day after)",
        pl.when(pl.col("invoice_promised_for").is_not_null())
        .then(pl.lit("promise to pay this invoice"))
        .otherwise(pl.lit("customer promised to pay")),
        pl.col("paused_until"),
    )
    below = pl.format("open balance {} below the minimum {}", money, minimum)
    credit = pl.format(
        "customer's net position {} (credit notes and unapplied cash counted) "
        "is not a debt of at least {}",
        net,
        minimum,
    )
    reason = (
        pl.when(pl.col("blocked") == "excluded")
        .then(excluded)
        .when(pl.col("blocked") == "disputed")
        .then(disputed)
        .when(pl.col("blocked") == "promised")
        .then(promised)
        .when(pl.col("blocked") == "below_minimum")
        .then(below)
        .when(pl.col("blocked") == "net_credit")
        .then(credit)
        .otherwise(pl.lit(None, dtype=pl.Utf8))
    )
    return reason


def eligible_items(
    data: PlanningData,
    policy: Policy,
    day: date,
    open_now: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Only the invoices that may be reminded on `day` (rows of `eligibility`)."""
    return eligibility(data, policy, day, open_now).filter(pl.col("blocked").is_null())


def still_eligible(
    data: PlanningData, policy: Policy, day: date, document_ids: list[int]
) -> dict[int, tuple[int, str | None]]:
    """For each document id: (open balance on `day`, None or why it is blocked).

    A document that is no longer open (paid, credited, written off, not posted, or
    not an invoice) gives (0, "no longer open: paid, credited or not posted").
    """
    frame = eligibility(data, policy, day).filter(pl.col("id").is_in(document_ids))
    found = {
        row[0]: (row[1], row[2])
        for row in frame.select("id", "residual", "blocked_reason").iter_rows()
    }
    gone = "no longer open: paid, credited or not posted"
    return {doc: found.get(doc, (0, gone)) for doc in document_ids}
