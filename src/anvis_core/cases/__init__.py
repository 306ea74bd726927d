"""Citizen cases: the rules and date arithmetic behind a caseworker's case, without Django.

Modules: :mod:`.bars` (§ 59 stk. 6–7), :mod:`.reimbursement` (§ 110 counter),
:mod:`.support` (CTI phases, § 85 a decision timing), :mod:`.household` (room need),
:mod:`.economy` (maximum rent), :mod:`.priority` (the published points score),
:mod:`.status` (case status transitions), :mod:`.situation` (homelessness situations).
"""
