"""An SMTP server in this process (aiosmtpd) that keeps every message it accepts."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Keeper:
    """Keep each accepted message; refuse recipients listed in ``refuse`` with a 550."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def parsed(self):
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for _, content in self.messages
        ]


def start(port: int | None = None) -> tuple[Controller, Keeper]:
    keeper = Keeper()
    controller = Controller(keeper, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller, keeper
