"""`leadtui calibrate`: learn points from closed history and report what they are worth."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from leadtui.cli.context import Context, UserError, pass_context
from leadtui.core.calibrate import CalibrationError, History, Report, calibrate, outcomes_from
from leadtui.core.models import Stage
from leadtui.core.reweigh import reweigh
from leadtui.core.scoring import score
from leadtui.settings import agreement_in_force
from leadtui.store import Store

LEAD_COLUMNS = ("title", "industry", "country", "employees", "revenue", "source")


@click.command(
    epilog="Examples:\n\n  leadtui calibrate\n\n"
    "  leadtui calibrate history.csv --outcome Converted\n\n"
    "  leadtui calibrate history.csv --outcome Converted --propose --target-conversion 0.4"
)
@click.argument("history", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--outcome",
    default="outcome",
    show_default=True,
    help="The CSV column that says whether the lead converted (1/0, yes/no, won/lost).",
)
@click.option("--seed", default=7, show_default=True, help="Seed of the train/held-out split.")
@click.option(
    "--propose",
    is_flag=True,
    help="Write a whole agreement with the learned points (from HISTORY.csv: rules on its "
    "columns; without: the agreement's own rules re-weighed) and print a diff.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where --propose writes (default: agreement.proposed.toml beside the agreement in force).",
)
@click.option(
    "--target-conversion",
    type=click.FloatRange(0, 1, min_open=True),
    help="With --propose and a CSV: set the MQL threshold where held-out leads convert at "
    "this rate (0.4 for 40%); otherwise the threshold in force is kept.",
)
@pass_context
def calibrate_command(
    context: Context,
    history: Path | None,
    outcome: str,
    seed: int,
    propose: bool,
    out: Path | None,
    target_conversion: float | None,
) -> None:
    """Learn points per column from closed leads: the database's won and lost leads, or a
    CSV of historical leads with an outcome column.

    Points are scaled log-odds (10 points = the odds doubled), learned on 70% of the
    history and judged on the other 30%.
    """
    if target_conversion is not None and not (propose and history):
        raise UserError("--target-conversion sets the threshold of a proposal from a CSV")
    try:
        if propose and history is None:
            _propose(context, seed, out)
            return
        data = _from_csv(history, outcome) if history else _from_store(context.open_store())
        report = calibrate(data, seed=seed)
        _print(report)
        if propose and history is not None:
            if report.suspicious:
                # A proposal cannot use what no new lead has yet: learn again without it.
                leaks = ", ".join(report.suspicious)
                click.echo(f"\nlearned again without {leaks}, for the proposal:")
                again = calibrate(data.without(set(report.suspicious)), seed=seed)
                _print(again)
                again.skipped.update(
                    (
                        column,
                        f"on its own it predicts the outcome (AUC {auc:.2f}): filled "
                        "in after the outcome was known?",
                    )
                    for column, auc in report.suspicious.items()
                )
                report = again
            from leadtui.cli.proposing import write_from_history  # only when proposing

            write_from_history(context, report, history, out, target_conversion)
    except CalibrationError as error:
        raise UserError(str(error)) from None


def _propose(context: Context, seed: int, out: Path | None) -> None:
    from leadtui.cli.proposing import in_force_text, proposal_file

    terms = context.agreement()
    source = agreement_in_force(context.settings)
    text, _ = in_force_text(context)
    store = context.open_store()
    closed = []
    for lead_id in store.closed_after_hand_off():
        lead = store.lead(lead_id)
        assert lead.mql_at is not None
        at_hand_off = score(lead, store.activities(lead_id), terms, lead.mql_at)
        closed.append((at_hand_off, lead.stage is Stage.WON))
    proposal = reweigh(terms, text, closed, seed=seed)
    target = proposal_file(context, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(proposal.text, "utf-8")
    click.echo(
        f"re-weighed {len(terms.fit) + len(terms.engagement) + len(terms.negative)} rules on "
        f"{proposal.closed:,} won and lost leads: held-out AUC {proposal.auc_now:.2f} now, "
        f"{proposal.auc_proposed:.2f} proposed"
    )
    for change in proposal.changes:
        click.echo(f"  {change.table} {change.label}: {change.old:+d} -> {change.new:+d}")
    if not proposal.auc_proposed > proposal.auc_now:
        click.echo(
            "the proposed points predict no better than the current ones on held-out leads: "
            "keep the current agreement unless you know better"
        )
    click.echo(proposal.diff(text, str(source or "default agreement"), str(target)), nl=False)
    click.echo(f"wrote {target}; nothing changes until `leadtui agreement apply {target}`")


def _from_csv(path: Path, outcome: str) -> History:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise UserError(
            f"{path} is not UTF-8 (byte {error.object[error.start]:#x}); save it as 'CSV UTF-8'"
        ) from None
    if not rows:
        raise UserError(f"{path} has no rows")
    outcomes = outcomes_from(rows, outcome, str(path))
    columns = [column for column in rows[0] if column != outcome]
    return History(columns, [{k: v or "" for k, v in row.items()} for row in rows], outcomes)


def _from_store(store: Store) -> History:
    """Won and lost leads, their firmographics and how often they did each activity."""
    # Each kind of activity is a column of the history, named by the kind; a kind that
    # is not one word (letters, digits, underscores) is left out of it.
    kinds = [kind for kind in store.activity_kinds() if kind.isidentifier()]
    columns = [*LEAD_COLUMNS, *kinds]
    found = store.closed_history(LEAD_COLUMNS, kinds)
    if not found:
        raise UserError(f"{store.path} has no won or lost leads yet; give a CSV of history")
    rows = [
        {
            column: "" if value is None else str(value)
            for column, value in zip(columns, row[1:], strict=True)
        }
        for row in found
    ]
    return History(columns, rows, [row[0] == "won" for row in found])


def _print(report: Report) -> None:
    held = report.tested_on
    click.echo(f"learned on {report.trained_on:,} closed leads, judged on {held:,} held out")
    click.echo(
        f"AUC {report.auc:.2f} with the points table · {report.auc_unrounded:.2f} unrounded "
        f"· {report.auc_plain:.2f} plain logistic regression · {report.auc_random:.2f} random"
    )
    click.echo(f"the top tenth by score converts {report.top_decile_lift:.1f}x as often as average")
    deciles = " ".join(f"{rate:.0%}" for rate in report.deciles)
    click.echo(f"conversion by score decile, top first: {deciles}")
    click.echo(f"baseline {report.baseline_points:+d} points; the strongest factors:")
    for weighted in report.table[:10]:
        click.echo(
            f"  {weighted.points:+4d}  {weighted.feature.label}  "
            f"({weighted.rows:,} leads, {weighted.converted:.0%} converted)"
        )
    for column, why in report.skipped.items():
        click.echo(f"left out {column or '(a column with no name)'}: {why}")
    for column, auc in report.suspicious.items():
        click.echo(
            f"check {column}: on its own it predicts the outcome with AUC {auc:.2f}; "
            "if it is filled in after a lead is worked, leave it out of the history"
        )
