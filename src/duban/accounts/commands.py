"""Command-line shell over the account services: ``duban user-add``."""

from __future__ import annotations

import argparse
import getpass

from rich.console import Console

from duban.accounts.services import user_create
from duban.core.errors import UserError
from duban.orgs.selectors import unit_find


def cmd_user_add(args: argparse.Namespace, console: Console) -> int:
    """``duban user-add``: an account for a unit's staff or the office."""
    unit = unit_find(code_or_name=args.unit)
    if unit is None:
        raise UserError(f"找不到单位“{args.unit}”：请写单位代码或登记册中的名称 (unknown unit)")
    password = args.password or getpass.getpass(f"{args.username} 的密码：")
    if len(password) < 8:
        raise UserError("密码至少 8 位 (password too short)")
    user = user_create(
        username=args.username,
        password=password,
        unit=unit,
        roles=args.role,
        email=args.email or "",
        full_name=args.name or "",
    )
    console.print(f"已创建用户 {user.username}：{unit.name}，角色 {'、'.join(args.role)}。", soft_wrap=True)
    return 0
