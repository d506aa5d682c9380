"""A small double-entry ledger: accounts, postings and a trial balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable


class LedgerError(ValueError):
    """Raised when a transaction would leave the books out of balance."""


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: str  # one of: asset, liability, equity, income, expense

    def normal_sign(self) -> int:
        return 1 if self.kind in ("asset", "expense") else -1


@dataclass(frozen=True)
class Posting:
    account: Account
    amount: Decimal
    memo: str = ""


@dataclass
class Transaction:
    when: date
    description: str
    postings: list[Posting] = field(default_factory=list)

    def add(self, account: Account, amount: Decimal, memo: str = "") -> "Transaction":
        self.postings.append(Posting(account, amount, memo))
        return self

    def total(self) -> Decimal:
        return sum((p.amount for p in self.postings), Decimal("0"))

    def check(self) -> None:
        if len(self.postings) < 2:
            raise LedgerError(f"{self.description}: needs at least two postings")
        if self.total() != 0:
            raise LedgerError(f"{self.description}: off by {self.total()}")


class Ledger:
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.transactions: list[Transaction] = []

    def open(self, code: str, name: str, kind: str) -> Account:
        if code in self.accounts:
            raise LedgerError(f"account {code} already exists")
        account = Account(code, name, kind)
        self.accounts[code] = account
        return account

    def record(self, transaction: Transaction) -> None:
        transaction.check()
        for posting in transaction.postings:
            if posting.account.code not in self.accounts:
                raise LedgerError(f"unknown account {posting.account.code}")
        self.transactions.append(transaction)

    def balance(self, code: str, until: date | None = None) -> Decimal:
        total = Decimal("0")
        for transaction in self.transactions:
            if until is not None and transaction.when > until:
                continue
            for posting in transaction.postings:
                if posting.account.code == code:
                    total += posting.amount
        return total

    def trial_balance(self, until: date | None = None) -> list[tuple[str, Decimal]]:
        rows = []
        for code in sorted(self.accounts):
            amount = self.balance(code, until)
            if amount != 0:
                rows.append((code, amount))
        return rows

    def income_statement(self, start: date, end: date) -> dict[str, Decimal]:
        income = Decimal("0")
        expenses = Decimal("0")
        for transaction in self.transactions:
            if not start <= transaction.when <= end:
                continue
            for posting in transaction.postings:
                if posting.account.kind == "income":
                    income -= posting.amount
                elif posting.account.kind == "expense":
                    expenses += posting.amount
        return {"income": income, "expenses": expenses, "net": income - expenses}


def parse_amount(text: str) -> Decimal:
    cleaned = text.replace(",", "").strip()
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    value = Decimal(cleaned)
    return -value if negative else value


def load_csv(ledger: Ledger, lines: Iterable[str]) -> int:
    """Reads lines of `date,description,account,amount`; rows with one date form one transaction."""
    count = 0
    current: Transaction | None = None
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split(",", 3)]
        if len(parts) != 4:
            raise LedgerError(f"line {number}: expected four fields")
        when = date.fromisoformat(parts[0])
        account = ledger.accounts.get(parts[2])
        if account is None:
            raise LedgerError(f"line {number}: unknown account {parts[2]}")
        if current is None or current.when != when or current.description != parts[1]:
            if current is not None:
                ledger.record(current)
                count += 1
            current = Transaction(when, parts[1])
        current.add(account, parse_amount(parts[3]))
    if current is not None:
        ledger.record(current)
        count += 1
    return count


if __name__ == "__main__":
    books = Ledger()
    cash = books.open("1000", "Cash", "asset")
    sales = books.open("4000", "Sales", "income")
    rent = books.open("6100", "Rent", "expense")
    books.record(Transaction(date(2024, 1, 5), "Invoice 17").add(cash, Decimal("1200")).add(sales, Decimal("-1200")))
    books.record(Transaction(date(2024, 1, 31), "January rent").add(rent, Decimal("800")).add(cash, Decimal("-800")))
    for code, amount in books.trial_balance():
        print(f"{code:>6} {books.accounts[code].name:<12} {amount:>10}")
    print(books.income_statement(date(2024, 1, 1), date(2024, 1, 31)))
