"""Django's SMTP backend, with a record made just before the server can accept a message.

An SMTP server accepts a message when it reads the final ``.`` line of ``DATA``; if the
connection ends before that line, the message is discarded (RFC 5321 4.1.1.4). A sender
killed (SIGKILL, power loss) after the server accepted a message but before it recorded
that fact sends the message again on restart: the duplicate RFC 1047 describes.

This backend makes the newsletter queue's record before the final line instead:
``message.before_end()`` (set by ``sending.drain``) commits the delivery as sent, then
the one line ``.`` is written. A kill before that commit leaves the delivery "sending",
and no server can have accepted it: it is sent again, once. A kill after the commit
almost always comes after the write as well (they are one database acknowledgement and
one ``write`` call apart), and the server then accepts the message it has in full.
What remains uncertain is that gap alone, and a refusal the server sends after the
final line to a worker that died before reading it; docs/newsletters.md has the figures.

Used by the newsletter sender only when ``EMAIL_BACKEND`` is Django's SMTP backend;
other mail (password resets, confirmations) goes through the configured backend as is.
"""

import re
import smtplib
import socket

from django.core.mail.backends import smtp

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_LEADING_DOT = re.compile(rb"(?m)^\.")


class _RecordingData:
    """``smtplib.SMTP.data`` with a call to ``before_end`` before the final ``.`` line."""

    before_end = None

    def data(self, msg):
        hook = self.before_end
        if hook is None:
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):  # pragma: no cover - the backend passes bytes
            msg = msg.encode("ascii")
        body = _LEADING_DOT.sub(b"..", msg)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        # The final line is a write of its own, after the body: without TCP_NODELAY,
        # Nagle's algorithm holds it until the server's delayed ACK (about 40 ms a
        # message: 17 instead of 45 messages/s in bench/newsletters/run.py).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send(body)
        try:
            hook()
        except BaseException:
            # Without its final line the server discards the message: drop the connection.
            self.close()
            raise
        self.send(b".\r\n")
        return self.getreply()


class _SMTP(_RecordingData, smtplib.SMTP):
    pass


class _SMTPSSL(_RecordingData, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend; a message's ``before_end`` runs before the server accepts it."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def _send(self, email_message):
        if self.connection is not None:
            self.connection.before_end = getattr(email_message, "before_end", None)
        try:
            return super()._send(email_message)
        finally:
            if self.connection is not None:
                self.connection.before_end = None
