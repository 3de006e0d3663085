# Varnish in front of one or more Masthead app servers (docs/deployment.md).
#
#   varnishd -a :80 -f /etc/varnish/masthead.vcl -s malloc,256m
#
# Before use: list your app servers (two `backend`s each, `appN` with the probe and
# `appN_unprobed` without, each added to its director in vcl_init), put your site's
# host name in the probe, and list the addresses of the TLS terminator in front (nginx,
# hitch, a load balancer) in `tls_terminators`.
#
# Varnish keeps only what Masthead marks `Cache-Control: public` (pages for anonymous
# readers, feeds, sitemaps), for the `s-maxage` Masthead sends. Masthead tags every such
# response with `X-Cache-Tags` (the story, every teaser on the page, home, section,
# topic, author, feeds, sitemaps) and, when something changes, sends one BAN naming the
# changed tags: every stored page that shows the story goes at once, and nothing else.
vcl 4.1;

import directors;
import std;

# Every app server is asked for the home page every 5 s, as a reader over HTTPS would:
# without a Host it accepts (ALLOWED_HOSTS) and X-Forwarded-Proto the app would answer
# 400 or a redirect to HTTPS, and the probe would call every server sick. A server that
# fails 3 of the last 5 probes gets no requests until it answers again.
probe masthead_alive {
    .request =
        "HEAD / HTTP/1.1"
        "Host: news.example.org"
        "X-Forwarded-Proto: https"
        "User-Agent: varnish-probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 5s;
    .timeout = 3s;
    .window = 5;
    .threshold = 3;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = masthead_alive;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = masthead_alive;
}

# The same app servers again, without a probe: used only while the probe calls every
# one of them sick. A server that is alive but overloaded misses its probes (they wait
# in the same queue as readers' requests), so while one server restarts and the other
# is busy, the probe alone would turn slowness into a 503 for every reader
# (bench/perf/capacity.py measured it). A server that is really down refuses the
# connection, and the request is retried on the next one (vcl_backend_error).
backend app1_unprobed {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

backend app2_unprobed {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
    # shard: a retry asks the next server (alt), never the one that just refused.
    new app_unprobed = directors.shard();
    app_unprobed.add_backend(app1_unprobed);
    app_unprobed.add_backend(app2_unprobed);
    app_unprobed.reconfigure();
}

# Addresses of the TLS terminator in front, the only ones whose X-Forwarded-Proto is
# believed; anyone else's request is plain HTTP.
acl tls_terminators {
    "127.0.0.1";
    "::1";
}

# Addresses allowed to PURGE and BAN: the app servers (MASTHEAD_PURGE_URL points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app.backend();
    if (!client.ip ~ tls_terminators || req.http.X-Forwarded-Proto != "https") {
        set req.http.X-Forwarded-Proto = "http";
    }
    if (std.healthy(req.backend_hint)) {
        # Serve a copy past its s-maxage for at most 5 minutes while one fetch renews it.
        set req.grace = 5m;
    }
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed."));
        }
        if (req.method == "PURGE") {
            # Wagtail's front-end cache module: one address, over either protocol
            # (the key holds the protocol, so a plain purge would miss the HTTPS copy).
            ban("obj.http.X-Url == " + req.url + " && obj.http.X-Host == " + req.http.host);
            return (synth(200, "Purged."));
        }
        if (req.http.X-Ban-Tags !~ "^[a-z0-9:|]+$") {
            return (synth(400, "X-Ban-Tags must list tags separated by |."));
        }
        # obj.* only, so the ban lurker can clear old objects in the background.
        ban("obj.http.X-Cache-Tags ~ ,(" + req.http.X-Ban-Tags + "),");
        return (synth(200, "Banned."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors (a session cookie) and API clients always reach the app and see live pages.
    if (req.url ~ "^/(admin|documents|_util)/" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous readers: other cookies (analytics, a stale csrftoken) would only split
    # the cache; Masthead sets none on public pages.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # The protocol is part of the key: over HTTPS the app answers the page, over plain
    # HTTP a redirect to HTTPS, and neither may be served for the other.
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_fetch {
    if (bereq.retries > 0 || !std.healthy(app.backend())) {
        # Every probe failed, or a try just failed: ask the servers directly (see
        # app_unprobed), one after the other on each retry, from a starting point that
        # differs per request, and never the server that just failed. (A retry through
        # the round-robin director could land on that server again: seen as 1 or 2
        # answers 503 in about 900 while a killed server was not yet probed sick.)
        if (!bereq.http.X-Masthead-Start) {
            set bereq.http.X-Masthead-Start = bereq.xid;
        }
        set bereq.backend = app_unprobed.backend(
            by=KEY,
            key=app_unprobed.key(bereq.http.X-Masthead-Start),
            alt=bereq.retries);
        set bereq.http.X-Masthead-Picked = bereq.backend;
        set bereq.http.X-Masthead-Picked = regsub(bereq.http.X-Masthead-Picked, "_unprobed$", "");
        if (bereq.http.X-Masthead-Picked == bereq.http.X-Masthead-Failed) {
            set bereq.backend = app_unprobed.backend(
                by=KEY,
                key=app_unprobed.key(bereq.http.X-Masthead-Start),
                alt=0);
        }
        unset bereq.http.X-Masthead-Picked;
    }
}

sub vcl_backend_error {
    # A server that is restarting refuses the connection before its probe says so: ask
    # another one. Only reads: a form post may have reached the app already.
    if ((bereq.method == "GET" || bereq.method == "HEAD") && bereq.retries < 2) {
        set bereq.http.X-Masthead-Failed = beresp.backend;
        set bereq.http.X-Masthead-Failed = regsub(bereq.http.X-Masthead-Failed, "_unprobed$", "");
        return (retry);
    }
}

sub vcl_backend_response {
    # Renewing a stale copy failed (the app servers are restarting, or the database
    # is): keep serving the copy instead of the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # For PURGE by address (vcl_recv); removed before delivery.
    set beresp.http.X-Url = bereq.url;
    set beresp.http.X-Host = bereq.http.host;
    # Keep only what Masthead marked public. Anything else (a password form, a page
    # with a query string Masthead bypasses, an error) is never stored.
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    # A copy Masthead served stale while re-rendering is good for a moment only.
    if (beresp.http.X-Cache == "STALE") {
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
    } else {
        # Kept an hour past s-maxage: served while one fetch renews it (5 minutes at
        # most while the app servers are healthy, vcl_recv), and for up to an hour
        # while none is. A BAN removes it outright, so grace never shows a withdrawn
        # story.
        set beresp.grace = 1h;
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Cache-Tags;
    unset resp.http.X-Url;
    unset resp.http.X-Host;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
}
