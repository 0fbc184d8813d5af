"""`python -m etl users ...` and `python -m etl audit ...`: accounts, roles, unit scopes and
the audit trail from the command line - where the first administrator is created.

Every change is audited with the OS user as actor (the command line has no sign-in; whoever
can run it can already read the warehouse file).
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from kokemus.i18n import environment_language as _lang
from kokemus.i18n import t


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001
        return "cli"


def _password(args, lang: str) -> str | None:
    """--password-prompt asks twice without echo; --password-stdin reads one line (scripts)."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if getattr(args, "password_prompt", False):
        first = getpass.getpass(t("cli_users_pw_prompt", lang))
        if getpass.getpass(t("cli_users_pw_again", lang)) != first:
            raise SystemExit(t("auth_pw_mismatch", lang))
        return first
    return None


def _names(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _unknown_scope(units: list[str], areas: list[str], db) -> list[str]:
    """Scope names that match no unit or area (a typo would silently grant nothing)."""
    from kokemus import db as warehouse
    if not (units or areas):
        return []
    with warehouse.connect(db) as con:
        known_units = {r[0] for r in con.execute("SELECT name FROM units").fetchall()}
        known_areas = {r[0] for r in con.execute("SELECT name FROM service_areas").fetchall()}
    return [u for u in units if u not in known_units] + [a for a in areas if a not in known_areas]


def _describe(a, lang: str) -> str:
    scope = t("cli_users_all_units", lang) if a.all_units else (
        ", ".join([*a.units, *(f"[{x}]" for x in a.areas)]) or t("cli_users_no_units", lang))
    flags = []
    if a.disabled:
        flags.append(t("cli_users_flag_disabled", lang))
    if a.locked():
        flags.append(t("cli_users_flag_locked", lang))
    if a.must_change_password:
        flags.append(t("cli_users_flag_temporary", lang))
    if not a.has_password:
        flags.append("OIDC")
    last = a.last_sign_in.strftime("%Y-%m-%d %H:%M") if a.last_sign_in else "-"
    return f"{a.username:<28} {a.role:<14} {last:<17} {' '.join(flags):<24} {scope}"


def _run(func):
    def wrapped(args) -> int:
        from kokemus.auth import accounts, passwords
        lang = _lang()
        try:
            return func(args, lang)
        except (accounts.AccountError, passwords.PasswordRejected) as exc:
            print(t(exc.key, lang, **exc.params), file=sys.stderr)
            return 1
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    return wrapped


@_run
def cmd_add(args, lang: str) -> int:
    from kokemus.auth import accounts
    units, areas = _names(args.unit), _names(args.area)
    for name in _unknown_scope(units, areas, args.db):
        print(t("cli_users_unknown_scope", lang, name=name), file=sys.stderr)
    password = _password(args, lang)
    generated = None
    if password is None and not args.oidc_only:
        from kokemus.auth import passwords
        password = generated = passwords.temporary_password()
    account = accounts.add(args.username, args.role, actor=_actor(), password=password,
                           email=args.email, display_name=args.name, units=units, areas=areas,
                           temporary=bool(generated) or not args.permanent, warehouse=args.db)
    print(t("cli_users_added", lang, username=account.username, role=account.role))
    if generated:
        print(t("cli_users_temp_password", lang, password=generated))
    return 0


@_run
def cmd_list(args, lang: str) -> int:
    from kokemus.auth import accounts
    rows = accounts.list_accounts(args.db)
    if not rows:
        print(t("cli_users_none", lang))
        return 0
    print(t("cli_users_header", lang))
    for a in rows:
        print(_describe(a, lang))
    return 0


@_run
def cmd_set_role(args, lang: str) -> int:
    from kokemus.auth import accounts
    a = accounts.set_role(args.username, args.role, actor=_actor(), warehouse=args.db)
    print(_describe(a, lang))
    return 0


@_run
def cmd_set_units(args, lang: str) -> int:
    from kokemus.auth import accounts
    units, areas = _names(args.unit), _names(args.area)
    for name in _unknown_scope(units, areas, args.db):
        print(t("cli_users_unknown_scope", lang, name=name), file=sys.stderr)
    a = accounts.set_scope(args.username, actor=_actor(), units=units, areas=areas, warehouse=args.db)
    print(_describe(a, lang))
    return 0


@_run
def cmd_disable(args, lang: str) -> int:
    from kokemus.auth import accounts
    a = accounts.set_disabled(args.username, not args.enable, actor=_actor(), warehouse=args.db)
    print(_describe(a, lang))
    return 0


@_run
def cmd_reset_password(args, lang: str) -> int:
    from kokemus.auth import accounts
    a, password = accounts.reset_password(args.username, actor=_actor(), password=_password(args, lang),
                                          warehouse=args.db)
    print(t("cli_users_reset", lang, username=a.username))
    if not (args.password_prompt or args.password_stdin):
        print(t("cli_users_temp_password", lang, password=password))
    return 0


@_run
def cmd_map_group(args, lang: str) -> int:
    from kokemus.auth import accounts
    accounts.set_group_mapping(args.group, args.role, actor=_actor(), units=_names(args.unit),
                               areas=_names(args.area), warehouse=args.db)
    for g, role, kind, name in accounts.group_mappings(args.db):
        print(f"{g:<40} {role:<14} {kind or ''} {name or ''}")
    return 0


@_run
def cmd_audit_list(args, lang: str) -> int:
    import pandas as pd

    from kokemus.auth import audit
    frame = audit.search(actor=args.actor, actions=tuple(_names(args.action)), limit=args.limit,
                         warehouse=args.db)
    for r in frame.itertuples(index=False):
        rows = "" if pd.isna(r.row_count) else int(r.row_count)
        print(f"{r.occurred_at:%Y-%m-%d %H:%M:%S}  {r.actor or '-':<24} {r.action:<16} {r.page or '':<11} "
              f"{'' if r.target is None else r.target:<8} {rows:>7} {r.detail or ''}")
    return 0


@_run
def cmd_audit_export(args, lang: str) -> int:
    from kokemus import export
    from kokemus.auth import audit
    frame = audit.search(limit=10_000_000, warehouse=args.db)
    out = Path(args.out)
    data = export.to_xlsx_bytes(frame, sheet_name="audit") if out.suffix.lower() == ".xlsx" \
        else export.to_csv_bytes(frame)
    out.write_bytes(data)
    audit.record("audit_export", actor=_actor(), rows=len(frame), format=out.suffix.lstrip(".") or "csv",
                 warehouse=args.db)
    print(t("cli_audit_exported", lang, n=len(frame), file=str(out)))
    return 0


@_run
def cmd_audit_purge(args, lang: str) -> int:
    from kokemus.auth import audit
    n = audit.purge(actor=_actor(), days=args.days, warehouse=args.db)
    print(t("cli_audit_purged", lang, n=n, days=args.days if args.days is not None else audit.retention_days()))
    return 0


def add_commands(command, lang: str) -> None:
    """Hook the two command groups into etl.cli's parser (``command`` is its helper)."""
    import argparse

    from kokemus.auth.roles import ROLES

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=t("cli_help_db", lang))
    users = command("users", None)
    sub = users.add_subparsers(dest="users_command", required=True)
    _add = sub.add_parser
    sub.add_parser = lambda *a, **kw: _add(*a, parents=[common], **kw)

    def scope_args(p):
        p.add_argument("--unit", action="append", metavar="UNIT", help=t("cli_users_help_unit", lang))
        p.add_argument("--area", action="append", metavar="AREA", help=t("cli_users_help_area", lang))

    def password_args(p):
        g = p.add_mutually_exclusive_group()
        g.add_argument("--password-prompt", action="store_true", help=t("cli_users_help_prompt", lang))
        g.add_argument("--password-stdin", action="store_true", help=t("cli_users_help_stdin", lang))

    p = sub.add_parser("add", help=t("cli_users_help_add", lang))
    p.set_defaults(func=cmd_add)
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--email", help=t("cli_users_help_email", lang))
    p.add_argument("--name", help=t("cli_users_help_name", lang))
    p.add_argument("--oidc-only", action="store_true", help=t("cli_users_help_oidc_only", lang))
    p.add_argument("--permanent", action="store_true", help=t("cli_users_help_permanent", lang))
    scope_args(p)
    password_args(p)

    sub.add_parser("list", help=t("cli_users_help_list", lang)).set_defaults(func=cmd_list)

    p = sub.add_parser("set-role", help=t("cli_users_help_set_role", lang))
    p.set_defaults(func=cmd_set_role)
    p.add_argument("username")
    p.add_argument("role", choices=ROLES)

    p = sub.add_parser("set-units", help=t("cli_users_help_set_units", lang))
    p.set_defaults(func=cmd_set_units)
    p.add_argument("username")
    scope_args(p)

    p = sub.add_parser("disable", help=t("cli_users_help_disable", lang))
    p.set_defaults(func=cmd_disable)
    p.add_argument("username")
    p.add_argument("--enable", action="store_true", help=t("cli_users_help_enable", lang))

    p = sub.add_parser("reset-password", help=t("cli_users_help_reset", lang))
    p.set_defaults(func=cmd_reset_password)
    p.add_argument("username")
    password_args(p)

    p = sub.add_parser("map-group", help=t("cli_users_help_map_group", lang))
    p.set_defaults(func=cmd_map_group)
    p.add_argument("group", help=t("cli_users_help_group", lang))
    p.add_argument("role", choices=ROLES)
    scope_args(p)

    aud = command("audit", None)
    asub = aud.add_subparsers(dest="audit_command", required=True)
    _aadd = asub.add_parser
    asub.add_parser = lambda *a, **kw: _aadd(*a, parents=[common], **kw)
    p = asub.add_parser("list", help=t("cli_audit_help_list", lang))
    p.set_defaults(func=cmd_audit_list)
    p.add_argument("--actor")
    p.add_argument("--action", action="append")
    p.add_argument("--limit", type=int, default=50)
    p = asub.add_parser("export", help=t("cli_audit_help_export", lang))
    p.set_defaults(func=cmd_audit_export)
    p.add_argument("out", metavar="FILE.xlsx|FILE.csv")
    p = asub.add_parser("purge", help=t("cli_audit_help_purge", lang))
    p.set_defaults(func=cmd_audit_purge)
    p.add_argument("--days", type=int, help=t("cli_audit_help_days", lang))
