"""How every browser test starts Debian's Chromium (see ../shared/TOOLING.md)."""

CHROMIUM_BASE_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The browser suite also keeps every request on the machine (injected vectors ask for
# outside sites); tests that browse a live server at "localhost" use the base list.
CHROMIUM_ARGS = [
    *CHROMIUM_BASE_ARGS,
    # No request leaves the machine, whatever a page (or an injected vector) asks for:
    # names other than 127.0.0.1 do not resolve, and other addresses go to a dead proxy.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
