# Varnish in front of one or more Masthead app servers (docs/deployment.md).
#
#   varnishd -a :80 -f /etc/varnish/masthead.vcl -s malloc,256m
#
# Varnish keeps only what Masthead marks `Cache-Control: public` (pages for anonymous
# readers, feeds, sitemaps), for the `s-maxage` Masthead sends. Masthead tags every such
# response with `X-Cache-Tags` (the story, every teaser on the page, home, section,
# topic, author, feeds, sitemaps) and, when something changes, sends one BAN naming the
# changed tags: every stored page that shows the story goes at once, and nothing else.
vcl 4.1;

backend masthead {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Addresses allowed to PURGE and BAN: the app servers (MASTHEAD_PURGE_URL points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed."));
        }
        if (req.method == "PURGE") {
            # Wagtail's front-end cache module: one address.
            return (purge);
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

sub vcl_backend_response {
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
        # Serve the previous copy while one fetch refreshes it after s-maxage ends;
        # a BAN removes it outright, so grace never shows a withdrawn story.
        set beresp.grace = 5m;
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Cache-Tags;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
}
