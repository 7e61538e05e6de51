"""Write planned trades into a freqtrade database with freqtrade's own models.

Run by :func:`ftnotebook.demo.seeding.write_trades_db` with the *bot's* Python
interpreter (the one that has freqtrade installed); ftnotebook itself never imports
freqtrade. Usage::

    .venv-bot/bin/python _seed_db.py PLAN.json sqlite:////abs/path/tradesv3.sqlite [CONFIG.json]

PLAN.json is a list of trades as made by ``ftnotebook.demo.seeding.plan_trades``.
Each becomes a ``Trade`` with a filled entry ``Order`` and, when closed, a filled exit
``Order``; freqtrade's ``Trade.close`` computes the profits, exactly as the bot would.

Futures trades (``trading_mode: futures``, long or short, any leverage) need CONFIG.json,
the futures bot's config: with it freqtrade's own Binance exchange class is loaded against
the simulator, and it computes what the bot would have computed at the entry fill and
the exit: the liquidation price (from the bundled leverage tiers) and the funding fees
(from the simulator's mark prices and funding rates, one frame per pair, as in
backtesting: :class:`_FundingFees`). The stoploss is set with
``adjust_stop_loss`` from the strategy's ``stoploss``, clamped to the liquidation price.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

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


def _exchange(config_path: str) -> Any:
    """freqtrade's exchange object for the futures bot's config (markets from the simulator)."""
    from freqtrade.enums import RunMode
    from freqtrade.resolvers import ExchangeResolver

    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    config["runmode"] = RunMode.DRY_RUN
    return ExchangeResolver.load_exchange(config, validate=False, load_leverage_tiers=True)


class _FundingFees:
    """Funding fees of closed futures trades, the way freqtrade's backtesting computes them:
    one frame of 1h mark prices and funding rates per pair (fetched from the simulator
    once, from the pair's first open date), then ``calculate_funding_fees`` per trade."""

    def __init__(self, exchange: Any, plan: list[dict[str, Any]]) -> None:
        self.exchange = exchange
        self.since: dict[str, datetime] = {}
        for item in plan:
            opened = _naive_utc(item["open_date"]).replace(tzinfo=UTC)
            self.since[item["pair"]] = min(opened, self.since.get(item["pair"], opened))
        self.frames: dict[str, Any] = {}

    def _frame(self, pair: str) -> Any:
        if pair not in self.frames:
            from freqtrade.enums import CandleType
            from freqtrade.exchange import timeframe_to_prev_date

            ex = self.exchange
            mark = (pair, ex._ft_has["mark_ohlcv_timeframe"], CandleType.MARK)
            funding = (pair, ex._ft_has["funding_fee_timeframe"], CandleType.FUNDING_RATE)
            since = timeframe_to_prev_date("1h", self.since[pair]) - timedelta(hours=1)
            history = ex.refresh_latest_ohlcv(
                [mark, funding],
                since_ms=int(since.timestamp() * 1000),
                cache=False,
                drop_incomplete=False,
            )
            self.frames[pair] = ex.combine_funding_and_mark(history[funding], history[mark])
        return self.frames[pair]

    def __call__(
        self, pair: str, amount: float, is_short: bool, opened: datetime, closed: datetime
    ) -> float:
        from freqtrade.exchange import timeframe_to_prev_date

        if self.exchange.funding_fee_cutoff(opened):
            opened = timeframe_to_prev_date("1h", opened)
        fees: float = self.exchange.calculate_funding_fees(
            self._frame(pair), amount=amount, is_short=is_short, open_date=opened, close_date=closed
        )
        return fees


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    plan_path, db_url = argv[:2]
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    exchange = _exchange(argv[2]) if len(argv) == 3 else None
    funding_fees = None if exchange is None else _FundingFees(exchange, plan)
    if exchange is None and any(item.get("trading_mode") == "futures" for item in plan):
        print("futures trades need the bot's config as third argument", file=sys.stderr)
        return 2
    init_db(db_url)
    for number, item in enumerate(plan, start=1):
        pair = item["pair"]
        base, quote = pair.split(":")[0].split("/")
        opened = _naive_utc(item["open_date"])
        is_short = bool(item.get("is_short", False))
        leverage = float(item.get("leverage", 1.0))
        trading_mode = item.get("trading_mode", "spot")
        entry_side, exit_side = ("sell", "buy") if is_short else ("buy", "sell")
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
            trading_mode=trading_mode,
            leverage=leverage,
            is_short=is_short,
            interest_rate=0.0,
        )
        trade.orders.append(
            _order(
                number,
                entry_side,
                pair,
                item["amount"],
                item["open_rate"],
                opened,
                item["enter_tag"],
            )
        )
        trade.recalc_open_trade_value()
        if exchange is not None and trading_mode == "futures":
            trade.set_liquidation_price(
                exchange.get_liquidation_price(
                    pair=pair,
                    open_rate=trade.open_rate,
                    is_short=is_short,
                    amount=trade.amount,
                    stake_amount=trade.stake_amount,
                    leverage=leverage,
                    wallet_balance=trade.stake_amount,
                )
            )
        if item.get("stoploss") is not None:
            trade.adjust_stop_loss(trade.open_rate, item["stoploss"], initial=True)
        if item.get("close_date"):
            closed = _naive_utc(item["close_date"])
            exit_order = _order(
                number,
                exit_side,
                pair,
                item["amount"],
                item["close_rate"],
                closed,
                item["exit_reason"],
            )
            if funding_fees is not None and trading_mode == "futures":
                fees = funding_fees(
                    pair, trade.amount, is_short, trade.open_date_utc, closed.replace(tzinfo=UTC)
                )
                trade.set_funding_fees(fees)
                exit_order.funding_fee = fees
                trade.funding_fee_running = 0.0
            trade.orders.append(exit_order)
            trade.exit_reason = item["exit_reason"]
            trade.close_date = closed
            trade.close(item["close_rate"], show_msg=False)
        Trade.session.add(trade)
    Trade.commit()
    if exchange is not None:
        exchange.close()
    print(f"wrote {len(plan)} trades to {db_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
