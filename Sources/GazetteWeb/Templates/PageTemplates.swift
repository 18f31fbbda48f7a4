// The web reader's pages as mustache templates (rendered by swift-mustache; `WebTemplates` loads them). They live in
// the binary rather than in a resource bundle, so a deployment that copies only `gazette` still has them.
//
// `{{ }}` escapes; `{{{ }}}` is used only for `html`, the digest fragment made by `DigestHTML` (cmark-gfm with raw
// HTML off). No template loads a script; pictures come only from the reader's own server (`img-src 'self'`).

extension WebTemplates {
    /// Every page: phone-sized column, light and dark scheme, no JavaScript, inline CSS.
    static let layout = #"""
    <!doctype html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <meta name="robots" content="noindex, nofollow">
    <meta name="color-scheme" content="light dark">
    <title>{{$title}}Gazette{{/title}}</title>
    {{#feedURL}}<link rel="alternate" type="application/atom+xml" title="Gazette digests" href="{{feedURL}}">{{/feedURL}}
    <style>
    :root { --bg: #fdfcf9; --fg: #1d1d1b; --muted: #66635c; --rule: #dedad1; --accent: #1f5fa8; --card: #f4f1ea; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #141414; --fg: #e9e6df; --muted: #a29e95; --rule: #33312d; --accent: #8bb8ee; --card: #1e1d1b; }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body { margin: 0; background: var(--bg); color: var(--fg);
           font: 17px/1.55 Georgia, "DejaVu Serif", "Noto Serif", serif; }
    main { max-width: 42rem; margin: 0 auto; padding: 1rem 1.1rem 3rem; }
    header.bar { display: flex; flex-wrap: wrap; gap: .3rem 1rem; align-items: baseline; border-bottom: 1px solid var(--rule);
                 padding-bottom: .5rem; margin-bottom: 1rem; font-family: system-ui, sans-serif; font-size: .9rem; }
    header.bar strong { font-size: 1.05rem; margin-right: auto; }
    a { color: var(--accent); overflow-wrap: anywhere; }
    h1 { font-size: 1.55rem; line-height: 1.25; margin: .4rem 0 .6rem; }
    h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-top: .6rem; border-top: 1px solid var(--rule); }
    h3 { font-size: 1.08rem; margin: 1.4rem 0 .3rem; }
    p, li { overflow-wrap: break-word; }
    img { display: block; max-width: 100%; height: auto; margin: .6rem 0; border-radius: 4px; }
    pre { background: var(--card); padding: .7rem; overflow-x: auto; font-size: .85rem; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; font-size: .92rem; }
    th, td { border-bottom: 1px solid var(--rule); padding: .3rem .4rem; text-align: left; }
    hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0 1rem; }
    .muted, footer { color: var(--muted); font-size: .9rem; }
    ul.plain { list-style: none; padding: 0; }
    ul.plain li { padding: .45rem 0; border-bottom: 1px solid var(--rule); }
    .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .8rem 0 1.2rem; font-family: system-ui, sans-serif; }
    .actions a { display: inline-block; padding: .35rem .7rem; border: 1px solid var(--rule); border-radius: 999px;
                 text-decoration: none; background: var(--card); }
    .notice { background: var(--card); border-left: 4px solid var(--accent); padding: .6rem .9rem; }
    form.search { display: flex; gap: .4rem; margin: 0 0 1rem; font-family: system-ui, sans-serif; }
    form.search input { flex: 1; min-width: 0; font: inherit; font-size: 1rem; padding: .4rem .6rem; color: var(--fg);
                        background: var(--bg); border: 1px solid var(--rule); border-radius: 6px; }
    form.search button { font: inherit; font-size: .95rem; padding: .4rem .9rem; border: 1px solid var(--rule); border-radius: 6px;
                         background: var(--card); color: var(--fg); }
    .actions a[aria-current="page"] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
    ol.hits { padding-left: 1.4rem; }
    ol.hits li { padding: .5rem 0 .7rem; border-bottom: 1px solid var(--rule); }
    ol.hits .meta { font-family: system-ui, sans-serif; font-size: .88rem; color: var(--muted); }
    ol.hits p { margin: .25rem 0; }
    mark { background: #fbe38e; color: #1d1d1b; padding: 0 .1em; border-radius: 2px; }
    @media (prefers-color-scheme: dark) { mark { background: #6b5a12; color: #f5efd9; } }
    </style>
    </head>
    <body>
    <main>
    <header class="bar"><strong>Gazette</strong>{{#homeURL}}<a href="{{homeURL}}">Home</a>{{/homeURL}}{{#feedURL}} <a href="{{feedURL}}">Atom feed</a>{{/feedURL}}</header>
    {{#searchURL}}<form class="search" role="search" action="{{searchURL}}" method="get"><input type="search" name="q" value="{{query}}" maxlength="500" placeholder="Search your channels" aria-label="Search your channels"><button type="submit">Search</button></form>{{/searchURL}}
    {{$body}}{{/body}}
    </main>
    </body>
    </html>
    """#

    /// `/u/<token>/`: links to fresh digests, the delivered digests and the reader's channels.
    static let home = #"""
    {{<layout}}
    {{$title}}Your Gazette{{/title}}
    {{$body}}
    <h1>Your Gazette</h1>
    <p class="muted">A fresh digest of your channels:</p>
    <nav class="actions">
    {{#windows}}<a href="{{url}}">{{label}}</a>{{/windows}}
    <a href="{{pdfURL}}">PDF, last 24 h</a>
    </nav>
    <h2 id="digests">Delivered digests</h2>
    {{#hasDigests}}
    <ul class="plain">
    {{#digests}}
    <li><a href="{{url}}">{{title}}</a> · <a href="{{pdfURL}}">PDF</a><br><span class="muted">{{window}} · {{counts}}</span></li>
    {{/digests}}
    </ul>
    {{/hasDigests}}
    {{^hasDigests}}<p class="muted">No digest has been delivered yet: the daily digest appears here once it is sent.</p>{{/hasDigests}}
    <h2 id="channels">Channels</h2>
    {{#hasChannels}}
    <ul class="plain">
    {{#channels}}
    <li><a href="{{url}}">{{name}}</a>{{#detail}} <span class="muted">· {{detail}}</span>{{/detail}}</li>
    {{/channels}}
    </ul>
    {{#moreChannels}}<p class="muted">and {{moreChannels}} more.</p>{{/moreChannels}}
    {{/hasChannels}}
    {{^hasChannels}}<p class="muted">No channels yet: add some with the bot or <code>gazette channels add</code>.</p>{{/hasChannels}}
    <footer><hr>This address is your private key to these pages: do not share it. <code>gazette web-token --rotate</code> replaces it.</footer>
    {{/body}}
    {{/layout}}
    """#

    /// A digest, fresh (`/u/<token>/digest`) or delivered (`/u/<token>/digests/<id>`).
    static let digest = #"""
    {{<layout}}
    {{$title}}{{title}} · Gazette{{/title}}
    {{$body}}
    <nav class="actions">
    {{#windows}}<a href="{{url}}">{{label}}</a>{{/windows}}
    <a href="{{pdfURL}}">PDF</a>
    </nav>
    {{#note}}<p class="notice">{{note}}</p>{{/note}}
    <article class="digest">
    {{{html}}}
    </article>
    {{/body}}
    {{/layout}}
    """#

    /// `/u/<token>/search?q=…`: the posts of the reader's channels that match, best first, with the matched words marked
    /// (`parts` of each snippet: a marked part is a `<mark>`, every part escaped).
    static let search = #"""
    {{<layout}}
    {{$title}}{{#query}}{{query}} · {{/query}}Search · Gazette{{/title}}
    {{$body}}
    <h1>{{#query}}Posts about «{{query}}»{{/query}}{{^query}}Search your channels{{/query}}</h1>
    {{#error}}<p class="notice">{{error}}</p>{{/error}}
    {{#hasQuery}}
    <nav class="actions">{{#ranges}}<a href="{{url}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/ranges}}</nav>
    {{#channelName}}<p class="muted">In {{channelName}} only · <a href="{{allChannelsURL}}">all channels</a></p>{{/channelName}}
    {{/hasQuery}}
    {{#hasHits}}
    <ol class="hits" start="{{first}}">
    {{#hits}}
    <li><div class="meta"><a href="{{channelURL}}">{{channel}}</a> · {{date}}</div>
    <p>{{#parts}}{{#marked}}<mark>{{text}}</mark>{{/marked}}{{^marked}}{{text}}{{/marked}}{{/parts}}</p>
    {{#url}}<a href="{{url}}">Open the post</a>{{/url}}</li>
    {{/hits}}
    </ol>
    {{#nextURL}}<nav class="actions"><a href="{{nextURL}}">More results</a></nav>{{/nextURL}}
    {{/hasHits}}
    {{#noHits}}<p class="muted">No post of your channels matches. Words match in any inflection; try fewer words or prefix*.</p>{{/noHits}}
    {{^hasQuery}}<p class="muted">Words match in any inflection: <code>выборы</code> finds «выборах». Use <code>"a phrase"</code>, <code>-word</code> to leave posts out, and <code>prefix*</code>.</p>{{/hasQuery}}
    {{/body}}
    {{/layout}}
    """#

    /// Bad input (400) or a server that cannot answer now (503): what is wrong, in words.
    static let notice = #"""
    {{<layout}}
    {{$title}}{{heading}} · Gazette{{/title}}
    {{$body}}
    <h1>{{heading}}</h1>
    <p class="notice">{{message}}</p>
    {{/body}}
    {{/layout}}
    """#
}
