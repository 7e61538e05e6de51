"""The backtest panel, and :func:`inspect_trade`: a backtest trade in its candles.

``BacktestPanel`` runs backtests on a webserver-mode bot and works with its stored runs::

    from ftnotebook import FtClient
    from ftnotebook.widgets import BacktestPanel

    panel = BacktestPanel(FtClient.from_env())
    panel                               # last expression of the cell
    panel.timerange.value = "20261120-20261125"
    panel.stake.value = "50"
    panel.run_button.click()            # what a click in the page does; panel.join() waits
    panel.result                        # the BacktestResult, shown as its card

The run goes on in a background thread so the page stays live: the progress bar follows
the bot, and **Abort** stops the backtest on the bot. The history list selects stored runs
for **Load**, **Compare** (metrics, settings and the overlaid charts), **Notes** and
**Delete** (which asks first).

CSS classes: ``ftnb-backtest`` (root), ``ftnb-bt-strategy``, ``ftnb-bt-timerange``,
``ftnb-bt-timeframe``, ``ftnb-bt-stake``, ``ftnb-bt-wallet``, ``ftnb-bt-max-open``,
``ftnb-bt-run``, ``ftnb-bt-abort``, ``ftnb-bt-progress``, ``ftnb-bt-card``,
``ftnb-bt-history``, ``ftnb-bt-load``, ``ftnb-bt-compare``, ``ftnb-bt-notes``,
``ftnb-bt-set-notes``, ``ftnb-bt-delete``, ``ftnb-message``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ftnotebook import backtest, frames
from ftnotebook.backtest import BacktestAborted, BacktestError, BacktestResult, BacktestRun
from ftnotebook.client import FtClient
from ftnotebook.plots import candle_chart
from ftnotebook.plots.backtest import BacktestComparison, compare_backtests
from ftnotebook.widgets._base import Confirmation, Control, button

__all__ = ["BacktestPanel", "inspect_trade"]


def inspect_trade(
    client: FtClient,
    result: BacktestResult,
    trade: int | None = None,
    *,
    pair: str | None = None,
    padding: int = 24,
    **options: Any,
) -> Any:
    """The candles of a backtest trade's pair, with the result's trades and signals.

    ``trade`` is a row of ``result.trades`` (its ``trade_index``); the chart spans that
    trade with ``padding`` candles either side. Without ``trade``, ``pair`` (default: the
    first traded pair) is drawn over the whole run. The candles come from the bot's
    ``/pair_history`` with the run's strategy and timeframe, so indicators and signals
    are the ones the backtest saw, drawn with the strategy's ``plot_config``. ``options``
    go to :func:`ftnotebook.plots.candle_chart`.

    >>> losing = result.trades.nsmallest(1, "profit_abs").index[0]
    >>> inspect_trade(client, result, losing).show()
    """
    trades = result.trades
    timeframe = str(result.settings.get("timeframe") or "5m")
    step = pd.Timedelta(timeframe.replace("m", "min").replace("h", "h").replace("d", "D"))
    if trade is not None:
        if not isinstance(trade, int) or not 0 <= trade < len(trades):
            raise ValueError(
                f"trade must be a row of result.trades (0..{len(trades) - 1}), got {trade!r}"
            )
        row = trades.iloc[trade]
        pair = str(row["pair"])
        start = row["open_date"] - padding * step
        end = (row["close_date"] if pd.notna(row["close_date"]) else result.end) + padding * step
        title = (
            f"{result.strategy} {pair}: trade {trade} ({row['enter_tag'] or '-'} → "
            f"{row['exit_reason']}, {row['profit_ratio']:.2%})"
        )
    else:
        if pair is None:
            if trades.empty:
                raise ValueError("the result has no trades: pass pair= to draw one")
            pair = str(trades["pair"].iloc[0])
        start, end = result.start, result.end
        title = f"{result.strategy} {pair}: {result.stats.get('timerange', '')}"
    timerange = f"{pd.Timestamp(start):%Y%m%d}-{pd.Timestamp(end) + pd.Timedelta(days=1):%Y%m%d}"
    candles = frames.pair_history(
        client, pair, timeframe, timerange=timerange, strategy=result.strategy
    )
    window = candles.loc[(candles.index >= start) & (candles.index <= end)].copy()
    window.attrs = dict(candles.attrs)
    window.attrs["annotations"] = [
        a for a in candles.attrs.get("annotations") or [] if _inside(a, start, end)
    ]
    options.setdefault("title", title)
    options.setdefault("client", client)  # the strategy's plot_config (?strategy= from attrs)
    fig = candle_chart(window, trades=trades, **options)
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)])
    return fig


def _inside(annotation: Mapping[str, Any], start: Any, end: Any) -> bool:
    """The annotation touches [start, end] (the strategy annotates its whole history)."""
    lo = annotation.get("start", annotation.get("x"))
    hi = annotation.get("end", annotation.get("x"))
    if lo is None or hi is None:
        return True
    return bool(pd.to_datetime(lo, utc=True) <= end and pd.to_datetime(hi, utc=True) >= start)


def _history_label(row: Mapping[Any, Any]) -> str:
    parts = [row["filename"], row["strategy"], row["timerange"], row["timeframe"], row["notes"]]
    return " · ".join(str(p) for p in parts if isinstance(p, str) and p)


def _num(text: str, name: str, *, integer: bool = False) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{name} must be {kind}, got {text!r}") from None
    return value


class BacktestPanel(Control):
    """Run backtests (with progress and abort) and work with the bot's stored runs.

    Attributes:
        run: the :class:`BacktestRun` of the last Run click, or None.
        result: the last finished or loaded :class:`BacktestResult`, or None.
        comparison: the last :class:`BacktestComparison` (Compare click), or None.
        runs: the history frame the list shows.
    """

    css_class = "ftnb-backtest"

    def __init__(self, client: FtClient) -> None:
        super().__init__(client)
        self.run: BacktestRun | None = None
        self.result: BacktestResult | None = None
        self.comparison: BacktestComparison | None = None
        self.runs = backtest.history_frame([])
        self._thread: threading.Thread | None = None

        self.strategy = widgets.Dropdown(options=[], description="strategy")
        self.timerange = widgets.Text(placeholder="20261120-20261125", description="timerange")
        self.timeframe = widgets.Text(placeholder="strategy's", description="timeframe")
        self.stake = widgets.Text(placeholder="config's", description="stake")
        self.wallet = widgets.Text(placeholder="config's", description="wallet")
        self.max_open = widgets.Text(placeholder="config's", description="max open")
        for w, css in (
            (self.strategy, "ftnb-bt-strategy"),
            (self.timerange, "ftnb-bt-timerange"),
            (self.timeframe, "ftnb-bt-timeframe"),
            (self.stake, "ftnb-bt-stake"),
            (self.wallet, "ftnb-bt-wallet"),
            (self.max_open, "ftnb-bt-max-open"),
        ):
            w.add_class(css)
        self.run_button = button("Run", "ftnb-bt-run", self._run, style="primary", icon="play")
        self.abort_button = button("Abort", "ftnb-bt-abort", self._abort, style="warning")
        self.abort_button.disabled = True
        self.progress = widgets.FloatProgress(value=0, min=0, max=1, description="")
        self.progress.add_class("ftnb-bt-progress")
        self.step = widgets.HTML(value="")
        self.card = widgets.HTML(value="")
        self.card.add_class("ftnb-bt-card")
        self.history = widgets.SelectMultiple(options=[], rows=6, layout={"width": "100%"})
        self.history.add_class("ftnb-bt-history")
        self.load_button = button("Load", "ftnb-bt-load", self._load)
        self.compare_button = button("Compare selected", "ftnb-bt-compare", self._compare)
        self.notes = widgets.Text(placeholder="notes for the selected run", description="notes")
        self.notes.add_class("ftnb-bt-notes")
        self.notes_button = button("Set notes", "ftnb-bt-set-notes", self._set_notes)
        self.delete_button = button("Delete", "ftnb-bt-delete", self._delete, style="danger")
        self.refresh_button = button("Refresh", "ftnb-bt-refresh", self.refresh)
        self.confirm = Confirmation(self)
        self.figures = widgets.Output()

        form = widgets.VBox(
            [
                widgets.HBox([self.strategy, self.timerange, self.timeframe]),
                widgets.HBox([self.stake, self.wallet, self.max_open]),
                widgets.HBox([self.run_button, self.abort_button, self.progress, self.step]),
            ]
        )
        history = widgets.VBox(
            [
                self.history,
                widgets.HBox(
                    [
                        self.load_button,
                        self.compare_button,
                        self.notes,
                        self.notes_button,
                        self.delete_button,
                        self.refresh_button,
                    ]
                ),
                self.confirm.widget,
            ]
        )
        self.widget.children = [form, self.message, self.card, history, self.figures]
        self._act("load strategies", self._load_strategies)
        self.refresh()

    # ----------------------------------------------------------------- set-up

    def _load_strategies(self) -> None:
        names = list(self.client.strategies()["strategies"])
        self.strategy.options = names
        if names:
            self.strategy.value = names[0]

    def refresh(self) -> None:
        """Reload the history list from the bot."""

        def act() -> None:
            self.runs = backtest.history(self.client)
            self.history.options = [
                (_history_label(r), i) for i, r in enumerate(self.runs.to_dict("records"))
            ]

        self._act("history", act)

    def _selected(self) -> list[tuple[str, str]]:
        rows = [self.runs.iloc[i] for i in self.history.value]
        if not rows:
            raise ValueError("select a run in the history list first")
        return [(str(r["filename"]), str(r["strategy"])) for r in rows]

    # -------------------------------------------------------------------- run

    def _request(self) -> dict[str, Any]:
        if not self.strategy.value:
            raise ValueError("pick a strategy")
        return {
            "timerange": self.timerange.value.strip() or None,
            "timeframe": self.timeframe.value.strip() or None,
            "stake_amount": _num(self.stake.value, "stake"),
            "dry_run_wallet": _num(self.wallet.value, "wallet"),
            "max_open_trades": _num(self.max_open.value, "max open trades", integer=True),
        }

    def _run(self) -> None:
        def act() -> str:
            self.run = backtest.start(self.client, str(self.strategy.value), **self._request())
            self.abort_button.disabled = False
            self.run_button.disabled = True
            self.progress.value = 0
            self._thread = threading.Thread(target=self._follow, args=(self.run,), daemon=True)
            self._thread.start()
            return f"backtest {self.run.describe()} started"

        self._act("run", act)

    def _follow(self, run: BacktestRun) -> None:
        def on_progress(answer: dict[str, Any]) -> None:
            self.progress.value = float(answer.get("progress") or 0)
            count = answer.get("trade_count")
            self.step.value = f"{answer.get('step', '')}" + (
                f" · {int(count)} trades" if count is not None else ""
            )

        def act() -> str:
            try:
                self.result = run.wait(progress=False, on_progress=on_progress)
            except BacktestAborted:
                return f"backtest {run.describe()} aborted on the bot; nothing was stored"
            except BacktestError as exc:
                raise ValueError(str(exc)) from exc  # shown as the error, in the bot's words
            self.card.value = self.result._repr_html_()
            self.refresh()
            return f"backtest {run.describe()} finished: {self.result.stats['total_trades']} trades"

        try:
            self._act("backtest", act)
        finally:
            self.run_button.disabled = False
            self.abort_button.disabled = True

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running backtest's thread (for scripts and tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _abort(self) -> None:
        def act() -> str:
            if self.run is None:
                raise ValueError("no backtest to abort")
            final = self.run.abort()
            return f"backtest {self.run.describe()} aborted on the bot ({final.get('status_msg')})"

        self._act("abort", act)

    # ---------------------------------------------------------------- history

    def _load(self) -> None:
        def act() -> str:
            filename, strategy = self._selected()[0]
            self.result = backtest.load(self.client, filename, strategy)
            self.card.value = self.result._repr_html_()
            return f"loaded {filename} ({strategy})"

        self._act("load", act)

    def _compare(self) -> None:
        def act() -> str:
            picked = self._selected()
            if len(picked) < 2:
                raise ValueError("select at least two runs to compare")
            results = [backtest.load(self.client, f, s) for f, s in picked]
            self.comparison = cmp = compare_backtests(results)
            self.figures.clear_output()
            with self.figures:
                from IPython.display import display

                show: Any = display
                show(widgets.HTML(self.comparison.metrics.to_html()))
                for fig in (cmp.equity, cmp.underwater, cmp.pairs_chart):
                    show(fig)
            return f"compared {len(results)} runs"

        self._act("compare", act)

    def _set_notes(self) -> None:
        def act() -> str:
            picked = self._selected()
            for filename, strategy in picked:
                backtest.set_notes(self.client, filename, strategy, self.notes.value)
            self.refresh()
            return f"notes set on {len(picked)} run(s)"

        self._act("notes", act)

    def _delete(self) -> None:
        def act() -> None:
            files = sorted({f for f, _ in self._selected()})
            self.confirm.ask(
                f"Delete {len(files)} stored run(s) ({', '.join(files)}) from the bot?",
                lambda: self._act("delete", lambda: self._really_delete(files)),
                yes="Delete",
            )

        self._act("delete", act)

    def _really_delete(self, files: list[str]) -> str:
        for name in files:
            backtest.delete(self.client, name)
        self.refresh()
        return f"deleted {len(files)} run(s)"
