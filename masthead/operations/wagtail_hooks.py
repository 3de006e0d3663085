from wagtail import hooks

from . import gate


@hooks.register("register_log_actions")
def register_gate_actions(actions):
    gate.register_actions(actions)
