"""Write planned trades into a freqtrade database with freqtrade's own models.

Run by :func:`ftnotebook.demo.seeding.write_trades_db` with the *bot's* Python
interpreter (the one that has freqtrade installed); ftnotebook itself never imports
freqtrade. Usage::

    .venv-bot/bin/python _seed_db.py PLAN.json sqlite:////abs/path/tradesv3.sqlite

PLAN.json is a list of trades as made by ``ftnotebook.demo.seeding.plan_trades``.
Each becomes a ``Trade`` with a filled buy ``Order`` and, when closed, a filled sell
``Order``; freqtrade's ``Trade.close`` computes the profits, exactly as the bot would.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from freqtrade.persistence import Order, Trade, init_db


def _naive_utc(stamp: str) -> datetime:
    # freqtrade stores naive UTC datetimes
    return datetime.fromisoformat(stamp).replace(tzinfo=None)


def _order(
    trade_no: int,
    side: str,
    pair: str,
    amount: float,
    price: float,
    when: datetime,
    tag: str | None,
) -> Order:
    return Order(
        ft_order_side=side,
        ft_pair=pair,
        ft_is_open=False,
        ft_amount=amount,
        ft_price=price,
        order_id=f"ftnb-seed-{trade_no}-{side}",
        status="closed",
        symbol=pair,
        order_type="market",
        side=side,
        price=price,
        average=price,
        amount=amount,
        filled=amount,
        remaining=0.0,
        cost=amount * price,
        order_date=when,
        order_filled_date=when,
        order_update_date=when,
        ft_order_tag=tag,
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    plan_path, db_url = argv
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    init_db(db_url)
    for number, item in enumerate(plan, start=1):
        pair = item["pair"]
        base, quote = pair.split("/")
        opened = _naive_utc(item["open_date"])
        trade = Trade(
            pair=pair,
            base_currency=base,
            stake_currency=quote,
            exchange="binance",
            is_open=True,
            fee_open=item["fee"],
            fee_close=item["fee"],
            open_rate=item["open_rate"],
            open_rate_requested=item["open_rate"],
            amount=item["amount"],
            amount_requested=item["amount"],
            stake_amount=item["stake_amount"],
            max_stake_amount=item["stake_amount"],
            open_date=opened,
            strategy=item["strategy"],
            timeframe=item["timeframe_min"],
            enter_tag=item["enter_tag"],
            trading_mode="spot",
            leverage=1.0,
            is_short=False,
        )
        trade.orders.append(
            _order(
                number, "buy", pair, item["amount"], item["open_rate"], opened, item["enter_tag"]
            )
        )
        trade.recalc_open_trade_value()
        if item.get("close_date"):
            closed = _naive_utc(item["close_date"])
            trade.orders.append(
                _order(
                    number,
                    "sell",
                    pair,
                    item["amount"],
                    item["close_rate"],
                    closed,
                    item["exit_reason"],
                )
            )
            trade.exit_reason = item["exit_reason"]
            trade.close_date = closed
            trade.close(item["close_rate"], show_msg=False)
        Trade.session.add(trade)
    Trade.commit()
    print(f"wrote {len(plan)} trades to {db_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
